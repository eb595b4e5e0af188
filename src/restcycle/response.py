"""`Response`: a template response whose content is rendered by the negotiated renderer.

    return Response({"id": 1}, status=status.HTTP_201_CREATED, headers={"Location": url})

The view hands it unrendered data; `APIView.finalize_response` sets
`accepted_renderer`, `accepted_media_type` and `renderer_context`, and Django renders
it (`rendered_content`) on the way out. The Content-Type is the renderer's media type,
with `; charset=...` when the renderer declares one; an empty body has none.
"""

from __future__ import annotations

import sys
from http.client import responses
from http.cookies import SimpleCookie
from typing import Any

from django.core.signals import setting_changed
from django.http.response import HttpResponse, HttpResponseBase, ResponseHeaders
from django.template.response import ContentNotRenderedError, SimpleTemplateResponse

from . import _engine

_SERIALIZER_GIVEN = (
    "You passed a Serializer instance as data, but probably meant to pass serialized "
    "`.data` or `.error`. representation."
)
# Attributes that are live objects of one request: never pickled (a cached response).
_UNPICKLED_ATTRIBUTES = (
    "accepted_renderer",
    "renderer_context",
    "resolver_match",
    "client",
    "request",
    "json",
    "wsgi_request",
)


class _BlankResponse:
    """What Django's own constructor leaves on a new, empty response of one class.

    Copied into each new `Response` instead of running that constructor again (its
    header checks, charset lookups and content setter cost more than a small endpoint's
    whole handler). Only Django's code and DEFAULT_CHARSET decide it: it is built by
    running the real constructor once, and forgotten when DEFAULT_CHARSET changes. A
    state holding anything but plain values, lists of them, the header mapping and an
    empty cookie jar is not copied (None: the constructor runs).
    """

    __slots__ = ("shared", "lists", "headers_name", "headers_store", "cookies_name")

    @classmethod
    def of(cls, response_class: type) -> _BlankResponse | None:
        mro = response_class.__mro__
        if mro[mro.index(Response) + 1 :] != _STOCK_BASES or any(
            getattr(response_class, name) is not getattr(Response, name)
            for name in ("__new__", "content", "charset", "__setitem__", "make_bytes")
        ):
            return None
        made = response_class.__new__(response_class)
        SimpleTemplateResponse.__init__(made, None)
        blank = cls()
        blank.shared, blank.lists = {}, []
        blank.headers_name = blank.cookies_name = None
        for name, value in made.__dict__.items():
            kind = type(value)
            if value is None or kind in _IMMUTABLE:
                blank.shared[name] = value
            elif kind is list and all(type(item) in _IMMUTABLE for item in value):
                blank.lists.append((name, tuple(value)))
            elif (
                kind is ResponseHeaders
                and blank.headers_name is None
                and (list(vars(value)) == ["_store"])
            ):
                blank.headers_name, blank.headers_store = name, dict(value._store)
            elif kind is SimpleCookie and blank.cookies_name is None and not value:
                blank.cookies_name = name
            else:
                return None
        if blank.headers_name is None or blank.cookies_name is None:
            return None
        return blank


_new_cookie_jar = SimpleCookie.__new__
_STOCK_BASES = (SimpleTemplateResponse, HttpResponse, HttpResponseBase, object)
_IMMUTABLE = frozenset({str, bytes, int, bool, float})
_BLANK_ATTRIBUTE = "_restcycle_blank_response"
# Bumped when DEFAULT_CHARSET changes: every class's blank state is then rebuilt.
_blank_generation = 0


def _blank_for(response_class: type) -> _BlankResponse | None:
    found = response_class.__dict__.get(_BLANK_ATTRIBUTE)
    if found is not None and found[0] == _blank_generation:
        return found[1]
    blank = _BlankResponse.of(response_class)
    type.__setattr__(response_class, _BLANK_ATTRIBUTE, (_blank_generation, blank))
    return blank


# (name, value) -> name.lower(), for headers Django's own `response[name] = value` stored
# unchanged: setting them again needs no check. Names and values are the framework's
# (media types, Allow, Vary), so a handful; the bound is against anything else.
_accepted_headers: dict[tuple[str, str], str] = {}
_ACCEPTED_HEADERS_LIMIT = 256
_stock_setitem = HttpResponseBase.__setitem__


def set_header(response: Any, name: str, value: Any) -> None:
    """`response[name] = value`, without checking again a header Django accepted before."""
    lowered = _accepted_headers.get((name, value)) if type(value) is str else None
    headers = response.headers
    stock = type(response).__setitem__ is _stock_setitem and type(headers) is ResponseHeaders
    if lowered is not None and stock:
        headers._store[lowered] = (name, value)
        return
    response[name] = value
    if stock and type(value) is str and type(name) is str:
        lowered = name.lower()
        if headers._store.get(lowered) == (name, value):
            if len(_accepted_headers) >= _ACCEPTED_HEADERS_LIMIT:
                _accepted_headers.clear()
            _accepted_headers[(name, value)] = lowered


def _forget_blank_responses(*args: Any, setting: str, **kwargs: Any) -> None:
    global _blank_generation
    if setting == "DEFAULT_CHARSET":
        _blank_generation += 1


setting_changed.connect(_forget_blank_responses)


class Response(SimpleTemplateResponse):
    """An HttpResponse that renders `data` with the renderer content negotiation chose."""

    def __init__(
        self,
        data: Any = None,
        status: int | None = None,
        template_name: str | None = None,
        headers: dict | None = None,
        exception: bool = False,
        content_type: str | None = None,
    ):
        found = type(self).__dict__.get(_BLANK_ATTRIBUTE)
        if found is not None and found[0] == _blank_generation:
            blank = found[1]
        else:
            blank = _blank_for(type(self))
        if (
            blank is None
            or (status is not None and (type(status) is not int or not 100 <= status <= 599))
            or _engine.reference_path.get()
        ):
            super().__init__(None, status=status)
        else:
            # `blank.fill(self)`, inline: this runs for every response.
            attributes = self.__dict__
            attributes.update(blank.shared)
            for name, items in blank.lists:
                attributes[name] = list(items)
            response_headers = ResponseHeaders.__new__(ResponseHeaders)
            response_headers._store = blank.headers_store.copy()
            attributes[blank.headers_name] = response_headers
            # An empty jar: what `SimpleCookie()` makes, without its no-op __init__ call.
            attributes[blank.cookies_name] = _new_cookie_jar(SimpleCookie)
            if status is not None:
                self.status_code = status
        if data is not None and type(data) not in _PLAIN_DATA and _is_serializer(data):
            raise AssertionError(_SERIALIZER_GIVEN)
        self.data, self.exception = data, exception
        self.template_name, self.content_type = template_name, content_type
        for name, value in (headers or {}).items():
            self[name] = value

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        """`Response[...]` is Response, so type hints may parametrize it."""
        return cls

    @property
    def rendered_content(self) -> bytes:
        """The body, rendered by the negotiated renderer (which the view sets)."""
        for attribute in ("accepted_renderer", "accepted_media_type"):
            assert getattr(self, attribute, None), f".{attribute} not set on Response"
        context = getattr(self, "renderer_context", None)
        assert context is not None, ".renderer_context not set on Response"
        renderer = self.accepted_renderer
        context["response"] = self

        charset = renderer.charset
        content_type = self.content_type
        if content_type is None:
            media_type = renderer.media_type
            content_type = media_type if charset is None else f"{media_type}; charset={charset}"
        set_header(self, "Content-Type", content_type)

        rendered = renderer.render(self.data, self.accepted_media_type, context)
        if not isinstance(rendered, str):
            if not rendered:
                del self["Content-Type"]  # no body, so no type
            return rendered
        assert charset, "renderer returned unicode, and did not specify a charset value."
        return rendered.encode(charset)

    @property
    def content(self) -> bytes:
        """The rendered body; ContentNotRenderedError before `render()` (as Django's)."""
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be accessed."
            )
        return b"".join(self._container)

    @content.setter
    def content(self, value: Any) -> None:
        SimpleTemplateResponse.content.fset(self, value)

    def __iter__(self) -> Any:
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be iterated over."
            )
        return iter(self._container)

    def render(self) -> Any:
        """As `SimpleTemplateResponse.render()`: bake `rendered_content` into the content,
        then run the post-render callbacks. Rendered bytes are stored as they are (what
        Django's content setter does with bytes), unless the class changes how content is
        stored."""
        if self._is_rendered:
            return self
        content = self.rendered_content
        if (
            type(content) is bytes
            and _blank_for(type(self)) is not None
            and not _engine.reference_path.get()
        ):
            self._container = [content]
            self.__dict__.pop("text", None)
            self._is_rendered = True
        else:
            self.content = content
        response = self
        for post_callback in self._post_render_callbacks:
            returned = post_callback(response)
            if returned is not None:
                response = returned
        return response

    @property
    def status_text(self) -> str:
        """The reason phrase of the status code ('' for unknown codes)."""
        return responses.get(self.status_code, "")

    def __getstate__(self) -> dict:
        """Pickle the rendered response only, without renderer, request or test client."""
        state = super().__getstate__()
        for key in _UNPICKLED_ATTRIBUTES:
            state.pop(key, None)
        state["_closable_objects"] = []
        return state


_SERIALIZERS_MODULE = f"{__package__}.serializers"
# What a view usually hands over: never a Serializer instance.
_PLAIN_DATA = frozenset({dict, list, str, int, float, bool})


def _is_serializer(data: Any) -> bool:
    """True if `data` is a Serializer instance (not its `.data`); cheap when none exists."""
    serializers = sys.modules.get(_SERIALIZERS_MODULE)
    if serializers is None:
        return False
    serializer_class = getattr(serializers, "Serializer", None)
    return serializer_class is not None and isinstance(data, serializer_class)
