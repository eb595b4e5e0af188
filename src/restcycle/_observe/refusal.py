"""Why a request was refused: the stage and the deciding class and method of a 4xx.

The cycle leaves its evidence where it decides: `APIView.check_permissions` and
`check_object_permissions` record the refusing permission (`view._denied_by`),
`check_throttles` the refusing throttles (`view._throttled_by`), and
`Request._authenticate` the authenticator that raised (`_failed_authenticator`);
the tracer adds the innermost stage an exception left and the invalid serializer.
Reasons name public methods only (`TokenAuthentication.authenticate`, never
`Request._authenticate`), and stages by the names `Server-Timing` uses.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from .. import exceptions

_DETAIL_LIMIT = 120


def explain(trace: Any, view: Any, status: int) -> tuple[str, str]:
    """(stage, reason) for a response of `status` (a 4xx) ending this trace's cycle."""
    exc = trace._handled
    if exc is not None:
        return _explain_exception(trace, view, exc)
    if status == 400 and trace._invalid_serializer is not None:
        return "validate", _invalid_reason(trace._invalid_serializer.errors, trace)
    return "handler", f"{trace._handler_name} returned {status}"


def _class_name(obj: Any) -> str:
    return type(obj).__name__


def _explain_exception(trace: Any, view: Any, exc: BaseException) -> tuple[str, str]:
    request = getattr(view, "request", None)
    request_dict = getattr(request, "__dict__", {})
    view_dict = view.__dict__

    if isinstance(exc, exceptions.Throttled):
        throttles = view_dict.get("_throttled_by") or ()
        names = ", ".join(_throttle_name(throttle) for throttle in throttles) or "throttled"
        wait = "" if exc.wait is None else f", wait {int(exc.wait)} s"
        return "throttles", names + wait

    failed = request_dict.get("_failed_authenticator")
    if failed is not None and (
        isinstance(exc, (exceptions.AuthenticationFailed, exceptions.NotAuthenticated))
        or _where(trace, exc)[0] == "authenticate"
    ):
        return "authenticate", f"{_class_name(failed)}.{_refusing_method(failed, exc)}: " + (
            _detail_text(exc)
        )

    refused = (exceptions.NotAuthenticated, exceptions.PermissionDenied, DjangoPermissionDenied)
    if isinstance(exc, refused):
        denied = view_dict.get("_denied_by")
        if denied is not None:
            permission, method = denied
            return "permissions", f"{_class_name(permission)}.{method}"

    if isinstance(exc, exceptions.NotAcceptable):
        negotiator = view_dict.get("_negotiator")
        name = _class_name(negotiator) if negotiator is not None else "content negotiation"
        return "negotiation", name

    if isinstance(exc, exceptions.UnsupportedMediaType):
        content_type = getattr(request, "content_type", "") or ""
        media_type = content_type.partition(";")[0].strip()
        return "parse", f"no parser for {media_type}" if media_type else "no Content-Type"

    if isinstance(exc, (exceptions.ParseError, exceptions.RequestTooLarge)):
        return "parse", _detail_text(exc)

    if isinstance(exc, exceptions.MethodNotAllowed):
        method = getattr(request, "method", None) or "?"
        return "handler", f"method {method} not allowed"

    if isinstance(exc, exceptions.ValidationError) and trace._invalid_serializer is not None:
        return "validate", _invalid_reason(exc.detail, trace)

    stage, method = _where(trace, exc)
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return stage, method
    return stage, f"{method}: {_class_name(exc)}: {_detail_text(exc)}"


def _refusing_method(authenticator: Any, exc: BaseException) -> str:
    """`authenticate`, or `enforce_csrf` for session authentication's CSRF refusal."""
    from ..authentication import SessionAuthentication

    if isinstance(exc, exceptions.PermissionDenied) and isinstance(
        authenticator, SessionAuthentication
    ):
        # SessionAuthentication.authenticate refuses with a 403 only from its CSRF check.
        return "enforce_csrf"
    return "authenticate"


def _where(trace: Any, exc: BaseException) -> tuple[str, str]:
    if trace._raised is exc and trace._raised_in is not None:
        return trace._raised_in
    return "handler", trace._handler_name


def _throttle_name(throttle: Any) -> str:
    scope = getattr(throttle, "scope", None)
    name = _class_name(throttle)
    return f"{name} ({scope})" if scope else name


def _invalid_reason(errors: Any, trace: Any) -> str:
    serializer = trace._invalid_serializer
    child = getattr(serializer, "child", None)
    name = f"{_class_name(child)} (many)" if child is not None else _class_name(serializer)
    return f"{name}: {_error_keys(errors)}"


def _error_keys(errors: Any) -> str:
    """The fields with errors ("isbn, price"), or the indexes of invalid list items."""
    if isinstance(errors, dict):
        return _limit(", ".join(str(key) for key in errors))
    if isinstance(errors, list):
        if errors and all(isinstance(item, dict) for item in errors):
            return _limit(", ".join(f"[{i}]" for i, item in enumerate(errors) if item))
        return _limit("; ".join(str(item) for item in errors))
    return _limit(str(errors))


def _detail_text(exc: BaseException) -> str:
    detail = getattr(exc, "detail", None)
    if detail is None:
        detail = exc.args[0] if exc.args else ""
    if isinstance(detail, (dict, list)):
        return _error_keys(detail)
    return _limit(str(detail))


def _limit(text: str) -> str:
    return text if len(text) <= _DETAIL_LIMIT else text[: _DETAIL_LIMIT - 3] + "..."
