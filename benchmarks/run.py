"""Whole-request benchmark: the same API on restcycle, on DRF 3.18 and as hand-written views.

    ./scripts/bench            # full run: checks, warm-up, interleaved rounds, table, JSON
    ./scripts/bench --quick    # a short run
    ./scripts/bench --check    # correctness only: statuses, bodies, SQL; exit 1 if off
    ./scripts/bench --http     # whole stack: gunicorn + a load generator (see http_load.py)

One parent (this script) drives worker processes over pipes: restcycle and the floor
in one process, DRF in another. Requests are interleaved between implementations
(the order rotates every round), and each figure is a median over many requests.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import _report  # noqa: E402
from benchmarks._processes import WorkerError, WorkerProcess, drf_python  # noqa: E402
from benchmarks.workloads import (  # noqa: E402
    DRF,
    FLOOR,
    MAIN_WORKLOADS,
    NINJA,
    QUERY_PLANNING_COMPARISON,
    RESTCYCLE,
    WORKLOADS,
    WORKLOADS_BY_NAME,
    normalise_body,
)

RESULTS = ROOT / "benchmarks" / "results"
# A series is one implementation in one process; the floor also runs in the DRF process
# (with --calibrate) to show that the two processes are comparable.
FLOOR_IN_DRF_PROCESS = "floor@drf"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few rounds: a smoke run")
    parser.add_argument("--check", action="store_true", help="check correctness only, no timing")
    parser.add_argument("--http", action="store_true", help="whole stack through gunicorn")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 30, quick 5)")
    parser.add_argument("--batch", type=int, help="requests per implementation per round")
    parser.add_argument("--warmup", type=int, help="untimed requests per series first")
    parser.add_argument(
        "--workloads",
        help="comma-separated names, or 'all' (default: the main set when timing, all with "
        "--check)",
    )
    parser.add_argument(
        "--query-planning",
        action="store_true",
        help="the query-planning workloads (projected, naive) beside list-100, list-1000, retrieve",
    )
    parser.add_argument("--no-drf", action="store_true", help="leave DRF out")
    parser.add_argument(
        "--no-restcycle", action="store_true", help="leave restcycle out (the floor stays)"
    )
    parser.add_argument("--no-ninja", action="store_true", help="leave django-ninja out")
    parser.add_argument("--drf-python", help="interpreter with the real DRF installed")
    parser.add_argument(
        "--no-create-drf-venv", action="store_true", help="never create the DRF venv"
    )
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="which time the table and ratios use (both are saved); default: the worker "
        "thread's CPU time, which a shared machine does not inflate",
    )
    parser.add_argument("--calibrate", action="store_true", help="time the floor in both processes")
    parser.add_argument(
        "--no-prepared-lookups",
        action="store_true",
        help="restcycle with REST_FRAMEWORK['PREPARED_LOOKUPS'] = False: its ORM-only overhead",
    )
    parser.add_argument("--no-save", action="store_true", help="do not write results JSON")
    parser.add_argument("--output", help="write the results JSON here instead of results/")
    parser.add_argument(
        "--markdown", metavar="RESULTS_JSON", help="print a results file's table as Markdown"
    )
    parser.add_argument("--verbose", action="store_true", help="print SQL and bodies that differ")
    parser.add_argument(
        "--profile",
        metavar="IMPLEMENTATION",
        help="print cProfile's listing of each workload on restcycle, drf or floor; no timing",
    )
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (5 if args.quick else 30)
    args.batch = args.batch or (3 if args.quick else 10)
    args.warmup = args.warmup if args.warmup is not None else (5 if args.quick else 30)
    return args


class Series:
    """One implementation served by one worker, with what was learnt about it."""

    def __init__(self, name: str, implementation: str, worker: WorkerProcess) -> None:
        self.name = name
        self.implementation = implementation
        self.worker = worker
        self.checks: dict[str, dict] = {}
        # workload -> clock ("wall", "cpu") -> ns per request
        self.samples: dict[str, dict[str, list[int]]] = {}
        self.errors: dict[str, str] = {}

    def check(self, workload: str) -> dict:
        """The first of CHECK_REPEATS identical requests; `unsteady` when a later one differed.

        A request is repeated because caches fill on the first ones (restcycle prepares a
        lookup the second time it sees it): the timed requests must answer like the first.
        """
        replies = []
        for _ in range(CHECK_REPEATS):
            reply = self.worker.call(cmd="check", impl=self.implementation, workload=workload)
            if "error" in reply:
                reply = {"status": None, "body": "", "queries": None, "sql": [], **reply}
            reply["body"] = normalise_body(base64.b64decode(reply["body"]), self.implementation)
            replies.append(reply)
        first = replies[0]
        aspects = ("status", "body", "sql")
        for number, later in enumerate(replies[1:], start=2):
            changed = [aspect for aspect in aspects if later.get(aspect) != first.get(aspect)]
            if changed:
                differences = ", ".join(changed)
                first["unsteady"] = f"request {number} differed from the first: {differences}"
                break
        self.checks[workload] = first
        return first

    def serves(self, workload: str) -> bool:
        return self.implementation in WORKLOADS_BY_NAME[workload].implementations

    def timeable(self, workload: str) -> bool:
        check = self.checks.get(workload)
        expected = WORKLOADS_BY_NAME[workload].expected_status
        return bool(check) and check["status"] == expected and workload not in self.errors

    def run(self, workload: str, n: int, record: bool) -> None:
        reply = self.worker.call(cmd="run", impl=self.implementation, workload=workload, n=n)
        if "error" in reply:
            self.errors[workload] = reply["error"]
        elif record:
            samples = self.samples.setdefault(workload, {"wall": [], "cpu": []})
            samples["wall"].extend(reply["wall_ns"])
            samples["cpu"].extend(reply["cpu_ns"])


def start_workers(args) -> tuple[list[WorkerProcess], list[Series], dict[str, str]]:
    """The worker processes and the series they serve; `missing` says why one is absent."""
    workers, series, missing = [], [], {}
    try:
        _start_workers(args, workers, series, missing)
    except BaseException:
        for worker in workers:
            worker.close()
        raise
    return workers, series, missing


def _start_workers(args, workers: list, series: list, missing: dict) -> None:
    restcycle_worker = WorkerProcess(RESTCYCLE, sys.executable)
    workers.append(restcycle_worker)
    if args.no_restcycle:
        missing[RESTCYCLE] = "left out (--no-restcycle)"
    else:
        series.append(Series(RESTCYCLE, RESTCYCLE, restcycle_worker))
    python = None if args.no_drf else drf_python(args.drf_python, not args.no_create_drf_venv)
    if python is None:
        missing[DRF] = "left out (--no-drf) or no interpreter with DRF installed"
    else:
        drf_worker = WorkerProcess(DRF, python)
        workers.append(drf_worker)
        series.append(Series(DRF, DRF, drf_worker))
        if args.calibrate:
            series.append(Series(FLOOR_IN_DRF_PROCESS, FLOOR, drf_worker))
    series.append(Series(FLOOR, FLOOR, restcycle_worker))
    if args.no_ninja:
        missing[NINJA] = "left out (--no-ninja)"
    elif NINJA not in restcycle_worker.info["implementations"]:
        missing[NINJA] = "django-ninja is not installed in this interpreter"
    else:
        series.append(Series(NINJA, NINJA, restcycle_worker))


# Each check sends a workload this many times: the ORM's first answer, then warm ones.
CHECK_REPEATS = 3


def run_checks(series: list[Series], workloads: list[str]) -> dict[str, list[str]]:
    """Send every workload to every series (CHECK_REPEATS times); the warnings per workload."""
    warnings: dict[str, list[str]] = {}
    for workload in workloads:
        results = {s.name: s.check(workload) for s in series if s.serves(workload)}
        warnings[workload] = _report.check_warnings(workload, results)
    return warnings


def drift_warnings(series: list[Series], workloads: list[str]) -> dict[str, list[str]]:
    """Reads sent again after the writes: any change means a write leaked into the data set."""
    warnings: dict[str, list[str]] = {workload: [] for workload in workloads}
    for workload in workloads:
        if WORKLOADS_BY_NAME[workload].writes:
            continue
        for s in series:
            if not s.serves(workload):
                continue
            before = s.checks[workload]
            after = s.worker.call(cmd="check", impl=s.implementation, workload=workload)
            body = normalise_body(base64.b64decode(after.get("body", "")), s.implementation)
            if body != before["body"]:
                warnings[workload].append(f"{s.name}: data drifted (body changed after the writes)")
    return warnings


def run_timing(args, series: list[Series], workloads: list[str]) -> None:
    for workload in workloads:
        for s in series:
            if s.timeable(workload) and args.warmup:
                s.run(workload, args.warmup, record=False)
    for round_number in range(args.rounds):
        for index, workload in enumerate(workloads):
            shift = (round_number + index) % len(series)
            for s in series[shift:] + series[:shift]:
                if s.timeable(workload):
                    s.run(workload, args.batch, record=True)
        if not args.quick and (round_number + 1) % 10 == 0:
            print(f"  round {round_number + 1}/{args.rounds}", file=sys.stderr)


def profile(args, series: list[Series], workloads: list[str]) -> int:
    chosen = [s for s in series if s.name == args.profile]
    if not chosen:
        print(f"{args.profile} is not available: {[s.name for s in series]}", file=sys.stderr)
        return 2
    for workload in workloads:
        n = args.batch * args.rounds
        reply = chosen[0].worker.call(
            cmd="profile", impl=chosen[0].implementation, workload=workload, n=n, top=40
        )
        print(f"==== {workload} on {args.profile}: {n} requests")
        print(reply.get("listing") or reply)
    return 0


def _quartiles_us(samples: list[int]) -> tuple[float, float, float]:
    if len(samples) == 1:
        return (round(samples[0] / 1000, 1),) * 3
    low, median, high = statistics.quantiles(samples, n=4)
    return round(low / 1000, 1), round(statistics.median(samples) / 1000, 1), round(high / 1000, 1)


def summarise(args, series: list[Series], workloads: list[str], warnings) -> dict:
    summary = {}
    for workload in workloads:
        entry = {
            "description": WORKLOADS_BY_NAME[workload].description,
            "expected_status": WORKLOADS_BY_NAME[workload].expected_status,
            "implementations": {},
            "warnings": list(warnings[workload]),
            "notes": _report.check_notes(
                workload, {s.name: s.checks[workload] for s in series if s.serves(workload)}
            ),
            "sql": _report.sql_comparison(
                workload, {s.name: s.checks[workload] for s in series if s.serves(workload)}
            ),
        }
        for s in series:
            if not s.serves(workload):
                continue
            check = s.checks.get(workload, {})
            samples = s.samples.get(workload, {"wall": [], "cpu": []})
            result = {
                "status": check.get("status"),
                "queries": check.get("queries"),
                "samples": len(samples["wall"]),
            }
            if samples["wall"]:
                for clock in ("wall", "cpu"):
                    quartiles = _quartiles_us(samples[clock])
                    result[clock] = dict(zip(("p25_us", "median_us", "p75_us"), quartiles))
                result["median_us"] = result[args.clock]["median_us"]
            if workload in s.errors:
                result["error"] = s.errors[workload]
                entry["warnings"].append(f"{s.name} failed while timed: {s.errors[workload]}")
            entry["implementations"][s.name] = result
        entry["ratios"] = _report.ratios(entry["implementations"])
        summary[workload] = entry
    return summary


def chosen_workloads(args) -> list[str]:
    """The workloads to run: --workloads, else --query-planning's set, else the main set."""
    if args.workloads == "all" or (args.check and not args.workloads):
        return [workload.name for workload in WORKLOADS]
    if args.workloads:
        return args.workloads.split(",")
    if args.query_planning:
        return list(QUERY_PLANNING_COMPARISON)
    return list(MAIN_WORKLOADS)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.markdown:
        print(_report.markdown(json.loads(Path(args.markdown).read_text())))
        return 0
    if args.http:
        from benchmarks import http_load

        return http_load.main(args)
    workloads = chosen_workloads(args)
    unknown = [name for name in workloads if name not in WORKLOADS_BY_NAME]
    if unknown:
        print(f"unknown workloads: {', '.join(unknown)}", file=sys.stderr)
        return 2
    if args.no_prepared_lookups:
        os.environ["BENCH_PREPARED_LOOKUPS"] = "0"  # read by benchmarks/project/settings.py
    started = time.time()
    load_before = os.getloadavg()
    try:
        workers, series, missing = start_workers(args)
    except WorkerError as exc:
        print(exc, file=sys.stderr)
        return 1
    exit_code = 0
    try:
        for name, reason in missing.items():
            print(f"note: {name} not measured: {reason}", file=sys.stderr)
        warnings = run_checks(series, workloads)
        if args.verbose:
            _report.print_differences(series, workloads)
        if args.profile:
            return profile(args, series, workloads)
        if not args.check:
            run_timing(args, series, workloads)
        for workload, drifted in drift_warnings(series, workloads).items():
            warnings[workload].extend(drifted)
        if args.check:
            exit_code = _report.print_checks(series, workloads, warnings, missing)
        else:
            summary = summarise(args, series, workloads, warnings)
    finally:
        for worker in workers:
            worker.close()
    if args.check:
        return exit_code
    results = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "command": "./scripts/bench " + " ".join(sys.argv[1:] if argv is None else argv),
        "duration_s": round(time.time() - started, 1),
        "settings": {
            "rounds": args.rounds,
            "batch": args.batch,
            "warmup": args.warmup,
            "clock": args.clock,
            "prepared_lookups": not args.no_prepared_lookups,
        },
        "machine": _report.machine(load_before),
        "processes": {w.kind: w.info for w in workers},
        "missing": missing,
        "workloads": summary,
    }
    print(_report.table(results))
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    elif not args.no_save:
        path = _report.save(results, RESULTS)
        print(f"\nresults: {path.relative_to(ROOT)} (and benchmarks/results/latest.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
