"""How ModelSerializer builds its fields from the model, and the per-class cache of it.

ModelSerializer's public hooks (`get_field_names`, `build_*`, `get_extra_kwargs`, ...)
delegate here. A class that keeps every hook builds its fields once; each instance
then gets copies. A class that overrides a hook builds per instance, as in DRF, since
the override may read `self.context` or other instance state.
"""

from __future__ import annotations

import copy
import inspect
from collections import defaultdict
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator

from . import _engine
from ._engine import ClassCache
from .fields import CreateOnlyDefault, Field, HiddenField, empty
from .settings import on_reload
from .utils import model_meta
from .utils.field_mapping import ClassLookupDict, get_field_kwargs, postgres_fields

# Hooks whose default implementation makes the built fields a function of the class alone.
_BUILD_HOOKS = (
    "get_field_names",
    "get_default_field_names",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_url_field",
    "build_unknown_field",
    "include_extra_kwargs",
    "get_extra_kwargs",
    "get_unique_together_constraints",
    "get_uniqueness_extra_kwargs",
    "_get_model_fields",
)

# (serializer class, url_field_name) -> (prototype fields, model fields list, related objects)
_built_fields_cache = ClassCache("built_fields_cache")
_hooks_default_cache = ClassCache("hooks_default_cache")


@on_reload
def _clear_caches() -> None:
    _built_fields_cache.clear()
    _has_unique_together.clear()
    _has_date_uniqueness.clear()


def _restcycle_hook_owners() -> tuple:
    from .serializers import HyperlinkedModelSerializer, ModelSerializer

    return (ModelSerializer, HyperlinkedModelSerializer)


def hooks_are_default(cls: type) -> bool:
    """True when `cls` overrides none of ModelSerializer's field-building hooks."""
    try:
        return _hooks_default_cache[cls]
    except KeyError:
        pass
    owners = _restcycle_hook_owners()
    result = True
    for name in _BUILD_HOOKS:
        function = getattr(cls, name)
        if not any(owner.__dict__.get(name) is function for owner in owners):
            result = False
            break
    _hooks_default_cache[cls] = result
    return result


def _model_is_cacheable(model: Any) -> bool:
    # A callable limit_choices_to is evaluated at build time; it may change per call.
    return not any(
        callable(getattr(getattr(field, "remote_field", None), "limit_choices_to", None))
        for field in model._meta.get_fields()
        if getattr(field, "remote_field", None) is not None and not field.auto_created
    )


def varying_choices(serializer_class: Any) -> str | None:
    """A field of the serializer class whose choices are read anew for each serializer.

    DRF evaluates a model field's callable `choices`, and a lazy choices iterator given
    to a declared field, each time it builds a serializer's fields; no field built from
    them may outlive one serializer, so such a class gets no class-level fields or plans.
    """
    declared = getattr(serializer_class, "_declared_fields", None) or {}
    for name, field in declared.items():
        given = (*getattr(field, "_args", ()), *getattr(field, "_kwargs", {}).values())
        if any(isinstance(value, BaseChoiceIterator) for value in given):
            return name
    return _model_varying_choices(getattr(getattr(serializer_class, "Meta", None), "model", None))


def _model_varying_choices(model: Any) -> str | None:
    """A field of `model` whose `choices` is a callable, or None."""
    if model is None:
        return None
    for field in model._meta.get_fields():
        if isinstance(getattr(field, "choices", None), BaseChoiceIterator):
            return field.name
    return None


def cached_model_fields(serializer: Any) -> dict | None:
    """A fresh copy of the class's built fields, or None when they cannot be cached."""
    cls = type(serializer)
    meta = getattr(cls, "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not hooks_are_default(cls) or model_meta.is_abstract_model(model):
        return None
    key = (cls, serializer.url_field_name)
    opts = model._meta
    entry = _built_fields_cache.get(key)
    if entry is None or entry[1] is not opts.fields or entry[2] is not opts.related_objects:
        if not _model_is_cacheable(model) or varying_choices(cls) is not None:
            return None
        with _engine.class_setup():
            prototypes = build_model_fields(serializer)
            copiers = {name: _copier(field) for name, field in prototypes.items()}
        entry = (copiers, opts.fields, opts.related_objects)
        _built_fields_cache[key] = entry
    return {name: make() for name, make in entry[0].items()}


def _fresh(value: Any) -> Any:
    """A new, unbound copy of a built field: fields and containers copied, the rest shared.

    Unlike deepcopy, querysets, managers and model fields in the arguments stay the
    objects the build made, as they would be in a build of their own.
    """
    from .serializers import BaseSerializer

    if isinstance(value, BaseSerializer):
        return copy.deepcopy(value)
    if isinstance(value, Field):
        args = [_fresh(arg) for arg in value._args]
        kwargs = {
            key: item if key in ("validators", "regex") else _fresh(item)
            for key, item in value._kwargs.items()
        }
        return type(value)(*args, **kwargs)
    if type(value) is list:
        return [_fresh(item) for item in value]
    if type(value) is dict:
        return {key: _fresh(item) for key, item in value.items()}
    return value


# The package's own name, "restcycle" or "rest_framework" under the drop-in alias.
_PACKAGE_PREFIX = __name__.rpartition(".")[0] + "."
_STATE_HOOKS = ("__init__", "__new__", "__deepcopy__", "__copy__", "__setattr__", "__getattr__")
# Serializer state that exists only once it has been used; a prototype holding any of it
# is rebuilt instead of copied.
_SERIALIZER_USE_STATE = ("fields", "initial_data", "_data", "_errors", "_validated_data")
_copyable_cache = ClassCache("copyable_cache")


def _copyable(cls: type) -> bool:
    """Whether a copy of a built field equals what re-running `__init__` would give.

    True when every class that defines construction or attribute hooks is one of the
    package's own, whose `__init__` depends on its arguments alone; a user's field
    class with its own `__init__` is rebuilt from its arguments, as DRF does.
    """
    try:
        return _copyable_cache[cls]
    except KeyError:
        pass
    result = not any("__slots__" in klass.__dict__ for klass in cls.__mro__[:-1])
    for klass in cls.__mro__:
        if klass is object or not result:
            break
        if any(name in klass.__dict__ for name in _STATE_HOOKS):
            result = klass.__module__.startswith(_PACKAGE_PREFIX)
    _copyable_cache[cls] = result
    return result


def _own_bind(cls: type) -> bool:
    """Whether `cls.bind` is restcycle's: it only records the parent and derives names."""
    return getattr(cls.bind, "__module__", "").startswith(_PACKAGE_PREFIX)


def _copier(prototype: Any) -> Any:
    """A function returning a new copy of `prototype` each call, as `_fresh` would.

    Copyable fields get the prototype's state in a new object, with their own lists,
    dicts and sets and their own copies of child fields (rebound to the copy); the
    rest (querysets, validators, model fields) is shared, as a rebuild shares it.
    """
    from .serializers import BaseSerializer

    cls = type(prototype)
    state = dict(prototype.__dict__)
    if (
        not isinstance(prototype, Field)
        or not _copyable(cls)
        or (
            isinstance(prototype, BaseSerializer)
            and any(name in state for name in _SERIALIZER_USE_STATE)
        )
    ):
        return lambda: _fresh(prototype)
    containers = tuple(name for name, item in state.items() if type(item) in (list, dict, set))
    children = []
    for name, item in state.items():
        if name == "parent" or not isinstance(item, Field):
            continue
        if item.parent is prototype and (
            isinstance(item, BaseSerializer) or not _own_bind(type(item))
        ):
            # A child whose bind() does work (a serializer's, or a third party's, such as
            # drf-recursive's RecursiveField) is rebuilt, so that bind() sees the new parent.
            return lambda: _fresh(prototype)
        children.append((name, _copier(item), item.parent is prototype))
    new_object = object.__new__

    def copy_field() -> Any:
        new = new_object(cls)
        new_state = state.copy()
        for name in containers:
            new_state[name] = new_state[name].copy()
        for name, make, owned in children:
            child = make()
            if owned:
                child.parent = new
            new_state[name] = child
        new_state["_creation_counter"] = Field._creation_counter
        Field._creation_counter += 1
        new.__dict__.update(new_state)
        return new

    return copy_field


def default_field_mapping() -> dict:
    """ModelSerializer.serializer_field_mapping: model field class -> serializer field class."""
    from . import fields as f

    mapping = {
        models.AutoField: f.IntegerField,
        models.BigAutoField: f.IntegerField,
        models.BigIntegerField: f.BigIntegerField,
        models.BooleanField: f.BooleanField,
        models.CharField: f.CharField,
        models.DateField: f.DateField,
        models.DateTimeField: f.DateTimeField,
        models.DecimalField: f.DecimalField,
        models.DurationField: f.DurationField,
        models.EmailField: f.EmailField,
        models.Field: f.ModelField,
        models.FileField: f.FileField,
        models.FloatField: f.FloatField,
        models.ImageField: f.ImageField,
        models.IntegerField: f.IntegerField,
        models.PositiveIntegerField: f.IntegerField,
        models.PositiveSmallIntegerField: f.IntegerField,
        models.SlugField: f.SlugField,
        models.SmallIntegerField: f.IntegerField,
        models.TextField: f.CharField,
        models.TimeField: f.TimeField,
        models.URLField: f.URLField,
        models.UUIDField: f.UUIDField,
        models.GenericIPAddressField: f.IPAddressField,
        models.FilePathField: f.FilePathField,
        models.JSONField: f.JSONField,
    }
    if postgres_fields is not None:
        mapping[postgres_fields.HStoreField] = f.HStoreField
        mapping[postgres_fields.ArrayField] = f.ListField
    return mapping


def build_model_fields(serializer: Any) -> dict:
    """ModelSerializer.get_fields' work: declared fields plus fields built from the model."""
    cls_name = serializer.__class__.__name__
    assert hasattr(serializer, "Meta"), f'Class {cls_name} missing "Meta" attribute'
    assert hasattr(serializer.Meta, "model"), f'Class {cls_name} missing "Meta.model" attribute'
    if model_meta.is_abstract_model(serializer.Meta.model):
        raise ValueError("Cannot use ModelSerializer with Abstract Models.")

    declared_fields = copy.deepcopy(serializer._declared_fields)
    model = serializer.Meta.model
    depth = _checked_depth(serializer.Meta)
    info = model_meta.get_field_info(model)
    names = serializer.get_field_names(declared_fields, info)
    extra_kwargs, hidden_fields = serializer.get_uniqueness_extra_kwargs(
        names, declared_fields, serializer.get_extra_kwargs()
    )
    # A declared field is used as declared; any other is built from the model.
    fields = {
        name: declared_fields[name]
        if name in declared_fields
        else _field_from_model(serializer, name, extra_kwargs.get(name, {}), info, depth)
        for name in names
    }
    fields.update(hidden_fields)
    _check_to_many_defaults(serializer, fields, info)
    return fields


def _checked_depth(meta: Any) -> int | None:
    """Meta.depth (0 by default), which nests relations at most ten levels deep."""
    depth = getattr(meta, "depth", 0)
    assert depth is None or depth >= 0, "'depth' may not be negative."
    assert depth is None or depth <= 10, "'depth' may not be greater than 10."
    return depth


def _field_from_model(serializer: Any, name: str, extra: dict, info: Any, depth: Any) -> Any:
    """The field build_field() makes for `name` (or its extra_kwargs source), kwargs applied."""
    source = extra.get("source", "*")
    field_class, field_kwargs = serializer.build_field(
        name if source == "*" else source, info, serializer.Meta.model, depth
    )
    return field_class(**serializer.include_extra_kwargs(field_kwargs, extra))


def _check_to_many_defaults(serializer: Any, fields: dict, info: Any) -> None:
    """A to-many relation cannot default to None: `.set(None)` would fail at save time."""
    from .relations import ManyRelatedField

    for name, field in fields.items():
        if not isinstance(field, ManyRelatedField) or field.default is not None:
            continue
        relation = info.relations.get(field.source or name)
        if relation is not None and relation.to_many:
            raise ValueError(
                f"The field '{name}' on serializer '{serializer.__class__.__name__}' is a "
                "ManyToMany field and cannot have a default value of None."
            )


def field_names(serializer: Any, declared_fields: dict, info: Any) -> list:
    meta = serializer.Meta
    cls_name = serializer.__class__.__name__
    fields = getattr(meta, "fields", None)
    exclude = getattr(meta, "exclude", None)

    if fields and fields != "__all__" and not isinstance(fields, (list, tuple)):
        raise TypeError(
            f'The `fields` option must be a list or tuple or "__all__". '
            f"Got {type(fields).__name__}."
        )
    if exclude and not isinstance(exclude, (list, tuple)):
        raise TypeError(
            f"The `exclude` option must be a list or tuple. Got {type(exclude).__name__}."
        )
    assert not (fields and exclude), (
        f"Cannot set both 'fields' and 'exclude' options on serializer {cls_name}."
    )
    assert not (fields is None and exclude is None), (
        "Creating a ModelSerializer without either the 'fields' attribute "
        "or the 'exclude' attribute has been deprecated since 3.3.0, "
        f"and is now disallowed. Add an explicit fields = '__all__' to the "
        f"{cls_name} serializer."
    )

    if fields == "__all__":
        fields = None

    if fields is not None:
        # Every field declared on this class (not inherited) must be listed.
        required = set(declared_fields)
        for base in serializer.__class__.__bases__:
            required -= set(getattr(base, "_declared_fields", []))
        for field_name in required:
            assert field_name in fields, (
                f"The field '{field_name}' was declared on serializer {cls_name}, but has "
                "not been included in the 'fields' option."
            )
        return fields

    fields = serializer.get_default_field_names(declared_fields, info)
    if exclude is not None:
        for field_name in exclude:
            assert field_name not in serializer._declared_fields, (
                f"Cannot both declare the field '{field_name}' and include "
                f"it in the {cls_name} 'exclude' option. Remove the "
                "field or, if inherited from a parent serializer, disable "
                f"with `{field_name} = None`."
            )
            assert field_name in fields, (
                f"The field '{field_name}' was included on serializer "
                f"{cls_name} in the 'exclude' option, but does "
                "not match any model field."
            )
            fields.remove(field_name)
    return fields


# Arguments a ChoiceField accepts; a model field with choices may have built others.
_CHOICE_FIELD_KWARGS = {
    "read_only",
    "write_only",
    "required",
    "default",
    "initial",
    "source",
    "label",
    "help_text",
    "style",
    "error_messages",
    "validators",
    "allow_null",
    "allow_blank",
    "choices",
}


def standard_field(serializer: Any, field_name: str, model_field: Any) -> tuple:
    from . import fields as f

    field_class = ClassLookupDict(serializer.serializer_field_mapping)[model_field]
    field_kwargs = get_field_kwargs(field_name, model_field)

    # A one-to-one primary key (e.g. multi-table inheritance) is a relation.
    if model_field.one_to_one and model_field.primary_key:
        field_class = serializer.serializer_related_field
        field_kwargs["queryset"] = model_field.related_model._default_manager

    if "choices" in field_kwargs:
        field_class = serializer.serializer_choice_field
        for key in list(field_kwargs):
            if key not in _CHOICE_FIELD_KWARGS:
                field_kwargs.pop(key)

    if not issubclass(field_class, f.ModelField):
        field_kwargs.pop("model_field", None)

    if not issubclass(field_class, f.CharField) and not issubclass(field_class, f.ChoiceField):
        field_kwargs.pop("allow_blank", None)

    if isinstance(model_field, models.JSONField):
        field_kwargs["encoder"] = getattr(model_field, "encoder", None)
        field_kwargs["decoder"] = getattr(model_field, "decoder", None)

    if postgres_fields is not None and isinstance(model_field, postgres_fields.ArrayField):
        child_class, child_kwargs = serializer.build_standard_field("child", model_field.base_field)
        field_kwargs["child"] = child_class(**child_kwargs)

    return field_class, field_kwargs


def extra_kwargs(serializer: Any) -> dict:
    meta = serializer.Meta
    result = copy.deepcopy(getattr(meta, "extra_kwargs", {}))
    read_only_fields = getattr(meta, "read_only_fields", None)
    if read_only_fields is not None:
        if not isinstance(read_only_fields, (list, tuple)):
            raise TypeError(
                "The `read_only_fields` option must be a list or tuple. "
                f"Got {type(read_only_fields).__name__}."
            )
        for field_name in read_only_fields:
            kwargs = result.get(field_name, {})
            kwargs["read_only"] = True
            result[field_name] = kwargs
    else:
        # `readonly_fields` is the Django admin's spelling; catch the easy mistake.
        assert not hasattr(meta, "readonly_fields"), (
            f"Serializer `{serializer.__class__.__module__}.{serializer.__class__.__name__}` "
            "has field `readonly_fields`; the correct spelling for the option is "
            "`read_only_fields`."
        )
    return result


def _q_field_names(condition: Q) -> set:
    """The model field names a Q object refers to (the part of each lookup before `__`)."""
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _q_field_names(child)
        else:
            names.add(child[0].split("__")[0])
    return names


def unique_together_constraints(model: Any) -> Any:
    for parent_class in [model, *model._meta.parents]:
        for unique_together in parent_class._meta.unique_together:
            yield unique_together, model._default_manager, [], None
        for constraint in parent_class._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint) or not constraint.fields:
                continue
            # A single unconditional field is a UniqueValidator on that field instead.
            if len(constraint.fields) == 1 and constraint.condition is None:
                continue
            if constraint.condition is None:
                condition_fields = []
            else:
                condition_fields = list(_q_field_names(constraint.condition))
            yield (
                constraint.fields,
                model._default_manager,
                condition_fields,
                constraint.condition,
            )


def _constraint_options(model: Any, fields: tuple, condition: Any) -> dict:
    """UniqueTogetherValidator options a matching UniqueConstraint carries.

    Its custom violation message always; its error code and `nulls_distinct` when the
    validator class accepts them.
    """
    from .validators import UniqueTogetherValidator

    accepted = inspect.signature(UniqueTogetherValidator.__init__).parameters
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        if tuple(constraint.fields) != tuple(fields) or constraint.condition != condition:
            continue
        options = {}
        message = constraint.violation_error_message
        if message and message != constraint.default_violation_error_message:
            options["message"] = message
        code = getattr(constraint, "violation_error_code", None)
        if code and "code" in accepted:
            options["code"] = code
        nulls_distinct = getattr(constraint, "nulls_distinct", None)
        if nulls_distinct is not None and "nulls_distinct" in accepted:
            options["nulls_distinct"] = nulls_distinct
        return options
    return {}


def model_fields_for(
    serializer: Any, field_names: list, declared_fields: dict, extra_kwargs: dict
) -> dict:
    """{source: model field} for the serializer fields that map straight onto one."""
    sources = (
        _source_of(name, declared_fields, extra_kwargs.get(name, {})) for name in field_names
    )
    # A dotted or '*' source is not one model field; a property or method is not a field.
    result = {}
    for source in sources:
        if "." not in source and source != "*":
            model_field = _model_field_or_none(serializer.Meta.model, source)
            if isinstance(model_field, models.Field):
                result[source] = model_field
    return result


def _source_of(name: str, declared_fields: dict, extra: dict) -> str:
    """Where field `name` reads from: its declared source, or Meta.extra_kwargs' 'source'."""
    if name in declared_fields:
        return declared_fields[name].source or name
    return extra.get("source", name)


def _model_field_or_none(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist
        return None


def uniqueness_extra_kwargs(
    serializer: Any, field_names: list, declared_fields: dict, extra_kwargs: dict
) -> tuple:
    if getattr(serializer.Meta, "validators", None) is not None:
        return (extra_kwargs, {})

    model = serializer.Meta.model
    model_fields = serializer._get_model_fields(field_names, declared_fields, extra_kwargs)
    hidden_fields = {}
    for name in _uniqueness_constrained(serializer, model, model_fields):
        default = _omitted_value(model._meta.get_field(name))
        if name in model_fields:
            # The user's own extra_kwargs for the field win over what uniqueness implies.
            implied = {"required": True} if default is empty else {"default": default}
            extra_kwargs[name] = {**implied, **extra_kwargs.get(name, {})}
        elif default is not empty:
            # Not on the serializer, but has a default: validate with a hidden field.
            hidden_fields[name] = HiddenField(default=default)
    return extra_kwargs, hidden_fields


_DATE_UNIQUENESS = ("unique_for_date", "unique_for_month", "unique_for_year")


def _uniqueness_constrained(serializer: Any, model: Any, model_fields: dict) -> set:
    """Model field names a uniqueness validator will need a value for.

    The unique_for_* dates of the serializer's model fields, and every field of a
    unique-together set whose fields the serializer covers completely.
    """
    names = {getattr(field, attr) for field in model_fields.values() for attr in _DATE_UNIQUENESS}
    names.discard(None)
    covered = set(model_fields)
    for (
        together,
        _queryset,
        condition_fields,
        _condition,
    ) in serializer.get_unique_together_constraints(model):
        group = {*together, *condition_fields}
        if group <= covered:
            names |= group
    return names


def _omitted_value(model_field: Any) -> Any:
    """What a create stores for `model_field` when the input leaves it out; else `empty`."""
    if getattr(model_field, "auto_now_add", None):
        return CreateOnlyDefault(timezone.now)
    if getattr(model_field, "auto_now", None):
        return timezone.now
    if model_field.has_default():
        return model_field.default
    if model_field.null:
        return None
    # The database stores "" for an omitted blank text field.
    is_text = isinstance(model_field, (models.CharField, models.TextField))
    return "" if model_field.blank and is_text else empty


# model -> whether it has any unique-together set or multi-field UniqueConstraint.
_has_unique_together: dict[type, bool] = {}
# model -> whether any of its fields has unique_for_date/month/year.
_has_date_uniqueness: dict[type, bool] = {}


def _constraints_hook_is_default(cls: type) -> bool:
    function = cls.get_unique_together_constraints
    return any(
        owner.__dict__.get("get_unique_together_constraints") is function
        for owner in _restcycle_hook_owners()
    )


def unique_together_validators(serializer: Any) -> list:
    from .validators import UniqueTogetherValidator

    model = serializer.Meta.model
    if _constraints_hook_is_default(type(serializer)):
        # Most models have no such constraint: then there is nothing to match fields to.
        has_any = _has_unique_together.get(model)
        if has_any is None:
            has_any = _has_unique_together[model] = any(
                True for _constraint in unique_together_constraints(model)
            )
        if not has_any:
            return []

    # Only simple sources can map onto model fields.
    field_sources = {
        field.field_name: field.source
        for field in serializer._writable_fields
        if field.source != "*" and "." not in field.source
    }
    # Read-only fields with a default take part too.
    field_sources.update(
        {
            field.field_name: field.source
            for field in serializer.fields.values()
            if field.read_only
            and field.default is not empty
            and field.source != "*"
            and "." not in field.source
        }
    )
    source_map = defaultdict(list)
    for name, source in field_sources.items():
        source_map[source].append(name)

    validators = []
    for (
        together,
        queryset,
        condition_fields,
        condition,
    ) in serializer.get_unique_together_constraints(model):
        names = set(together) | set(condition_fields)
        if not set(source_map).issuperset(names):
            continue
        for source in names:
            assert len(source_map[source]) == 1, (
                f"Unable to create `UniqueTogetherValidator` for "
                f"`{model.__name__}.{source}` as `{serializer.__class__.__name__}` has "
                f"multiple fields ({', '.join(source_map[source])}) that map to this model "
                "field. Either remove the extra fields, or override `Meta.validators` with a "
                "`UniqueTogetherValidator` using the desired field names."
            )
        validators.append(
            UniqueTogetherValidator(
                queryset=queryset,
                fields=tuple(source_map[name][0] for name in together),
                condition_fields=tuple(source_map[name][0] for name in condition_fields),
                condition=condition,
                **_constraint_options(model, together, condition),
            )
        )
    return validators


def unique_for_date_validators(serializer: Any) -> list:
    from .validators import (
        UniqueForDateValidator,
        UniqueForMonthValidator,
        UniqueForYearValidator,
    )

    model = serializer.Meta.model
    has_any = _has_date_uniqueness.get(model)
    if has_any is None:
        has_any = _has_date_uniqueness[model] = any(
            field.unique_for_date or field.unique_for_month or field.unique_for_year
            for field in model._meta.fields
        )
    if not has_any:
        return []
    info = model_meta.get_field_info(model)
    default_manager = model._default_manager
    sources = [field.source for field in serializer.fields.values()]

    validators = []
    for field_name, field in info.fields_and_pk.items():
        if field_name not in sources:
            continue
        for attribute, validator_class in (
            ("unique_for_date", UniqueForDateValidator),
            ("unique_for_month", UniqueForMonthValidator),
            ("unique_for_year", UniqueForYearValidator),
        ):
            date_field = getattr(field, attribute)
            if date_field:
                validators.append(
                    validator_class(
                        queryset=default_manager, field=field_name, date_field=date_field
                    )
                )
    return validators
