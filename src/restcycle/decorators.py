"""Decorators: `@api_view` turns a function into an APIView; `@action` marks viewset routes.

    @api_view(["GET", "POST"])
    @permission_classes([IsAuthenticated])
    def hello(request):
        return Response({"hello": request.user.username})

The policy decorators (`permission_classes`, `renderer_classes`, ...) go *below*
`@api_view`: they annotate the function, and `@api_view` reads the annotations.
"""

from __future__ import annotations

import types
from typing import Any

from django.forms.utils import pretty_name

from .views import APIView

# Function attributes that `@api_view` copies onto the view class it builds.
_POLICY_ATTRIBUTES = (
    "renderer_classes",
    "parser_classes",
    "authentication_classes",
    "throttle_classes",
    "permission_classes",
    "content_negotiation_class",
    "metadata_class",
    "versioning_class",
    "throttle_scope",
    "schema",
)


def api_view(http_method_names: Any = None) -> Any:
    """Make a function-based view run the API cycle; it is called as `func(request, ...)`.

    `http_method_names` lists the methods it answers (default `["GET"]`); OPTIONS is
    always answered, with the view's metadata.
    """
    if http_method_names is None:
        http_method_names = ["GET"]

    def decorator(func: Any) -> Any:
        assert not isinstance(http_method_names, types.FunctionType), (
            "@api_view missing list of allowed HTTP methods: use @api_view() or "
            "@api_view(['GET', ...]), not a bare @api_view"
        )
        assert isinstance(http_method_names, (list, tuple)), (
            f"@api_view expected a list of strings, received {type(http_method_names).__name__}"
        )
        # The methods as listed, then OPTIONS: the order of the `Allow` header.
        methods = list(dict.fromkeys(str(method).lower() for method in http_method_names))

        def handler(self: APIView, *args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        namespace: dict[str, Any] = {
            "__doc__": func.__doc__,
            "__module__": func.__module__,
            "__qualname__": getattr(func, "__qualname__", func.__name__),
            "http_method_names": [*methods, *(["options"] if "options" not in methods else [])],
        }
        for method in methods:
            namespace[method] = handler
        for attribute in _POLICY_ATTRIBUTES:
            if hasattr(func, attribute):
                namespace[attribute] = getattr(func, attribute)

        view_class = type(func.__name__, (APIView,), namespace)
        return view_class.as_view()

    return decorator


def _policy_decorator(attribute: str, value: Any) -> Any:
    def decorator(func: Any) -> Any:
        if isinstance(getattr(func, "cls", None), type) and issubclass(func.cls, APIView):
            raise TypeError(
                f"@{attribute} must come after (below) the @api_view decorator, "
                "which reads it from the function it wraps."
            )
        setattr(func, attribute, value)
        return func

    return decorator


def renderer_classes(renderer_classes: Any) -> Any:
    return _policy_decorator("renderer_classes", renderer_classes)


def parser_classes(parser_classes: Any) -> Any:
    return _policy_decorator("parser_classes", parser_classes)


def authentication_classes(authentication_classes: Any) -> Any:
    return _policy_decorator("authentication_classes", authentication_classes)


def throttle_classes(throttle_classes: Any) -> Any:
    return _policy_decorator("throttle_classes", throttle_classes)


def permission_classes(permission_classes: Any) -> Any:
    return _policy_decorator("permission_classes", permission_classes)


def content_negotiation_class(content_negotiation_class: Any) -> Any:
    return _policy_decorator("content_negotiation_class", content_negotiation_class)


def metadata_class(metadata_class: Any) -> Any:
    return _policy_decorator("metadata_class", metadata_class)


def versioning_class(versioning_class: Any) -> Any:
    return _policy_decorator("versioning_class", versioning_class)


def throttle_scope(throttle_scope: Any) -> Any:
    return _policy_decorator("throttle_scope", throttle_scope)


def schema(view_inspector: Any) -> Any:
    return _policy_decorator("schema", view_inspector)


def action(
    methods: Any = None,
    detail: bool | None = None,
    url_path: str | None = None,
    url_name: str | None = None,
    **kwargs: Any,
) -> Any:
    """Mark a viewset method as a routable action (routers add a URL for it).

    `detail=True` routes it on one object (`/users/{pk}/set_password/`), `False` on the
    list. Extra `kwargs` become initkwargs of the action's view (`name` or `suffix` for
    its display name, `permission_classes`, ...).
    """
    methods = ["get"] if methods is None else methods
    methods = [str(method).lower() for method in methods]

    assert detail is not None, "@action() missing required argument: 'detail'"

    if "name" in kwargs and "suffix" in kwargs:
        raise TypeError("`name` and `suffix` are mutually exclusive arguments.")

    def decorator(func: Any) -> Any:
        method_name = func.__name__
        # What routers read to build the action's route and view.
        func.mapping = MethodMapper(func, methods)
        func.detail = detail
        func.url_path = url_path or method_name
        func.url_name = url_name or method_name.replace("_", "-")
        # The view's initkwargs: a display name from the method's, unless one was given.
        if "name" not in kwargs and "suffix" not in kwargs:
            kwargs["name"] = pretty_name(method_name)
        kwargs["description"] = func.__doc__ or None
        func.kwargs = kwargs
        return func

    return decorator


class MethodMapper(dict):
    """An action's `{http method: handler method name}`, extendable per method:

    @action(detail=False)
    def items(self, request): ...

    @items.mapping.delete
    def delete_items(self, request): ...
    """

    def __init__(self, action: Any, methods: Any):
        super().__init__()
        self.action = action
        for method in methods:
            self[method] = action.__name__

    def _map(self, method: str, func: Any) -> Any:
        assert method not in self, (
            f"Method '{method}' has already been mapped to '.{self[method]}'."
        )
        assert func.__name__ != self.action.__name__, (
            "Method mapping does not behave like the property decorator. You "
            "cannot use the same method name for each mapping declaration."
        )
        self[method] = func.__name__
        return func

    def get(self, func: Any) -> Any:  # type: ignore[override]
        return self._map("get", func)

    def post(self, func: Any) -> Any:
        return self._map("post", func)

    def put(self, func: Any) -> Any:
        return self._map("put", func)

    def patch(self, func: Any) -> Any:
        return self._map("patch", func)

    def delete(self, func: Any) -> Any:
        return self._map("delete", func)

    def head(self, func: Any) -> Any:
        return self._map("head", func)

    def options(self, func: Any) -> Any:
        return self._map("options", func)

    def trace(self, func: Any) -> Any:
        return self._map("trace", func)
