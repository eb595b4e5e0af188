"""When a fast path may run: one table of the overrides that switch each one off.

A fast path is taken only where the code it stands in for is the framework's own: a
subclass that overrides a documented method gets that method called, on the reference
path. Every engine module asks here: `framework_code()` for "is this function ours?",
`overridden()` for the table below. The reasons returned are what `describe()`, explain
and the tracer show.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

PACKAGE = __name__.partition(".")[0]  # restcycle, or rest_framework under the drop-in alias

# QuerySet methods a prepared lookup goes through instead of the ORM.
LOOKUP_METHODS = (
    "__init__", "all", "iterator", "_iterator", "get", "filter", "exclude",
    "_filter_or_exclude", "_filter_or_exclude_inplace", "exists", "order_by", "_chain",
    "_clone", "_fetch_all", "__iter__", "__len__", "_prefetch_related_objects", "extra",
    "using", "_next_is_sticky", "_add_hints", "values_list", "_values",
)  # fmt: skip

# fast path -> [(class, as "module:Class" in this package or Django, methods)]: a class
# overriding any of these methods takes the reference path for that fast path.
OVERRIDES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    # the values path builds a serializer's output from rows, without its own methods
    "values path (serializer)": [
        ("serializers:Serializer", ("to_representation", "data")),
        ("serializers:BaseSerializer", ("__init__", "many_init")),
    ],
    # ... and a view's list/retrieve without the view's own steps
    "values path (view)": [("generics:GenericAPIView", ("get_serializer",))],
    "values path (list)": [("generics:GenericAPIView", ("paginate_queryset",))],
    "values path (retrieve)": [
        ("generics:GenericAPIView", ("get_object",)),
        ("views:APIView", ("check_object_permissions",)),
    ],
    # prepared lookups run SQL compiled once instead of the queryset's own methods
    "prepared lookups": [("django.db.models:QuerySet", LOOKUP_METHODS)],
    # compiled validation runs a field's steps inline
    "compiled validation (field)": [
        ("fields:Field", ("to_internal_value", "run_validation", "validate_empty_values")),
    ],
}


def framework_code(function: Any) -> bool:
    """Whether `function` is defined in this package (either name under the alias)."""
    module = getattr(function, "__module__", None) or ""
    return module == PACKAGE or module.startswith(PACKAGE + ".")


def _resolve(location: str) -> type:
    module, _, name = location.partition(":")
    if not module.startswith("django."):
        module = f"{PACKAGE}.{module}"
    return getattr(importlib.import_module(module), name)


def overridden(fast_path: str, cls: type) -> str | None:
    """The first method of `fast_path`'s switches that `cls` overrides, or None."""
    for location, methods in OVERRIDES[fast_path]:
        base = _resolve(location)
        for name in methods:
            if inspect.getattr_static(cls, name, None) is not inspect.getattr_static(base, name):
                return name
    return None


def keeps_framework_steps(cls: type, fast_path: str) -> bool:
    """Whether every method `fast_path` stands in for is the framework's own in `cls`
    (an override in the framework's own subclasses counts as the framework's)."""
    for _location, methods in OVERRIDES[fast_path]:
        for name in methods:
            if not framework_code(getattr(cls, name, None)):
                return False
    return True


def django_manager(manager_class: type) -> bool:
    """A manager class whose queryset is Django's own: it builds the same query for every
    request. One of its own (a tenant filter, a polymorphic or soft-delete manager) may not."""
    from django.db.models.manager import BaseManager

    return manager_class.get_queryset is BaseManager.get_queryset and (
        overridden("prepared lookups", manager_class._queryset_class) is None
    )
