"""How a Django model field becomes serializer field keyword arguments.

ModelSerializer calls these while it builds fields; drf-spectacular, django-filter
and others import them by name, so names and return shapes are DRF's.
"""

from __future__ import annotations

import inspect
from typing import Any

from django.core import validators
from django.db import models
from django.utils.text import capfirst

NUMERIC_FIELD_TYPES = (
    models.IntegerField,
    models.FloatField,
    models.DecimalField,
    models.DurationField,
)

try:  # contrib.postgres imports psycopg; only map its fields when it is importable
    from django.contrib.postgres import fields as postgres_fields
except ImportError:  # pragma: no cover - depends on the environment
    postgres_fields = None


class ClassLookupDict:
    """A dict keyed by classes that finds an instance's (or class's) nearest base in its MRO.

    Used to map model field classes to serializer field classes, so a subclass of
    `models.CharField` gets CharField's serializer field.
    """

    def __init__(self, mapping: dict):
        self.mapping = mapping

    def __getitem__(self, key: Any) -> Any:
        if hasattr(key, "_proxy_class"):
            # A BoundField stands for its field.
            base_class = key._proxy_class
        elif isinstance(key, type):
            base_class = key
        else:
            base_class = key.__class__
        for cls in inspect.getmro(base_class):
            if cls in self.mapping:
                return self.mapping[cls]
        raise KeyError(f"Class {base_class.__name__} not found in lookup.")

    def __setitem__(self, key: type, value: Any) -> None:
        self.mapping[key] = value


def needs_label(model_field: Any, field_name: str) -> bool:
    """True when the model's verbose name differs from the label the field name gives."""
    default_label = field_name.replace("_", " ").capitalize()
    return capfirst(model_field.verbose_name) != default_label


def get_detail_view_name(model: Any) -> str:
    """`<model_name>-detail`, the view name routers give a model's detail route."""
    return f"{model._meta.object_name.lower()}-detail"


def get_unique_error_message(model_field: Any) -> Any:
    """The model field's own 'unique' message, formatted as Django formats it (or None)."""
    message = model_field.error_messages.get("unique", None)
    if message:
        message = message % {
            "model_name": model_field.model._meta.verbose_name,
            "field_label": model_field.verbose_name,
        }
    return message


def _unique_validator(model_field: Any) -> Any:
    from ..validators import UniqueValidator

    return UniqueValidator(
        queryset=model_field.model._default_manager,
        message=get_unique_error_message(model_field),
    )


def _single_field_unique_constraint(model_field: Any) -> bool:
    """An unconditional UniqueConstraint on this field alone makes it unique too."""
    model = getattr(model_field, "model", None)
    if model is None:
        return False
    return any(
        isinstance(constraint, models.UniqueConstraint)
        and tuple(constraint.fields) == (model_field.name,)
        and constraint.condition is None
        for constraint in model._meta.constraints
    )


def _limit_value(validator_list: list, validator_class: type) -> Any:
    for validator in validator_list:
        if isinstance(validator, validator_class):
            return validator.limit_value
    return None


def _without(validator_list: list, kind: Any) -> list:
    """The list minus validators that are `kind` (a function) or instances of it (a class)."""
    if isinstance(kind, type):
        return [v for v in validator_list if not isinstance(v, kind)]
    return [v for v in validator_list if v is not kind]


# Model field types whose serializer field adds this validator itself, so the model's
# copy would run twice.
_BUILT_IN_VALIDATORS = (
    (models.URLField, validators.URLValidator),
    (models.EmailField, validators.EmailValidator),
    (models.DecimalField, validators.DecimalValidator),
)


_IP_VALIDATORS = (
    validators.validate_ipv46_address,
    validators.validate_ipv4_address,
    validators.validate_ipv6_address,
)


def get_field_kwargs(field_name: str, model_field: Any) -> dict:
    """Serializer field kwargs for a non-relational model field."""
    kwargs: dict[str, Any] = {}
    validator_kwarg = list(model_field.validators)
    # Only the ModelField fallback uses this; build_standard_field drops it otherwise.
    kwargs["model_field"] = model_field

    if model_field.verbose_name and needs_label(model_field, field_name):
        kwargs["label"] = capfirst(model_field.verbose_name)
    if model_field.help_text:
        kwargs["help_text"] = model_field.help_text

    max_digits = getattr(model_field, "max_digits", None)
    if max_digits is not None:
        kwargs["max_digits"] = max_digits
    decimal_places = getattr(model_field, "decimal_places", None)
    if decimal_places is not None:
        kwargs["decimal_places"] = decimal_places

    if isinstance(model_field, models.SlugField):
        kwargs["allow_unicode"] = model_field.allow_unicode

    if (isinstance(model_field, models.TextField) and not model_field.choices) or isinstance(
        model_field, models.JSONField
    ):
        kwargs["style"] = {"base_template": "textarea.html"}

    if model_field.choices:
        kwargs["choices"] = model_field.choices

    if isinstance(model_field, models.AutoField) or not model_field.editable:
        # Read-only fields take no further input-related arguments.
        kwargs["read_only"] = True
        return kwargs

    if (
        model_field.has_default()
        or model_field.blank
        or model_field.null
        or getattr(model_field, "has_db_default", lambda: False)()
    ):
        kwargs["required"] = False
    if model_field.null:
        kwargs["allow_null"] = True
    if model_field.blank and isinstance(model_field, (models.CharField, models.TextField)):
        kwargs["allow_blank"] = True
    if (
        postgres_fields is not None
        and isinstance(model_field, postgres_fields.ArrayField)
        and not model_field.blank
    ):
        kwargs["allow_empty"] = False

    if isinstance(model_field, models.FilePathField):
        kwargs["path"] = model_field.path
        if model_field.match is not None:
            kwargs["match"] = model_field.match
        if model_field.recursive is not False:
            kwargs["recursive"] = model_field.recursive
        if model_field.allow_files is not True:
            kwargs["allow_files"] = model_field.allow_files
        if model_field.allow_folders is not False:
            kwargs["allow_folders"] = model_field.allow_folders

    if not model_field.choices:
        # Numeric limits become max_value/min_value arguments rather than validators.
        if isinstance(model_field, NUMERIC_FIELD_TYPES):
            max_value = _limit_value(validator_kwarg, validators.MaxValueValidator)
            if max_value is not None:
                kwargs["max_value"] = max_value
                validator_kwarg = _without(validator_kwarg, validators.MaxValueValidator)
            min_value = _limit_value(validator_kwarg, validators.MinValueValidator)
            if min_value is not None:
                kwargs["min_value"] = min_value
                validator_kwarg = _without(validator_kwarg, validators.MinValueValidator)
        for model_class, validator_class in _BUILT_IN_VALIDATORS:
            if isinstance(model_field, model_class):
                validator_kwarg = _without(validator_kwarg, validator_class)
        if isinstance(model_field, models.SlugField):
            validator_kwarg = _without(validator_kwarg, validators.validate_slug)
        if isinstance(model_field, models.GenericIPAddressField):
            # IPAddressField validates the address itself, for the protocol it is given.
            for ip_validator in _IP_VALIDATORS:
                validator_kwarg = _without(validator_kwarg, ip_validator)
            if model_field.protocol.lower() != "both":
                kwargs["protocol"] = model_field.protocol

    max_length = getattr(model_field, "max_length", None)
    if max_length is not None and isinstance(
        model_field, (models.CharField, models.TextField, models.FileField)
    ):
        kwargs["max_length"] = max_length
        validator_kwarg = _without(validator_kwarg, validators.MaxLengthValidator)

    min_length = _limit_value(validator_kwarg, validators.MinLengthValidator)
    if min_length is not None and isinstance(model_field, models.CharField):
        kwargs["min_length"] = min_length
        validator_kwarg = _without(validator_kwarg, validators.MinLengthValidator)

    if getattr(model_field, "unique", False) or _single_field_unique_constraint(model_field):
        validator_kwarg.append(_unique_validator(model_field))
    if validator_kwarg:
        kwargs["validators"] = validator_kwarg
    return kwargs


def get_relation_kwargs(field_name: str, relation_info: Any) -> dict:
    """Serializer field kwargs for a relation (forward or reverse)."""
    model_field, related_model, to_many, to_field, has_through_model, _reverse = relation_info
    kwargs: dict[str, Any] = {
        "queryset": related_model._default_manager,
        "view_name": get_detail_view_name(related_model),
    }
    if to_many:
        kwargs["many"] = True
    if to_field:
        kwargs["to_field"] = to_field

    limit_choices_to = model_field and model_field.get_limit_choices_to()
    if limit_choices_to:
        if not isinstance(limit_choices_to, models.Q):
            limit_choices_to = models.Q(**limit_choices_to)
        kwargs["queryset"] = kwargs["queryset"].filter(limit_choices_to)

    if has_through_model:
        # A relation through an explicit model cannot be written by setting the related set.
        kwargs["read_only"] = True
        kwargs.pop("queryset", None)

    if model_field:
        if model_field.verbose_name and needs_label(model_field, field_name):
            kwargs["label"] = capfirst(model_field.verbose_name)
        if model_field.help_text:
            kwargs["help_text"] = model_field.help_text
        if not model_field.editable:
            kwargs["read_only"] = True
            kwargs.pop("queryset", None)
        if model_field.null:
            kwargs["allow_null"] = True
        if kwargs.get("read_only", False):
            return kwargs
        if model_field.has_default() or model_field.blank or model_field.null:
            kwargs["required"] = False
        if model_field.validators:
            kwargs["validators"] = model_field.validators
        if getattr(model_field, "unique", False):
            kwargs["validators"] = kwargs.get("validators", []) + [_unique_validator(model_field)]
        if to_many and not model_field.blank:
            kwargs["allow_empty"] = False
    return kwargs


def get_nested_relation_kwargs(relation_info: Any) -> dict:
    """Kwargs for a relation shown as a nested serializer (read-only, many for to-many)."""
    kwargs: dict[str, Any] = {"read_only": True}
    if relation_info.to_many:
        kwargs["many"] = True
    return kwargs


def get_url_kwargs(model_field: Any) -> dict:
    """Kwargs for a model's URL identity field: its detail view name."""
    return {"view_name": get_detail_view_name(model_field)}
