"""What an OPTIONS request answers: the view's name, formats, and writable fields.

`SimpleMetadata` (the DEFAULT_METADATA_CLASS) describes, for each of POST and PUT
that the client may actually use, the serializer's fields: type, required,
read-only, label, limits and choices.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.encoding import force_str

from . import exceptions
from .request import clone_request

# Attributes of a field reported when set (neither None nor "").
_FIELD_ATTRIBUTES = (
    "read_only",
    "label",
    "help_text",
    "min_length",
    "max_length",
    "min_value",
    "max_value",
    "max_digits",
    "decimal_places",
)

# The documented type names of field classes; a field's nearest listed base class wins.
_TYPE_NAMES = {
    "Field": "field",
    "BooleanField": "boolean",
    "CharField": "string",
    "UUIDField": "string",
    "URLField": "url",
    "EmailField": "email",
    "RegexField": "regex",
    "SlugField": "slug",
    "IntegerField": "integer",
    "FloatField": "float",
    "DecimalField": "decimal",
    "DateField": "date",
    "DateTimeField": "datetime",
    "TimeField": "time",
    "DurationField": "duration",
    "ChoiceField": "choice",
    "MultipleChoiceField": "multiple choice",
    "FileField": "file upload",
    "ImageField": "image upload",
    "ListField": "list",
    "DictField": "nested object",
    "Serializer": "nested object",
}


_type_names_by_class: dict[type, str] = {}


def _field_type_name(field: Any) -> str:
    if not _type_names_by_class:
        from . import fields, serializers

        for class_name, type_name in _TYPE_NAMES.items():
            cls = getattr(fields, class_name, None) or getattr(serializers, class_name, None)
            if cls is not None:
                _type_names_by_class[cls] = type_name
    for cls in type(field).__mro__:
        type_name = _type_names_by_class.get(cls)
        if type_name is not None:
            return type_name
    return "field"


class BaseMetadata:
    def determine_metadata(self, request: Any, view: Any) -> Any:
        """The body of the OPTIONS response for `view`."""
        raise NotImplementedError(".determine_metadata() must be overridden.")


class SimpleMetadata(BaseMetadata):
    """Name, description, media types, and the fields of the actions the user may take."""

    def determine_metadata(self, request: Any, view: Any) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
        }
        for key, classes in (("renders", view.renderer_classes), ("parses", view.parser_classes)):
            metadata[key] = [media_class.media_type for media_class in classes]
        # Only a view with a serializer has writable fields to describe.
        actions = self.determine_actions(request, view) if hasattr(view, "get_serializer") else {}
        if actions:
            metadata["actions"] = actions
        return metadata

    def determine_actions(self, request: Any, view: Any) -> dict[str, Any]:
        """Field info for POST and PUT, where the view has them and the user may use them."""
        actions = {}
        for method in [method for method in ("POST", "PUT") if method in view.allowed_methods]:
            # The checks and the serializer see the request as if it were `method`.
            view.request = clone_request(request, method)
            try:
                if _may_use(view, method):
                    actions[method] = self.get_serializer_info(view.get_serializer())
            finally:
                view.request = request
        return actions

    def get_serializer_info(self, serializer: Any) -> dict[str, Any]:
        """Field info for each field of `serializer` (of its child, for a list serializer)."""
        from .fields import HiddenField

        if hasattr(serializer, "child"):
            serializer = serializer.child
        return {
            field_name: self.get_field_info(field)
            for field_name, field in serializer.fields.items()
            if not isinstance(field, HiddenField)
        }

    def get_field_info(self, field: Any) -> dict[str, Any]:
        """Type, required, and the set attributes of one field; nested for children."""
        from .relations import ManyRelatedField, RelatedField

        info: dict[str, Any] = {
            "type": _field_type_name(field),
            "required": getattr(field, "required", False),
        }
        set_values = ((name, getattr(field, name, None)) for name in _FIELD_ATTRIBUTES)
        info.update(
            (name, force_str(value, strings_only=True))
            for name, value in set_values
            if value is not None and value != ""
        )
        # A list's child, or a nested serializer's fields, described the same way.
        if getattr(field, "child", None):
            info["child"] = self.get_field_info(field.child)
        elif getattr(field, "fields", None):
            info["children"] = self.get_serializer_info(field)
        # Related fields' choices would be a query per request (and could be huge).
        related = isinstance(field, (RelatedField, ManyRelatedField))
        if not (info.get("read_only") or related) and hasattr(field, "choices"):
            info["choices"] = _choice_list(field.choices)
        return info


def _may_use(view: Any, method: str) -> bool:
    """Whether `view.request`'s user passes the view's checks for `method`.

    PUT acts on an object: the user needs permission on that object too.
    """
    try:
        if hasattr(view, "check_permissions"):
            view.check_permissions(view.request)
        if method == "PUT" and hasattr(view, "get_object"):
            view.get_object()
    except (exceptions.APIException, PermissionDenied, Http404):
        return False
    return True


def _choice_list(choices: dict) -> list[dict[str, Any]]:
    return [
        {"value": value, "display_name": force_str(display, strings_only=True)}
        for value, display in choices.items()
    ]
