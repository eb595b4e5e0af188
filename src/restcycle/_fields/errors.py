"""Error texts of fields: translated once per language, and raised without re-walking.

Error messages are lazy translations; turning one into text costs a catalog lookup (and
a read of the active language) on every error. The text of a message object depends
only on the active language, so it is cached per (message, language), and a serializer's
field loop reads the language once (`language_snapshot`), not once per error. Errors
are built as ErrorDetail lists directly; `validation_error` wraps such a list without
normalising it again.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import setting_changed
from django.utils.translation import get_language, gettext_lazy

from ..exceptions import ErrorDetail, ValidationError

MISSING_ERROR_MESSAGE = (
    "ValidationError raised by `{class_name}`, but error key `{key}` does "
    "not exist in the `error_messages` dictionary."
)


_translated: dict[tuple[int, Any], tuple[Any, str]] = {}
_TRANSLATED_LIMIT = 4096
# The class of every gettext_lazy() string: its text depends on the language alone.
_GETTEXT_LAZY = type(gettext_lazy(""))
_new_str = str.__new__
_snapshot: ContextVar[list | None] = ContextVar("restcycle_error_language", default=None)


def _clear_translated(*, setting: str = "", **kwargs: Any) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS", "USE_I18N"):
        _translated.clear()


setting_changed.connect(_clear_translated, dispatch_uid="restcycle-error-text")


def _active_language() -> Any:
    memo = _snapshot.get()
    if memo is None:
        return get_language()
    if not memo:
        memo.append(get_language())
    return memo[0]


def language_snapshot() -> Token | None:
    """Let error texts read the active language once until `end_language_snapshot(token)`.

    Nested calls keep the outer snapshot (None is returned and must be passed back).
    """
    if _snapshot.get() is not None:
        return None
    return _snapshot.set([])


def end_language_snapshot(token: Token | None) -> None:
    if token is not None:
        _snapshot.reset(token)


def message_text(message: Any) -> str:
    """`str(message)` for an error message, from the cache when it is a lazy translation."""
    if message.__class__ is str:
        return message
    memo = _snapshot.get()
    language = memo[0] if memo else _active_language()
    entry = _translated.get((id(message), language))
    if entry is not None and entry[0] is message:
        return entry[1]
    return _translate(message, language)


def _translate(message: Any, language: Any) -> str:
    inner = message.message if message.__class__ is lazy_format else None
    if inner is not None and (inner.__class__ is str or inner.__class__ is _GETTEXT_LAZY):
        text = message_text(inner).format(**message.kwargs)
    elif message.__class__ is _GETTEXT_LAZY:
        text = str(message)
    else:
        # Not known to depend on the language only (ngettext_lazy's text depends on
        # the number it is %-formatted with, for one): never cached.
        return str(message)
    if len(_translated) >= _TRANSLATED_LIMIT:
        _translated.clear()
    _translated[(id(message), language)] = (message, text)
    return text


def validation_error(detail: list, *args: Any) -> ValidationError:
    """A ValidationError whose `detail` is already a list of ErrorDetail (not walked again).

    `args` are the exception's args, as the constructor call would have recorded them.
    """
    exc = ValidationError.__new__(ValidationError, *(args or (detail,)))
    exc.detail = detail
    return exc


def django_message_text(message: Any, params: Any) -> Any:
    """A Django ValidationError's message with its params applied, as `%` would give it."""
    if message.__class__ is lazy_format or message.__class__ is _GETTEXT_LAZY:
        message = message_text(message)
    if params:
        if params.__class__ is dict and message.__class__ is str and "%" not in message:
            return message
        message = message % params
    return message


def _django_error_detail(error: DjangoValidationError, default_code: str) -> ErrorDetail:
    text = django_message_text(error.message, error.params)
    return ErrorDetail(text, code=error.code or default_code)


def get_error_detail(exc_info: DjangoValidationError) -> Any:
    """A Django ValidationError as ErrorDetails: a list, or a dict of lists for error_dict."""
    code = getattr(exc_info, "code", None) or "invalid"
    try:
        error_dict = exc_info.error_dict
    except AttributeError:
        return [_django_error_detail(error, code) for error in exc_info.error_list]
    return {
        key: [_django_error_detail(error, code) for error in errors]
        for key, errors in error_dict.items()
    }


class lazy_format:
    """`message.format(**kwargs)` deferred until the text is needed (so it is translated then).

    Django validators format their message with `%`; that works on the result too.
    """

    def __init__(self, message: Any, **kwargs: Any):
        self.message = message
        self.kwargs = kwargs

    def __str__(self) -> str:
        return str(self.message).format(**self.kwargs)

    def __mod__(self, params: Any) -> str:
        return str(self) % params

    def __eq__(self, other: object) -> bool:
        return str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))


def field_error(field: Any, key: str, **kwargs: Any) -> ErrorDetail:
    """The ErrorDetail `field.fail(key, **kwargs)` raises (message formatted with kwargs)."""
    try:
        message = field.error_messages[key]
    except KeyError:
        raise AssertionError(MISSING_ERROR_MESSAGE.format(class_name=type(field).__name__, key=key))
    text = message_text(message)
    if kwargs or "{" in text or "}" in text:
        text = text.format(**kwargs)
    detail = _new_str(ErrorDetail, text)  # ErrorDetail(text, code=key), one call less
    detail.code = key
    return detail
