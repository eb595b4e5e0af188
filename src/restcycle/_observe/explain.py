"""What restcycle will do with a request, read from the code: the data behind `manage.py explain`.

`explain(target, method)` resolves the URL as Django would, then walks the cycle of
DESIGN.md stage by stage: the component classes in effect and where each came from (the
view, `as_view()`, an `@api_view` decorator, `REST_FRAMEWORK`, or the defaults), the handler
the method maps to, the serializer and its fields, and for every override point the class in
the MRO that defines it. The result is plain JSON-ready data (schema in docs/explain.md), so
the text output, `--format json` and later the browsable API all read the same thing.
Nothing is dispatched: user code runs only where the answer needs it, and guarded.
"""

from __future__ import annotations

import types
from typing import Any

from .explain_code import (
    FRAMEWORK,
    code_ref,
    defining_class,
    method_point,
    module_origin,
    same_setting_value,
)
from .explain_resolve import ExplainError, ResolvedTarget, resolve_target
from .explain_serializer import (
    build_serializer,
    describe_fields,
    find_serializer_class,
    serializer_validators,
)

SCHEMA = "restcycle.explain/1"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")

# (report key, view attribute, REST_FRAMEWORK key, stage, holds a list of classes)
COMPONENTS = (
    ("parsers", "parser_classes", "DEFAULT_PARSER_CLASSES", "1", True),
    ("negotiation", "content_negotiation_class", "DEFAULT_CONTENT_NEGOTIATION_CLASS", "1b", False),
    ("renderers", "renderer_classes", "DEFAULT_RENDERER_CLASSES", "1b", True),
    ("versioning", "versioning_class", "DEFAULT_VERSIONING_CLASS", "1b", False),
    ("authenticators", "authentication_classes", "DEFAULT_AUTHENTICATION_CLASSES", "2", True),
    ("permissions", "permission_classes", "DEFAULT_PERMISSION_CLASSES", "3", True),
    ("throttles", "throttle_classes", "DEFAULT_THROTTLE_CLASSES", "3", True),
    ("metadata", "metadata_class", "DEFAULT_METADATA_CLASS", "4", False),
    ("filter_backends", "filter_backends", "DEFAULT_FILTER_BACKENDS", "5", True),
    ("pagination", "pagination_class", "DEFAULT_PAGINATION_CLASS", "5", False),
)

# (id, title, view methods, components shown, {component: methods on its classes},
#  serializer methods). "<handler>" and "validate_<field>" are expanded per view.
STAGES = (
    (
        "1",
        "wrap the HttpRequest",
        (
            "initialize_request",
            "get_parser_context",
            "get_parsers",
            "get_authenticators",
            "get_content_negotiator",
        ),
        ("parsers",),
        {"parsers": ("parse",)},
        (),
    ),
    (
        "1b",
        "negotiate, version",
        ("initial", "perform_content_negotiation", "get_renderers", "determine_version"),
        ("negotiation", "renderers", "versioning"),
        {"negotiation": ("select_renderer",), "versioning": ("determine_version",)},
        (),
    ),
    (
        "2",
        "authenticate",
        ("perform_authentication",),
        ("authenticators",),
        {"authenticators": ("authenticate", "authenticate_header")},
        (),
    ),
    (
        "3",
        "permissions, throttles",
        (
            "check_permissions",
            "get_permissions",
            "permission_denied",
            "check_throttles",
            "get_throttles",
            "throttled",
        ),
        ("permissions", "throttles"),
        {"permissions": ("has_permission",), "throttles": ("allow_request", "wait")},
        (),
    ),
    (
        "4",
        "choose handler",
        ("dispatch", "<handler>", "http_method_not_allowed"),
        ("metadata",),
        {},
        (),
    ),
    (
        "5",
        "fetch data",
        (
            "get_queryset",
            "filter_queryset",
            "paginate_queryset",
            "get_object",
            "check_object_permissions",
        ),
        ("filter_backends", "pagination"),
        {
            "permissions": ("has_object_permission",),
            "filter_backends": ("filter_queryset",),
            "pagination": ("paginate_queryset",),
        },
        (),
    ),
    (
        "6",
        "build serializer",
        ("get_serializer", "get_serializer_class", "get_serializer_context"),
        (),
        {},
        ("get_fields",),
    ),
    ("7", "validate", (), (), {}, ("to_internal_value", "validate_<field>", "validate")),
    (
        "8",
        "act",
        ("perform_create", "perform_update", "perform_destroy"),
        (),
        {},
        ("save", "create", "update"),
    ),
    ("9", "respond", (), (), {"pagination": ("get_paginated_response",)}, ("to_representation",)),
    (
        "9b",
        "render",
        ("finalize_response", "get_renderer_context"),
        (),
        {"renderers": ("render",)},
        (),
    ),
    (
        "exception",
        "on any exception",
        (
            "handle_exception",
            "get_exception_handler",
            "get_exception_handler_context",
            "raise_uncaught_exception",
        ),
        ("exception_handler",),
        {},
        (),
    ),
)

_GET_SERIALIZER = {"get_serializer", "get_serializer_class", "get_serializer_context", "get_fields"}
_FETCH_ONE = {
    "get_queryset",
    "filter_queryset",
    "get_object",
    "check_object_permissions",
    "has_object_permission",
}
_VALIDATE = {"to_internal_value", "validate_<field>", "validate", "save"}
# What a framework handler calls after stage 4; anything else in stages 5-9 does not run.
FLOWS: dict[str, set[str]] = {
    "list": {
        "get_queryset",
        "filter_queryset",
        "paginate_queryset",
        "get_paginated_response",
        "to_representation",
        *_GET_SERIALIZER,
    },
    "retrieve": {*_FETCH_ONE, *_GET_SERIALIZER, "to_representation"},
    "create": {*_GET_SERIALIZER, *_VALIDATE, "perform_create", "create", "to_representation"},
    "update": {
        *_FETCH_ONE,
        *_GET_SERIALIZER,
        *_VALIDATE,
        "perform_update",
        "update",
        "to_representation",
    },
    "destroy": {*_FETCH_ONE, "perform_destroy"},
}
FLOWS["partial_update"] = FLOWS["update"]
# What the handlers of the concrete generic views delegate to.
_GENERIC_DELEGATES = {
    "get": ("list", "retrieve"),
    "post": ("create",),
    "put": ("update",),
    "patch": ("partial_update",),
    "delete": ("destroy",),
}
_FLOW_STAGES = {"5", "6", "7", "8", "9"}

__all__ = ["HTTP_METHODS", "SCHEMA", "ExplainError", "explain"]


def explain(target: str, method: str = "GET", urlconf: str | None = None) -> dict[str, Any]:
    """Everything explain knows about `method target`, as JSON-ready data (see docs/explain.md)."""
    method = method.upper()
    if method not in HTTP_METHODS:
        raise ExplainError(f"Unknown HTTP method {method!r}; use one of {', '.join(HTTP_METHODS)}.")
    resolved = resolve_target(target, urlconf)
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "request": {"method": method, "target": target},
        "url": {
            "path": resolved.path,
            "route": resolved.route,
            "name": resolved.url_name,
            "namespaces": resolved.namespaces,
            "kwargs": {key: str(value) for key, value in resolved.kwargs.items()},
            "placeholders": resolved.placeholders,
        },
    }
    notes: list[str] = []
    view_info = _describe_view(resolved.callback)
    report["view"] = view_info.pop("public")
    view_cls = view_info["cls"]
    if view_cls is None:
        notes.append(
            "Not a REST framework view: Django calls it directly, none of the cycle applies."
        )
        report.update(handler=None, components={}, serializer=None, stages=[], notes=notes)
        return report
    handler = _describe_handler(view_cls, view_info["actions"], view_info["function"], method)
    report["handler"] = handler
    view = _instantiate_view(view_cls, view_info, resolved, method, notes)
    report["components"], component_classes = _describe_components(view_cls, view, view_info)
    report["serializer"], serializer = _describe_serializer(view, view_cls, notes)
    report["stages"] = _describe_stages(view_cls, report, component_classes, serializer)
    report["query_plan"] = _describe_query_plan(view, handler)
    report["notes"] = notes
    return report


def _describe_query_plan(view: Any, handler: dict) -> dict | None:
    """For list/retrieve of a generic view: the lookups added or the values path (and why)."""
    from .. import _engine, generics

    action = handler.get("flow") or handler.get("name")
    if view is None or not isinstance(view, generics.GenericAPIView):
        return None
    if action not in ("list", "retrieve"):
        return None
    try:
        return _engine.describe(view, action)
    except Exception as exc:  # explain never fails on the user's queryset
        return {"action": action, "error": f"{type(exc).__name__}: {exc}"}


def _describe_view(callback: Any) -> dict[str, Any]:
    """The class behind the resolved callable (through decorators that keep `__wrapped__`)."""
    func, cls = callback, None
    while func is not None:
        cls = getattr(func, "cls", None)
        if isinstance(cls, type):
            break
        func = getattr(func, "__wrapped__", None)
    func = func or callback
    is_api_view = (
        isinstance(cls, type) and hasattr(cls, "dispatch") and hasattr(cls, "initialize_request")
    )
    actions = getattr(func, "actions", None) if is_api_view else None
    original = _original_function(cls) if is_api_view else None
    if not is_api_view:
        django_class = getattr(func, "view_class", None)
        public = {
            "kind": "django",
            "class": code_ref(django_class),
            "function": code_ref(callback),
            "actions": None,
            "detail": None,
            "initkwargs": {},
            "bases": [],
        }
        return {"public": public, "cls": None, "actions": None, "function": None, "initkwargs": {}}
    initkwargs = dict(getattr(func, "initkwargs", None) or {})
    kind = "viewset" if actions is not None else ("api_view" if original else "apiview")
    public = {
        "kind": kind,
        "class": code_ref(cls),
        "function": code_ref(original),
        "actions": {m.upper(): a for m, a in actions.items()} if actions is not None else None,
        "detail": initkwargs.get("detail"),
        "initkwargs": {key: _short(value) for key, value in initkwargs.items()},
        "bases": [code_ref(klass)["path"] for klass in cls.__mro__[1:] if klass is not object],
    }
    return {
        "public": public,
        "cls": cls,
        "actions": actions,
        "function": original,
        "initkwargs": initkwargs,
    }


def _original_function(view_cls: type) -> Any:
    """For an `@api_view` class, the decorated function; None for any other view class.

    Such a class is made by the framework in the function's module: its handlers are the
    framework's own small wrappers (defined in `decorators`) closing over the function.
    """
    if module_origin(view_cls.__module__) == FRAMEWORK:
        return None
    for name in getattr(view_cls, "http_method_names", ()):
        handler = vars(view_cls).get(name)
        if not isinstance(handler, types.FunctionType):
            continue
        if module_origin(handler.__module__) != FRAMEWORK:
            return None
        wrapped = getattr(handler, "__wrapped__", None)
        if wrapped is not None:
            return wrapped
        for cell in handler.__closure__ or ():
            try:
                content = cell.cell_contents
            except ValueError:
                continue
            if isinstance(content, types.FunctionType):
                return content
    return None


def _describe_handler(view_cls: type, actions: dict | None, function: Any, method: str) -> dict:
    """The method the request lands on, or 405 with what is allowed instead."""
    lower = method.lower()
    http_method_names = list(getattr(view_cls, "http_method_names", ()))
    if actions is not None:
        action_map = dict(actions)
        if "get" in action_map and "head" not in action_map:
            action_map["head"] = action_map["get"]
        if hasattr(view_cls, "options"):
            action_map.setdefault("options", "options")
        available = {m: a for m, a in action_map.items() if m in http_method_names}
    else:
        available = {m: m for m in http_method_names if hasattr(view_cls, m)}
        if "head" in http_method_names and "head" not in available and "get" in available:
            available["head"] = "get"
    allowed = [m.upper() for m in http_method_names if m in available]
    info: dict[str, Any] = {
        "method": method,
        "allowed": lower in available,
        "allowed_methods": allowed,
        "status": None,
        "name": None,
        "defined_by": None,
        "overridden": False,
        "extra_action": False,
        "function": None,
        "flow": None,
    }
    if not info["allowed"]:
        info["status"] = 405
        return info
    name = available[lower]
    info["name"] = name
    owner = defining_class(view_cls, name)
    if owner is not None:
        info["defined_by"] = code_ref(owner)
        info["overridden"] = info["defined_by"]["origin"] != FRAMEWORK
    attribute = getattr(view_cls, name, None)
    info["extra_action"] = actions is not None and hasattr(attribute, "mapping")
    if function is not None and lower not in ("options",):
        info["function"] = code_ref(function)
    info["flow"] = _handler_flow(view_cls, name, actions, info["overridden"])
    return info


def _handler_flow(view_cls: type, name: str, actions: dict | None, overridden: bool) -> str | None:
    """Which framework action runs (`list`, `create`, ...); None when it is the user's code."""
    if overridden:
        return None
    if name in FLOWS:
        return name
    if actions is None:
        candidates = [c for c in _GENERIC_DELEGATES.get(name, ()) if hasattr(view_cls, c)]
        if (
            len(candidates) == 1
            and module_origin(getattr(defining_class(view_cls, candidates[0]), "__module__", None))
            == FRAMEWORK
        ):
            return candidates[0]
    return None


def _instantiate_view(
    view_cls: type, view_info: dict, resolved: ResolvedTarget, method: str, notes: list[str]
) -> Any:
    """A view as `dispatch` would set it up, on a fake anonymous request; None if that fails."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    actions = view_info["actions"]
    http_request = RequestFactory().generic(method, resolved.path)
    http_request.user = AnonymousUser()
    try:
        view = view_cls(**view_info["initkwargs"])
        if actions is not None:
            view.action_map = dict(actions)
            for http_method, action in actions.items():
                if hasattr(view, action):
                    setattr(view, http_method, getattr(view, action))
        view.request, view.args, view.kwargs = http_request, resolved.args, dict(resolved.kwargs)
        view.format_kwarg, view.headers = None, {}
    except Exception as exc:
        notes.append(f"Could not instantiate the view ({type(exc).__name__}: {exc}).")
        return None
    try:
        request = view.initialize_request(http_request)
        request.user = AnonymousUser()
        view.request = request
    except Exception as exc:
        notes.append(f"initialize_request() raised {type(exc).__name__}: {exc}.")
    if actions is not None and getattr(view, "action", None) is None:
        view.action = actions.get(method.lower())
    return view


def _describe_components(
    view_cls: type, view: Any, view_info: dict
) -> tuple[dict[str, Any], dict[str, list[type]]]:
    """The report's components, and the class objects behind them (for override points)."""
    from ..settings import api_settings

    view_settings = getattr(view_cls, "settings", None) or api_settings
    components: dict[str, Any] = {}
    class_objects: dict[str, list[type]] = {}
    for key, attribute, setting, stage, many in COMPONENTS:
        entry: dict[str, Any] = {"stage": stage, "attribute": attribute, "setting": setting}
        if not hasattr(view_cls, attribute):
            entry.update(applies=False, classes=[], source=None, defined_by=None)
            components[key] = entry
            continue
        value = view_info["initkwargs"].get(attribute, getattr(view_cls, attribute))
        classes = list(value or ()) if many else ([value] if value is not None else [])
        class_objects[key] = [c for c in classes if isinstance(c, type)]
        source, defined_by = _component_source(
            view_cls, attribute, setting, value, view_info, view_settings
        )
        entry.update(
            applies=True,
            classes=[code_ref(c) for c in classes],
            source=source,
            defined_by=defined_by,
        )
        components[key] = entry
    components["exception_handler"] = _exception_handler(view_cls, view, view_settings)
    return components, class_objects


def _component_source(
    view_cls: type, attribute: str, setting: str, value: Any, view_info: dict, view_settings: Any
) -> tuple[str, dict | None]:
    """Source (`view`, `as_view`, `decorator`, `framework`, `REST_FRAMEWORK`, `default`), setter."""
    if attribute in view_info["initkwargs"]:
        return "as_view", code_ref(view_cls)
    function = view_info["function"]
    if function is not None and attribute in vars(function):
        return "decorator", code_ref(function)
    owner = defining_class(view_cls, attribute)
    owner_ref = code_ref(owner) if owner is not None else None
    if owner_ref and owner_ref["origin"] != FRAMEWORK and function is None:
        return "view", owner_ref
    try:
        setting_value = getattr(view_settings, setting)
    except Exception:
        setting_value = object()
    if same_setting_value(value, setting_value):
        return _setting_source(view_settings, setting), None
    return ("framework" if owner_ref and owner_ref["origin"] == FRAMEWORK else "view"), owner_ref


def _setting_source(view_settings: Any, setting: str) -> str:
    try:
        user_settings = view_settings.user_settings
    except Exception:
        user_settings = {}
    return "REST_FRAMEWORK" if setting in (user_settings or {}) else "default"


def _exception_handler(view_cls: type, view: Any, view_settings: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "stage": "exception",
        "attribute": "settings",
        "setting": "EXCEPTION_HANDLER",
        "applies": True,
    }
    owner = defining_class(view_cls, "get_exception_handler")
    overridden = owner is not None and module_origin(owner.__module__) != FRAMEWORK
    handler = None
    if view is not None and overridden:
        try:
            handler = view.get_exception_handler()
        except Exception:
            handler = None
    if handler is None:
        try:
            handler = view_settings.EXCEPTION_HANDLER
        except Exception:
            handler = None
    if overridden:
        source, defined_by = "view", code_ref(owner)
    else:
        settings_owner = defining_class(view_cls, "settings")
        if settings_owner is not None and module_origin(settings_owner.__module__) != FRAMEWORK:
            source, defined_by = "view", code_ref(settings_owner)
        else:
            source, defined_by = _setting_source(view_settings, "EXCEPTION_HANDLER"), None
    entry.update(
        classes=[code_ref(handler)] if handler is not None else [],
        source=source,
        defined_by=defined_by,
    )
    return entry


def _describe_serializer(view: Any, view_cls: type, notes: list[str]) -> tuple[dict | None, Any]:
    if not hasattr(view_cls, "serializer_class") and not hasattr(view_cls, "get_serializer_class"):
        return None, None
    serializer_class, how, error = find_serializer_class(view, view_cls)
    if error:
        notes.append(error)
    if serializer_class is None:
        return {
            "class": None,
            "found_by": None,
            "error": error,
            "fields": [],
            "validators": [],
        }, None
    info: dict[str, Any] = {
        "class": code_ref(serializer_class),
        "found_by": how,
        "error": error,
        "fields": [],
        "validators": [],
    }
    serializer, build_error = build_serializer(serializer_class, view)
    if serializer is None:
        notes.append(build_error)
        return info, None
    info["fields"], fields_error = describe_fields(serializer)
    if fields_error:
        notes.append(fields_error)
    info["validators"] = serializer_validators(serializer)
    return info, serializer


def _describe_stages(
    view_cls: type, report: dict, component_classes: dict[str, list[type]], serializer: Any
) -> list[dict]:
    handler = report["handler"]
    components = report["components"]
    stages = []
    for stage_id, title, view_methods, shown, component_methods, serializer_methods in STAGES:
        points: list[dict] = []
        for name in view_methods:
            if name == "<handler>":
                points.extend(_handler_points(view_cls, handler, stage_id))
                continue
            point = method_point(view_cls, name, "view", stage_id, _runs(stage_id, name, handler))
            if point is not None:
                points.append(point)
        for key, names in component_methods.items():
            for klass in component_classes.get(key, ()):
                for name in names:
                    point = method_point(klass, name, key, stage_id, _runs(stage_id, name, handler))
                    if point is not None:
                        points.append(point)
        if serializer is not None:
            for name in _expand_serializer_methods(serializer_methods, report["serializer"]):
                runs_name = "validate_<field>" if name.startswith("validate_") else name
                point = method_point(
                    type(serializer),
                    name,
                    "serializer",
                    stage_id,
                    _runs(stage_id, runs_name, handler),
                )
                if point is not None:
                    points.append(point)
        stages.append(
            {
                "id": stage_id,
                "title": title,
                "components": [key for key in shown if key in components],
                "override_points": points,
            }
        )
    return stages


def _handler_points(view_cls: type, handler: dict, stage_id: str) -> list[dict]:
    if not handler["allowed"] or handler["name"] is None:
        return []
    point = method_point(view_cls, handler["name"], "view", stage_id, True)
    if point is None:
        return []
    point["handler"] = True
    return [point]


def _runs(stage_id: str, name: str, handler: dict) -> bool | None:
    """True/False when the code path is known, None when it depends (user handler, errors)."""
    if stage_id == "exception":
        return None
    if stage_id == "4":
        if name == "http_method_not_allowed":
            return not handler["allowed"]
        return True
    if stage_id not in _FLOW_STAGES:
        return True
    if not handler["allowed"]:
        return False
    flow = handler["flow"]
    if flow is None:
        return None
    return name in FLOWS[flow]


def _expand_serializer_methods(names: tuple, serializer_info: dict | None) -> list[str]:
    expanded = []
    for name in names:
        if name == "validate_<field>":
            expanded.extend(
                field["validate_method"]
                for field in (serializer_info or {}).get("fields", ())
                if field.get("validate_method")
            )
        else:
            expanded.append(name)
    return expanded


def _short(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_short(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _short(v) for k, v in value.items()}
    ref = code_ref(value) if isinstance(value, type) or callable(value) else None
    return ref["path"] if ref else repr(value)
