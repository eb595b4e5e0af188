"""The steps every serializer shares: validate, save, report errors, represent.

`BaseSerializer`, `Serializer` and `ListSerializer` (in `serializers.py`) differ only
in what they put around these steps, so each step is written once here.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError

from ._observe import trace as _trace
from .exceptions import ErrorDetail, ValidationError
from .fields import SkipField, get_error_detail, set_value
from .relations import PKOnlyObject
from .settings import api_settings

COMMIT_MESSAGE = (
    "'commit' is not a valid keyword argument to the 'save()' method. "
    "If you need to access data before committing to the database then "
    "inspect 'serializer.validated_data' instead. "
    "You can also pass additional keyword arguments to 'save()' if you "
    "need to set extra attributes on the saved model instance. "
    "For example: 'serializer.save(owner=request.user)'.'"
)

NO_DATA_MESSAGE = (
    "Cannot call `.is_valid()` as no `data=` keyword argument was "
    "passed when instantiating the serializer instance."
)


def as_serializer_error(exc: Exception) -> dict:
    """The `{field: [errors]}` dict a serializer reports for a validation exception."""
    assert isinstance(exc, (ValidationError, DjangoValidationError))
    detail = get_error_detail(exc) if isinstance(exc, DjangoValidationError) else exc.detail
    if isinstance(detail, Mapping):
        # Every value is a list (or a nested dict) of errors.
        return {
            key: value if isinstance(value, (list, Mapping)) else [value]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        # Errors raised as a list are non-field errors.
        return {api_settings.NON_FIELD_ERRORS_KEY: detail}
    return {api_settings.NON_FIELD_ERRORS_KEY: [detail]}


def run_validation(serializer: Any, data: Any) -> Any:
    """Empty values, then `to_internal_value`, validators and `validate()`; errors as a dict."""
    is_empty_value, data = serializer.validate_empty_values(data)
    if is_empty_value:
        return data
    return _checked(serializer, serializer.to_internal_value(data))


def _checked(serializer: Any, value: Any) -> Any:
    """`value` through the serializer's validators and validate(), errors as the error dict."""
    try:
        serializer.run_validators(value)
        validated = serializer.validate(value)
    except (ValidationError, DjangoValidationError) as exc:
        raise ValidationError(detail=as_serializer_error(exc))
    assert validated is not None, ".validate() should return the validated data"
    return validated


def save(serializer: Any, validated_data: Any) -> Any:
    """`update()` the serializer's instance, or `create()` one, as the "perform" stage."""
    trace = _trace.current.get() if _trace.hook is not None else None
    if trace is not None:
        trace.enter("perform")
    try:
        if serializer.instance is not None:
            serializer.instance = serializer.update(serializer.instance, validated_data)
            assert serializer.instance is not None, "`update()` did not return an object instance."
        else:
            serializer.instance = serializer.create(validated_data)
            assert serializer.instance is not None, "`create()` did not return an object instance."
    finally:
        if trace is not None:
            trace.exit()
    return serializer.instance


def is_valid(serializer: Any, raise_exception: bool) -> bool:
    """Settle `initial_data` once, as the "validate" stage; raise the errors if asked to."""
    assert hasattr(serializer, "initial_data"), NO_DATA_MESSAGE
    if not hasattr(serializer, "_validated_data"):
        trace = _trace.current.get() if _trace.hook is not None else None
        if trace is not None:
            trace.enter("validate")
        try:
            settled = serializer._settle_validation()
            if settled[1] and trace is not None:
                trace.note_invalid(serializer)
        finally:
            if trace is not None:
                trace.exit()
        serializer._validated_data, serializer._errors = settled

    if serializer._errors and raise_exception:
        raise ValidationError(serializer.errors)
    return not bool(serializer._errors)


def no_data_as_non_field_error(errors: Any) -> Any:
    """A lone "null" error means no data at all: say so, not "This field may not be null."."""
    if isinstance(errors, list) and len(errors) == 1 and getattr(errors[0], "code", None) == "null":
        detail = ErrorDetail("No data provided", code="null")
        return {api_settings.NON_FIELD_ERRORS_KEY: [detail]}
    return errors


def warn_list_errors_deprecated() -> None:
    """List-shaped errors of a many=True serializer go away with DRF 3.20."""
    from .deprecation import RemovedInDRF320Warning

    warnings.warn(
        "Errors of a many=True serializer as a list (one entry per item) are "
        "deprecated; LIST_SERIALIZER_ERRORS_AS_DICT=False will be removed, and "
        "errors will be a dict keyed by the index of each invalid item.",
        RemovedInDRF320Warning,
        stacklevel=5,  # the caller of is_valid()
    )


def default_to_representation(serializer: Any, instance: Any) -> dict:
    """The field-by-field loop; the reference the compiled plans must agree with.

    A field whose attribute is None (or a pk-only stand-in without a pk) shows None
    without being asked, so that no field has to handle None itself.
    """
    result = {}
    for field in serializer._readable_fields:
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            continue
        missing = (attribute.pk if isinstance(attribute, PKOnlyObject) else attribute) is None
        result[field.field_name] = None if missing else field.to_representation(attribute)
    return result


def reference_to_internal_value(serializer: Any, data: Mapping) -> dict:
    """The documented field-by-field validation; the reference compiled validation must
    agree with (shadow mode runs it). Each writable field reads its input, runs its own
    validation, then the serializer's `validate_<field>`; every field's errors are
    collected before raising."""
    outcomes = [
        (field, _field_outcome(serializer, field, data)) for field in serializer._writable_fields
    ]
    errors = {
        field.field_name: outcome.detail
        for field, outcome in outcomes
        if isinstance(outcome, _FieldErrors)
    }
    if errors:
        raise ValidationError(errors)
    validated: dict = {}
    for field, outcome in outcomes:
        if outcome is not _LEFT_OUT:
            set_value(validated, field.source_attrs, outcome)
    return validated


class _FieldErrors:
    """One field's validation errors, as an outcome among values."""

    def __init__(self, detail: Any) -> None:
        self.detail = detail


_LEFT_OUT = object()  # the field raised SkipField: no key in the validated data


def _field_outcome(serializer: Any, field: Any, data: Mapping) -> Any:
    """The field's validated value, _LEFT_OUT, or _FieldErrors."""
    validate_method = getattr(serializer, f"validate_{field.field_name}", None)
    try:
        value = field.run_validation(field.get_value(data))
        return value if validate_method is None else validate_method(value)
    except SkipField:
        return _LEFT_OUT
    except ValidationError as exc:
        return _FieldErrors(exc.detail)
    except DjangoValidationError as exc:
        return _FieldErrors(get_error_detail(exc))
