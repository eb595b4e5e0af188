"""Starting the benchmark's worker processes, and finding the interpreter that runs DRF.

restcycle and the floor run in this project's interpreter (with the drop-in alias);
the real DRF runs in an interpreter where `rest_framework` is DRF itself: one given
with --drf-python / BENCH_DRF_PYTHON, this one if DRF is installed beside restcycle
(the alias still wins in the restcycle process), or a venv at DRF_VENV.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRF_VENV = Path(os.environ.get("BENCH_DRF_VENV", "/tmp/bench-drf-venv"))
DRF_VERSION = "3.18.3"


def drf_requirements() -> list[str]:
    """DRF, with the Django and orjson this project's venv has, so only the framework differs."""
    from importlib.metadata import version

    pinned = [f"{name}=={version(name)}" for name in ("django", "orjson", "gunicorn")]
    return [f"djangorestframework=={DRF_VERSION}", *pinned, "django-filter", "dj-database-url"]


class WorkerError(RuntimeError):
    """A worker died or could not start; the message says where its log is."""


def drf_python(explicit: str | None, create: bool) -> str | None:
    """The interpreter that runs the real DRF, or None when there is none (and not `create`)."""
    if explicit or os.environ.get("BENCH_DRF_PYTHON"):
        return explicit or os.environ["BENCH_DRF_PYTHON"]
    try:
        importlib.metadata.distribution("djangorestframework")
    except importlib.metadata.PackageNotFoundError:
        pass
    else:  # installed beside restcycle: a process that never installs the alias runs it
        return sys.executable
    venv_python = DRF_VENV / "bin" / "python"
    if venv_python.exists():
        return str(venv_python)
    if not create:
        return None
    requirements = drf_requirements()
    print(f"==> creating {DRF_VENV} with {' '.join(requirements)}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(DRF_VENV)], check=True)
    subprocess.run([str(venv_python), "-m", "pip", "install", "-q", *requirements], check=True)
    return str(venv_python)


def worker_environment(kind: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The DRF process must not see restcycle's sources; the worker sets its own path.
    env.pop("PYTHONPATH", None)
    env["BENCH_IMPL"] = kind
    env["PYTHONHASHSEED"] = "0"
    return env


class WorkerProcess:
    """One worker (worker.py) talking JSON lines over its stdin/stdout."""

    def __init__(self, kind: str, python: str) -> None:
        self.kind = kind
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open for the worker's life
            "w+", prefix=f"restcycle-bench-{kind}-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [python, "-m", "benchmarks.worker"],
            cwd=ROOT,
            env=worker_environment(kind),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            bufsize=1,
        )
        ready = self._read()
        if "fatal" in ready:
            self.close()
            raise WorkerError(
                f"{kind} worker failed to start: {ready['fatal']}\n{ready['traceback']}"
            )
        self.info = self.call(cmd="hello")

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            raise WorkerError(
                f"{self.kind} worker exited ({self.process.returncode}); log: {self.log.name}\n"
                + self.log_tail()
            )
        return json.loads(line)

    def call(self, **command) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def log_tail(self, lines: int = 30) -> str:
        return "".join(Path(self.log.name).read_text(errors="replace").splitlines(True)[-lines:])

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
                self.process.stdin.flush()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self.log.close()
