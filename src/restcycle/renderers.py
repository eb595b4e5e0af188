"""Renderers: turn a Response's data into the bytes of one media type.

    class UserCountView(APIView):
        renderer_classes = [JSONRenderer]

Negotiation picks one renderer per request; `Response.rendered_content` calls its
`render(data, accepted_media_type, renderer_context)`, where the context holds the
`view`, `request`, `response`, `args` and `kwargs`. A renderer declares its
`media_type`, its `format` (for `?format=` and URL suffixes) and its `charset`
(None for binary formats such as JSON, which then carry no charset parameter).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.template import engines, loader
from django.utils.http import parse_header_parameters

from ._render.json_output import SettingFlag, render_json
from .utils import encoders


class BaseRenderer:
    """All renderers subclass this and implement `render()`."""

    media_type: str | None = None
    format: str | None = None
    charset: str | None = "utf-8"
    render_style = "text"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes | str:
        raise NotImplementedError("Renderer class requires .render() to be implemented")


class JSONRenderer(BaseRenderer):
    """JSON in UTF-8, written exactly as DRF writes it, by orjson where possible.

    Compact by default (COMPACT_JSON); `application/json; indent=4` in the Accept
    header, or `renderer_context['indent']`, indents it. NaN and Infinity raise
    ValueError while STRICT_JSON is on. U+2028 and U+2029 are always escaped.
    """

    media_type = "application/json"
    format = "json"
    encoder_class: type = encoders.JSONEncoder
    ensure_ascii = SettingFlag("UNICODE_JSON", negate=True)
    compact = SettingFlag("COMPACT_JSON")
    strict = SettingFlag("STRICT_JSON")
    # JSON is binary by definition (RFC 4627): no charset parameter.
    charset = None

    def get_indent(self, accepted_media_type: str | None, renderer_context: dict) -> Any:
        """The indent asked for by the media type's `indent` parameter (0-8), or the context's."""
        if accepted_media_type and ";" in accepted_media_type:
            _base, params = parse_header_parameters(accepted_media_type)
            try:
                indent = max(min(int(params["indent"]), 8), 0)
            except (KeyError, ValueError, TypeError):
                pass
            else:
                return indent or None
        return renderer_context.get("indent")

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        """`data` as JSON bytes; `b''` for None (a response with no body)."""
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        return render_json(
            data,
            encoder_class=self.encoder_class,
            ensure_ascii=self.ensure_ascii,
            compact=self.compact,
            strict=self.strict,
            indent=indent,
        )


class TemplateHTMLRenderer(BaseRenderer):
    """HTML from a Django template, with the response data as its context.

    The template is the response's `template_name`, else this renderer's, else the
    view's (`get_template_names()` or `template_name`). An exception response uses
    `"<status>.html"`, then `"api_exception.html"`, then plain `"404 Not Found"` text.
    """

    media_type = "text/html"
    format = "html"
    template_name: str | None = None
    exception_template_names = ["%(status_code)s.html", "api_exception.html"]
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> str:
        renderer_context = renderer_context or {}
        view, request, response = (renderer_context[key] for key in ("view", "request", "response"))
        # An error has its own template (`<status>.html`, then api_exception.html).
        template = (
            self.get_exception_template(response)
            if response.exception
            else self.resolve_template(self.get_template_names(response, view))
        )
        context = self._template_context(data, request, response, renderer_context)
        return template.render(context, request=request)

    def _template_context(
        self, data: Any, request: Any, response: Any, renderer_context: dict
    ) -> Any:
        # Renderers written for DRF 2 define resolve_context(); honour it.
        resolve_context = getattr(self, "resolve_context", None)
        if resolve_context is not None:
            return resolve_context(data, request, response)
        return self.get_template_context(data, renderer_context)

    def resolve_template(self, template_names: list[str]) -> Any:
        return loader.select_template(template_names)

    def get_template_context(self, data: Any, renderer_context: dict) -> Any:
        """The template context: the data, plus `status_code` for an exception response.

        A list (a ValidationError's detail) is given to the template as `details`.
        """
        response = renderer_context["response"]
        if isinstance(data, list):
            return {"details": data, "status_code": response.status_code}
        if response.exception:
            data["status_code"] = response.status_code
        return data

    def get_template_names(self, response: Any, view: Any) -> list[str]:
        """The response's template, else the renderer's, else what the view names."""
        chosen = response.template_name or self.template_name
        if chosen:
            return [chosen]
        if hasattr(view, "get_template_names"):
            return view.get_template_names()
        if hasattr(view, "template_name"):
            return [view.template_name]
        raise ImproperlyConfigured(
            "Returned a template response with no `template_name` attribute set on either "
            "the view or response"
        )

    def get_exception_template(self, response: Any) -> Any:
        template_names = [
            name % {"status_code": response.status_code} for name in self.exception_template_names
        ]
        try:
            return self.resolve_template(template_names)
        except Exception:
            # No template for it: plain text such as "404 Not Found".
            body = f"{response.status_code} {response.status_text.title()}"
            return engines["django"].from_string(body)


class StaticHTMLRenderer(TemplateHTMLRenderer):
    """Returns the response data as it is: a string of pre-rendered HTML.

    Exception responses are rendered as TemplateHTMLRenderer renders them.
    """

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> Any:
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        if response is not None and response.exception:
            request = renderer_context["request"]
            template = self.get_exception_template(response)
            context = self._template_context(data, request, response, renderer_context)
            return template.render(context, request=request)
        return data


class MultiPartRenderer(BaseRenderer):
    """multipart/form-data bodies, for the test client's `format='multipart'`."""

    media_type = "multipart/form-data; boundary=BoUnDaRyStRiNg"
    format = "multipart"
    charset = "utf-8"
    BOUNDARY = "BoUnDaRyStRiNg"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        from django.test.client import encode_multipart

        if hasattr(data, "items"):
            for key, value in data.items():
                assert not isinstance(value, dict), (
                    f"Test data contained a dictionary value for key '{key}', "
                    "but multipart uploads do not support nested data. "
                    "You may want to consider using format='json' in this test case."
                )
        return encode_multipart(self.BOUNDARY, data)


# The browsable API's renderers live in private modules (BROWSABLE); exported here as in DRF.
from ._render.html_form import HTMLFormRenderer  # noqa: E402, F401, I001
from ._render.browsable import BrowsableAPIRenderer  # noqa: E402, F401, I001
from ._render.admin import AdminRenderer  # noqa: E402, F401, I001
from ._render.schema import JSONOpenAPIRenderer, OpenAPIRenderer  # noqa: E402, F401, I001
