"""AdminRenderer: the API as admin-style tables, with create/edit/delete dialogs.

Unlike DRF's, a failed submission re-shows the page's GET data only when the user may
GET it: the error page never reveals what the JSON response would not.
"""

from __future__ import annotations

from typing import Any

from django.template import loader
from django.urls import NoReverseMatch
from django.utils.translation import gettext

from .. import exceptions
from ..request import override_method
from .browsable import BrowsableAPIRenderer

__all__ = ["AdminRenderer"]


class AdminRenderer(BrowsableAPIRenderer):
    """HTML tables of the response data (`text/html`, format `admin`)."""

    template = "rest_framework/admin.html"
    format = "admin"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> str:
        self.accepted_media_type = accepted_media_type or ""
        self.renderer_context = renderer_context or {}

        response = self.renderer_context["response"]
        request = self.renderer_context["request"]
        view = self.renderer_context["view"]

        if response.status_code == 400:
            # A rejected submission: show its form with the errors, over the page as GET
            # would show it — if this user may GET it.
            error_form = self.get_rendered_html_form(data, view, request.method, request)
            self.error_form = error_form if isinstance(error_form, str) else None
            titles = {"POST": gettext("Create"), "PUT": gettext("Edit")}
            self.error_title = titles.get(request.method) or gettext("Errors")
            self.error_list = self._error_list(response.data)
            data = self._data_for_get(view, request)

        template = loader.get_template(self.template)
        context = self.get_context(data, accepted_media_type, self.renderer_context)
        html = template.render(context, request=request)

        # Creating and deleting redirect, as the admin does.
        if response.status_code == 201 and "Location" in response:
            response.status_code = 303
            response["Location"] = request.build_absolute_uri()
            html = ""
        if response.status_code == 204:
            response.status_code = 303
            parent = request.build_absolute_uri().rstrip("/").rsplit("/", 1)[0] + "/"
            response["Location"] = parent
            html = ""
        return html

    def _data_for_get(self, view: Any, request: Any) -> Any:
        """What a GET of this URL returns to this user, or None when they may not GET it."""
        handler = getattr(view, "get", None)
        if handler is None:
            return None
        with override_method(view, request, "GET") as get_request:
            try:
                view.check_permissions(get_request)
                get_response = handler(get_request, *view.args, **view.kwargs)
            except exceptions.APIException:
                return None
            except Exception:
                return None
        return getattr(get_response, "data", None)

    def _error_list(self, errors: Any) -> Any:
        """A rejected submission's errors as an escaped list, when there is no form to show."""
        from ..templatetags.rest_framework import error_messages

        messages = error_messages(errors)
        if not messages:
            return None
        return loader.get_template("rest_framework/admin/error_list.html").render(
            {"messages": messages}
        )

    def get_context(self, data: Any, accepted_media_type: str, renderer_context: dict) -> dict:
        """api.html's context plus the table: `style` (list/detail), `columns`, `results`."""
        context = super().get_context(data, accepted_media_type, renderer_context)

        view = context["view"]
        results = _rows_of(getattr(view, "paginator", None), data)
        style = "list" if isinstance(results, list) else "detail"
        # The table's columns are the first row's keys (a detail view: the object's own).
        sample = (results[0] if results else {}) if style == "list" else results
        keys = [key for key in sample if key != "url"] if isinstance(sample, dict) else []
        if style == "list" and "view" in renderer_context:
            for row in results:
                url = self.get_result_url(row, view) if isinstance(row, dict) else None
                if url is not None:
                    row.setdefault("url", url)
        context.update(
            style=style,
            columns=keys,
            details=list(keys),
            results=results,
            error_form=getattr(self, "error_form", None),
            error_title=getattr(self, "error_title", None),
            error_list=getattr(self, "error_list", None),
        )
        return context

    def get_result_url(self, result: dict, view: Any) -> str | None:
        """The detail URL of one list item, from the viewset's `reverse_action`."""
        if not hasattr(view, "reverse_action") or not hasattr(view, "lookup_field"):
            return None
        lookup_field = view.lookup_field
        lookup_url_kwarg = getattr(view, "lookup_url_kwarg", None) or lookup_field
        if lookup_field == "pk" and "pk" not in result and "id" in result:
            lookup_field = "id"  # ModelSerializer names the primary key "id"
        try:
            kwargs = {lookup_url_kwarg: result[lookup_field]}
            return view.reverse_action("detail", kwargs=kwargs)
        except (KeyError, NoReverseMatch):
            return None


def _rows_of(paginator: Any, data: Any) -> Any:
    """What the table shows: a paginated response's results, else `data` itself."""
    if paginator is None or data is None:
        return data
    try:
        return paginator.get_results(data)
    except (TypeError, KeyError):
        return data
