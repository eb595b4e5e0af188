"""Which services a test run uses: an unreachable PostgreSQL or Redis skips its tests.

scripts/services.py probes the services for scripts/test; tests/settings.py falls back
to the local-memory cache when REDIS_URL names a Redis that does not answer.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests._example_server import free_port

# Each test starts its own interpreter (and one a whole pytest run): once per suite run.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parent.parent


def closed_port_env(**extra: str) -> dict:
    """The environment with PostgreSQL and Redis both pointed at a port nobody listens on."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RESTCYCLE_", "PYTEST_"))  # nor this run's pytest-xdist worker
    }
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/test"
    env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    env.update(extra)
    return env


def run_services_script(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "services.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_unreachable_services_are_reported_as_skipped_and_redis_url_is_unset():
    env = closed_port_env()
    result = run_services_script(env)
    assert result.returncode == 0, result.stderr
    assert f"SKIPPING: Redis is not reachable at {env['REDIS_URL']}" in result.stderr
    assert f"SKIPPING: PostgreSQL is not reachable at {env['DATABASE_URL']}" in result.stderr
    # The shell that evals the output must not keep the dead REDIS_URL for Django's cache.
    assert result.stdout.splitlines() == ["unset REDIS_URL"]


def test_unreachable_services_are_an_error_when_required():
    result = run_services_script(closed_port_env(RESTCYCLE_REQUIRE_SERVICES="1"))
    assert result.returncode == 1
    assert "ERROR: Redis is not reachable" in result.stderr
    assert "ERROR: PostgreSQL is not reachable" in result.stderr
    assert result.stdout == ""


def test_tests_needing_an_unreachable_redis_skip_and_the_rest_pass_on_the_local_cache():
    env = closed_port_env()
    env.pop("DATABASE_URL")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_throttling.py", "-q", "-rs", "-p", "no:xdist"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert f"Redis is not reachable at {env['REDIS_URL']}" in result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert "1 skipped" in summary
    assert "failed" not in summary
    assert "error" not in summary
