"""The serializer part of `manage.py explain`: which class a view uses, and its fields.

Everything here runs user code (`get_serializer_class()`, a serializer's `get_fields()`), so
each step is guarded: a failure becomes a note in the report, never a crash of the command.
"""

from __future__ import annotations

import types
from typing import Any

from .explain_code import code_ref, defining_class, module_origin


def find_serializer_class(view: Any, view_cls: type) -> tuple[type | None, str | None, str | None]:
    """`(class, how found, error)`: from `get_serializer_class()`, else the attribute."""
    if view is not None and hasattr(view, "get_serializer_class"):
        try:
            serializer_class = view.get_serializer_class()
        except Exception as exc:  # user code on a fake request: report, fall back
            error = f"get_serializer_class() raised {type(exc).__name__}: {exc}"
        else:
            owner = defining_class(view_cls, "get_serializer_class")
            how = "get_serializer_class()"
            if owner is not None and module_origin(owner.__module__) != "framework":
                how = f"get_serializer_class() of {code_ref(owner)['path']}"
            elif getattr(view_cls, "serializer_class", None) is serializer_class:
                how = "serializer_class"
            return serializer_class, how, None
    else:
        error = None
    serializer_class = getattr(view_cls, "serializer_class", None)
    if serializer_class is None:
        return None, None, error
    return serializer_class, "serializer_class", error


def build_serializer(serializer_class: type, view: Any) -> tuple[Any, str | None]:
    """An unbound instance with the view's context, to read its fields; `(None, error)` if not."""
    context: dict[str, Any] = {}
    if view is not None and hasattr(view, "get_serializer_context"):
        try:
            context = view.get_serializer_context()
        except Exception:
            context = {"request": getattr(view, "request", None), "view": view, "format": None}
    try:
        return serializer_class(context=context), None
    except Exception as exc:
        return None, f"{code_ref(serializer_class)['name']}() raised {type(exc).__name__}: {exc}"


def describe_fields(serializer: Any) -> tuple[list[dict], str | None]:
    """One entry per field, in declaration order; `([], error)` when `.fields` fails."""
    try:
        fields = serializer.fields
        items = list(fields.items())
    except Exception as exc:
        return [], f".fields raised {type(exc).__name__}: {exc}"
    return [describe_field(name, field, serializer) for name, field in items], None


def describe_field(name: str, field: Any, serializer: Any) -> dict:
    """Name, type, read/write, required, source, validators (and what a list field holds)."""
    info: dict[str, Any] = {
        "name": name,
        "type": code_ref(type(field)),
        "read_only": bool(getattr(field, "read_only", False)),
        "write_only": bool(getattr(field, "write_only", False)),
        "required": bool(getattr(field, "required", False)),
        "allow_null": bool(getattr(field, "allow_null", False)),
        "source": getattr(field, "source", None),
        "validators": [describe_validator(v) for v in _field_validators(field)],
        "nested": _is_serializer(field),
        "child": None,
        "validate_method": None,
    }
    child = getattr(field, "child", None) or getattr(field, "child_relation", None)
    if child is not None:
        info["child"] = code_ref(type(child))
        info["nested"] = info["nested"] or _is_serializer(child)
    validate_method = f"validate_{name}"
    if not info["read_only"] and hasattr(type(serializer), validate_method):
        info["validate_method"] = validate_method
    return info


def serializer_validators(serializer: Any) -> list[str]:
    """Validators that run on the whole object (Meta.validators, unique-together)."""
    try:
        validators = serializer.validators
    except Exception:
        return []
    return [describe_validator(v) for v in validators or ()]


def describe_validator(validator: Any) -> str:
    """A short, stable description; never evaluates a queryset (its repr would hit the DB)."""
    if isinstance(validator, (types.FunctionType, types.MethodType, types.BuiltinFunctionType)):
        return code_ref(validator)["path"]
    name = type(validator).__name__
    details = []
    queryset = getattr(validator, "queryset", None)
    if queryset is not None and getattr(queryset, "model", None) is not None:
        details.append(queryset.model._meta.object_name)
    fields = getattr(validator, "fields", None)
    if isinstance(fields, (list, tuple)):
        details.append(repr(list(fields)))
    for attribute in ("limit_value", "field", "date_field"):
        value = getattr(validator, attribute, None)
        if value is not None and not callable(value):
            details.append(repr(value))
    regex = getattr(validator, "regex", None)
    if regex is not None:
        details.append(repr(getattr(regex, "pattern", regex)))
    return f"{name}({', '.join(details)})"


def _field_validators(field: Any) -> list:
    try:
        return list(field.validators)
    except Exception:
        return []


def _is_serializer(field: Any) -> bool:
    return any(klass.__name__ == "BaseSerializer" for klass in type(field).__mro__)
