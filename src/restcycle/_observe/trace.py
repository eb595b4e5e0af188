"""Hook for observing `APIView.dispatch()`'s stages; the cycle tracer plugs in here.

`dispatch()` checks `hook` once per request; when it is not None it is called with
the view instance before the first stage runs, and may wrap the view's stage
methods (named in `STAGES`, in cycle order) on that instance. Off, the cost is
that one attribute check.

By default the hook follows the `TRACE` setting (None: on when `settings.DEBUG`),
decided on the first request after each settings change. Serializers consult
`current` (the running request's trace) only while a hook is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
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

# The trace of the request being dispatched in this context, when tracing is on.
current: ContextVar[Any] = ContextVar("restcycle_cycle_trace", default=None)

# True while a hook given to `install()` replaces the settings-driven one.
_custom_hook = False


def tracing_enabled() -> bool:
    """The `TRACE` setting, with None meaning "as `settings.DEBUG`"."""
    from django.conf import settings as django_settings

    from ..settings import api_settings

    enabled = api_settings.TRACE
    if enabled is None:
        return bool(django_settings.DEBUG)
    return bool(enabled)


def _decide(view: Any) -> None:
    # The first request after a settings change: install the tracer, or nothing at all.
    global hook
    if tracing_enabled():
        from .cycle_trace import begin

        hook = begin
        begin(view)
    else:
        hook = None


hook: Callable[[Any], None] | None = _decide


def install(callback: Callable[[Any], None] | None) -> None:
    """Set the per-request hook; None goes back to following the `TRACE` setting."""
    global hook, _custom_hook
    _custom_hook = callback is not None
    hook = callback if callback is not None else _decide


def _follow_settings() -> None:
    global hook
    if not _custom_hook:
        hook = _decide


def _register() -> None:
    from ..settings import on_reload

    on_reload(_follow_settings)


_register()
