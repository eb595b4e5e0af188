"""Hook for observing `APIView.dispatch()`'s stages (the cycle tracer builds on it).

`dispatch()` checks `hook` once per request; when it is not None it is called with
the view instance before the first stage runs, and may wrap the view's stage
methods (named in `STAGES`, in cycle order) on that instance. Off, the cost is
that one attribute check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The stage methods `APIView.dispatch()` calls, in the order it calls them.
STAGES: tuple[str, ...] = (
    "initialize_request",
    "initial",
    "perform_content_negotiation",
    "determine_version",
    "perform_authentication",
    "check_permissions",
    "check_throttles",
    "handle_exception",
    "finalize_response",
)

hook: Callable[[Any], None] | None = None


def install(callback: Callable[[Any], None] | None) -> None:
    """Set (or with None, clear) the per-request hook."""
    global hook
    hook = callback
