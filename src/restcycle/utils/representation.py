"""`repr()` of fields and serializers, in the form DRF prints them.

    CharField(max_length=100, required=False)
    BookSerializer():
        id = IntegerField(label='ID', read_only=True)
        title = CharField(max_length=100)

A field's repr is built from the arguments it was constructed with (`_args`,
`_kwargs`, captured by `Field.__new__`), so it reads like the declaration.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.functional import Promise

_MEMORY_ADDRESS = re.compile(r" at 0x[0-9A-Fa-f]{4,32}>")
_MANAGER_NAMES = ("objects", "_default_manager", "_base_manager")


def manager_repr(value: models.Manager) -> str:
    """`Model.objects.all()`: how a queryset argument was most likely written."""
    model = value.model
    for name in _MANAGER_NAMES:
        if getattr(model, name, None) is value:
            return f"{model._meta.object_name}.{name}.all()"
    return repr(value)


def smart_repr(value: Any) -> str:
    """repr() without memory addresses, lazy strings shown as their text, managers as code."""
    if isinstance(value, models.Manager):
        return manager_repr(value)
    if isinstance(value, Promise):
        value = force_str(value)
    text = repr(value)
    if text.startswith("u'") and text.endswith("'"):
        text = text[1:]
    return _MEMORY_ADDRESS.sub(">", text)


def field_repr(field: Any, force_many: Any = False) -> str:
    """`ClassName(args, key=value, ...)` from the field's constructor arguments.

    With `force_many` (the child of a `many=True` serializer), the repr names the
    child's class and shows `many=True` instead of the `child` argument.
    """
    kwargs = field._kwargs
    if force_many:
        kwargs = dict(kwargs)
        kwargs["many"] = True
        kwargs.pop("child", None)
    parts = [smart_repr(arg) for arg in field._args]
    parts.extend(f"{key}={smart_repr(kwargs[key])}" for key in sorted(kwargs))
    class_name = type(force_many if force_many else field).__name__
    return f"{class_name}({', '.join(parts)})"


def serializer_repr(serializer: Any, indent: int, force_many: Any = None) -> str:
    """The serializer's own repr, then one indented `name = FieldRepr` line per field."""
    lines = [field_repr(serializer, force_many) + ":"]
    prefix = "    " * indent
    fields = force_many.fields if force_many else serializer.fields
    for name, field in fields.items():
        if hasattr(field, "fields"):
            text = serializer_repr(field, indent + 1)
        elif hasattr(field, "child"):
            text = list_repr(field, indent + 1)
        elif hasattr(field, "child_relation"):
            text = field_repr(field.child_relation, force_many=field.child_relation)
        else:
            text = field_repr(field)
        lines.append(f"{prefix}{name} = {text}")
    if serializer.validators:
        lines.append(f"{prefix}class Meta:")
        lines.append(f"{prefix}    validators = {smart_repr(serializer.validators)}")
    return "\n".join(lines)


def list_repr(serializer: Any, indent: int) -> str:
    """A list of serializers shows the child's fields; a list of plain fields is one line."""
    child = serializer.child
    if hasattr(child, "fields"):
        return serializer_repr(serializer, indent, force_many=child)
    return field_repr(serializer)
