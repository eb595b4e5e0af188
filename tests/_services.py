"""What a test does when something it needs is not on this machine."""

import os
import socket
from urllib.parse import urlsplit

import pytest


def skip_unless_required(message: str) -> None:
    """Skip with `message`; under RESTCYCLE_REQUIRE_SERVICES=1 (CI) fail instead."""
    if os.environ.get("RESTCYCLE_REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (RESTCYCLE_REQUIRE_SERVICES=1 makes it required)")
    pytest.skip(message)


def reachable(url: str, default_port: int) -> bool:
    """Whether something accepts TCP connections at the URL's host and port (2 s at most)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def redis_url() -> str | None:
    """REDIS_URL when it is set and a server answers there; None means Redis tests skip.

    Probed once per process, so that an unreachable REDIS_URL (a stopped server, a
    typo) makes the suite fall back to the local-memory cache instead of failing.
    """
    global _redis_probe
    if _redis_probe is None:
        url = os.environ.get("REDIS_URL") or ""
        _redis_probe = url if url and reachable(url, 6379) else ""
    return _redis_probe or None


_redis_probe: str | None = None
