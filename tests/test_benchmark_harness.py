"""The benchmark harness measures like for like: same answers, same queries, no drift.

The harness runs in its own processes (restcycle under the drop-in alias, DRF in an
interpreter of its own), so these tests drive `benchmarks/run.py` in a subprocess, each
bounded well under a minute, and never assert anything about timings.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import _report
from benchmarks._processes import drf_python
from benchmarks.workloads import (
    DRF,
    FLOOR,
    QUERY_PLANNING_WORKLOADS,
    RESTCYCLE,
    WORKLOADS,
    normalise_body,
)

# Runs once per suite run: the harness brings its own in-memory databases.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parent.parent
RESTCYCLE_MISSING = _report.CHECK_RESTCYCLE_MISSING


def run_harness(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_restcycle_answers_every_workload_like_the_floor_with_as_many_queries():
    result = run_harness("--check", "--no-drf")
    if result.returncode == RESTCYCLE_MISSING:
        reason = next(line for line in result.stdout.splitlines() if "restcycle:" in line)
        pytest.skip(f"restcycle's API does not import yet ({reason})")
    assert result.returncode == 0, result.stdout + result.stderr
    for workload in WORKLOADS:
        assert workload.name in result.stdout


def test_floor_answers_every_workload_like_drf_with_as_many_queries():
    python = drf_python(None, create=False)
    if python is None:
        pytest.skip("no interpreter with the real DRF: .venv, BENCH_DRF_PYTHON or DRF_VENV")
    result = run_harness("--check", "--no-restcycle", "--drf-python", python)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "drf" in result.stdout.splitlines()[0]


def check_rows(stdout: str) -> dict[str, list[tuple[int, int]]]:
    """--check's table as {workload: [(status, queries) per series, in column order]}."""
    rows = {}
    for line in stdout.splitlines()[1:]:
        cells = re.findall(r"(\d+) / (\d+) queries", line)
        if cells:
            rows[line.split()[0]] = [(int(status), int(queries)) for status, queries in cells]
    return rows


def test_query_planning_workloads_answer_like_the_floor_with_its_query_count_on_restcycle():
    names = [workload.name for workload in QUERY_PLANNING_WORKLOADS]
    result = run_harness("--check", "--no-drf", "--workloads", ",".join(names))
    if result.returncode == RESTCYCLE_MISSING:
        pytest.skip("restcycle's API does not import yet")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = check_rows(result.stdout)
    assert result.stdout.split()[1:3] == [RESTCYCLE, FLOOR]
    for name in names:
        (restcycle_status, restcycle_queries), (floor_status, floor_queries) = rows[name]
        assert restcycle_status == floor_status == 200
        assert restcycle_queries == floor_queries == 2


def test_naive_workloads_show_drf_query_count_as_expected_and_keep_restcycle_equal():
    python = drf_python(None, create=False)
    if python is None:
        pytest.skip("no interpreter with the real DRF: .venv, BENCH_DRF_PYTHON or DRF_VENV")
    result = run_harness(
        "--check", "--drf-python", python, "--workloads", "list-100-naive,list-1000-naive"
    )
    if result.returncode == RESTCYCLE_MISSING:
        pytest.skip("restcycle's API does not import yet")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split()[1:4] == [RESTCYCLE, DRF, FLOOR]
    rows = check_rows(result.stdout)
    for name, books in (("list-100-naive", 100), ("list-1000-naive", 1000)):
        (_, restcycle_queries), (_, drf_queries), (_, floor_queries) = rows[name]
        assert restcycle_queries == floor_queries == 2
        assert drf_queries == 2 * books + 1
    assert result.stdout.count("expected: DRF naive") == 2


def test_naive_workload_excuses_only_drf_query_count():
    results = {
        "restcycle": {"status": 200, "body": b"[]", "queries": 201},
        "drf": {"status": 200, "body": b"[]", "queries": 201},
        FLOOR: {"status": 200, "body": b"[]", "queries": 2},
    }
    warnings = _report.check_warnings("list-100-naive", results)
    assert warnings == ["query counts differ: restcycle 201, floor 2"]
    notes = _report.check_notes("list-100-naive", results)
    assert notes == ["expected: DRF naive (drf 201, floor 2)"]
    assert _report.check_notes("list-100", results) == []


def test_timed_runs_default_to_the_main_set_and_checks_cover_every_workload():
    from benchmarks import run

    def chosen(*arguments: str) -> list[str]:
        return run.chosen_workloads(run.parse_args(list(arguments)))

    planning = [workload.name for workload in QUERY_PLANNING_WORKLOADS]
    assert not set(planning) & set(chosen())
    assert chosen("--check") == chosen("--workloads", "all") == [w.name for w in WORKLOADS]
    assert chosen("--query-planning") == ["list-100", "list-1000", "retrieve", *planning]


def test_timed_run_reports_medians_ratios_and_query_counts_as_json(tmp_path):
    output = tmp_path / "results.json"
    result = run_harness(
        "--no-drf", "--rounds", "1", "--batch", "2", "--warmup", "0",
        "--workloads", "retrieve,create", "--output", str(output),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads(output.read_text())
    assert set(results["workloads"]) == {"retrieve", "create"}
    floor = results["workloads"]["create"]["implementations"][FLOOR]
    assert floor["status"] == 201
    assert floor["samples"] == 2
    assert floor["median_us"] == floor["cpu"]["median_us"] > 0
    assert floor["wall"]["p25_us"] <= floor["wall"]["median_us"] <= floor["wall"]["p75_us"]
    assert floor["queries"] > 0
    assert results["machine"]["nproc"] >= 1
    assert "median CPU time (worker thread) in µs per request" in result.stdout


def test_different_query_counts_and_bodies_are_flagged_as_warnings():
    results = {
        "restcycle": {"status": 200, "body": b'{"id":1}', "queries": 1},
        "drf": {"status": 200, "body": b'{"id": 1}', "queries": 2},
        FLOOR: {"status": 200, "body": b'{"id":1}', "queries": 2},
    }
    warnings = _report.check_warnings("retrieve", results)
    assert "drf: same JSON as the floor, different bytes" in warnings
    assert "query counts differ: restcycle 1, drf 2, floor 2" in warnings


def test_unexpected_status_is_flagged_and_left_out_of_the_comparison():
    results = {
        "restcycle": {"status": 500, "body": b"<h1>Server Error</h1>", "queries": 0},
        FLOOR: {"status": 200, "body": b'{"id":1}', "queries": 2},
    }
    assert _report.check_warnings("retrieve", results) == ["restcycle: status 500, expected 200"]


def test_an_answer_that_changes_once_caches_are_warm_is_flagged():
    unsteady = "request 2 differed from the first: body"
    results = {
        "restcycle": {"status": 200, "body": b'{"id":1}', "queries": 2, "unsteady": unsteady},
        FLOOR: {"status": 200, "body": b'{"id":1}', "queries": 2},
    }
    assert _report.check_warnings("retrieve", results) == [f"restcycle: {unsteady}"]


def test_floor_links_compare_equal_to_the_api_links():
    body = b'{"next":"http://testserver/floor/catalog/?page=3"}'
    expected = b'{"next":"http://testserver/api/catalog/?page=3"}'
    assert normalise_body(body, FLOOR) == expected
    assert normalise_body(body, "restcycle") == body
