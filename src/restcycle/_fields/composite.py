"""Container fields: ListField, DictField, HStoreField, JSONField."""

from __future__ import annotations

import copy
import inspect
import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils.translation import gettext_lazy as _

from ..exceptions import ValidationError
from ..utils import html
from .base import Field, empty, get_error_detail, lazy_format, reads_key_outside_forms
from .text import CharField

_CHILD_NOT_INSTANTIATED = "`child` has not been instantiated."
_CHILD_SOURCE = (
    "The `source` argument is not meaningful when applied to a `child=` field. "
    "Remove `source=` from the field declaration."
)


class _UnvalidatedField(Field):
    """The default child: any value passes through unchanged."""

    _output_is_identity_for = (str, int, float, bool, dict, list)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allow_blank = True
        self.allow_null = True

    def to_internal_value(self, data: Any) -> Any:
        return data

    def to_representation(self, value: Any) -> Any:
        return value


def _take_child(field: Field, kwargs: dict) -> None:
    child = kwargs.pop("child", None)
    field.child = copy.deepcopy(field.child) if child is None else child
    assert not inspect.isclass(field.child), _CHILD_NOT_INSTANTIATED
    assert field.child.source is None, _CHILD_SOURCE


def _child_errors(exc: Exception) -> Any:
    if isinstance(exc, DjangoValidationError):
        return get_error_detail(exc)
    return exc.detail


class ListField(Field):
    """A list whose items each go through `child`; errors are reported by item index."""

    child: Field = _UnvalidatedField()
    initial: Any = []
    default_error_messages = {
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "empty": _("This list may not be empty."),
        "min_length": _("Ensure this field has at least {min_length} elements."),
        "max_length": _("Ensure this field has no more than {max_length} elements."),
    }

    def __init__(
        self,
        *,
        allow_empty: bool = True,
        max_length: int | None = None,
        min_length: int | None = None,
        **kwargs: Any,
    ):
        _take_child(self, kwargs)
        self.allow_empty, self.max_length, self.min_length = allow_empty, max_length, min_length
        super().__init__(**kwargs)
        self.child.bind(field_name="", parent=self)
        # Counted in items; each limit a Django validator carrying this field's message.
        for limit, validator_class in (
            ("max_length", MaxLengthValidator),
            ("min_length", MinLengthValidator),
        ):
            bound = getattr(self, limit)
            if bound is not None:
                message = lazy_format(self.error_messages[limit], **{limit: bound})
                self.validators.append(validator_class(bound, message=message))

    @reads_key_outside_forms
    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary):
            # Repeated keys (`tag=a&tag=b`), else indexed keys (`tag[0]=a&tag[1]=b`).
            values = dictionary.getlist(self.field_name, [])
            if values:
                return values
            indexed = html.parse_html_list(dictionary, prefix=self.field_name, default=empty)
            if indexed is not empty:
                return indexed
            if getattr(self.root, "partial", False):
                return empty
            return self.default_empty_html
        if self.field_name not in dictionary and getattr(self.root, "partial", False):
            return empty
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> list:
        if html.is_html_input(data):
            data = html.parse_html_list(data, default=[])
        if isinstance(data, (str, bytes, Mapping)) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        return self.run_child_validation(data)

    def to_representation(self, data: Any) -> list:
        """Each item through the child (None stays None)."""
        child = self.child.to_representation
        return [None if item is None else child(item) for item in data]

    def run_child_validation(self, data: Any) -> list:
        result = []
        errors = {}
        run = self.child.run_validation
        for index, item in enumerate(data):
            try:
                result.append(run(item))
            except (ValidationError, DjangoValidationError) as exc:
                errors[index] = _child_errors(exc)
        if errors:
            raise ValidationError(errors)
        return result


class DictField(Field):
    """A dict with text keys whose values each go through `child`; errors keyed by key."""

    child: Field = _UnvalidatedField()
    initial: Any = {}
    default_error_messages = {
        "not_a_dict": _('Expected a dictionary of items but got type "{input_type}".'),
        "empty": _("This dictionary may not be empty."),
    }

    def __init__(self, **kwargs: Any):
        _take_child(self, kwargs)
        self.allow_empty = kwargs.pop("allow_empty", True)
        super().__init__(**kwargs)
        self.child.bind(field_name="", parent=self)

    @reads_key_outside_forms
    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary):
            # Form keys `meta.colour=red` give {"colour": "red"}; a bare `meta=` gives {}.
            parsed = html.parse_html_dict(dictionary, prefix=self.field_name)
            if parsed or self.field_name in dictionary:
                return parsed
            if getattr(self.root, "partial", False):
                return empty
            return self.default_empty_html
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> dict:
        if html.is_html_input(data):
            data = html.parse_html_dict(data)
        if not isinstance(data, dict):
            self.fail("not_a_dict", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        return self.run_child_validation(data)

    def to_representation(self, value: Any) -> dict:
        """Keys as text, values through the child (None stays None)."""
        child = self.child.to_representation
        return {str(key): None if item is None else child(item) for key, item in value.items()}

    def run_child_validation(self, data: dict) -> dict:
        result = {}
        errors = {}
        run = self.child.run_validation
        for key, value in data.items():
            key = str(key)
            try:
                result[key] = run(value)
            except (ValidationError, DjangoValidationError) as exc:
                errors[key] = _child_errors(exc)
        if errors:
            raise ValidationError(errors)
        return result


class HStoreField(DictField):
    """A DictField of text values (PostgreSQL hstore stores only strings)."""

    child = CharField(allow_blank=True, allow_null=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        assert isinstance(self.child, CharField), (
            "The `child` argument must be an instance of `CharField`, "
            "as the hstore extension stores values as strings."
        )


class _JSONString(str):
    """Form input for a JSONField: text to be parsed, not a JSON string value."""

    is_json_string = True


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class JSONField(Field):
    """Any JSON-serializable value; with `binary`, JSON text in and JSON bytes out."""

    default_error_messages = {"invalid": _("Value must be valid JSON.")}
    # Lets code recognise the field without importing it.
    _is_jsonfield = True

    def __init__(self, **kwargs: Any):
        self.binary = kwargs.pop("binary", False)
        self.encoder = kwargs.pop("encoder", None)
        self.decoder = kwargs.pop("decoder", None)
        super().__init__(**kwargs)

    @reads_key_outside_forms
    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            # A form can only send text: parse it as JSON rather than take it as a string.
            return _JSONString(dictionary[self.field_name])
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> Any:
        try:
            if self.binary or getattr(data, "is_json_string", False):
                if isinstance(data, (bytes, bytearray)):
                    data = data.decode()
                return json.loads(data, cls=self.decoder, parse_constant=_reject_constant)
            json.dumps(data, cls=self.encoder, allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        """The value itself, or (binary) its JSON encoding as bytes."""
        if self.binary:
            return json.dumps(value, cls=self.encoder).encode()
        return value
