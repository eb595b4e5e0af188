"""ViewSets: one class for a resource's actions, bound to HTTP methods per route.

A viewset has actions (`list`, `create`, `retrieve`, `update`,
`partial_update`, `destroy`, and any `@action`) instead of method handlers;
`as_view({"get": "list", "post": "create"})` makes a view for one route, and a
router does that for every route of a registered viewset. During a request
`self.action` names the action being run.
"""

from __future__ import annotations

from functools import update_wrapper
from inspect import getmembers
from typing import Any

from django.urls import NoReverseMatch
from django.utils.decorators import classonlymethod

from . import generics, mixins, views
from .decorators import MethodMapper
from .reverse import reverse


def _is_extra_action(attr: Any) -> bool:
    """Whether a viewset attribute is an `@action` (its `mapping` is a MethodMapper)."""
    return isinstance(getattr(attr, "mapping", None), MethodMapper)


def _check_attr_name(func: Any, name: str) -> Any:
    """An action found under another name than its own was wrapped without functools.wraps."""
    assert func.__name__ == name, (
        f"Expected function (`{func.__name__}`) to match its attribute name (`{name}`). "
        "If using a decorator, ensure the inner function is decorated with "
        f"`functools.wraps`, or that `{func.__name__}.__name__` is otherwise set to `{name}`."
    )
    return func


class ViewSetMixin:
    """Turns a class of actions into views: `as_view()` takes the method-to-action map."""

    # Set per route through as_view() initkwargs (routers pass them); None otherwise.
    # `name` and `suffix` name the view in the browsable API and are mutually
    # exclusive; `detail` tells list from detail routes; `basename` lets the
    # view reverse its own routes.
    name: str | None = None
    description: str | None = None
    suffix: str | None = None
    detail: bool | None = None
    basename: str | None = None

    @classonlymethod
    def as_view(cls, actions: dict[str, str] | None = None, **initkwargs: Any) -> Any:
        if not actions:
            raise TypeError(
                "The `actions` argument must be provided when calling `.as_view()` on a "
                "ViewSet. For example `.as_view({'get': 'list'})`"
            )
        for key in initkwargs:
            if key in cls.http_method_names:
                raise TypeError(
                    f"You tried to pass in the {key} method name as a keyword argument to "
                    f"{cls.__name__}(). Don't do that."
                )
            if not hasattr(cls, key):
                raise TypeError(f"{cls.__name__}() received an invalid keyword {key!r}")
        if "name" in initkwargs and "suffix" in initkwargs:
            raise TypeError(
                f"{cls.__name__}() received both `name` and `suffix`, which are mutually "
                "exclusive arguments."
            )

        # HEAD runs whatever GET runs, unless the map says otherwise.
        action_map = dict(actions)
        if "get" in action_map and "head" not in action_map:
            action_map["head"] = action_map["get"]

        def view(request: Any, *args: Any, **kwargs: Any) -> Any:
            self = cls(**initkwargs)
            self.action_map = action_map
            # Each HTTP method's handler is the action the map names for it.
            for method, action in action_map.items():
                setattr(self, method, getattr(self, action))
            self.request, self.args, self.kwargs = request, args, kwargs
            return self.dispatch(request, *args, **kwargs)

        # The class's name and docstring, and what decorators set on dispatch
        # (csrf_exempt and the like).
        update_wrapper(view, cls, updated=())
        update_wrapper(view, cls.dispatch, assigned=())

        # cls, initkwargs and actions are read back from the resolved URL by breadcrumbs,
        # schemas and routers. As APIView.as_view: SessionAuthentication checks CSRF itself,
        # and permissions, not Django's LoginRequiredMiddleware, decide access.
        vars(view).update(
            cls=cls, initkwargs=initkwargs, actions=actions, csrf_exempt=True, login_required=False
        )
        return view

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Wrap the request as APIView does, and set `self.action` from its method."""
        request = super().initialize_request(request, *args, **kwargs)
        method = request.method.lower()
        if method == "options":
            # OPTIONS is answered by APIView.options() for every viewset route.
            self.action = "metadata"
        else:
            self.action = self.action_map.get(method)
        return request

    def reverse_action(self, url_name: str, *args: Any, **kwargs: Any) -> str:
        """Reverse one of this viewset's routes by its url_name ("list", "detail", an action's)."""
        url_name = f"{self.basename}-{url_name}"
        request = getattr(self, "request", None)
        resolver_match = getattr(request, "resolver_match", None) if request else None
        if resolver_match is not None and resolver_match.namespace:
            url_name = f"{resolver_match.namespace}:{url_name}"
        kwargs.setdefault("request", request)
        return reverse(url_name, *args, **kwargs)

    @classmethod
    def get_extra_actions(cls) -> list[Any]:
        """The `@action` methods of the viewset, sorted by name."""
        return [
            _check_attr_name(method, name) for name, method in getmembers(cls, _is_extra_action)
        ]

    def get_extra_action_url_map(self) -> dict[str, str]:
        """{view name: URL} of the extra actions on the same kind of route (list or detail).

        Empty unless the view was made with `detail` (as routers do); actions whose
        URL needs more arguments than this request has are left out.
        """
        if self.detail is None:
            return {}

        action_urls = {}
        resolver_match = getattr(self.request, "resolver_match", None)
        namespace = resolver_match.namespace if resolver_match is not None else ""
        for action in self.get_extra_actions():
            if action.detail != self.detail:
                continue
            url_name = f"{self.basename}-{action.url_name}"
            if namespace:
                url_name = f"{namespace}:{url_name}"
            try:
                url = reverse(url_name, self.args, self.kwargs, request=self.request)
            except NoReverseMatch:
                continue
            action_view = self.__class__(**action.kwargs)
            action_urls[action_view.get_view_name()] = url
        return action_urls


class ViewSet(ViewSetMixin, views.APIView):
    """A viewset with no actions of its own: write `list`, `retrieve`, ... yourself."""


class GenericViewSet(ViewSetMixin, generics.GenericAPIView):
    """GenericAPIView's queryset and serializer machinery, with no actions yet: add mixins."""


class ReadOnlyModelViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, GenericViewSet):
    """`list` and `retrieve`."""


class ModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    GenericViewSet,
):
    """`list`, `create`, `retrieve`, `update`, `partial_update` and `destroy`."""
