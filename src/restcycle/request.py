"""`Request`: Django's HttpRequest wrapped with lazy parsing and lazy authentication.

    request.data          # parsed body, by the parser the negotiator picks from Content-Type
    request.query_params  # the query string (Django's request.GET)
    request.user          # authenticated on first access, by each authenticator in turn

Anything else is read from the wrapped HttpRequest, so a `Request` can stand in for
one (`request.META`, `request.session`, `request.build_absolute_uri()`, ...).
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, QueryDict
from django.http.request import RawPostDataException
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters

from . import exceptions
from .settings import api_settings

# Longer Content-Type values are not parsed at all: they can only be abuse.
_MAX_FORM_MEDIA_TYPE_LENGTH = 256
_FORM_MEDIA_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# Bodies of these types are read through `HttpRequest.body`, so Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE limit applies to them as it does to `request.POST`.
_BODY_LIMITED_MEDIA_TYPES = frozenset({"application/json", "application/x-www-form-urlencoded"})


def is_form_media_type(media_type: str | None) -> bool:
    """True for the media types of HTML form submissions (urlencoded and multipart)."""
    if not media_type or len(media_type) > _MAX_FORM_MEDIA_TYPE_LENGTH:
        return False
    base_media_type, _params = parse_header_parameters(media_type)
    return base_media_type in _FORM_MEDIA_TYPES


def _base_media_type(media_type: str) -> str:
    return media_type.partition(";")[0].strip().lower()


class Empty:
    """Marks a lazily computed attribute as not computed yet (None is a valid value)."""


def _hasattr(obj: Any, name: str) -> bool:
    return getattr(obj, name) is not Empty


class override_method:
    """Run a block as if the view's request had another method (used to inspect actions).

    with override_method(view, request, "POST") as request:
        view.get_serializer()   # sees view.request.method == "POST"
    """

    def __init__(self, view: Any, request: Request, method: str):
        self.view = view
        self.request = request
        self.method = method
        self.action = getattr(view, "action", None)

    def __enter__(self) -> Request:
        self.view.request = clone_request(self.request, self.method)
        action_map = getattr(self.view, "action_map", None)
        self.view.action = action_map.get(self.method.lower()) if action_map else None
        return self.view.request

    def __exit__(self, *exc_info: Any) -> None:
        self.view.request = self.request
        self.view.action = self.action


class WrappedAttributeError(Exception):
    """An AttributeError raised inside authentication or parsing.

    Re-raised as a different type so that `Request.__getattr__` cannot mistake it
    for a missing attribute and hide the real error.
    """


@contextmanager
def wrap_attributeerrors():
    try:
        yield
    except AttributeError as exc:
        raise WrappedAttributeError(str(exc)).with_traceback(exc.__traceback__) from exc


class ForcedAuthentication:
    """Authenticates every request as the given user and token (`force_authenticate`)."""

    def __init__(self, force_user: Any, force_token: Any):
        self.force_user = force_user
        self.force_token = force_token

    def authenticate(self, request: Request) -> tuple[Any, Any]:
        return (self.force_user, self.force_token)


# What JSON parses to: never a DataAndFiles, so no `.data` lookup is tried.
_PLAIN_PARSED = frozenset({dict, list, str, int, float, bool, type(None)})


class _FromHttpRequest:
    """Reads an attribute every request has (`method`, `META`) from the wrapped HttpRequest.

    What `__getattr__` does for the other attributes, at a third of the cost. A non-data
    descriptor: a value assigned on the `Request` (`clone_request` sets `method`) wins.
    """

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return getattr(instance._request, self.name)


def _default_charset() -> str:
    """DEFAULT_CHARSET, read again only after it changes (`setting_changed`)."""
    global _charset
    if _charset is None:
        _charset = settings.DEFAULT_CHARSET
    return _charset


def _forget_default_charset(*args: Any, setting: str, **kwargs: Any) -> None:
    global _charset
    if setting == "DEFAULT_CHARSET":
        _charset = None


_charset: str | None = None
setting_changed.connect(_forget_default_charset)


class Request:
    """A REST framework request: an HttpRequest plus parsed data and an authenticated user.

    `parsers`, `authenticators` and `negotiator` are instances, usually given by the view;
    `parser_context` is handed to the parser (the view adds `view`, `args`, `kwargs`).
    """

    def __init__(
        self,
        request: HttpRequest,
        parsers: Any = None,
        authenticators: Any = None,
        negotiator: Any = None,
        parser_context: dict | None = None,
    ):
        assert isinstance(request, HttpRequest), (
            "The `request` argument must be an instance of `django.http.HttpRequest`, not "
            f"`{request.__class__.__module__}.{request.__class__.__name__}`."
        )
        self._request = request
        self.parsers = parsers or ()
        self.authenticators = authenticators or ()
        self.negotiator = negotiator or self._default_negotiator()
        # Worked out on first use: the body may never be read.
        self._data = self._files = self._full_data = self._content_type = self._stream = Empty

        if parser_context is None:
            parser_context = {}
        self.parser_context = parser_context
        parser_context["request"] = self
        parser_context["encoding"] = request.encoding or _charset or _default_charset()

        request_dict = request.__dict__
        force_user = request_dict.get("_force_auth_user")
        force_token = request_dict.get("_force_auth_token")
        if force_user is not None or force_token is not None:
            self.authenticators = (ForcedAuthentication(force_user, force_token),)

    method = _FromHttpRequest("method")
    META = _FromHttpRequest("META")

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        # `Request[...]` in annotations of third-party code.
        return cls

    def __repr__(self) -> str:
        return (
            f"<{self.__class__.__module__}.{self.__class__.__name__}: "
            f"{self.method} {self.get_full_path()!r}>"
        )

    def __getattr__(self, attr: str) -> Any:
        # Only reached for attributes the Request itself does not have.
        _request = self.__dict__.get("_request")
        try:
            return getattr(_request, attr)
        except AttributeError:
            raise AttributeError(
                f"'{self.__class__.__name__}' object has no attribute '{attr}'"
            ) from None

    def _default_negotiator(self) -> Any:
        return api_settings.DEFAULT_CONTENT_NEGOTIATION_CLASS()

    # -- what the client sent -------------------------------------------------------------

    @property
    def content_type(self) -> str:
        meta = self._request.META
        return meta.get("CONTENT_TYPE", meta.get("HTTP_CONTENT_TYPE", ""))

    @property
    def stream(self) -> Any:
        """The body as a file-like object, or None when there is no body."""
        if self._stream is Empty:
            self._load_stream()
        return self._stream

    @property
    def query_params(self) -> QueryDict:
        return self._request.GET

    @property
    def data(self) -> Any:
        if self._full_data is Empty:
            self._load_data_and_files_wrapped()
        return self._full_data

    @property
    def POST(self) -> Any:
        """Form data only, as Django's `request.POST`; other content types give an empty dict."""
        if self._data is Empty:
            self._load_data_and_files_wrapped()
        if is_form_media_type(self.content_type):
            return self._data
        return QueryDict("", encoding=self._request._encoding)

    @property
    def FILES(self) -> MultiValueDict:
        if self._files is Empty:
            self._load_data_and_files_wrapped()
        return self._files

    # -- who sent it ----------------------------------------------------------------------

    @property
    def user(self) -> Any:
        if "_user" not in self.__dict__:
            # As `_authenticate_wrapped()`, inline: this runs on every request.
            try:
                self._authenticate()
            except AttributeError as exc:
                raise WrappedAttributeError(str(exc)).with_traceback(exc.__traceback__) from exc
        return self._user

    @user.setter
    def user(self, value: Any) -> None:
        # Also on the HttpRequest, so that middleware sees who the view authenticated.
        self._user = value
        self._request.user = value

    @property
    def auth(self) -> Any:
        if "_auth" not in self.__dict__:
            self._authenticate_wrapped()
        return self._auth

    @auth.setter
    def auth(self, value: Any) -> None:
        self._auth = value
        self._request.auth = value

    @property
    def successful_authenticator(self) -> Any:
        if "_authenticator" not in self.__dict__:
            self._authenticate_wrapped()
        return self._authenticator

    def _authenticate_wrapped(self) -> None:
        # As `wrap_attributeerrors()`, inline: this runs on every request.
        try:
            self._authenticate()
        except AttributeError as exc:
            raise WrappedAttributeError(str(exc)).with_traceback(exc.__traceback__) from exc

    def _authenticate(self) -> None:
        """Try each authenticator in order; the first that returns (user, auth) wins."""
        for authenticator in self.authenticators:
            try:
                user_auth_tuple = authenticator.authenticate(self)
            except exceptions.APIException:
                self._failed_authenticator = authenticator  # for the cycle trace
                self._not_authenticated()
                raise
            if user_auth_tuple is not None:
                self._authenticator = authenticator
                self.user, self.auth = user_auth_tuple
                return
        self._not_authenticated()

    def _not_authenticated(self) -> None:
        """No credentials: the UNAUTHENTICATED_USER / UNAUTHENTICATED_TOKEN settings (or None)."""
        self._authenticator = None
        user_class = api_settings.UNAUTHENTICATED_USER
        token_class = api_settings.UNAUTHENTICATED_TOKEN
        if type(self) is Request:
            # What the `user` and `auth` setters do, inline: this runs on most requests.
            self._user = self._request.user = user_class() if user_class else None
            self._auth = self._request.auth = token_class() if token_class else None
        else:
            self.user = user_class() if user_class else None
            self.auth = token_class() if token_class else None

    # -- parsing --------------------------------------------------------------------------

    def _load_data_and_files_wrapped(self) -> None:
        # An AttributeError from a parser must not look like a missing `data` attribute.
        try:
            self._load_data_and_files()
        except AttributeError as exc:
            raise WrappedAttributeError(str(exc)).with_traceback(exc.__traceback__) from exc

    def _load_data_and_files(self) -> None:
        """Parse the body once: `data`, `files`, and `request.data` (both together)."""
        if self._data is not Empty:
            return
        self._data, self._files = self._parse()
        self._full_data = _with_files(self._data, self._files)
        if is_form_media_type(self.content_type):
            # Form data is also given to the HttpRequest: middleware reads request.POST, and
            # Django closes uploaded files that it knows of at the end of the request.
            self._request._post, self._request._files = self.POST, self.FILES

    def _load_stream(self) -> None:
        if not _declared_length(self._request.META):
            self._stream = None  # no body
        elif self._request._read_started:
            # Already read (by middleware, say): Django kept the body, or raises.
            self._stream = io.BytesIO(self.body)
        else:
            self._stream = self._request

    def _supports_form_parsing(self) -> bool:
        return any(parser.media_type in _FORM_MEDIA_TYPES for parser in self.parsers)

    def _unparsed_body(self) -> Any:
        """The body stream to parse; None without a body.

        When Django's own form parsing has read the body already (request.POST in a
        middleware), there is no stream left: its result is reused (`_PARSED_BY_DJANGO`)
        if our parsers take forms, and the body counts as empty otherwise.
        """
        try:
            return self.stream
        except RawPostDataException:
            if not hasattr(self._request, "_post"):
                raise
            return _PARSED_BY_DJANGO if self._supports_form_parsing() else None

    def _parse(self) -> tuple[Any, Any]:
        """Parse the body with the negotiated parser: returns (data, files)."""
        media_type = self.content_type
        stream = self._unparsed_body()
        if stream is _PARSED_BY_DJANGO:
            return (self._request.POST, self._request.FILES)
        if stream is None:
            form = is_form_media_type(media_type)
            return (
                QueryDict("", encoding=self._request._encoding) if form else {},
                MultiValueDict(),
            )

        parser = self.negotiator.select_parser(self, self.parsers)
        if not parser:
            raise exceptions.UnsupportedMediaType(media_type)
        try:
            parsed = parser.parse(self._bounded(stream, parser), media_type, self.parser_context)
        except Exception:
            # Remember empty data so that later reads (the browsable API, logging) do not
            # raise the same error again; the error itself propagates once.
            self._data = QueryDict("", encoding=self._request._encoding)
            self._files = MultiValueDict()
            self._full_data = self._data
            raise
        return _as_data_and_files(parsed)

    def _bounded(self, stream: Any, parser: Any) -> Any:
        """`stream`, or for JSON/form bodies a parser does not limit itself, the body read
        within DATA_UPLOAD_MAX_MEMORY_SIZE: oversized is a 413 with a rendered detail, not
        Django's HTML 400 page."""
        if stream is not self._request or (
            _base_media_type(self.content_type) not in _BODY_LIMITED_MEDIA_TYPES
        ):
            return stream
        # Imported here: parsers → renderers → the browsable API imports this module.
        from .parsers import read_body, reads_body_within_limit

        if reads_body_within_limit(parser):
            return stream
        return io.BytesIO(read_body(self._request, self.parser_context))

    def force_plaintext_errors(self, value: bool) -> None:
        """Hint for Django's debug error page (kept for code that calls it)."""
        self._request.is_ajax = lambda: value


# What _unparsed_body() gives when Django parsed the form body already.
_PARSED_BY_DJANGO = object()


def _declared_length(meta: dict) -> int:
    """The body's Content-Length; 0 when absent or not a number."""
    try:
        return int(meta.get("CONTENT_LENGTH", meta.get("HTTP_CONTENT_LENGTH", 0)))
    except (ValueError, TypeError):
        return 0


def _as_data_and_files(parsed: Any) -> tuple[Any, Any]:
    """A parser returns either plain data or an object with `.data` and `.files`."""
    if parsed.__class__ not in _PLAIN_PARSED:
        try:
            data, files = parsed.data, parsed.files
        except AttributeError:
            pass
        else:
            return (data, files)
    return (parsed, MultiValueDict())


def _with_files(data: Any, files: Any) -> Any:
    """`data` with the uploaded `files` added (a copy); `data` itself when there are none."""
    if not files:
        return data
    merged = data.copy()
    merged.update(files)
    return merged


def clone_request(request: Request, method: str) -> Request:
    """A copy of `request` with another method, sharing parsed data and authentication.

    Lets the metadata class ask "could this user POST here?" without touching the
    real request.
    """
    clone = Request(
        request=request._request,
        parsers=request.parsers,
        authenticators=request.authenticators,
        negotiator=request.negotiator,
        parser_context=dict(request.parser_context),
    )
    clone._data = request._data
    clone._files = request._files
    clone._full_data = request._full_data
    clone._content_type = request._content_type
    clone._stream = request._stream
    clone.method = method
    source = request.__dict__
    for name in (
        "_user",
        "_auth",
        "_authenticator",
        "accepted_renderer",
        "accepted_media_type",
        "version",
        "versioning_scheme",
    ):
        if name in source:
            clone.__dict__[name] = source[name]
    return clone
