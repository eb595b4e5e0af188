"""`ViewInspector`: the per-view half of schema generation, reached as `view.schema`.

An inspector is a descriptor on the view class: reading `view.schema` binds the
inspector to that view instance (`inspector.view`), so one class-level inspector
serves every view instance the generator creates.
"""

from __future__ import annotations

import re
from typing import Any
from weakref import WeakKeyDictionary

from django.utils.encoding import smart_str

from ..settings import api_settings
from ..utils import formatting


class ViewInspector:
    """Describes one view; subclasses (`openapi.AutoSchema`) produce the schema fragments."""

    # A docstring line like `list: Return all users.` starts that action's section.
    _view = None

    header_regex = re.compile(r"^[a-zA-Z][0-9A-Za-z_]*:")

    def __init__(self) -> None:
        self.instance_schemas: WeakKeyDictionary = WeakKeyDictionary()
        self._view = None

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is not None and instance in self.instance_schemas:
            return self.instance_schemas[instance]
        self.view = instance
        return self

    def __set__(self, instance: Any, other: Any) -> None:
        # `view.schema = inspector` on an instance: remembered for that view only.
        self.instance_schemas[instance] = other
        if other is not None:
            other.view = instance

    @property
    def view(self) -> Any:
        """The view instance being inspected; set when read through `view.schema`."""
        assert self._view is not None, (
            "Schema generation REQUIRES a view instance. (Hint: you accessed "
            "`schema` from the view class rather than an instance.)"
        )
        return self._view

    @view.setter
    def view(self, value: Any) -> None:
        self._view = value

    @view.deleter
    def view(self) -> None:
        self._view = None

    def get_description(self, path: str, method: str) -> str:
        """The operation's description: the handler's docstring, else the view's description.

        A `name:` line in either starts a section for the action or method `name`; the
        matching section is used when there is one, else the text before any section.
        """
        view = self.view
        action_name = getattr(view, "action", method.lower())
        handler = getattr(view, action_name, None)
        docstring = getattr(handler, "__doc__", None) if handler is not None else None
        if docstring:
            return self._get_description_section(
                view, method.lower(), formatting.dedent(smart_str(docstring))
            )
        return self._get_description_section(view, action_name, view.get_view_description())

    def _get_description_section(self, view: Any, header: str, description: str) -> str:
        sections = {"": ""}
        current = ""
        for line in description.splitlines():
            if self.header_regex.match(line):
                current, _, rest = line.partition(":")
                sections[current] = rest.strip()
            else:
                sections[current] += "\n" + line
        if header in sections:
            return sections[header].strip()
        coerced = api_settings.SCHEMA_COERCE_METHOD_NAMES.get(header)
        if coerced is not None and coerced in sections:
            return sections[coerced].strip()
        return sections[""].strip()


class DefaultSchema(ViewInspector):
    """`APIView.schema` unless set: a DEFAULT_SCHEMA_CLASS instance, bound to the view."""

    def __get__(self, instance: Any, owner: Any) -> Any:
        result = super().__get__(instance, owner)
        if isinstance(result, DefaultSchema):
            # Still the placeholder: the setting's class, made and bound on each access.
            schema_class = api_settings.DEFAULT_SCHEMA_CLASS
            assert issubclass(schema_class, ViewInspector), _NOT_AN_INSPECTOR
            result = schema_class()
            result.view = instance
        return result


_NOT_AN_INSPECTOR = (
    "DEFAULT_SCHEMA_CLASS must be set to a ViewInspector (usually an AutoSchema) subclass"
)
