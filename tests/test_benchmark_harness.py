"""The benchmark harness measures like for like: same answers, same queries, no drift.

The harness runs in its own processes (restcycle under the drop-in alias, DRF in an
interpreter of its own), so these tests drive `benchmarks/run.py` in a subprocess, each
bounded well under a minute, and never assert anything about timings.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import _report
from benchmarks._processes import drf_python
from benchmarks.workloads import FLOOR, WORKLOADS, normalise_body

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


def test_floor_links_compare_equal_to_the_api_links():
    body = b'{"next":"http://testserver/floor/catalog/?page=3"}'
    expected = b'{"next":"http://testserver/api/catalog/?page=3"}'
    assert normalise_body(body, FLOOR) == expected
    assert normalise_body(body, "restcycle") == body
