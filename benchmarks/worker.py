"""A benchmark worker: one Django process serving the benchmark project, driven over pipes.

The parent (run.py) starts one worker per process kind (BENCH_IMPL=restcycle serves
restcycle, the floor and django-ninja; BENCH_IMPL=drf serves the real DRF and the floor
again) and
sends one JSON command per line on stdin; each reply is one JSON line on stdout.
Requests go through Django's WSGIHandler with a built environ, as an app server would.

Commands: {"cmd": "hello"}, {"cmd": "check", "impl", "workload"},
{"cmd": "run", "impl", "workload", "n"}, {"cmd": "profile", "impl", "workload", "n",
"top"}, {"cmd": "quit"}.
"""

from __future__ import annotations

import base64
import gc
import importlib.metadata
import io
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for entry in (ROOT / "example", ROOT):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from benchmarks.workloads import FLOOR, NINJA, WORKLOADS_BY_NAME, Workload  # noqa: E402


def build_environ(workload: Workload, implementation: str) -> dict:
    body = workload.body_bytes()
    environ = {
        "REQUEST_METHOD": workload.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": workload.url_path(implementation),
        "QUERY_STRING": workload.query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT": "application/json",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in workload.headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


class Worker:
    """Holds the Django app and answers the parent's commands."""

    def __init__(self) -> None:
        os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.project.settings"
        import django

        django.setup()
        from django.conf import settings
        from django.core.handlers.wsgi import WSGIHandler
        from django.db import connection, transaction

        from benchmarks.project.data import prepare_database

        self.kind = settings.IMPL
        import rest_framework

        runs_restcycle = rest_framework.__name__ == "restcycle" or hasattr(
            rest_framework, "install_as_rest_framework"
        )
        if runs_restcycle != (self.kind == "restcycle"):
            raise RuntimeError(
                f"the {self.kind} worker imported the wrong rest_framework: "
                f"{rest_framework.__file__}"
            )
        self.connection = connection
        self.transaction = transaction
        prepare_database()
        self.handler = WSGIHandler()
        # The URLconf is imported here, not at the first request: a broken API fails the start.
        from benchmarks.project import urls

        self.implementations = [self.kind, FLOOR] + ([NINJA] if urls.SERVES_NINJA else [])

    def hello(self) -> dict:
        import django
        import orjson
        import rest_framework

        version = getattr(rest_framework, "__version__", "?")
        if hasattr(rest_framework, "DRF_API_VERSION"):  # restcycle: the alias reads DRF's version
            import restcycle

            version = f"restcycle {restcycle.__version__} (DRF API {version})"
        return {
            "kind": self.kind,
            "implementations": self.implementations,
            "rest_framework_file": rest_framework.__file__,
            "rest_framework_version": version,
            "ninja_version": importlib.metadata.version("django-ninja")
            if NINJA in self.implementations
            else None,
            "python": platform.python_version(),
            "django": django.get_version(),
            "orjson": orjson.__version__,
            "executable": sys.executable,
            "pid": os.getpid(),
        }

    def _request(self, environ: dict, writes: bool) -> tuple[int, int, int, bytes]:
        """(wall ns, CPU ns, status, body) of one request; writes are rolled back untimed.

        The CPU clock is this thread's: on a shared machine it does not count the time
        the process waited for a core, which the wall clock does.
        """
        statuses = []

        def start_response(status, headers, exc_info=None):
            statuses.append(status)

        atomic = None
        if writes:
            atomic = self.transaction.atomic()
            atomic.__enter__()
        start_cpu = time.thread_time_ns()
        start = time.perf_counter_ns()
        result = self.handler(environ, start_response)
        body = b"".join(result)
        result.close()
        elapsed = time.perf_counter_ns() - start
        elapsed_cpu = time.thread_time_ns() - start_cpu
        if atomic is not None:
            self.transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        return elapsed, elapsed_cpu, int(statuses[0].split(" ", 1)[0]), body

    def check(self, implementation: str, workload_name: str) -> dict:
        workload = WORKLOADS_BY_NAME[workload_name]
        statements: list[str] = []
        parameters: list[str] = []

        def record(execute, sql, params, many, context):
            # SQLite opens the harness's own transaction (writes) lazily: not the view's query.
            if sql != "BEGIN":
                if many:  # executemany may be handed an iterator: read it once, pass it on
                    params = [list(row) for row in params]
                statements.append(sql)
                parameters.append(repr(params if many or params is None else list(params)))
            return execute(sql, params, many, context)

        with self.connection.execute_wrapper(record):
            environ = build_environ(workload, implementation)
            _, _, status, body = self._request(environ, workload.writes)
        return {
            "status": status,
            "body": base64.b64encode(body).decode(),
            "queries": len(statements),
            "sql": statements,
            "params": parameters,
        }

    def run(self, implementation: str, workload_name: str, n: int) -> dict:
        workload = WORKLOADS_BY_NAME[workload_name]
        environs = [build_environ(workload, implementation) for _ in range(n)]
        gc.collect()
        wall, cpu = [], []
        for environ in environs:
            elapsed, elapsed_cpu, status, body = self._request(environ, workload.writes)
            if status != workload.expected_status:
                return {"error": f"status {status}: {body[:300].decode(errors='replace')}"}
            wall.append(elapsed)
            cpu.append(elapsed_cpu)
        return {"wall_ns": wall, "cpu_ns": cpu}

    def profile(self, implementation: str, workload_name: str, n: int, top: int) -> dict:
        """cProfile's cumulative-time listing of `n` requests (untimed warm-up first)."""
        import cProfile
        import pstats

        workload = WORKLOADS_BY_NAME[workload_name]
        for _ in range(5):
            self._request(build_environ(workload, implementation), workload.writes)
        environs = [build_environ(workload, implementation) for _ in range(n)]
        profiler = cProfile.Profile()
        profiler.enable()
        for environ in environs:
            self._request(environ, workload.writes)
        profiler.disable()
        listing = io.StringIO()
        pstats.Stats(profiler, stream=listing).sort_stats("cumulative").print_stats(top)
        return {"listing": listing.getvalue()}

    def handle(self, command: dict) -> dict:
        name = command["cmd"]
        if name == "hello":
            return self.hello()
        if name == "check":
            return self.check(command["impl"], command["workload"])
        if name == "run":
            return self.run(command["impl"], command["workload"], command["n"])
        if name == "profile":
            return self.profile(command["impl"], command["workload"], command["n"], command["top"])
        return {"error": f"unknown command {name!r}"}


def main() -> None:
    # The protocol owns the real stdout; anything else printed goes to stderr.
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        worker = Worker()
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
        import traceback

        replies.write(json.dumps({"fatal": f"{exc!r}", "traceback": traceback.format_exc()}) + "\n")
        return
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        command = json.loads(line)
        if command["cmd"] == "quit":
            break
        try:
            reply = worker.handle(command)
        except Exception as exc:  # noqa: BLE001
            import traceback

            reply = {"error": f"{exc!r}", "traceback": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    main()
