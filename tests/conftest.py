"""Fixtures shared by the whole suite: which real services this run has."""

import os

import pytest
from django.db import connection

from tests._services import redis_url as reachable_redis_url
from tests._services import skip_unless_required


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "sqlite_only: runs only in the first (SQLite) pass; it brings its own servers and data",
    )
    config.addinivalue_line("markers", "postgres: needs PostgreSQL (DATABASE_URL)")
    config.addinivalue_line("markers", "redis: needs Redis (REDIS_URL)")
    config.addinivalue_line(
        "markers",
        "shadow_off(reason): serve this test's requests once even in the shadow-mode pass "
        "(it counts how often its own code runs; the reference side would run it too)",
    )


@pytest.fixture(autouse=True)
def _shadow_off_when_marked(request):
    """Tests marked `shadow_off` see each request served once, also under RESTCYCLE_SHADOW=1."""
    marker = request.node.get_closest_marker("shadow_off")
    if marker is None:
        yield
        return
    assert marker.args or marker.kwargs.get("reason"), "shadow_off needs a reason"
    from restcycle._engine import shadow as _shadow

    with _shadow.suspended():
        yield


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist, put the sqlite_only files (each brings its own servers: the
    slowest) first, so that with --no-loadscope-reorder they are handed out first and
    never run alone at the end while the other workers idle. Every worker collects the
    same order (a stable sort); without xdist nothing moves."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: item.get_closest_marker("sqlite_only") is None)


@pytest.fixture
def redis_url():
    """The Redis URL this run uses as Django's cache; skips (or fails in CI) without one."""
    url = reachable_redis_url()
    if not url:
        where = os.environ.get("REDIS_URL")
        skip_unless_required(
            f"Redis is not reachable at {where}"
            if where
            else "Redis is not available: set REDIS_URL to run this test"
        )
    return url


@pytest.fixture
def postgres(db):
    """Run only when the database is PostgreSQL; skips on SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: runs in the PostgreSQL pass of scripts/test")
    return connection
