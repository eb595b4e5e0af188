"""Routers: URL patterns for viewsets, generated from the actions they define.

    router = DefaultRouter()
    router.register("users", UserViewSet)
    urlpatterns = [path("api/", include(router.urls))]

gives `users/` (list, create) named `user-list`, `users/<pk>/` (retrieve,
update, partial_update, destroy) named `user-detail`, one route per `@action`,
and with DefaultRouter an API root view listing the registered list routes.
drf-nested-routers and others subclass these classes: the names and hooks
(`routes`, `get_routes`, `get_lookup_regex`, `get_method_map`, ...) are DRF's.
"""

from __future__ import annotations

import itertools
from collections import namedtuple
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, path, re_path

from . import views
from .response import Response
from .reverse import reverse
from .settings import api_settings
from .urlpatterns import format_suffix_patterns

Route = namedtuple("Route", ["url", "mapping", "name", "detail", "initkwargs"])
DynamicRoute = namedtuple("DynamicRoute", ["url", "name", "detail", "initkwargs"])


def escape_curly_brackets(url_path: str) -> str:
    """Double `{` and `}` so a regex quantifier in an action's url_path survives str.format."""
    return url_path.replace("{", "{{").replace("}", "}}")


def flatten(list_of_lists: Any) -> Any:
    return itertools.chain.from_iterable(list_of_lists)


class BaseRouter:
    """Keeps the registry of (prefix, viewset, basename) and caches the generated URLs."""

    def __init__(self) -> None:
        self.registry: list[tuple[str, Any, str]] = []

    def register(self, prefix: str, viewset: Any, basename: str | None = None) -> None:
        if basename is None:
            basename = self.get_default_basename(viewset)
        if self.is_already_registered(basename):
            raise ImproperlyConfigured(
                f'Router with basename "{basename}" is already registered. '
                f'Please provide a unique basename for viewset "{viewset}"'
            )
        self.registry.append((prefix, viewset, basename))
        # URLs generated before this registration are stale.
        self.__dict__.pop("_urls", None)

    def is_already_registered(self, new_basename: str) -> bool:
        return any(basename == new_basename for _prefix, _viewset, basename in self.registry)

    def get_default_basename(self, viewset: Any) -> str:
        """The basename for a viewset registered without one."""
        raise NotImplementedError("get_default_basename must be overridden")

    def get_urls(self) -> list:
        """The URL patterns of every registered viewset."""
        raise NotImplementedError("get_urls must be overridden")

    @property
    def urls(self) -> list:
        if "_urls" not in self.__dict__:
            self._urls = self.get_urls()
        return self._urls


# How a detail route captures the lookup, by URL style (regex or not): the capture's
# template, the value pattern when the viewset names none, and the URL function.
_LOOKUP_STYLES = {
    True: ("(?P<{lookup_prefix}{lookup_url_kwarg}>{lookup_value})", "[^/.]+", re_path),
    False: ("<{lookup_value}:{lookup_prefix}{lookup_url_kwarg}>", "str", path),
}


class SimpleRouter(BaseRouter):
    """List and detail routes plus one route per extra action, for each registered viewset."""

    routes = [
        Route(
            url=r"^{prefix}{trailing_slash}$",
            mapping={"get": "list", "post": "create"},
            name="{basename}-list",
            detail=False,
            initkwargs={"suffix": "List"},
        ),
        # One per @action(detail=False) of the viewset.
        DynamicRoute(
            url=r"^{prefix}/{url_path}{trailing_slash}$",
            name="{basename}-{url_name}",
            detail=False,
            initkwargs={},
        ),
        Route(
            url=r"^{prefix}/{lookup}{trailing_slash}$",
            mapping={
                "get": "retrieve",
                "put": "update",
                "patch": "partial_update",
                "delete": "destroy",
            },
            name="{basename}-detail",
            detail=True,
            initkwargs={"suffix": "Instance"},
        ),
        # One per @action(detail=True) of the viewset.
        DynamicRoute(
            url=r"^{prefix}/{lookup}/{url_path}{trailing_slash}$",
            name="{basename}-{url_name}",
            detail=True,
            initkwargs={},
        ),
    ]

    def __init__(self, trailing_slash: bool = True, use_regex_path: bool = True) -> None:
        self.trailing_slash = "/" if trailing_slash else ""
        self._use_regex = use_regex_path
        self._base_pattern, self._default_value_pattern, self._url_conf = _LOOKUP_STYLES[
            bool(use_regex_path)
        ]
        if not use_regex_path:
            # path() routes carry no regex anchors.
            self.routes = [
                route._replace(url=route.url.removeprefix("^").removesuffix("$"))
                for route in self.routes
            ]
        super().__init__()

    def get_default_basename(self, viewset: Any) -> str:
        """The lower-cased model name of the viewset's `queryset`."""
        queryset = getattr(viewset, "queryset", None)
        assert queryset is not None, (
            "`basename` argument not specified, and could not automatically determine the "
            "name from the viewset, as it does not have a `.queryset` attribute."
        )
        return queryset.model._meta.object_name.lower()

    def get_routes(self, viewset: Any) -> list[Route]:
        """The routes of one viewset: each DynamicRoute expanded into one Route per action."""
        known_actions = set(
            flatten(route.mapping.values() for route in self.routes if isinstance(route, Route))
        )
        extra_actions = viewset.get_extra_actions()

        clashing = [action.__name__ for action in extra_actions if action.__name__ in known_actions]
        if clashing:
            raise ImproperlyConfigured(
                "Cannot use the @action decorator on the following methods, as they are "
                "existing routes: {}".format(", ".join(clashing))
            )

        routes: list[Route] = []
        for route in self.routes:
            if isinstance(route, DynamicRoute):
                routes.extend(
                    self._get_dynamic_route(route, action)
                    for action in extra_actions
                    if bool(action.detail) == bool(route.detail)
                )
            else:
                routes.append(route)
        return routes

    def _get_dynamic_route(self, route: DynamicRoute, action: Any) -> Route:
        initkwargs = {**route.initkwargs, **action.kwargs}
        return Route(
            url=route.url.replace("{url_path}", escape_curly_brackets(action.url_path)),
            mapping=action.mapping,
            name=route.name.replace("{url_name}", action.url_name),
            detail=route.detail,
            initkwargs=initkwargs,
        )

    def get_method_map(self, viewset: Any, method_map: dict[str, str]) -> dict[str, str]:
        """The part of a route's {http method: action} map the viewset implements."""
        return {method: action for method, action in method_map.items() if hasattr(viewset, action)}

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        """The URL fragment capturing the detail lookup, e.g. `(?P<pk>[^/.]+)` or `<str:pk>`.

        The viewset chooses it with `lookup_field` / `lookup_url_kwarg` and
        `lookup_value_regex` (or, for path routes, `lookup_value_converter`).
        """
        url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(
            viewset, "lookup_field", "pk"
        )
        # Path routes take the viewset's converter if it names one; else the regex.
        converter = None if self._use_regex else getattr(viewset, "lookup_value_converter", None)
        value_pattern = (
            converter
            if converter is not None
            else getattr(viewset, "lookup_value_regex", self._default_value_pattern)
        )
        return self._base_pattern.format(
            lookup_prefix=lookup_prefix, lookup_url_kwarg=url_kwarg, lookup_value=value_pattern
        )

    def get_urls(self) -> list:
        urls = []
        for prefix, viewset, basename in self.registry:
            lookup = self.get_lookup_regex(viewset)
            for route in self.get_routes(viewset):
                mapping = self.get_method_map(viewset, route.mapping)
                if not mapping:
                    continue

                pattern = route.url.format(
                    prefix=prefix, lookup=lookup, trailing_slash=self.trailing_slash
                )
                if not prefix:
                    # The router is included under a prefix of its own: a leading
                    # slash would make its URLs need "//".
                    if self._url_conf is path:
                        pattern = pattern.removeprefix("/")
                    elif pattern.startswith("^/"):
                        pattern = "^" + pattern[2:]

                initkwargs = {**route.initkwargs, "basename": basename, "detail": route.detail}
                view = viewset.as_view(mapping, **initkwargs)
                urls.append(
                    self._url_conf(pattern, view, name=route.name.format(basename=basename))
                )
        return urls


class APIRootView(views.APIView):
    """The API root: a link to the list route of every registered viewset."""

    _ignore_model_permissions = True
    schema = None  # not an endpoint of the API itself
    api_root_dict: dict[str, str] | None = None

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        links = {}
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        for key, url_name in (self.api_root_dict or {}).items():
            if namespace:
                url_name = f"{namespace}:{url_name}"
            try:
                links[key] = reverse(
                    url_name,
                    args=args,
                    kwargs=kwargs,
                    request=request,
                    format=kwargs.get("format"),
                )
            except NoReverseMatch:
                # A viewset with only detail routes has no list URL to show.
                continue
        return Response(links)


class DefaultRouter(SimpleRouter):
    """SimpleRouter plus an API root view at the router's base and `.json`-style suffixes."""

    include_root_view = True
    include_format_suffixes = True
    root_view_name = "api-root"
    default_schema_renderers = None
    APIRootView = APIRootView

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "root_renderers" in kwargs:
            self.root_renderers = kwargs.pop("root_renderers")
        else:
            self.root_renderers = list(api_settings.DEFAULT_RENDERER_CLASSES)
        super().__init__(*args, **kwargs)

    def get_api_root_view(self, api_urls: list | None = None) -> Any:
        list_name = self.routes[0].name
        api_root_dict = {
            prefix: list_name.format(basename=basename)
            for prefix, _viewset, basename in self.registry
        }
        return self.APIRootView.as_view(api_root_dict=api_root_dict)

    def get_urls(self) -> list:
        urls = super().get_urls()
        if self.include_root_view:
            view = self.get_api_root_view(api_urls=urls)
            urls.append(path("", view, name=self.root_view_name))
        if self.include_format_suffixes:
            urls = format_suffix_patterns(urls)
        return urls
