"""Walking a URLconf for the API's endpoints, and the base of every schema generator.

`EndpointEnumerator` turns URL patterns into `(path, method, callback)` triples;
`BaseSchemaGenerator` instantiates a view per endpoint, as a request would, so each
view's `schema` inspector can describe it. Third-party generators (drf-spectacular)
subclass both and call the hooks below by name.
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.admindocs.views import simplify_regex
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern, URLResolver

from .. import exceptions
from ..settings import api_settings

# `<int:pk>` or `<pk>` in a simplified route; uritemplate wants `{pk}`.
_PATH_PARAMETER_COMPONENT_RE = r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>\w+)>"

# Operations are listed GET, POST, PUT, PATCH, DELETE, then anything else.
_METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}

# Methods every view answers that describe nothing of the API itself.
_UNDOCUMENTED_METHODS = frozenset({"OPTIONS", "HEAD"})


def get_pk_name(model: Any) -> str:
    """The name of `model`'s primary key, following a multi-table parent link to its root."""
    meta = model._meta.concrete_model._meta
    pk = meta.pk
    while pk.remote_field and pk.remote_field.parent_link:
        pk = pk.remote_field.model._meta.pk
    return pk.name


def is_api_view(callback: Any) -> bool:
    """True when `callback` is the view function of an APIView subclass (or viewset)."""
    from ..views import APIView

    cls = getattr(callback, "cls", None)
    return cls is not None and issubclass(cls, APIView)


def endpoint_ordering(endpoint: tuple) -> tuple[int]:
    """Sort key of an endpoint triple: by HTTP method, GET first (the sort is stable)."""
    method = endpoint[1]
    return (_METHOD_ORDER.get(method, len(_METHOD_ORDER)),)


class EndpointEnumerator:
    """Lists the API endpoints a URLconf (or a list of patterns) routes to."""

    def __init__(self, patterns: list | None = None, urlconf: Any = None):
        if patterns is None:
            if urlconf is None:
                urlconf = settings.ROOT_URLCONF
            module = import_module(urlconf) if isinstance(urlconf, str) else urlconf
            patterns = module.urlpatterns
        self.patterns = patterns

    def get_api_endpoints(self, patterns: list | None = None, prefix: str = "") -> list[tuple]:
        """`(path, method, callback)` for every routed APIView method, GET first."""
        if patterns is None:
            patterns = self.patterns
        endpoints = []
        for pattern in patterns:
            path_regex = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                endpoints.extend(
                    self.get_api_endpoints(patterns=pattern.url_patterns, prefix=path_regex)
                )
            elif isinstance(pattern, URLPattern):
                path = self.get_path_from_regex(path_regex)
                callback = pattern.callback
                if self.should_include_endpoint(path, callback):
                    endpoints.extend(
                        (path, method, callback) for method in self.get_allowed_methods(callback)
                    )
        return sorted(endpoints, key=endpoint_ordering)

    def get_path_from_regex(self, path_regex: str) -> str:
        """A route's regex or path() pattern as a URI template: `/users/{pk}/`."""
        return re.sub(_PATH_PARAMETER_COMPONENT_RE, r"{\g<parameter>}", simplify_regex(path_regex))

    def should_include_endpoint(self, path: str, callback: Any) -> bool:
        """API views only, minus those whose schema is None and the format-suffix duplicates."""
        if not is_api_view(callback):
            return False
        if callback.cls.schema is None:
            return False
        initkwargs = getattr(callback, "initkwargs", None) or {}
        if "schema" in initkwargs and initkwargs["schema"] is None:
            return False
        # A format-suffix route repeats the plain one: DRF leaves out `.{format}` (regex
        # routes); format_suffix_patterns on path() glues `{format}` to the route
        # (`/ping{format}`), left out too. `/exports/{format}/` is a real parameter: kept.
        suffix = "{" + api_settings.FORMAT_SUFFIX_KWARG + "}"
        stem = path[:-1] if path.endswith(suffix + "/") else path
        glued = stem.endswith(suffix) and stem[-len(suffix) - 1 : -len(suffix)] not in ("", "/")
        return not glued

    def get_allowed_methods(self, callback: Any) -> list[str]:
        """The documented HTTP methods of a view: a viewset's mapped ones, else its handlers."""
        actions = getattr(callback, "actions", None)
        if actions is not None:
            allowed = set(callback.cls.http_method_names)
            methods = [method.upper() for method in actions if method in allowed]
        else:
            methods = callback.cls().allowed_methods
        return [method for method in methods if method not in _UNDOCUMENTED_METHODS]


class BaseSchemaGenerator:
    """The URL walk and view instantiation shared by schema generators; `get_schema` is theirs."""

    endpoint_inspector_cls = EndpointEnumerator

    # 'pk' says nothing to an API's users: `{pk}` in paths becomes the model's pk name.
    coerce_path_pk = True

    def __init__(
        self,
        title: str | None = None,
        url: str | None = None,
        description: str | None = None,
        patterns: list | None = None,
        urlconf: Any = None,
        version: str | None = None,
    ):
        self.title, self.description, self.version = title, description, version
        self.patterns, self.urlconf = patterns, urlconf
        # A base URL ends with a slash, so that relative paths join onto it.
        self.url = url + "/" if url and not url.endswith("/") else url
        self.coerce_path_pk = api_settings.SCHEMA_COERCE_PATH_PK
        self.endpoints: list | None = None  # found on first use

    def _initialise_endpoints(self) -> None:
        if self.endpoints is None:
            inspector = self.endpoint_inspector_cls(self.patterns, self.urlconf)
            self.endpoints = inspector.get_api_endpoints()

    def _get_paths_and_endpoints(self, request: Any) -> tuple[list, list]:
        """The coerced paths, and `(path, method, view)` with a view instance per endpoint."""
        view_endpoints = [
            (self.coerce_path(path, method, view), method, view)
            for path, method, view in (
                (path, method, self.create_view(callback, method, request))
                for path, method, callback in self.endpoints
            )
        ]
        return [path for path, _method, _view in view_endpoints], view_endpoints

    def create_view(self, callback: Any, method: str, request: Any = None) -> Any:
        """A view instance set up as `dispatch()` would for `method`, without a real request."""
        from ..request import clone_request

        view = callback.cls(**getattr(callback, "initkwargs", {}))
        actions = getattr(callback, "actions", None)
        state = {
            "args": (),
            "kwargs": {},
            "format_kwarg": None,
            "request": None if request is None else clone_request(request, method),
            "action_map": actions,
        }
        if actions is not None:  # a viewset: which action this method runs
            state["action"] = "metadata" if method == "OPTIONS" else actions.get(method.lower())
        for attribute, value in state.items():
            setattr(view, attribute, value)
        return view

    def coerce_path(self, path: str, method: str, view: Any) -> str:
        """`{pk}` renamed after the model's primary key (`{id}` when there is no model)."""
        if not self.coerce_path_pk or "{pk}" not in path:
            return path
        model = getattr(getattr(view, "queryset", None), "model", None)
        field_name = get_pk_name(model) if model is not None else "id"
        return path.replace("{pk}", "{" + field_name + "}")

    def get_schema(self, request: Any = None, public: bool = False) -> Any:
        raise NotImplementedError(".get_schema() must be implemented in subclasses.")

    def has_view_permissions(self, path: str, method: str, view: Any) -> bool:
        """Whether the requesting user may use the view (always, without a request)."""
        if view.request is None:
            return True
        try:
            view.check_permissions(view.request)
        except (exceptions.APIException, Http404, PermissionDenied):
            return False
        return True
