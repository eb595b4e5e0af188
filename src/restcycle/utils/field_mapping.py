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


# FilePathField's options, passed on only where they differ from these defaults.
_FILE_PATH_DEFAULTS = (
    ("match", None),
    ("recursive", False),
    ("allow_files", True),
    ("allow_folders", False),
)

# Numeric model validators that become serializer arguments instead.
_VALUE_LIMITS = (
    ("max_value", validators.MaxValueValidator),
    ("min_value", validators.MinValueValidator),
)


def get_field_kwargs(field_name: str, model_field: Any) -> dict:
    """Serializer field kwargs for a non-relational model field."""
    kwargs = _descriptive_kwargs(field_name, model_field)
    if isinstance(model_field, models.AutoField) or not model_field.editable:
        # Read-only fields take no further input-related arguments.
        kwargs["read_only"] = True
        return kwargs
    kwargs.update(_optionality_kwargs(model_field))
    if isinstance(model_field, models.FilePathField):
        kwargs["path"] = model_field.path
        for option, default in _FILE_PATH_DEFAULTS:
            if getattr(model_field, option) is not default:
                kwargs[option] = getattr(model_field, option)

    validator_list = list(model_field.validators)
    if not model_field.choices:
        validator_list = _move_value_limits(model_field, validator_list, kwargs)
    validator_list = _move_length_limits(model_field, validator_list, kwargs)
    if getattr(model_field, "unique", False) or _single_field_unique_constraint(model_field):
        validator_list.append(_unique_validator(model_field))
    if validator_list:
        kwargs["validators"] = validator_list
    return kwargs


def _descriptive_kwargs(field_name: str, model_field: Any) -> dict:
    """What every serializer field for `model_field` gets, read-only or not."""
    # Only the ModelField fallback uses model_field; build_standard_field drops it otherwise.
    kwargs: dict[str, Any] = {"model_field": model_field}
    if model_field.verbose_name and needs_label(model_field, field_name):
        kwargs["label"] = capfirst(model_field.verbose_name)
    if model_field.help_text:
        kwargs["help_text"] = model_field.help_text
    for attr in ("max_digits", "decimal_places"):
        if getattr(model_field, attr, None) is not None:
            kwargs[attr] = getattr(model_field, attr)
    if isinstance(model_field, models.SlugField):
        kwargs["allow_unicode"] = model_field.allow_unicode
    free_text = isinstance(model_field, models.TextField) and not model_field.choices
    if free_text or isinstance(model_field, models.JSONField):
        kwargs["style"] = {"base_template": "textarea.html"}
    if model_field.choices:
        kwargs["choices"] = model_field.choices
    return kwargs


def _optionality_kwargs(model_field: Any) -> dict:
    """required / allow_null / allow_blank / allow_empty, from the model field's flags."""
    null, blank = model_field.null, model_field.blank
    has_db_default = getattr(model_field, "has_db_default", lambda: False)()
    is_text = isinstance(model_field, (models.CharField, models.TextField))
    is_array = postgres_fields is not None and isinstance(model_field, postgres_fields.ArrayField)
    candidates = (
        ("required", False, model_field.has_default() or blank or null or has_db_default),
        ("allow_null", True, null),
        ("allow_blank", True, blank and is_text),
        ("allow_empty", False, is_array and not blank),
    )
    return {name: value for name, value, applies in candidates if applies}


def _move_value_limits(model_field: Any, validator_list: list, kwargs: dict) -> list:
    """Numeric limits become max_value/min_value; validators the field runs itself go."""
    if isinstance(model_field, NUMERIC_FIELD_TYPES):
        for kwarg, validator_class in _VALUE_LIMITS:
            limit = _limit_value(validator_list, validator_class)
            if limit is not None:
                kwargs[kwarg] = limit
                validator_list = _without(validator_list, validator_class)
    redundant = [
        cls for model_class, cls in _BUILT_IN_VALIDATORS if isinstance(model_field, model_class)
    ]
    if isinstance(model_field, models.SlugField):
        redundant.append(validators.validate_slug)
    if isinstance(model_field, models.GenericIPAddressField):
        # IPAddressField validates the address itself, for the protocol it is given.
        redundant.extend(_IP_VALIDATORS)
        if model_field.protocol.lower() != "both":
            kwargs["protocol"] = model_field.protocol
    for kind in redundant:
        validator_list = _without(validator_list, kind)
    return validator_list


def _move_length_limits(model_field: Any, validator_list: list, kwargs: dict) -> list:
    """A text or file field's max_length (and a CharField's min_length) become arguments."""
    max_length = getattr(model_field, "max_length", None)
    if max_length is not None and isinstance(
        model_field, (models.CharField, models.TextField, models.FileField)
    ):
        kwargs["max_length"] = max_length
        validator_list = _without(validator_list, validators.MaxLengthValidator)
    min_length = _limit_value(validator_list, validators.MinLengthValidator)
    if min_length is not None and isinstance(model_field, models.CharField):
        kwargs["min_length"] = min_length
        validator_list = _without(validator_list, validators.MinLengthValidator)
    return validator_list


def get_relation_kwargs(field_name: str, relation_info: Any) -> dict:
    """Serializer field kwargs for a relation (forward or reverse)."""
    model_field, related_model, to_many, to_field, has_through_model, _reverse = relation_info
    kwargs: dict[str, Any] = {
        "queryset": _choosable(related_model, model_field),
        "view_name": get_detail_view_name(related_model),
    }
    if to_many:
        kwargs["many"] = True
    if to_field:
        kwargs["to_field"] = to_field
    if model_field:
        kwargs.update(_described_relation(field_name, model_field))
    # A relation through an explicit model cannot be written by setting the related set;
    # nor can a non-editable one. Neither gets a queryset or input arguments.
    if has_through_model or (model_field and not model_field.editable):
        del kwargs["queryset"]
        kwargs["read_only"] = True
    elif model_field:
        kwargs.update(_relation_input_kwargs(model_field, to_many))
    return kwargs


def _choosable(related_model: Any, model_field: Any) -> Any:
    """The related objects a value may name: the default manager, less limit_choices_to."""
    limit = model_field.get_limit_choices_to() if model_field else None
    if not limit:
        return related_model._default_manager
    condition = limit if isinstance(limit, models.Q) else models.Q(**limit)
    return related_model._default_manager.filter(condition)


def _described_relation(field_name: str, model_field: Any) -> dict:
    """label / help_text / allow_null of a relation's model field."""
    kwargs: dict[str, Any] = {}
    if model_field.verbose_name and needs_label(model_field, field_name):
        kwargs["label"] = capfirst(model_field.verbose_name)
    if model_field.help_text:
        kwargs["help_text"] = model_field.help_text
    if model_field.null:
        kwargs["allow_null"] = True
    return kwargs


def _relation_input_kwargs(model_field: Any, to_many: bool) -> dict:
    """required / validators / allow_empty of a writable relation."""
    kwargs: dict[str, Any] = {}
    if model_field.has_default() or model_field.blank or model_field.null:
        kwargs["required"] = False
    if getattr(model_field, "unique", False):
        kwargs["validators"] = [*model_field.validators, _unique_validator(model_field)]
    elif model_field.validators:
        kwargs["validators"] = model_field.validators
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
