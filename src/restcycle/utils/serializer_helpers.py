"""Containers a serializer hands out: its output (`ReturnDict`, `ReturnList`), its fields
(`BindingDict`) and the field/value/error triples forms render (`BoundField` & co).

Third-party packages import these by name from `rest_framework.utils.serializer_helpers`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from django.utils.encoding import force_str


class ReturnDict(dict):
    """A dict that remembers the serializer it came from (`.serializer`).

    Renderers such as the browsable API use the back-reference; pickling or copying
    the plain data keeps working.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        self.serializer = kwargs.pop("serializer")
        super().__init__(*args, **kwargs)

    def copy(self) -> ReturnDict:
        return ReturnDict(self, serializer=self.serializer)

    def __repr__(self) -> str:
        return dict.__repr__(self)

    def __reduce__(self) -> Any:
        # Pickled data loses the serializer: it is plain data once it leaves the process.
        return (dict, (dict(self),))

    def __or__(self, other: Any) -> Any:
        if not isinstance(other, dict):
            return NotImplemented
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other: Any) -> Any:
        if not isinstance(other, dict):
            return NotImplemented
        merged = ReturnDict(other, serializer=self.serializer)
        merged.update(self)
        return merged


class ReturnList(list):
    """A list that remembers the serializer it came from (`.serializer`)."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.serializer = kwargs.pop("serializer")
        super().__init__(*args, **kwargs)

    def __repr__(self) -> str:
        return list.__repr__(self)

    def __reduce__(self) -> Any:
        return (list, (list(self),))


class BoundField:
    """One field of a serializer together with its current value and errors.

    Attribute access falls through to the field, so templates can read `label`,
    `help_text`, `style`, ... directly.
    """

    def __init__(self, field: Any, value: Any, errors: Any, prefix: str = ""):
        self._field = field
        self._prefix = prefix
        self.value = value
        self.errors = errors
        self.name = prefix + field.field_name

    def __getattr__(self, attr_name: str) -> Any:
        return getattr(self._field, attr_name)

    @property
    def _proxy_class(self) -> type:
        return self._field.__class__

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} value={self.value} errors={self.errors}>"

    def as_form_field(self) -> BoundField:
        value = "" if (self.value is None or self.value is False) else self.value
        return self.__class__(self._field, value, self.errors, self._prefix)


class JSONBoundField(BoundField):
    """A JSONField's bound value, shown in forms as indented JSON text."""

    def as_form_field(self) -> JSONBoundField:
        value = self.value
        if not isinstance(value, str):
            with contextlib.suppress(TypeError):
                value = json.dumps(self.value, sort_keys=True, indent=4, separators=(",", ": "))
        return self.__class__(self._field, value, self.errors, self._prefix)


class NestedBoundField(BoundField):
    """A nested serializer's bound value: iterating or indexing gives its bound fields."""

    def __init__(self, field: Any, value: Any, errors: Any, prefix: str = ""):
        if value is None or value == "" or not isinstance(value, Mapping):
            value = {}
        super().__init__(field, value, errors, prefix)

    def __iter__(self) -> Iterator[BoundField]:
        for field in self.fields.values():
            yield self[field.field_name]

    def __getitem__(self, key: str) -> BoundField:
        field = self.fields[key]
        value = self.value.get(key) if self.value else None
        error = self.errors.get(key) if isinstance(self.errors, dict) else None
        prefix = self.name + "."
        if hasattr(field, "fields"):
            return NestedBoundField(field, value, error, prefix=prefix)
        if getattr(field, "_is_jsonfield", False):
            return JSONBoundField(field, value, error, prefix=prefix)
        return BoundField(field, value, error, prefix=prefix)

    def as_form_field(self) -> NestedBoundField:
        """This field with its values as an HTML form shows them: text, None and False blank."""
        values = {key: _form_text(value) for key, value in self.value.items()}
        return self.__class__(self._field, values, self.errors, self._prefix)


def _form_text(value: Any) -> Any:
    """A nested value as a form input holds it; lists and dicts stay structured."""
    if isinstance(value, (list, dict)):
        return value
    return "" if value is None or value is False else force_str(value)


class BindingDict(MutableMapping):
    """The `serializer.fields` mapping: storing a field binds it to the serializer."""

    def __init__(self, serializer: Any):
        self.serializer = serializer
        self.fields: dict[str, Any] = {}
        # True while the fields are exactly those the serializer's default build gave.
        self.pristine = False

    def __setitem__(self, key: str, field: Any) -> None:
        self.pristine = False
        self.fields[key] = field
        field.bind(field_name=key, parent=self.serializer)

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def __delitem__(self, key: str) -> None:
        self.pristine = False
        del self.fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __repr__(self) -> str:
        return dict.__repr__(self.fields)
