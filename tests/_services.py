"""What a test does when something it needs is not on this machine."""

import os

import pytest


def skip_unless_required(message: str) -> None:
    """Skip with `message`; under RESTCYCLE_REQUIRE_SERVICES=1 (CI) fail instead."""
    if os.environ.get("RESTCYCLE_REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (RESTCYCLE_REQUIRE_SERVICES=1 makes it required)")
    pytest.skip(message)
