"""Shadow mode: every request also runs the reference path, and any difference raises.

restcycle's fast paths (compiled serializer plans, compiled validation, many=True
batching, the values path, prepared lookups) promise to mean exactly what the
reference path means: DRF's documented field-by-field loops and the plain ORM. With
`REST_FRAMEWORK["SHADOW"] = True` (default: the environment variable
`RESTCYCLE_SHADOW=1`) `APIView.dispatch()` proves it request by request:

1. `initial()` runs once (negotiation, authentication, permissions, throttles).
2. The reference side: the handler with `reference_path` set, then `handle_exception`,
   `finalize_response` and rendering, inside `transaction.atomic()` on the databases in
   use, rolled back at the end (a savepoint inside ATOMIC_REQUESTS or a TestCase).
   PostgreSQL sequences the reference side advanced are set back.
3. The fast side: the same, for real; its response is the one returned.
4. The two are compared; any difference raises `ShadowMismatch` (see `_differences`).

The request, the view, the authenticated user and the request body are restored between
the sides, so the fast side starts from the state the reference side started from. See
docs/shadow-mode.md for what is compared, how, and what it costs.
"""

from __future__ import annotations

import copy
import cProfile
import datetime
import io
import os
import re
import sys
import sysconfig
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models import Model
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.functional import LazyObject, empty

# Set while the reference side runs: every fast path takes its reference path.
reference_path: ContextVar[bool] = ContextVar("restcycle_reference_path", default=False)
# The side of a shadowed request running in this context, or None outside shadow mode.
_side: ContextVar[Any] = ContextVar("restcycle_shadow_side", default=None)

# Transaction control: the reference side runs inside an atomic block of its own.
_TRANSACTION_SQL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


class ShadowMismatch(AssertionError):
    """The fast path answered a request differently from the reference path."""


def fast_paths_allowed() -> bool:
    """False while the reference side of a shadowed request runs (or inside `reference()`)."""
    return not reference_path.get()


def prepares_on_first_sight() -> bool:
    """True on the fast side of a shadowed request: a prepared lookup is built the first
    time its shape is seen, so that shadow mode exercises it (normally: the second time)."""
    side = _side.get()
    return side is not None and not side.is_reference


def waive_query_count(reason: str) -> None:
    """The fast side changed the number of queries by design (`reason` says how): the
    query counts of this request are not compared."""
    side = _side.get()
    if side is not None and not side.is_reference:
        side.waived.append(reason)


@contextmanager
def reference() -> Iterator[None]:
    """Run the enclosed code on the reference path (every fast path switched off)."""
    token = reference_path.set(True)
    try:
        yield
    finally:
        reference_path.reset(token)


# Set by `suspended()`: requests in this context are not shadowed whatever the setting.
_suspended: ContextVar[bool] = ContextVar("restcycle_shadow_suspended", default=False)


def enabled() -> bool:
    """Shadow this request: the SHADOW setting is on, shadowing is not suspended here and
    no shadowed side is running here already (a view calling another view)."""
    from ..settings import api_settings

    return bool(api_settings.SHADOW) and not _suspended.get() and _side.get() is None


@contextmanager
def suspended() -> Iterator[None]:
    """Requests made inside are served once, as without shadow mode (for a test that counts
    how often its own code runs: the reference side would run it too)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


# --- what is user code -------------------------------------------------------------------


def _library_roots() -> tuple[str, ...]:
    import django

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # restcycle/
    roots = {package, os.path.dirname(django.__file__)}
    paths = sysconfig.get_paths()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(name):
            roots.add(paths[name])
    try:
        import site

        roots.update(site.getsitepackages())
        roots.add(site.getusersitepackages())
    except (AttributeError, ImportError):  # a virtualenv's trimmed `site`
        pass
    return tuple(os.path.join(os.path.realpath(root), "") for root in roots if root)


_roots: tuple[str, ...] | None = None
_user_files: dict[str, bool] = {}


def is_user_code(filename: str) -> bool:
    """Whether code in `filename` is the project's own (not restcycle, Django, the standard
    library or an installed package; not generated code such as `<restcycle plan ...>`)."""
    global _roots
    known = _user_files.get(filename)
    if known is not None:
        return known
    if _roots is None:
        _roots = _library_roots()
    if not filename or filename.startswith("<"):
        user = False
    else:
        path = os.path.realpath(filename)
        user = not path.startswith(_roots)
    _user_files[filename] = user
    return user


# --- one side of a shadowed request ------------------------------------------------------


class _Side:
    """What one side did: its response or uncaught exception, queries, user-code calls."""

    def __init__(self, is_reference: bool):
        self.is_reference = is_reference
        self.response: Any = None
        self.exception: BaseException | None = None
        self.queries: Counter = Counter()  # alias -> statements (savepoints not counted)
        self.sql: list[str] = []
        self.user_calls: Counter | None = Counter()  # "file:line function" -> calls
        self.waived: list[str] = []
        self.written: list = []  # the parameters of its INSERTs and UPDATEs, in order
        self.uploads: list = []  # the paths of the temporary files its uploads were parsed to
        self.render_error: str | None = None
        self.profiler: cProfile.Profile | None = None  # counting this side's user calls

    def count_query(self, alias: str, sql: Any, params: Any, many: bool) -> None:
        text = str(sql).lstrip()
        head = text[:24].upper()
        if head.startswith(_TRANSACTION_SQL):
            return  # the reference side's own atomic block nests differently
        self.queries[alias] += 1
        self.sql.append(f"[{alias}] {text}")
        if head.startswith(("INSERT", "UPDATE")) and params:
            for row in params if many else (params,):
                self.written.extend(row.values() if isinstance(row, dict) else row)

    @property
    def status(self) -> Any:
        if self.exception is not None:
            return f"raised {type(self.exception).__name__}"
        return self.response.status_code

    def describe_status(self) -> str:
        if self.exception is not None:
            return f"raised {type(self.exception).__name__}: {str(self.exception)[:300]}"
        return str(self.status)

    def note_uploads(self, request: Any) -> None:
        files = request.__dict__.get("_files")
        for _name, uploaded_files in getattr(files, "lists", tuple)():
            for uploaded in uploaded_files:
                path = getattr(uploaded, "temporary_file_path", None)
                if path is not None:
                    self.uploads.append(path())

    @property
    def content(self) -> bytes | None:
        """The rendered bytes, when the response is a rendered template response."""
        response = self.response
        if isinstance(response, SimpleTemplateResponse) and response.is_rendered:
            return response.content
        return None


@contextmanager
def _counting(side: _Side) -> Iterator[None]:
    """Count the queries (every alias) and user-code calls of the enclosed code into `side`.

    User-code calls are counted with cProfile (C speed, this thread only): every call of a
    Python function whose code lives in user code (`is_user_code`), including generator
    resumptions. When another profiler is already active the calls are not counted.
    """

    def count(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
        connection = context["connection"]
        if side.is_reference:
            verb = str(sql).lstrip()[:6].upper()
            if verb in ("INSERT", "UPDATE", "DELETE"):
                _check_protected(connection)
            if verb == "INSERT":
                _remember_sequences(connection)
        side.count_query(connection.alias, sql, params, many)
        return execute(sql, params, many, context)

    def count_on_new_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
        if _side.get() is side and count not in connection.execute_wrappers:
            connection.execute_wrappers.append(count)
            stack.callback(connection.execute_wrappers.remove, count)

    token = _side.set(side)
    profiler = None
    with ExitStack() as stack:
        # Only the connections in use: creating the others is not this request's doing.
        for connection in connections.all(initialized_only=True):
            stack.enter_context(connection.execute_wrapper(count))
        connection_created.connect(count_on_new_connection, weak=False)
        stack.callback(connection_created.disconnect, count_on_new_connection)
        if sys.getprofile() is None:
            profiler = side.profiler = cProfile.Profile(subcalls=False, builtins=False)
            profiler.enable()
        else:
            side.user_calls = None
        try:
            yield
        finally:
            if profiler is not None:
                profiler.disable()
                _collect_user_calls(profiler, side.user_calls)
            _side.reset(token)


@contextmanager
def class_setup() -> Iterator[None]:
    """Work done once per class and process (a class's prototype fields), not per request:
    user code it runs (field constructors, `bind()`) is not counted for either side."""
    side = _side.get()
    profiler = side.profiler if side is not None else None
    if profiler is not None:
        profiler.disable()
    try:
        yield
    finally:
        if profiler is not None:
            profiler.enable()


def _collect_user_calls(profiler: cProfile.Profile, calls: Counter) -> None:
    for entry in profiler.getstats():
        code = entry.code
        if isinstance(code, str) or not is_user_code(code.co_filename):
            continue
        if code.co_name == "<module>":
            continue  # a module imported on first use (a URLconf): once, by whichever side
        name = f"{code.co_filename}:{code.co_firstlineno} {code.co_name}"
        calls[name] += entry.callcount


# --- the reference side's rollback -------------------------------------------------------

# alias -> {sequence: last value} before the reference side's first INSERT there
_sequences_before: ContextVar[dict | None] = ContextVar("restcycle_shadow_sequences", default=None)

_SEQUENCES_SQL = (
    "SELECT format('%I.%I', schemaname, sequencename), last_value, start_value FROM pg_sequences"
)


def _remember_sequences(connection: Any) -> None:
    """PostgreSQL: note every sequence's value before the reference side inserts (rolling
    back does not undo `nextval`, and the fast side must get the same keys)."""
    remembered = _sequences_before.get()
    if remembered is None or connection.vendor != "postgresql":
        return
    if connection.alias not in remembered:
        remembered[connection.alias] = _read_sequences(connection)


def _read_sequences(connection: Any) -> dict:
    # The raw cursor: neither counted nor logged, and never seen by assertNumQueries.
    with connection.connection.cursor() as cursor:
        cursor.execute(_SEQUENCES_SQL)
        return {name: (last, start) for name, last, start in cursor.fetchall()}


def _restore_sequences(remembered: dict) -> None:
    for alias, before in remembered.items():
        connection = connections[alias]
        after = _read_sequences(connection)
        with connection.connection.cursor() as cursor:
            for name, (last, start) in before.items():
                if name in after and after[name][0] != last:
                    if last is None:
                        cursor.execute("SELECT setval(%s, %s, false)", [name, start])
                    else:
                        cursor.execute("SELECT setval(%s, %s, true)", [name, last])


# The aliases the running reference side writes to inside a transaction rolled back.
_protected: ContextVar[set | None] = ContextVar("restcycle_shadow_protected", default=None)


def _check_protected(connection: Any) -> None:
    protected = _protected.get()
    if protected is not None and connection.alias not in protected:
        raise ShadowMismatch(
            f"shadow mode: the reference side would write to database {connection.alias!r}, "
            "which was not in use when the request started, so no transaction protects it "
            "and the write could not be rolled back"
        )


@contextmanager
def _rolled_back() -> Iterator[None]:
    """Everything the enclosed code writes to the databases in use is undone.

    The databases in use: the default one and those this thread has used (connections
    that do not exist yet are not created). One that refuses a transaction (a test not
    allowed to use it, a server that is down) is skipped: the reference side cannot
    write to it either; a write to a database left out fails (`_check_protected`).
    """
    token = _sequences_before.set({})
    protected: set[str] = set()
    protected_token = _protected.set(protected)
    in_use = {connection.alias for connection in connections.all(initialized_only=True)}
    with ExitStack() as stack:
        stack.callback(_protected.reset, protected_token)
        for alias in sorted(in_use | {DEFAULT_DB_ALIAS}):
            connection = connections[alias]
            needs_rollback = connection.needs_rollback
            block = transaction.atomic(using=alias)
            try:
                block.__enter__()
            except Exception:
                continue
            protected.add(alias)
            stack.callback(setattr, connection, "needs_rollback", needs_rollback)
            stack.push(block.__exit__)
            stack.callback(transaction.set_rollback, True, using=alias)
        try:
            yield
        finally:
            stack.close()
            remembered = _sequences_before.get()
            _sequences_before.reset(token)
            _restore_sequences(remembered)


# --- state restored between the sides ----------------------------------------------------


class _Replay(io.RawIOBase):
    """A request body stream: the bytes the reference side read, then the rest unread."""

    def __init__(self, consumed: bytes, rest: Any):
        self._consumed = io.BytesIO(consumed)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._consumed.read(size)
        if size is None or size < 0:
            return data + self._rest.read()
        if len(data) < size:
            data += self._rest.read(size - len(data))
        return data

    def readline(self, size: int = -1) -> bytes:
        line = self._consumed.readline(size)
        if line.endswith(b"\n") or (size is not None and 0 <= size <= len(line)):
            return line
        remaining = -1 if size is None or size < 0 else size - len(line)
        return line + self._rest.readline(remaining)

    def close(self) -> None:
        self._rest.close()


class _Recording:
    """Wraps the request body stream and keeps what is read, for `_Replay`."""

    def __init__(self, stream: Any):
        self._stream = stream
        self.consumed = bytearray()

    def read(self, *args: Any) -> bytes:
        data = self._stream.read(*args)
        self.consumed += data
        return data

    def readline(self, *args: Any) -> bytes:
        line = self._stream.readline(*args)
        self.consumed += line
        return line

    def close(self) -> None:
        pass  # Django closes the body after reading it all: the fast side reads it again

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Snapshot:
    """The view, request and user as the reference side found them, to start the fast side
    from the same state: attributes are put back (shallowly), the body is replayed."""

    def __init__(self, view: Any, request: Any):
        self.view, self.request, self.http = view, request, request._request
        self.view_state = _state_of(view)
        self.request_state = _state_of(request)
        self.http_state = _state_of(self.http)
        self.session = self.http_state.get("session")
        self.session_state = _state_of(self.session) if self.session is not None else None
        stream = self.http_state.get("_stream")
        self.recording = None
        if stream is not None and not self.http_state.get("_read_started", False):
            self.recording = _Recording(stream)
            self.http._stream = self.recording
        self.user = _unwrapped(request.__dict__.get("_user"))
        self.user_state = None
        if isinstance(self.user, Model):
            self.user_state = dict(self.user.__dict__)
            self.user_state["_state"] = _copy_model_state(self.user._state)
        from django.core import mail

        self.outbox = len(mail.outbox) if hasattr(mail, "outbox") else None
        # Data parsed before the handler (a permission read it) is given to the reference
        # side as a copy: a handler may change `request.data` in place.
        for name in ("_data", "_full_data"):
            value = self.request_state.get(name)
            if isinstance(value, (dict, list)):
                request.__dict__[name] = copy.deepcopy(value)

    def restore(self) -> None:
        _reset_dict(self.view, self.view_state)
        _reset_dict(self.request, self.request_state)
        http_state = dict(self.http_state)
        if self.recording is not None:
            stream = self.recording._stream
            if self.recording.consumed:
                stream = _Replay(bytes(self.recording.consumed), stream)
            http_state["_stream"] = stream
        _reset_dict(self.http, http_state)
        if self.session_state is not None:
            _reset_dict(self.session, self.session_state)
        if self.user_state is not None:
            state = dict(self.user_state)
            state["_state"] = _copy_model_state(self.user_state["_state"])
            _reset_dict(self.user, state)
        if self.outbox is not None:
            from django.core import mail

            del mail.outbox[self.outbox :]
        for files in (self.request_state.get("_files"), self.http_state.get("_files")):
            for _name, uploaded_files in getattr(files, "lists", tuple)():
                for uploaded in uploaded_files:
                    with suppress(Exception):
                        uploaded.seek(0)  # read by the reference side, to be read again


def _unwrapped(user: Any) -> Any:
    if isinstance(user, LazyObject):
        wrapped = user._wrapped
        return None if wrapped is empty else wrapped
    return user


def _copy_model_state(state: Any) -> Any:
    copied = copy.copy(state)
    if "fields_cache" in state.__dict__:
        copied.fields_cache = dict(state.fields_cache)
    return copied


_CONTAINERS = (list, dict, set)


def _state_of(obj: Any) -> dict:
    """`obj.__dict__`, with plain lists, dicts and sets copied (the handler may add to them)."""
    # type(), not .__class__: that would set up a lazy object (the request's user).
    return {
        name: value.copy() if type(value) in _CONTAINERS else value
        for name, value in list(obj.__dict__.items())
    }


def _reset_dict(obj: Any, state: dict) -> None:
    current = obj.__dict__
    current.clear()
    current.update(
        (name, value.copy() if type(value) in _CONTAINERS else value)
        for name, value in state.items()
    )


@contextmanager
def _trace_paused(view: Any, request: Any) -> Iterator[None]:
    """The cycle tracer, if on, records only the fast side (the request as served): the
    reference side calls the stage methods it wrapped (put back by `_Snapshot.restore`)."""
    from .._observe import trace as _trace

    trace = _trace.current.get() if _trace.hook is not None else None
    if trace is None:
        yield
        return
    for obj in (view, request):
        for name, value in list(obj.__dict__.items()):
            original = getattr(value, "traced_original", None)
            if original is not None:
                obj.__dict__[name] = original
    names = [name for name in type(trace).__slots__ if name != "_attached"]
    saved = {name: copy.deepcopy(getattr(trace, name)) for name in ("_totals", "_stack")}
    saved.update((name, getattr(trace, name)) for name in names if name not in saved)
    token = _trace.current.set(None)
    try:
        yield
    finally:
        _trace.current.reset(token)
        for name, value in saved.items():
            setattr(trace, name, value)


@contextmanager
def _queries_logs_kept() -> Iterator[None]:
    """Connections' `queries_log` (what assertNumQueries and DEBUG read) left as they were."""
    saved = [(c, list(c.queries_log)) for c in connections.all(initialized_only=True)]
    try:
        yield
    finally:
        for connection, log in saved:
            if len(connection.queries_log) != len(log):
                connection.queries_log.clear()
                connection.queries_log.extend(log)
        for connection in connections.all(initialized_only=True):
            if all(connection is not c for c, _ in saved):
                connection.queries_log.clear()


# --- running and comparing ---------------------------------------------------------------


def _respond(view: Any, request: Any, handler: Any, args: tuple, kwargs: dict, side: _Side):
    """The rest of the cycle after `initial()`, as dispatch runs it, rendered."""
    try:
        try:
            response = handler(request, *args, **kwargs)
        except Exception as exc:
            response = view.handle_exception(exc)
        response = view.finalize_response(request, response, *args, **kwargs)
        side.response = response
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            try:
                response.render()
            except Exception as exc:
                # Left unrendered: whoever renders it later meets the error, as without
                # shadow mode (a test may only read `response.data`).
                side.render_error = type(exc).__name__
    except Exception as exc:
        side.exception = exc


def dispatch(view: Any, request: Any, args: tuple, kwargs: dict) -> Any:
    """`APIView.dispatch()` after `initialize_request()`, in shadow mode (module docstring)."""
    try:
        view.initial(request, *args, **kwargs)
    except Exception as exc:
        return view.finalize_response(request, view.handle_exception(exc), *args, **kwargs)
    method = request.method.lower()
    if method in view.http_method_names:
        handler = getattr(view, method, view.http_method_not_allowed)
    else:
        handler = view.http_method_not_allowed

    reference_side = _Side(is_reference=True)
    snapshot = _Snapshot(view, request)
    try:
        with (
            _trace_paused(view, request),
            _queries_logs_kept(),
            _rolled_back(),
            reference(),
            _counting(reference_side),
        ):
            reference_handler = getattr(handler, "traced_original", handler)
            _respond(view, request, reference_handler, args, kwargs, reference_side)
            reference_side.note_uploads(request)
    finally:
        snapshot.restore()
    _close_unread(reference_side.response)

    fast = _Side(is_reference=False)
    with _counting(fast):
        _respond(view, request, handler, args, kwargs, fast)
    fast.note_uploads(request)

    differences = _differences(reference_side, fast)
    if differences:
        raise ShadowMismatch(_report(view, request, differences)) from fast.exception
    if fast.exception is not None:
        raise fast.exception
    return fast.response


def _close_unread(response: Any) -> None:
    # A streaming or file response of the reference side is never sent: close its files
    # (not `response.close()`, which would announce the end of the request).
    for closer in getattr(response, "_resource_closers", ()):
        with suppress(Exception):
            closer()


def _differences(reference: _Side, fast: _Side) -> list[str]:
    """What differs between the sides, each as readable lines; empty when they agree.

    Compared: the status (or the type of an exception no handler answered); the rendered
    bytes when both responses are rendered template responses (`Response`); the number of
    queries on each database alias (savepoints aside), unless the fast side changed it by
    design (`waive_query_count`); the number of calls of each user-code function.
    """
    found: list[str] = []
    if reference.status != fast.status:
        found.append(
            f"status: reference {reference.describe_status()}, fast {fast.describe_status()}"
        )
    elif reference.render_error != fast.render_error:
        found.append(
            f"rendering raised: reference {reference.render_error}, fast {fast.render_error}"
        )
    if reference.exception is None and fast.exception is None:
        ref_bytes, fast_bytes = reference.content, fast.content
        if ref_bytes is not None and fast_bytes is not None and ref_bytes != fast_bytes:
            ref_bytes, fast_bytes = _without_volatile(ref_bytes), _without_volatile(fast_bytes)
            for number, (ref_forms, fast_forms) in enumerate(_generated(reference, fast)):
                placeholder = f"<value #{number} each side wrote>".encode()
                for form in ref_forms:
                    ref_bytes = ref_bytes.replace(form, placeholder)
                for form in fast_forms:
                    fast_bytes = fast_bytes.replace(form, placeholder)
            if ref_bytes != fast_bytes:
                found.append(_bytes_difference(ref_bytes, fast_bytes))
    if not fast.waived and reference.queries != fast.queries:
        aliases = sorted(set(reference.queries) | set(fast.queries))
        counts = ", ".join(
            f"{alias!r}: reference {reference.queries[alias]}, fast {fast.queries[alias]}"
            for alias in aliases
        )
        found.append(
            f"query count: {counts}\n"
            + _listing("reference queries", reference.sql)
            + _listing("fast queries", fast.sql)
        )
    counted = reference.user_calls is not None and fast.user_calls is not None
    if counted and reference.user_calls != fast.user_calls:
        names = sorted(set(reference.user_calls) | set(fast.user_calls))
        lines = [
            f"    {name}: reference {reference.user_calls[name]}, fast {fast.user_calls[name]}"
            for name in names
            if reference.user_calls[name] != fast.user_calls[name]
        ]
        total_ref = sum(reference.user_calls.values())
        total_fast = sum(fast.user_calls.values())
        found.append(
            f"user-code calls: reference {total_ref}, fast {total_fast}\n" + "\n".join(lines)
        )
    return found


# A CSRF token as Django renders it into a page: masked afresh on every `get_token()`.
_MASKED_CSRF_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _without_volatile(content: bytes) -> bytes:
    """`content` with the values that differ on every rendering replaced by placeholders:
    masked CSRF tokens (forms and scripts of HTML pages)."""
    return _MASKED_CSRF_TOKEN.sub(b"<masked CSRF token>", content)


def _generated(reference: _Side, fast: _Side) -> list[tuple[list, list]]:
    """The values each side generated itself and wrote (a random key, a `now()` timestamp):
    the n-th value written differs between the sides, in writes of the same shape; and the
    temporary files each side's uploads were parsed to. Each comes as the byte strings it
    may be rendered as; short values are never included."""
    pairs = []
    values = list(zip(reference.uploads, fast.uploads))
    if len(reference.written) == len(fast.written):
        values += zip(reference.written, fast.written)
    for ref_value, fast_value in values:
        if ref_value != fast_value:
            ref_forms, fast_forms = _rendered_forms(ref_value), _rendered_forms(fast_value)
            if ref_forms and fast_forms:
                pairs.append((ref_forms, fast_forms))
    return pairs


def _rendered_forms(value: Any) -> list[bytes]:
    """How a value written to the database may appear in a response (its ISO form for
    times, in UTC and in the current time zone), at least 8 characters long."""
    forms: list[str] = []
    if isinstance(value, str):
        forms.append(value)
        try:
            value = datetime.datetime.fromisoformat(value)  # SQLite's datetime parameters
        except ValueError:
            value = None
        if value is not None and settings.USE_TZ and timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.UTC)
    if isinstance(value, uuid.UUID):
        forms += [str(value), value.hex]
    elif isinstance(value, datetime.datetime):
        moments = [value]
        if timezone.is_aware(value):
            moments.append(timezone.localtime(value))
        for moment in moments:
            text = moment.isoformat()
            forms += [text, text.replace("+00:00", "Z")]
    elif isinstance(value, (datetime.date, datetime.time)):
        forms.append(value.isoformat())
    return [form.encode() for form in dict.fromkeys(forms) if len(form) >= 8]


def _bytes_difference(reference: bytes, fast: bytes) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(reference, fast)) if a != b),
        min(len(reference), len(fast)),
    )
    start = max(0, at - 60)
    return (
        f"rendered bytes differ at byte {at} (lengths {len(reference)} and {len(fast)}):\n"
        f"    reference: {reference[start : at + 120]!r}\n"
        f"    fast:      {fast[start : at + 120]!r}"
    )


def _listing(title: str, sql: list[str], limit: int = 12) -> str:
    shown = [f"      {text[:200]}" for text in sql[:limit]]
    if len(sql) > limit:
        shown.append(f"      ... {len(sql) - limit} more")
    return f"    {title}:\n" + ("\n".join(shown) if shown else "      (none)") + "\n"


def _report(view: Any, request: Any, differences: list[str]) -> str:
    cls = type(view)
    action = getattr(view, "action", None)
    where = f"{cls.__module__}.{cls.__qualname__}" + (f" ({action})" if action else "")
    return (
        f"shadow mode: {request.method} {request.get_full_path()} on {where}: the fast path "
        "answered differently from the reference path\n  " + "\n  ".join(differences)
    )
