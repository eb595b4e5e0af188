"""BrowsableAPIRenderer: the API as HTML pages a person can read and drive from a browser.

The page shows what the view's default (non-HTML) renderer would return, and forms for
the methods the current user may use. A form is offered only when `check_permissions`
(and `check_object_permissions` for the shown object) pass for that method, as they
would for a real request; nothing is performed to find out.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.conf import settings as django_settings
from django.core.paginator import Page
from django.template import loader
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .. import exceptions
from ..compat import pygments_css
from ..renderers import BaseRenderer
from ..request import override_method
from ..settings import api_settings
from ..utils.breadcrumbs import get_breadcrumbs
from .html_form import HTMLFormRenderer

__all__ = ["BrowsableAPIRenderer"]


def _is_form_media_type(media_type: str) -> bool:
    base = media_type.split(";")[0].strip()
    return base in ("application/x-www-form-urlencoded", "multipart/form-data")


class BrowsableAPIRenderer(BaseRenderer):
    """HTML pages for humans (`text/html`, format `api`)."""

    media_type = "text/html"
    format = "api"
    template = "rest_framework/api.html"
    filter_template = "rest_framework/filters/base.html"
    code_style = "emacs"
    charset = "utf-8"
    form_renderer_class = HTMLFormRenderer

    # --- what the page shows -------------------------------------------------------

    def get_default_renderer(self, view: Any) -> Any:
        """The renderer whose output the page shows: the view's first non-HTML one."""
        candidates = [
            renderer
            for renderer in view.renderer_classes
            if not issubclass(renderer, BrowsableAPIRenderer)
        ]
        if not candidates:
            return None
        plain = [renderer for renderer in candidates if not hasattr(renderer, "get_template_names")]
        return (plain or candidates)[0]()

    def get_content(
        self, renderer: Any, data: Any, accepted_media_type: str, renderer_context: dict
    ) -> str:
        """The response body as the default renderer writes it, indented, as text."""
        if renderer is None:
            return "[No renderers were found]"
        renderer_context = dict(renderer_context)
        renderer_context.setdefault("indent", 4)
        content = renderer.render(data, accepted_media_type, renderer_context)
        render_style = getattr(renderer, "render_style", "text")
        assert render_style in ("text", "binary"), (
            f'Expected .render_style "text" or "binary", but got "{render_style}"'
        )
        if render_style == "binary":
            return f"[{len(content)} bytes of binary content]"
        if isinstance(content, bytes):
            content = content.decode("utf-8")
        return content

    def show_form_for_method(self, view: Any, method: str, request: Any, obj: Any) -> bool:
        """True when `request.user` could make a `method` request here (on `obj`, if any)."""
        if method not in view.allowed_methods:
            return False
        try:
            view.check_permissions(request)
            if obj is not None:
                view.check_object_permissions(request, obj)
        except exceptions.APIException:
            return False
        return True

    def _get_serializer(
        self, serializer_class: Any, view_instance: Any, request: Any, *args: Any, **kwargs: Any
    ) -> Any:
        kwargs["context"] = {
            "request": request,
            "format": self.format,
            "view": view_instance,
        }
        return serializer_class(*args, **kwargs)

    def _shown_instance(self, data: Any) -> tuple[Any, Any]:
        """(serializer, instance) behind the response data; instance None for a list."""
        serializer = getattr(data, "serializer", None)
        if serializer is None or getattr(serializer, "many", False):
            return serializer, None
        instance = getattr(serializer, "instance", None)
        if isinstance(instance, Page):
            instance = None
        return serializer, instance

    def get_rendered_html_form(self, data: Any, view: Any, method: str, request: Any) -> Any:
        """The HTML form for `method`, True for a body-less method allowed here, else None."""
        serializer, instance = self._shown_instance(data)
        existing_serializer = None
        kwargs: dict[str, Any] = {}
        if request.method == method and serializer is not None:
            # Re-show the submitted form, with its values and errors.
            try:
                kwargs = {"data": request.data}
            except (exceptions.ParseError, exceptions.RequestTooLarge):
                kwargs = {}
            existing_serializer = serializer

        with override_method(view, request, method) as request:
            # OPTIONS describes the endpoint, not the object shown: no object permission.
            checked_obj = None if method == "OPTIONS" else instance
            if not self.show_form_for_method(view, method, request, checked_obj):
                return None
            if method in ("DELETE", "OPTIONS"):
                return True
            has_serializer = getattr(view, "get_serializer", None)
            has_serializer_class = getattr(view, "serializer_class", None)
            if (not has_serializer and not has_serializer_class) or not any(
                _is_form_media_type(parser.media_type) for parser in view.parser_classes
            ):
                return None
            if existing_serializer is not None:
                try:
                    return self.render_form_for_serializer(existing_serializer)
                except TypeError:
                    pass
            # A user who may edit but not read the object gets an empty form.
            readable = instance is not None and self._may_read(view, request, instance)
            shown = instance if readable else None
            if has_serializer:
                if method in ("PUT", "PATCH"):
                    serializer = view.get_serializer(instance=shown, **kwargs)
                else:
                    serializer = view.get_serializer(**kwargs)
            else:
                if method in ("PUT", "PATCH"):
                    serializer = self._get_serializer(
                        view.serializer_class, view, request, instance=shown, **kwargs
                    )
                else:
                    serializer = self._get_serializer(
                        view.serializer_class, view, request, **kwargs
                    )
            return self.render_form_for_serializer(serializer)

    def _may_read(self, view: Any, request: Any, instance: Any) -> bool:
        if "GET" not in view.allowed_methods:
            return True
        with override_method(view, request, "GET") as get_request:
            return self.show_form_for_method(view, "GET", get_request, instance)

    def render_form_for_serializer(self, serializer: Any) -> Any:
        """The serializer's fields as horizontal form markup; None for a list serializer."""
        from ..serializers import ListSerializer

        if isinstance(serializer, ListSerializer):
            return None
        if hasattr(serializer, "initial_data"):
            serializer.is_valid()
        form_renderer = self.form_renderer_class()
        return form_renderer.render(
            serializer.data,
            self.accepted_media_type,
            {"style": {"template_pack": "rest_framework/horizontal"}},
        )

    def get_raw_data_form(self, data: Any, view: Any, method: str, request: Any) -> Any:
        """A form with a media-type selector and a body prefilled with example content."""
        serializer, instance = self._shown_instance(data)
        with override_method(view, request, method) as request:
            if not self.show_form_for_method(view, method, request, instance):
                return None
            if instance is not None and not self._may_read(view, request, instance):
                instance = None

            parsers = view.get_parsers() if hasattr(view, "get_parsers") else []
            media_types = [parser.media_type for parser in parsers]
            if not media_types:
                return None
            default_parser = parsers[0]
            content = self._raw_initial_content(view, request, method, instance, default_parser)

        choices = [(media_type, media_type) for media_type in media_types]

        class GenericContentForm(forms.Form):
            _content_type = forms.ChoiceField(
                label=gettext("Media type"),
                choices=choices,
                initial=media_types[0],
                widget=forms.Select(
                    attrs={"data-override": "content-type", "class": "form-control"}
                ),
            )
            _content = forms.CharField(
                label=gettext("Content"),
                widget=forms.Textarea(attrs={"data-override": "content", "class": "form-control"}),
                initial=content,
                required=False,
            )

        return GenericContentForm(auto_id=False)

    def _raw_initial_content(
        self, view: Any, request: Any, method: str, instance: Any, default_parser: Any
    ) -> str | None:
        serializer_getter = getattr(view, "get_serializer", None)
        if serializer_getter is None and getattr(view, "serializer_class", None) is None:
            return None
        if serializer_getter is not None:
            if method in ("PUT", "PATCH") and instance is not None:
                serializer = view.get_serializer(instance=instance)
            else:
                serializer = view.get_serializer()
        else:
            serializer = self._get_serializer(
                view.serializer_class,
                view,
                request,
                **({"instance": instance} if method in ("PUT", "PATCH") else {}),
            )
        renderer_class = getattr(default_parser, "renderer_class", None)
        if renderer_class is None:
            return None
        from ..serializers import ListSerializer

        data = serializer.data
        if isinstance(serializer, ListSerializer):
            # Show one example item for a many=True serializer.
            data = [serializer.child.data] if hasattr(serializer.child, "data") else []
        accepted = f"{renderer_class.media_type}; indent=4"
        content = renderer_class().render(data, accepted, {"indent": 4})
        if isinstance(content, bytes):
            content = content.decode("utf-8")
        return content

    def get_description(self, view: Any, status_code: int) -> str:
        """The view's docstring as HTML; empty on 401/403, which say nothing of the view."""
        if status_code in (401, 403):
            return ""
        return view.get_view_description(html=True)

    def get_name(self, view: Any) -> str:
        return view.get_view_name()

    def get_breadcrumbs(self, request: Any) -> list[tuple[str, str]]:
        return get_breadcrumbs(request.path, request)

    def get_extra_actions(self, view: Any, status_code: int) -> Any:
        """The viewset's extra actions by name, for the Extra Actions menu (not on errors)."""
        if status_code >= 400 or not hasattr(view, "get_extra_action_url_map"):
            return None
        return view.get_extra_action_url_map()

    def get_filter_form(self, data: Any, view: Any, request: Any) -> Any:
        """The filter backends' HTML controls, for a list response."""
        if not hasattr(view, "get_queryset") or not hasattr(view, "filter_backends"):
            return None
        if not _shows_a_list(data, getattr(view, "paginator", None)):
            return None
        queryset = view.get_queryset()
        controls = (
            backend().to_html(request, queryset, view)
            for backend in view.filter_backends
            if hasattr(backend, "to_html")
        )
        elements = [html for html in controls if html]
        if not elements:
            return None
        return loader.get_template(self.filter_template).render({"elements": elements})

    def _response_headers(self, response: Any, renderer: Any) -> dict[str, str]:
        headers = dict(sorted(response.items()))
        if renderer is not None:
            content_type = renderer.media_type
            if renderer.charset:
                content_type = f"{content_type}; charset={renderer.charset}"
            headers["Content-Type"] = content_type
        return headers

    def get_context(self, data: Any, accepted_media_type: str, renderer_context: dict) -> dict:
        """Everything api.html uses; keys as in DRF, for templates that override it."""
        view = renderer_context["view"]
        request = renderer_context["request"]
        response = renderer_context["response"]

        renderer = self.get_default_renderer(view)
        raw_data_post_form = self.get_raw_data_form(data, view, "POST", request)
        raw_data_put_form = self.get_raw_data_form(data, view, "PUT", request)
        raw_data_patch_form = self.get_raw_data_form(data, view, "PATCH", request)

        paginator = getattr(view, "paginator", None)
        if paginator is not None and not getattr(paginator, "display_page_controls", False):
            paginator = None

        code_style = _code_css(self.code_style)

        return {
            "content": self.get_content(renderer, data, accepted_media_type, renderer_context),
            "code_style": mark_safe(code_style) if code_style else None,
            "view": view,
            "request": request,
            "response": response,
            "user": request.user,
            "description": self.get_description(view, response.status_code),
            "name": self.get_name(view),
            "version": getattr(request, "version", None),
            "paginator": paginator,
            "breadcrumblist": self.get_breadcrumbs(request),
            "allowed_methods": view.allowed_methods,
            "available_formats": [cls.format for cls in view.renderer_classes],
            "response_headers": self._response_headers(response, renderer),
            "put_form": self.get_rendered_html_form(data, view, "PUT", request),
            "post_form": self.get_rendered_html_form(data, view, "POST", request),
            "delete_form": self.get_rendered_html_form(data, view, "DELETE", request),
            "options_form": self.get_rendered_html_form(data, view, "OPTIONS", request),
            "extra_actions": self.get_extra_actions(view, response.status_code),
            "filter_form": self.get_filter_form(data, view, request),
            "raw_data_put_form": raw_data_put_form,
            "raw_data_post_form": raw_data_post_form,
            "raw_data_patch_form": raw_data_patch_form,
            "raw_data_put_or_patch_form": raw_data_put_form or raw_data_patch_form,
            "display_edit_forms": bool(response.status_code != 403),
            "api_settings": api_settings,
            "csrf_cookie_name": django_settings.CSRF_COOKIE_NAME,
            "csrf_header_name": _csrf_header_name(),
        }

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> str:
        """The page for this response; a 204 is shown with status 200 so browsers show it."""
        self.accepted_media_type = accepted_media_type or ""
        self.renderer_context = renderer_context or {}
        template = loader.get_template(self.template)
        context = self.get_context(data, accepted_media_type, self.renderer_context)
        html = template.render(context, request=self.renderer_context["request"])
        response = self.renderer_context["response"]
        if response.status_code == 204:
            response.status_code = 200
        return html


@functools.cache
def _code_css(style: str) -> str | None:
    """Pygments' stylesheet for `{% code %}` blocks (None without Pygments), built once."""
    return pygments_css(style)


def _csrf_header_name() -> str:
    """CSRF_HEADER_NAME as a browser sends it: `HTTP_X_CSRFTOKEN` → `X-CSRFToken`."""
    name = django_settings.CSRF_HEADER_NAME
    if name.startswith("HTTP_"):
        name = name[5:]
    name = name.replace("_", "-")
    return "X-CSRFToken" if name.upper() == "X-CSRFTOKEN" else name


def _shows_a_list(data: Any, paginator: Any) -> bool:
    """Whether the response is a list: a plain one, or a page its paginator can read."""
    if isinstance(data, list):
        return True
    if paginator is None or data is None:
        return False
    try:
        paginator.get_results(data)
    except (TypeError, KeyError):
        return False
    return True
