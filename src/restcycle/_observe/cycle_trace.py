"""The cycle tracer: per-stage time and query counts, and why a request was refused.

`begin(view)` is the `_trace` hook while tracing is on. It wraps the view's stage
methods on that one instance, counts queries on every database alias for the length
of the cycle, and at `finalize_response` leaves a `CycleTrace` on the response
(`response.cycle_trace`) plus a `Server-Timing` header, updated once the response
is rendered. With `DEBUG` on a refused request also gets `X-Restcycle-Refused`.
"""

from __future__ import annotations

from time import perf_counter_ns
from typing import Any, NamedTuple

from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from . import trace as _trace

REFUSED_HEADER = "X-Restcycle-Refused"
SERVER_TIMING_HEADER = "Server-Timing"

# View methods timed as a stage when the view has them: (method, stage).
_VIEW_STAGES = (
    ("check_permissions", "permissions"),
    ("check_throttles", "throttles"),
    ("get_queryset", "queryset"),
    ("filter_queryset", "queryset"),
    ("paginate_queryset", "queryset"),
    ("get_object", "object"),
    ("perform_create", "perform"),
    ("perform_update", "perform"),
    ("perform_destroy", "perform"),
)
# Request methods timed as a stage: authentication and parsing run lazily, wherever
# `request.user` or `request.data` is first read. (private method, stage, the public
# name a refusal shows for it).
_REQUEST_STAGES = (
    ("_authenticate", "authenticate", "perform_authentication"),
    ("_load_data_and_files", "parse", "request.data"),
)
# View methods watched only for the exception that leaves them: (method, stage).
_VIEW_CHECKPOINTS = (
    ("perform_content_negotiation", "negotiation"),
    ("determine_version", "version"),
    ("check_object_permissions", "permissions"),
)


class Stage(NamedTuple):
    """One stage's totals: its own time (nested stages excluded) and its queries."""

    name: str
    duration_ms: float
    queries: int


class Refusal(NamedTuple):
    """Where a 4xx was decided; `str()` gives "403 at permissions: IsOwner.has_permission"."""

    status: int
    stage: str
    reason: str

    def __str__(self) -> str:
        return f"{self.status} at {self.stage}: {self.reason}"


class CycleTrace:
    """What one request's cycle did, as `response.cycle_trace`.

    `stages`: list of `Stage(name, duration_ms, queries)` in the order stages first ran;
    `refusal`: a `Refusal` when the response is a 4xx, else None; `total_ms`: from the
    start of dispatch to the end of rendering; `queries`: every query of the cycle.
    """

    __slots__ = (
        "refusal",
        "queries",
        "_start",
        "_end",
        "_totals",
        "_stack",
        "_raised",
        "_raised_in",
        "_handled",
        "_invalid_serializer",
        "_handler_name",
        "_token",
        "_counting",
        "_attached",
        "_prior_timing",
    )

    def __init__(self) -> None:
        self.refusal: Refusal | None = None
        self.queries = 0
        self._start = perf_counter_ns()
        self._end: int | None = None
        self._totals: dict[str, list[int]] = {}
        self._stack: list[list] = []
        self._raised: BaseException | None = None
        self._raised_in: tuple[str, str] | None = None
        self._handled: BaseException | None = None
        self._invalid_serializer: Any = None
        self._handler_name = ""
        self._token: Any = None
        self._counting = False
        self._attached: list[Any] = []
        self._prior_timing: str | None = None

    def __getstate__(self) -> dict:
        # A cached response is pickled: keep the results, not the live request objects.
        return {
            "refusal": self.refusal,
            "queries": self.queries,
            "start": self._start,
            "end": self._end if self._end is not None else perf_counter_ns(),
            "totals": {name: list(totals) for name, totals in self._totals.items()},
        }

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self.refusal = state["refusal"]
        self.queries = state["queries"]
        self._start = state["start"]
        self._end = state["end"]
        self._totals = state["totals"]

    def __repr__(self) -> str:
        stages = ", ".join(f"{s.name} {s.duration_ms:.2f}ms/{s.queries}q" for s in self.stages)
        refusal = f" refused {self.refusal}" if self.refusal else ""
        return f"<CycleTrace {self.total_ms:.2f}ms: {stages}{refusal}>"

    @property
    def stages(self) -> list[Stage]:
        return [
            Stage(name, round(ns / 1e6, 3), queries) for name, (ns, queries) in self._totals.items()
        ]

    @property
    def total_ms(self) -> float:
        end = self._end if self._end is not None else perf_counter_ns()
        return round((end - self._start) / 1e6, 3)

    def server_timing(self) -> str:
        """The `Server-Timing` value: `name;dur=ms;desc="N queries"` per stage."""
        return ", ".join(
            f'{name};dur={ns / 1e6:.2f};desc="{_queries_text(queries)}"'
            for name, (ns, queries) in self._totals.items()
        )

    # -- stages ----------------------------------------------------------------------------

    def enter(self, name: str) -> None:
        """Start `name`; re-entering the running stage only deepens it."""
        stack = self._stack
        if stack and stack[-1][0] == name:
            stack[-1][4] += 1
            return
        if name not in self._totals:
            self._totals[name] = [0, 0]  # listed in the order stages first start
        # name, start, time of nested stages, queries, re-entry depth
        stack.append([name, perf_counter_ns(), 0, 0, 0])

    def exit(self) -> None:
        stack = self._stack
        if not stack:
            return
        frame = stack[-1]
        if frame[4]:
            frame[4] -= 1
            return
        stack.pop()
        elapsed = perf_counter_ns() - frame[1]
        self._add(frame[0], elapsed - frame[2], frame[3])
        if stack:
            stack[-1][2] += elapsed

    def _add(self, name: str, ns: int, queries: int) -> None:
        totals = self._totals[name]
        totals[0] += ns
        totals[1] += queries

    def note_raised(self, exc: BaseException, stage: str, method: str) -> None:
        """Remember the innermost stage an exception left (the first to see it)."""
        if self._raised is not exc:
            self._raised = exc
            self._raised_in = (stage, method)

    def note_invalid(self, serializer: Any) -> None:
        """A serializer's `is_valid()` found errors (the 400 it may lead to is explained so)."""
        self._invalid_serializer = serializer

    # -- counting queries ------------------------------------------------------------------

    def __call__(self, execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
        # The execute wrapper installed on every connection while the cycle runs.
        if self._counting:
            self.queries += 1
            if self._stack:
                self._stack[-1][3] += 1
        return execute(sql, params, many, context)

    def start_counting(self) -> None:
        """Count on every connection open now, and on any the cycle opens (see below).

        Aliases not used yet are left alone: touching them would create their wrappers.
        """
        if self._counting:
            return
        self._counting = True
        for connection in connections.all(initialized_only=True):
            self._attach(connection)

    def _attach(self, connection: Any) -> None:
        wrappers = connection.execute_wrappers
        if self in wrappers:
            return
        # A trace abandoned by an error that escaped every stage leaves its counter.
        wrappers[:] = [w for w in wrappers if not isinstance(w, CycleTrace) or w._counting]
        wrappers.append(self)
        self._attached.append(connection)

    def stop_counting(self) -> None:
        if not self._counting:
            return
        self._counting = False
        for connection in self._attached:
            wrappers = connection.execute_wrappers
            if self in wrappers:
                wrappers.remove(self)
        self._attached.clear()

    def _close(self) -> None:
        self.stop_counting()
        token, self._token = self._token, None
        if token is not None:
            try:
                _trace.current.reset(token)
            except ValueError:  # set in another context (a thread handed the request on)
                _trace.current.set(None)


@receiver(connection_created)
def _count_on_new_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    # A connection the traced cycle opens for the first time (another alias, a reconnect).
    trace = _trace.current.get()
    if trace is not None and trace._counting:
        trace._attach(connection)


def _queries_text(count: int) -> str:
    return "1 query" if count == 1 else f"{count} queries"


def _timed(trace: CycleTrace, stage: str, func: Any, public_name: str | None = None) -> Any:
    method = public_name or getattr(func, "__name__", stage)

    def timed(*args: Any, **kwargs: Any) -> Any:
        trace.enter(stage)
        try:
            return func(*args, **kwargs)
        except BaseException as exc:
            trace.note_raised(exc, stage, method)
            raise
        finally:
            trace.exit()

    timed.traced_original = func  # what shadow mode's reference side calls instead
    return timed


def _checkpoint(trace: CycleTrace, stage: str, func: Any) -> Any:
    method = getattr(func, "__name__", stage)

    def watched(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BaseException as exc:
            trace.note_raised(exc, stage, method)
            raise

    watched.traced_original = func
    return watched


def begin(view: Any) -> None:
    """The tracing hook: start a trace for this dispatch and wrap the view's stages."""
    trace = CycleTrace()
    trace._token = _trace.current.set(trace)
    trace.start_counting()
    view_dict = view.__dict__

    for name, stage in _VIEW_STAGES:
        method = getattr(view, name, None)
        if method is not None:
            view_dict[name] = _timed(trace, stage, method)
    for name, stage in _VIEW_CHECKPOINTS:
        method = getattr(view, name, None)
        if method is not None:
            view_dict[name] = _checkpoint(trace, stage, method)

    http_method = getattr(getattr(view, "request", None), "method", None) or ""
    handler_name = http_method.lower()
    if handler_name in view.http_method_names and getattr(view, handler_name, None):
        handler = getattr(view, handler_name)
    else:
        handler_name = "http_method_not_allowed"
        handler = view.http_method_not_allowed
    trace._handler_name = getattr(handler, "__name__", handler_name)
    view_dict[handler_name] = _timed(trace, "handler", handler)

    initialize_request = view.initialize_request
    handle_exception = view.handle_exception
    finalize_response = view.finalize_response

    def traced_initialize_request(request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            drf_request = initialize_request(request, *args, **kwargs)
        except BaseException:
            trace._close()
            raise
        request_dict = getattr(drf_request, "__dict__", None)
        if request_dict is not None:
            for name, stage, public_name in _REQUEST_STAGES:
                method = getattr(drf_request, name, None)
                if method is not None:
                    request_dict[name] = _timed(trace, stage, method, public_name)
        return drf_request

    def traced_handle_exception(exc: Exception) -> Any:
        trace._handled = exc
        try:
            return handle_exception(exc)
        except BaseException:
            trace._close()
            raise

    def traced_finalize_response(request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            response = finalize_response(request, response, *args, **kwargs)
        finally:
            trace._close()
        _conclude(trace, view, response)
        return response

    traced_initialize_request.traced_original = initialize_request
    traced_handle_exception.traced_original = handle_exception
    traced_finalize_response.traced_original = finalize_response
    view_dict["initialize_request"] = traced_initialize_request
    view_dict["handle_exception"] = traced_handle_exception
    view_dict["finalize_response"] = traced_finalize_response


def _conclude(trace: CycleTrace, view: Any, response: Any) -> None:
    """End of dispatch: explain a 4xx, attach the trace and headers, time the render."""
    trace._end = perf_counter_ns()
    status = getattr(response, "status_code", 0)
    if 400 <= status < 500:
        from .refusal import explain

        try:
            stage, reason = explain(trace, view, status)
        except Exception as exc:  # the tracer must never turn a 4xx into a 500
            stage, reason = "unknown", f"could not be explained ({type(exc).__name__})"
        trace.refusal = Refusal(status, stage, reason)
    # The evidence is no longer needed: do not keep the request's objects alive.
    trace._handled = trace._raised = trace._invalid_serializer = None
    response.cycle_trace = trace
    trace._prior_timing = response.get(SERVER_TIMING_HEADER)

    if trace.refusal is not None:
        from django.conf import settings as django_settings

        if django_settings.DEBUG:
            response[REFUSED_HEADER] = _header_safe(str(trace.refusal))

    renderer = getattr(response, "accepted_renderer", None)
    if (
        renderer is not None
        and not getattr(response, "is_rendered", True)
        and "render" not in getattr(renderer, "__dict__", {"render": None})
    ):
        # The header is written once rendering has been timed too.
        _time_render(trace, renderer, response)
    else:
        _set_timing_header(trace, response)


def _set_timing_header(trace: CycleTrace, response: Any) -> None:
    value = trace.server_timing()
    if trace._prior_timing:
        value = f"{trace._prior_timing}, {value}" if value else trace._prior_timing
    if value:
        response[SERVER_TIMING_HEADER] = value


def _time_render(trace: CycleTrace, renderer: Any, response: Any) -> None:
    render = renderer.render

    def timed_render(*args: Any, **kwargs: Any) -> Any:
        trace.start_counting()
        trace.enter("render")
        try:
            return render(*args, **kwargs)
        finally:
            trace.exit()
            trace.stop_counting()
            trace._end = perf_counter_ns()
            # Renderers may be shared between requests: leave this one as it was.
            renderer.__dict__.pop("render", None)
            _set_timing_header(trace, response)

    renderer.__dict__["render"] = timed_render


def _header_safe(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text.encode("ascii", "backslashreplace").decode("ascii")
