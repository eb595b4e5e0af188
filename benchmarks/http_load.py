"""Whole-stack mode (`./scripts/bench --http`): gunicorn in front, a load generator outside.

restcycle (with the floor beside it) and DRF each run under gunicorn (2 sync workers,
127.0.0.1, a free port); a small threaded generator sends a bounded number of requests
in short bursts that alternate between them, and reports requests/s and p50/p99 latency.
The generator shares the machine's cores with the servers: compare, don't quote absolutes.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from ._processes import ROOT, drf_python, worker_environment
from .workloads import DRF, FLOOR, RESTCYCLE, WORKLOADS_BY_NAME

ENDPOINTS = ("retrieve", "list-100")
CONCURRENCY = 4
BURST_SECONDS_LIMIT = 30.0
# No burst starts after this many seconds of load (per run; --quick: a fifth of it).
RUN_SECONDS_LIMIT = 300.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, timeout: float = 30) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


class Server:
    """A gunicorn serving the benchmark project for one implementation kind."""

    def __init__(self, kind: str, python: str) -> None:
        self.kind = kind
        self.port = free_port()
        self.log_path = Path(f"/tmp/restcycle-bench-gunicorn-{kind}-{self.port}.log")
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                python, "-m", "gunicorn", "benchmarks.project.wsgi:application",
                "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
                "--log-level", "warning", "--timeout", "60",
            ],
            cwd=ROOT,
            env=worker_environment(kind),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 90) -> None:
        """Until both workers answer: each builds its own in-memory data set first."""
        deadline = time.monotonic() + timeout
        answered = 0
        while answered < 4:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn for {self.kind} did not start; see {self.log_path}")
            try:
                answered += get(self.port, "/floor/books/1/", timeout=5) == 200
            except OSError:
                time.sleep(0.3)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def burst(port: int, path: str, headers: dict, count: int) -> tuple[list[float], int, float]:
    """`count` requests from CONCURRENCY threads: (latencies s, errors, elapsed s)."""
    latencies: list[float] = []
    errors = 0
    remaining = [count]
    lock = threading.Lock()
    deadline = time.monotonic() + BURST_SECONDS_LIMIT

    def client() -> None:
        nonlocal errors
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > deadline:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                ok = get(port, path, headers) == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def summarise(latencies: list[float], errors: int, elapsed: float) -> dict:
    if not latencies:
        return {"requests": 0, "errors": errors}
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def main(args) -> int:
    requests_per_target = 150 if args.quick else 1000
    rounds = 3 if args.quick else 10
    python = None if args.no_drf else drf_python(args.drf_python, not args.no_create_drf_venv)
    servers = {RESTCYCLE: Server(RESTCYCLE, sys.executable)}
    if python:
        servers[DRF] = Server(DRF, python)
    try:
        for server in servers.values():
            server.wait_ready()
        results = {}
        deadline = time.monotonic() + RUN_SECONDS_LIMIT / (5 if args.quick else 1)
        for endpoint in ENDPOINTS:
            workload = WORKLOADS_BY_NAME[endpoint]
            targets = []
            for name, server in ((RESTCYCLE, servers[RESTCYCLE]), (DRF, servers.get(DRF))):
                if server and get(server.port, workload.url_path(name)) == 200:
                    targets.append((name, server.port, workload.url_path(name)))
            floor_path = workload.url_path(FLOOR)
            targets.append((FLOOR, servers[RESTCYCLE].port, floor_path))
            collected = {name: ([], 0, 0.0) for name, _, _ in targets}
            for round_number in range(rounds):
                shift = round_number % len(targets)
                for name, port, path in targets[shift:] + targets[:shift]:
                    if time.monotonic() > deadline:
                        print(f"time limit reached: {endpoint} {name} round {round_number + 1}")
                        continue
                    latencies, errors, elapsed = burst(
                        port, path, workload.headers, requests_per_target // rounds
                    )
                    old = collected[name]
                    collected[name] = (old[0] + latencies, old[1] + errors, old[2] + elapsed)
            results[endpoint] = {name: summarise(*data) for name, data in collected.items()}
    finally:
        for server in servers.values():
            server.stop()
    print_table(results)
    if not args.no_save:
        save(results, args)
    return 0


def print_table(results: dict) -> None:
    print(f"{'endpoint':<12}{'implementation':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  errors")
    for endpoint, by_name in results.items():
        for name, r in by_name.items():
            print(
                f"{endpoint:<12}{name:<16}{r.get('requests_per_s', '-'):>9}"
                f"{r.get('p50_ms', '-'):>9}{r.get('p99_ms', '-'):>9}  {r['errors']}"
            )
    print(
        f"\ngunicorn 2 sync workers per implementation on 127.0.0.1; {CONCURRENCY} client "
        f"threads on the same {os.cpu_count()} CPUs; a new connection per request"
    )


def save(results: dict, args) -> None:
    directory = ROOT / "benchmarks" / "results"
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H%M%SZ", time.gmtime())
    payload = {"timestamp": stamp, "mode": "http", "quick": args.quick, "endpoints": results}
    text = json.dumps(payload, indent=2) + "\n"
    (directory / f"{stamp}-http.json").write_text(text)
    (directory / "latest-http.json").write_text(text)
    print(f"results: benchmarks/results/{stamp}-http.json (and latest-http.json)")
