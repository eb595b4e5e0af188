"""Compiled validation: `Serializer.to_internal_value` as one flat loop over prepared steps.

Per serializer instance the writable fields become a list of steps (key, how to read
the input, the field's `run_validation`, the serializer's `validate_<field>`, where
the result goes). Every field's errors are still collected before raising.

For `many=True` input, `validate_list` also batches the database work of the items:
related primary keys are fetched with one `filter(pk__in=...)` per field, and
`UniqueValidator` fields are checked with one `filter(<field>__in=...)` per field;
a value repeated inside the payload is reported on the repeating items with the
validator's own message (instead of an IntegrityError at save time).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError

from .._fields.errors import end_language_snapshot, language_snapshot
from .._fields.quick import UNDECIDED, Rejected, quick_check
from ..exceptions import ValidationError
from ..fields import SkipField, empty, get_error_detail, set_value
from ..settings import on_reload
from ..utils import html
from . import eligibility
from . import plans as _plans
from . import shadow as _shadow
from .class_cache import ClassCache


class _Step:
    __slots__ = ("name", "get_value", "quick", "run_validation", "validate_method", "attrs", "key")

    def __init__(self, serializer: Any, field: Any, validate_method: Any = None):
        name = field.field_name
        self.name = name
        # get_value on non-form input is a plain dict lookup for restcycle's own fields
        # (`reads_key_outside_forms`): done inline, without the serializer's bound fields.
        self.get_value = field.get_value if _custom_get_value(type(field)) else None
        # Settles common input (and common errors) without raising; see quick_check.
        self.quick = quick_check(field)
        self.run_validation = field.run_validation
        self.validate_method = validate_method
        attrs = field.source_attrs
        self.attrs = attrs
        self.key = attrs[0] if len(attrs) == 1 else None

    def linked(self, validate_method: Any) -> _Step:
        """A copy of this prototype step calling one instance's `validate_<field>`."""
        step = object.__new__(_Step)
        for name in _Step.__slots__:
            setattr(step, name, getattr(self, name))
        step.validate_method = validate_method
        return step


def _steps(serializer: Any) -> list[_Step]:
    steps = serializer.__dict__.get("_validation_steps")
    if steps is None:
        steps = [
            _Step(serializer, field, _validate_method(serializer, field.field_name))
            for field in serializer._writable_fields
        ]
        serializer.__dict__["_validation_steps"] = steps
    return steps


# field class -> its get_value is not a plain key lookup outside form input
_custom_get_value_cache = ClassCache("custom_get_value_cache")
# serializer class -> names of its `validate_*` attributes, or None (it has __getattr__)
_validate_names_cache = ClassCache("validate_names_cache")


def _custom_get_value(cls: type) -> bool:
    try:
        return _custom_get_value_cache[cls]
    except KeyError:
        custom = not getattr(cls.get_value, "_reads_key_outside_forms", False)
        _custom_get_value_cache[cls] = custom
        return custom


def _validate_method(serializer: Any, field_name: str) -> Any:
    """`getattr(serializer, "validate_<field_name>", None)`, without a failed lookup per field."""
    cls = type(serializer)
    try:
        names = _validate_names_cache[cls]
    except KeyError:
        dynamic = getattr(cls, "__getattr__", None) is not None
        names = None if dynamic else frozenset(n for n in dir(cls) if n.startswith("validate_"))
        _validate_names_cache[cls] = names
    name = "validate_" + field_name
    if names is None or name in names or name in serializer.__dict__:
        return getattr(serializer, name, None)
    return None


# serializer class -> its prototype steps (validate_method unbound), or False
_class_steps = ClassCache("class_steps")
_class_has_validate_methods = ClassCache("class_has_validate_methods")


@on_reload
def _clear_class_steps() -> None:
    _class_steps.clear()
    _validate_names_cache.clear()
    _class_has_validate_methods.clear()


def _package_function(function: Any) -> bool:
    return eligibility.framework_code(function)


def _validates_without_instance(field: Any) -> bool:
    """True when validating with the field needs nothing of one serializer instance.

    Restcycle's own non-relational, non-nested fields qualify unless a validator or
    default asks for context (UniqueValidator, CurrentUserDefault, ...).
    """
    from ..relations import ManyRelatedField, RelatedField

    if isinstance(field, (RelatedField, ManyRelatedField, _plans._ref["base_serializer"])):
        return False
    cls = type(field)
    for name in ("run_validation", "to_internal_value", "validate_empty_values", "get_value"):
        if not _package_function(getattr(cls, name)):
            return False
    if getattr(field.default, "requires_context", False):
        return False
    if any(getattr(v, "requires_context", False) for v in field.validators):
        return False
    child = getattr(field, "child", None)
    return child is None or _validates_without_instance(child)


def _prototype_steps(serializer: Any) -> list | None:
    """The class's steps built on prototype fields, when no field needs the instance."""
    cls = type(serializer)
    steps = _class_steps.get(cls)
    if steps is None:
        steps = False
        base = _plans._ref["serializer_base"]
        if (
            _plans._class_plan_allowed(cls)
            and cls._writable_fields is base._writable_fields
            # validate_<field> from __getattr__ is looked up per instance (_steps).
            and getattr(cls, "__getattr__", None) is None
        ):
            try:
                proto = _plans._prototype(cls)
            except Exception:
                proto = None
            if proto is not None:
                fields = list(proto._writable_fields)
                if all(_validates_without_instance(field) for field in fields):
                    steps = [_Step(proto, field) for field in fields]
                    # An own __init__ may set validate_<field> on the instance.
                    per_instance = cls.__init__ is not base.__init__
                    for step in steps:
                        # Bound per instance: record the name only.
                        name = "validate_" + step.name
                        has_method = per_instance or hasattr(cls, name)
                        step.validate_method = name if has_method else None
        _class_steps[cls] = steps
        _class_has_validate_methods[cls] = bool(steps) and any(
            step.validate_method is not None for step in steps
        )
    return steps or None


def _instance_steps(serializer: Any, data: Any) -> list:
    """Prototype steps linked to this instance, or the instance's own field steps."""
    steps = serializer.__dict__.get("_validation_steps")
    if steps is not None:
        return steps
    if (
        "fields" not in serializer.__dict__
        and not serializer.partial
        and (data.__class__ is dict or not html.is_html_input(data))
    ):
        prototypes = _prototype_steps(serializer)
        if prototypes is not None:
            if not _class_has_validate_methods.get(type(serializer), True):
                return prototypes
            return [
                step
                if step.validate_method is None
                else step.linked(getattr(serializer, step.validate_method, None))
                for step in prototypes
            ]
    return _steps(serializer)


def validate_fields(serializer: Any, data: Mapping) -> dict:
    """Run each writable field (and `validate_<field>`) on `data`; all errors collected."""
    if not _shadow.fast_paths_allowed():
        from .._serializer_steps import reference_to_internal_value

        return reference_to_internal_value(serializer, data)
    ret, errors = _collect_fields(serializer, data)
    if errors:
        raise _collected(errors)
    return ret


def _collect_fields(serializer: Any, data: Mapping) -> tuple[dict, dict]:
    """(validated values, {field name: error list}) for `data`."""
    steps = _instance_steps(serializer, data)
    form_input = data.__class__ is not dict and html.is_html_input(data)
    ret: dict = {}
    errors: dict = {}
    # Error texts read the active language once for the whole loop.
    snapshot = language_snapshot()
    try:
        for step in steps:
            if step.get_value is None and not form_input:
                primitive = data.get(step.name, empty)
            else:
                primitive = serializer.fields[step.name].get_value(data)
            value = UNDECIDED if step.quick is None else step.quick(primitive)
            if value.__class__ is Rejected:
                errors[step.name] = value.detail
                continue
            try:
                if value is UNDECIDED:
                    value = step.run_validation(primitive)
                if step.validate_method is not None:
                    value = step.validate_method(value)
            except ValidationError as exc:
                errors[step.name] = exc.detail
            except DjangoValidationError as exc:
                errors[step.name] = get_error_detail(exc)
            except SkipField:
                pass
            else:
                if step.key is not None:
                    ret[step.key] = value
                else:
                    set_value(ret, step.attrs, value)
    finally:
        end_language_snapshot(snapshot)
    return ret, errors


_PLAIN_RUN = ("run_validation", "to_internal_value", "validate_empty_values", "run_validators")
_plain_run_cache = ClassCache("plain_run_cache")


def _runs_plain_validation(cls: type) -> bool:
    try:
        return _plain_run_cache[cls]
    except KeyError:
        base = _plans._ref["serializer_base"]
        plain = issubclass(cls, base) and all(
            getattr(cls, name) is getattr(base, name) for name in _PLAIN_RUN
        )
        _plain_run_cache[cls] = plain
        return plain


def plain_is_valid(serializer: Any, data: Any) -> tuple[Any, Any] | None:
    """`(validated_data, errors)` as `is_valid` would record them, without raising.

    For a Serializer whose validation steps are the base ones and a dict payload;
    None otherwise (the caller takes the general path). `validate()` and validators
    still run (and may raise) exactly as in `Serializer.run_validation`.
    """
    if data.__class__ is not dict or serializer.read_only or not _shadow.fast_paths_allowed():
        return None
    if not _runs_plain_validation(type(serializer)):
        return None
    value, errors = _collect_fields(serializer, data)
    if errors:
        return {}, errors
    try:
        serializer.run_validators(value)
        value = serializer.validate(value)
        assert value is not None, ".validate() should return the validated data"
    except (ValidationError, DjangoValidationError) as exc:
        from .._serializer_steps import as_serializer_error

        return {}, ValidationError(detail=as_serializer_error(exc)).detail
    return value, {}


def _collected(errors: dict) -> ValidationError:
    """A ValidationError for per-field details that are already lists of ErrorDetail.

    The constructor would walk them again to normalise what is normal already.
    """
    exc = ValidationError.__new__(ValidationError)
    exc.detail = errors
    return exc


# --- many=True ---------------------------------------------------------------------------


def validate_list(list_serializer: Any, data: list) -> list:
    """Validate each item with the child; every item's errors collected, in order."""
    batch = _Batch.prepare(list_serializer, data)
    ret: list = []
    errors: dict = {}
    try:
        for index, item in enumerate(data):
            try:
                validated = list_serializer.run_child_validation(item)
            except ValidationError as exc:
                errors[index] = exc.detail
            else:
                ret.append(validated)
    finally:
        if batch is not None:
            batch.restore()
    if errors:
        if not list_errors_as_dict():
            # The legacy format: one entry per item, {} for the valid ones.
            raise ValidationError([errors.get(index, {}) for index in range(len(data))])
        raise ValidationError(errors)
    return ret


def list_errors_as_dict() -> bool:
    """The LIST_SERIALIZER_ERRORS_AS_DICT setting: `{index: errors}` (default) or a list."""
    from ..settings import api_settings

    return api_settings.LIST_SERIALIZER_ERRORS_AS_DICT


def _own_class_method(obj: Any, name: str, owner: type) -> bool:
    return getattr(type(obj), name) is getattr(owner, name)


class _Batch:
    """Database lookups done once for a whole list, installed on the child's fields.

    On the reference path (shadow mode) nothing is fetched in advance: each item runs its
    own validators, and only the rule that a value may not repeat inside the payload stays.
    """

    def __init__(self) -> None:
        self._undo: list = []
        self.batched = _shadow.fast_paths_allowed()

    @classmethod
    def prepare(cls, list_serializer: Any, data: list) -> _Batch | None:
        from ..serializers import Serializer

        child = list_serializer.child
        if not isinstance(child, Serializer) or len(data) < 2:
            return None
        items = [item for item in data if isinstance(item, dict)]
        if len(items) < 2:
            return None
        batch = cls()
        for field in child._writable_fields:
            if batch.batched:
                batch._prepare_related(field, items)
            if list_serializer.instance is None and child.instance is None:
                batch._prepare_unique(field, items)
        if batch._undo and batch.batched:
            _shadow.waive_query_count(f"many=True validation fetched {len(items)} items at once")
        return batch if batch._undo else None

    def restore(self) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()

    # Related primary keys -------------------------------------------------------------

    def _prepare_related(self, field: Any, items: list) -> None:
        from ..relations import ManyRelatedField, PrimaryKeyRelatedField

        many = isinstance(field, ManyRelatedField)
        target = field.child_relation if many else field
        if not isinstance(target, PrimaryKeyRelatedField) or target.pk_field is not None:
            return
        if not _own_class_method(target, "to_internal_value", PrimaryKeyRelatedField):
            return
        queryset = target.get_queryset()
        if queryset is None:
            return
        pk_field = queryset.model._meta.pk
        keys = set()
        for item in items:
            raw = item.get(field.field_name, empty)
            values = raw if many and isinstance(raw, list) else [raw]
            for value in values:
                key = _pk_key(pk_field, value)
                if key is not None:
                    keys.add(key)
        if not keys:
            return
        found = {obj.pk: obj for obj in queryset.filter(pk__in=keys)}
        target._batch_lookup = (pk_field, found)
        self._undo.append(lambda: target.__dict__.pop("_batch_lookup", None))

    # Uniqueness -----------------------------------------------------------------------

    def _prepare_unique(self, field: Any, items: list) -> None:
        from ..validators import UniqueValidator

        if len(field.source_attrs) != 1 or not _is_package_class(type(field)):
            return
        validators = field.validators
        positions = [
            index
            for index, validator in enumerate(validators)
            if isinstance(validator, UniqueValidator)
            and validator.lookup == "exact"
            and _own_class_method(validator, "__call__", UniqueValidator)
            and _own_class_method(validator, "filter_queryset", UniqueValidator)
        ]
        if not positions:
            return
        querysets = [validators[index].queryset for index in positions]
        key = _python_key(querysets[0], field.source_attrs[0])
        if key is None or any(qs.model is not querysets[0].model for qs in querysets):
            return  # each item's UniqueValidator asks the database, which compares as it must
        values = set()
        for item in items:
            raw = item.get(field.field_name, empty)
            if raw is empty or raw is None:
                continue
            try:
                value = field.to_internal_value(raw)
            except Exception:
                continue  # the item's own validation reports it
            value = key(value)
            if isinstance(value, Hashable):
                values.add(value)
        if not values:
            return
        column = field.source_attrs[0]
        replaced = list(validators)
        for index in positions:
            validator = validators[index]
            existing = None  # reference path: the validator asks the database per item
            if self.batched:
                existing = set(
                    validator.queryset.filter(**{f"{column}__in": values}).values_list(
                        column, flat=True
                    )
                )
            replaced[index] = _BatchedUnique(validator, values, existing, key)
        original = validators
        field.validators = replaced

        def undo() -> None:
            field.validators = original

        self._undo.append(undo)


# Backends whose default collations compare text without regard to case (MySQL/MariaDB,
# SQL Server through mssql-django).
_CASE_FOLDING_VENDORS = frozenset(("mysql", "microsoft"))


def _python_key(queryset: Any, column: str) -> Any:
    """value -> what the column holds, when Python's == on it is the column's own =; else None.

    A relation is compared by the key it stores (the instance's target column). A column
    with a collation, a field class from outside Django (citext and the like), or text on
    a backend whose default comparison folds case is left to the database.
    """
    from django.core.exceptions import FieldDoesNotExist
    from django.db import connections
    from django.db.models import CharField, Model, TextField

    try:
        model_field = queryset.model._meta.get_field(column)
    except FieldDoesNotExist:
        return None
    target = model_field
    if model_field.is_relation:
        if not model_field.concrete or model_field.many_to_many:
            return None
        target = model_field.target_field
    if target.is_relation or getattr(target, "db_collation", None) is not None:
        return None
    for checked in {model_field, target}:
        module = type(checked).__module__
        if not (module == "django.db.models" or module.startswith("django.db.models.")):
            return None
    vendor = connections[queryset.db].vendor
    if vendor in _CASE_FOLDING_VENDORS and isinstance(target, (CharField, TextField)):
        return None
    if model_field is target:
        return _same
    attname = target.attname
    return lambda value: getattr(value, attname) if isinstance(value, Model) else value


def _same(value: Any) -> Any:
    return value


def _pk_key(pk_field: Any, value: Any) -> Any:
    if value is empty or value is None or isinstance(value, (bool, list, dict)):
        return None
    try:
        key = pk_field.to_python(value)
    except Exception:
        return None
    return key if isinstance(key, Hashable) else None


def batch_lookup(field: Any, data: Any) -> Any:
    """The object for `data` from the list-wide pk batch, or None to query as usual."""
    pk_field, found = field._batch_lookup
    key = _pk_key(pk_field, data)
    if key is None:
        return None
    return found.get(key)


def _is_package_class(cls: type) -> bool:
    return eligibility.keeps_framework_steps(cls, "compiled validation (field)")


class _BatchedUnique:
    """Stands in for a UniqueValidator while a list validates: answers from one query
    (`existing`), or on the reference path (`existing` None) from the validator itself."""

    requires_context = True

    def __init__(self, validator: Any, asked: set, existing: set | None, key: Any = _same):
        self.validator = validator
        self.asked = asked  # keys: what the column holds, compared as the column compares
        self.existing = existing
        self.key = key
        self.seen: set = set()

    def __call__(self, value: Any, serializer_field: Any) -> None:
        key = self.key(value)
        if not isinstance(key, Hashable) or key not in self.asked:
            return self.validator(value, serializer_field)
        if self.existing is None:
            self.validator(value, serializer_field)
        elif key in self.existing:
            raise ValidationError(self.validator.message, code="unique")
        if key in self.seen:
            raise ValidationError(self.validator.message, code="unique")
        self.seen.add(key)
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.validator, name)
