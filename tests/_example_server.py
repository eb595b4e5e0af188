"""Run the bookstore example for real: `manage.py` commands and an app server on 127.0.0.1.

Shared by the tests that drive the example over HTTP (test_example_e2e.py,
test_example_schema.py, test_browser.py through _browser_harness.py). Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example"
SRC = ROOT / "src"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    """Run `example/manage.py args` with `env`; its stdout, or RuntimeError with its stderr."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def migrate_and_seed(env: dict) -> str:
    """Migrate the example's database and seed its demo data; the demo user's token."""
    manage(env, "migrate", "--noinput")
    seeded = manage(env, "seed_demo").splitlines()
    return next(line.removeprefix("Token: ") for line in seeded if line.startswith("Token: "))


@contextlib.contextmanager
def serving(
    command: list[str],
    env: dict,
    answers: Callable[[], bool],
    *,
    why_not: Callable[[], str] = lambda: "",
    **popen_kwargs: object,
) -> Iterator[subprocess.Popen]:
    """`python -m command` run in example/ until `answers()` (an OSError is "not yet").

    RuntimeError (with `why_not()`) if it exits or does not answer within START_SECONDS;
    stopped (terminated, killed if need be) when the block ends.
    """
    server = subprocess.Popen(
        [sys.executable, "-m", *command], cwd=EXAMPLE, env=env, **popen_kwargs
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if answers():
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"{command[0]} did not serve the example within {START_SECONDS} s\n{why_not()}"
                )
            time.sleep(0.25)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
