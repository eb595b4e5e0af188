"""The exceptions a view raises to end the cycle with a 4xx (or 5xx) response.

`views.exception_handler` turns any `APIException` into a `Response` whose body is
`{"detail": ...}` (or the validation error structure), with the exception's
status code. `detail` is always made of `ErrorDetail` strings, which carry a
machine-readable `code` beside the human-readable text.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, npgettext

from . import status


class ErrorDetail(str):
    """A translated error message that also carries its error code."""

    code: str | None = None

    def __new__(cls, string: Any, code: str | None = None) -> ErrorDetail:
        self = str.__new__(cls, string)
        self.code = code
        return self

    def __eq__(self, other: object) -> bool:
        if not str.__eq__(self, other):
            return False
        if isinstance(other, ErrorDetail):
            return self.code == other.code
        return True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __repr__(self) -> str:
        return f"ErrorDetail(string={str(self)!r}, code={self.code!r})"

    def __hash__(self) -> int:
        return hash(str(self))


def _get_error_details(data: Any, default_code: str | None = None) -> Any:
    """Turn strings (and lazy strings) inside lists and dicts into ErrorDetails."""
    if isinstance(data, (list, tuple)):
        # ErrorDetails (the usual content) are kept as they are, without a call each.
        items = [
            item if item.__class__ is ErrorDetail else _get_error_details(item, default_code)
            for item in data
        ]
        serializer = getattr(data, "serializer", None)
        if serializer is not None:
            return type(data)(items, serializer=serializer)
        return items
    if isinstance(data, dict):
        items = {key: _get_error_details(value, default_code) for key, value in data.items()}
        serializer = getattr(data, "serializer", None)
        if serializer is not None:
            return type(data)(items, serializer=serializer)
        return items
    if isinstance(data, ErrorDetail):
        return data
    return ErrorDetail(force_str(data), getattr(data, "code", None) or default_code)


def _get_codes(detail: Any) -> Any:
    if isinstance(detail, list):
        return [_get_codes(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _get_codes(value) for key, value in detail.items()}
    return detail.code


def _get_full_details(detail: Any) -> Any:
    if isinstance(detail, list):
        return [_get_full_details(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _get_full_details(value) for key, value in detail.items()}
    return {"message": detail, "code": detail.code}


class APIException(Exception):
    """Base class for REST framework exceptions; subclasses set status and defaults."""

    status_code: int = status.HTTP_500_INTERNAL_SERVER_ERROR
    default_detail: Any = _("A server error occurred.")
    default_code: str = "error"

    def __init__(self, detail: Any = None, code: str | None = None):
        if detail is None:
            detail = self.default_detail
        if code is None:
            code = self.default_code
        self.detail = _get_error_details(detail, code)

    def __str__(self) -> str:
        return str(self.detail)

    def get_codes(self) -> Any:
        """The error codes, in the shape of `detail`."""
        return _get_codes(self.detail)

    def get_full_details(self) -> Any:
        """Message and code of each error, in the shape of `detail`."""
        return _get_full_details(self.detail)


class ValidationError(APIException):
    """400: input failed validation. `detail` is always a list or a dict of lists."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Invalid input.")
    default_code = "invalid"
    default_params: dict = {}

    def __init__(self, detail: Any = None, code: str | None = None, params: Any = None):
        if detail is None:
            detail = self.default_detail
        if code is None:
            code = self.default_code
        if params is None:
            params = self.default_params
        if isinstance(detail, tuple):
            detail = list(detail)
        elif not isinstance(detail, (dict, list)):
            detail = [detail]
        if params:
            detail = (
                [force_str(item) % params if isinstance(item, str) else item for item in detail]
                if isinstance(detail, list)
                else detail
            )
        self.detail = _get_error_details(detail, code)


def _detail_or_default(exc: APIException, detail: Any, **params: Any) -> Any:
    """`detail` if given, else the class's default_detail with `params` filled in."""
    return force_str(exc.default_detail).format(**params) if detail is None else detail


class ParseError(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Malformed request.")
    default_code = "parse_error"


class RequestTooLarge(APIException):
    """413: the body is more than the server will read (restcycle; DRF has no such class).

    Raised for bodies over Django's upload limits (size, number of fields, number of
    files). Its message says what was too much and never names a setting.
    """

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Request body is too large.")
    default_code = "request_too_large"


class AuthenticationFailed(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Incorrect authentication credentials.")
    default_code = "authentication_failed"


class NotAuthenticated(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Authentication credentials were not provided.")
    default_code = "not_authenticated"


class PermissionDenied(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("You do not have permission to perform this action.")
    default_code = "permission_denied"


class NotFound(APIException):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = _("Not found.")
    default_code = "not_found"


class MethodNotAllowed(APIException):
    status_code = status.HTTP_405_METHOD_NOT_ALLOWED
    default_detail = _('Method "{method}" not allowed.')
    default_code = "method_not_allowed"

    def __init__(self, method: str, detail: Any = None, code: str | None = None):
        super().__init__(_detail_or_default(self, detail, method=method), code)


class NotAcceptable(APIException):
    status_code = status.HTTP_406_NOT_ACCEPTABLE
    default_detail = _("Could not satisfy the request Accept header.")
    default_code = "not_acceptable"

    def __init__(
        self, detail: Any = None, code: str | None = None, available_renderers: Any = None
    ):
        self.available_renderers = available_renderers
        super().__init__(detail, code)


class UnsupportedMediaType(APIException):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = _('Unsupported media type "{media_type}" in request.')
    default_code = "unsupported_media_type"

    def __init__(self, media_type: str, detail: Any = None, code: str | None = None):
        super().__init__(_detail_or_default(self, detail, media_type=media_type), code)


class Throttled(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Request was throttled.")
    extra_detail_singular = _("Expected available in {wait} second.")
    extra_detail_plural = _("Expected available in {wait} seconds.")
    default_code = "throttled"

    def __init__(self, wait: float | None = None, detail: Any = None, code: str | None = None):
        if detail is None:
            detail = force_str(self.default_detail)
        if wait is not None:
            wait = math.ceil(wait)
            detail = f"{detail} {self._wait_text(wait).format(wait=wait)}"
        self.wait = wait
        super().__init__(detail, code)

    def _wait_text(self, wait: int) -> str:
        singular, plural = self.extra_detail_singular, self.extra_detail_plural
        if singular is Throttled.extra_detail_singular and plural is Throttled.extra_detail_plural:
            # One catalog entry holding both forms, so each language applies its own plural
            # rule (French says "0 seconde"); translating each text first cannot.
            return npgettext(
                "throttled wait",
                "Expected available in {wait} second.",
                "Expected available in {wait} seconds.",
                wait,
            )
        return ngettext(force_str(singular), force_str(plural), wait)


def server_error(request, *args, **kwargs) -> JsonResponse:
    """A JSON `handler500` for API projects."""
    return JsonResponse(
        {"error": "Server Error (500)"}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
    )


def bad_request(request, exception, *args, **kwargs) -> JsonResponse:
    """A JSON `handler400` for API projects."""
    return JsonResponse({"error": "Bad Request (400)"}, status=status.HTTP_400_BAD_REQUEST)
