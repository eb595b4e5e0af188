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
from typing import Any

from django.template.response import SimpleTemplateResponse

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
        super().__init__(None, status=status)
        if data is not None and _is_serializer(data):
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
        if self.content_type is not None:
            self["Content-Type"] = self.content_type
        elif charset is None:
            self["Content-Type"] = renderer.media_type
        else:
            self["Content-Type"] = f"{renderer.media_type}; charset={charset}"

        rendered = renderer.render(self.data, self.accepted_media_type, context)
        if not isinstance(rendered, str):
            if not rendered:
                del self["Content-Type"]  # no body, so no type
            return rendered
        assert charset, "renderer returned unicode, and did not specify a charset value."
        return rendered.encode(charset)

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


def _is_serializer(data: Any) -> bool:
    """True if `data` is a Serializer instance (not its `.data`); cheap when none exists."""
    serializers = sys.modules.get(f"{__package__}.serializers")
    if serializers is None:
        return False
    serializer_class = getattr(serializers, "Serializer", None)
    return serializer_class is not None and isinstance(data, serializer_class)
