"""Serializers: turn objects into primitive data, and validated input back into objects.

    class BookSerializer(serializers.ModelSerializer):
        class Meta:
            model = Book
            fields = ["id", "title", "author"]

The public API is DRF's. Underneath, a serializer class compiles a plan once (see
`_engine.plans` and `_engine.validation_plan`) and runs it per object; any override of a
documented method (`to_representation`, `get_fields`, a field's methods, ...) keeps
its documented meaning, because the plan steps aside for what it does not know.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping
from typing import Any

from django.db.models.manager import BaseManager
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import _engine, _serializer_steps
from . import _model_serializer_build as _build
from . import _model_serializer_writes as _writes
from ._fields.base import (
    WRAPPER_FIELD_ARGUMENTS,
    field_init_follows,
    init_with_defaults,
    reads_key_outside_forms,
)
from ._model_serializer_writes import raise_errors_on_nested_writes  # noqa: F401  as in DRF
from ._observe import trace as _trace
from ._serializer_steps import as_serializer_error  # noqa: F401  as in DRF
from ._serializer_steps import default_to_representation as _default_to_representation
from .exceptions import ValidationError
from .fields import *  # noqa: F403  DRF's serializers module re-exports every field
from .fields import (  # noqa: F401  names DRF's serializers module also exposes
    CreateOnlyDefault,
    CurrentUserDefault,
    Field,
    SkipField,
    empty,
    get_error_detail,
    set_value,
)
from .relations import *  # noqa: F403  and every relational field
from .relations import (  # noqa: F401  PKOnlyObject is importable from here, as in DRF
    HyperlinkedIdentityField,
    HyperlinkedRelatedField,
    PKOnlyObject,
    PrimaryKeyRelatedField,
    SlugRelatedField,
)
from .settings import api_settings
from .utils import html, model_meta, representation  # noqa: F401  model_meta as in DRF
from .utils.field_mapping import (  # noqa: F401  importable from here, as in DRF
    ClassLookupDict,
    get_field_kwargs,
    get_nested_relation_kwargs,
    get_relation_kwargs,
    get_url_kwargs,
)
from .utils.serializer_helpers import (
    BindingDict,
    BoundField,
    JSONBoundField,
    NestedBoundField,
    ReturnDict,
    ReturnList,
)

# `Meta.fields = ALL_FIELDS` includes every model field.
ALL_FIELDS = "__all__"

# Arguments a `many=True` call passes on to the ListSerializer instead of the child.
LIST_SERIALIZER_KWARGS = (
    *WRAPPER_FIELD_ARGUMENTS,
    "allow_empty",
    "instance",
    "data",
    "partial",
    "context",
    "allow_null",
    "max_length",
    "min_length",
)
# ... and those that belong to the ListSerializer only, never to the child.
LIST_SERIALIZER_KWARGS_REMOVE = ("allow_empty", "min_length", "max_length")

# --- BaseSerializer ----------------------------------------------------------------------


class BaseSerializer(Field):
    """The serializer protocol: `.data`, `.is_valid()`, `.errors`, `.validated_data`, `.save()`.

    Subclasses implement `to_representation`, `to_internal_value`, `create`, `update`.
    """

    def __init__(self, instance: Any = None, data: Any = empty, **kwargs: Any):
        self.instance = instance
        if data is not empty:
            self.initial_data = data
        self.partial = kwargs.pop("partial", False)
        self._context = kwargs.pop("context", {})
        kwargs.pop("many", None)
        if kwargs or not field_init_follows(type(self), BaseSerializer):
            super().__init__(**kwargs)
        else:
            init_with_defaults(self)

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # `many=True` gives a ListSerializer whose child is an instance of this class.
        if kwargs.pop("many", False):
            return cls.many_init(*args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        return cls

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> ListSerializer:
        """Build the ListSerializer for `many=True`; override to customise it."""
        list_kwargs = {}
        for key in LIST_SERIALIZER_KWARGS_REMOVE:
            value = kwargs.pop(key, None)
            if value is not None:
                list_kwargs[key] = value
        list_kwargs["child"] = cls(*args, **kwargs)
        list_kwargs.update({k: v for k, v in kwargs.items() if k in LIST_SERIALIZER_KWARGS})
        meta = getattr(cls, "Meta", None)
        list_serializer_class = getattr(meta, "list_serializer_class", ListSerializer)
        return list_serializer_class(*args, **list_kwargs)

    def to_internal_value(self, data: Any) -> Any:
        raise NotImplementedError("`to_internal_value()` must be implemented.")

    def to_representation(self, instance: Any) -> Any:
        raise NotImplementedError("`to_representation()` must be implemented.")

    def update(self, instance: Any, validated_data: Any) -> Any:
        raise NotImplementedError("`update()` must be implemented.")

    def create(self, validated_data: Any) -> Any:
        raise NotImplementedError("`create()` must be implemented.")

    def save(self, **kwargs: Any) -> Any:
        """Create or update the instance from `validated_data` (plus `kwargs`)."""
        assert hasattr(self, "_errors"), "You must call `.is_valid()` before calling `.save()`."
        assert not self.errors, "You cannot call `.save()` on a serializer with invalid data."
        assert "commit" not in kwargs, _serializer_steps.COMMIT_MESSAGE
        assert not hasattr(self, "_data"), (
            "You cannot call `.save()` after accessing `serializer.data`."
            "If you need to access data before committing to the database then "
            "inspect 'serializer.validated_data' instead. "
        )

        return _serializer_steps.save(self, {**self.validated_data, **kwargs})

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        """Validate `initial_data`; errors go to `.errors` (or raise, with raise_exception)."""
        return _serializer_steps.is_valid(self, raise_exception)

    def _settle_validation(self) -> tuple[Any, Any]:
        """(validated data, errors) for `initial_data`: one of them is empty."""
        # A plain Serializer given a dict settles its errors without raising them.
        settled = _engine.plain_is_valid(self, self.initial_data)
        if settled is None:
            try:
                settled = (self.run_validation(self.initial_data), {})
            except ValidationError as exc:
                settled = ({}, exc.detail)
        return settled

    @property
    def data(self) -> Any:
        if hasattr(self, "initial_data") and not hasattr(self, "_validated_data"):
            raise AssertionError(
                "When a serializer is passed a `data` keyword argument you "
                "must call `.is_valid()` before attempting to access the "
                "serialized `.data` representation.\n"
                "You should either call `.is_valid()` first, "
                "or access `.initial_data` instead."
            )
        if not hasattr(self, "_data"):
            trace = _trace.current.get() if _trace.hook is not None else None
            if trace is not None:
                trace.enter("serialize")
            try:
                if self.instance is not None and not getattr(self, "_errors", None):
                    self._data = self.to_representation(self.instance)
                elif hasattr(self, "_validated_data") and not getattr(self, "_errors", None):
                    self._data = self.to_representation(self.validated_data)
                else:
                    self._data = self.get_initial()
            finally:
                if trace is not None:
                    trace.exit()
        return self._data

    @property
    def errors(self) -> Any:
        if not hasattr(self, "_errors"):
            raise AssertionError("You must call `.is_valid()` before accessing `.errors`.")
        return self._errors

    @property
    def validated_data(self) -> Any:
        if not hasattr(self, "_validated_data"):
            raise AssertionError("You must call `.is_valid()` before accessing `.validated_data`.")
        return self._validated_data


# --- Serializer --------------------------------------------------------------------------


class SerializerMetaclass(type):
    """Collects the `Field` class attributes into `_declared_fields`, in declaration order.

    Inherited fields come first; a subclass attribute of the same name (even `None`)
    replaces or removes an inherited field; with several bases the leftmost wins.
    """

    @classmethod
    def _get_declared_fields(cls, bases: tuple, attrs: dict) -> dict:
        own = [
            (name, attrs.pop(name)) for name, obj in list(attrs.items()) if isinstance(obj, Field)
        ]
        own.sort(key=lambda item: item[1]._creation_counter)

        taken = set(attrs)  # names the class itself defines (fields were popped above)
        inherited = []
        for base in bases:
            for name, field in getattr(base, "_declared_fields", {}).items():
                if name not in taken:
                    taken.add(name)
                    inherited.append((name, field))
        return dict(inherited + own)

    def __new__(cls, name: str, bases: tuple, attrs: dict) -> type:
        attrs["_declared_fields"] = cls._get_declared_fields(bases, attrs)
        return super().__new__(cls, name, bases, attrs)


class Serializer(BaseSerializer, metaclass=SerializerMetaclass):
    """A serializer whose fields are declared as class attributes."""

    default_error_messages = {
        "invalid": _("Invalid data. Expected a dictionary, but got {datatype}."),
    }

    def set_value(self, dictionary: dict, keys: list, value: Any) -> None:
        set_value(dictionary, keys, value)

    @cached_property
    def fields(self) -> BindingDict:
        """{field_name: field} of this instance's own bound field copies (built on first use)."""
        fields = BindingDict(self)
        for key, value in self.get_fields().items():
            fields[key] = value
        fields.pristine = True
        return fields

    @property
    def _writable_fields(self) -> Any:
        for field in self.fields.values():
            if not field.read_only:
                yield field

    @property
    def _readable_fields(self) -> Any:
        for field in self.fields.values():
            if not field.write_only:
                yield field

    def get_fields(self) -> dict:
        """The fields this serializer has, unbound: a deep copy of the declared ones."""
        return copy.deepcopy(self._declared_fields)

    def get_validators(self) -> list:
        meta = getattr(self, "Meta", None)
        validators = getattr(meta, "validators", None)
        return list(validators) if validators else []

    def get_initial(self) -> Any:
        if hasattr(self, "initial_data"):
            if not isinstance(self.initial_data, Mapping):
                return {}
            initial = {}
            for field_name, field in self.fields.items():
                if field.read_only:
                    continue
                value = field.get_value(self.initial_data)
                if value is not empty:
                    initial[field_name] = value
            return initial
        return {
            field.field_name: field.get_initial()
            for field in self.fields.values()
            if not field.read_only
        }

    @reads_key_outside_forms
    def get_value(self, dictionary: Any) -> Any:
        # Form input carries a nested object as `name.key` entries.
        if html.is_html_input(dictionary):
            return html.parse_html_dict(dictionary, prefix=self.field_name) or empty
        return dictionary.get(self.field_name, empty)

    def run_validation(self, data: Any = empty) -> Any:
        """Validate fields (`to_internal_value`), then validators, then `validate()`."""
        return _serializer_steps.run_validation(self, data)

    def _read_only_defaults(self) -> dict:
        """Defaults of read-only fields, so serializer validators see those values."""
        defaults = {}
        for field in self.fields.values():
            if not field.read_only or field.default is empty:
                continue
            if field.source == "*" or "." in field.source:
                continue
            try:
                defaults[field.source] = field.get_default()
            except SkipField:
                continue
        return defaults

    def run_validators(self, value: Any) -> None:
        if not self.validators:
            return  # nothing to run: skip building the read-only defaults
        if isinstance(value, dict):
            to_validate = self._read_only_defaults()
            to_validate.update(value)
        else:
            to_validate = value
        super().run_validators(to_validate)

    def to_internal_value(self, data: Any) -> Any:
        """Dict of primitives → dict of validated values; errors of every field collected."""
        if not isinstance(data, Mapping):
            message = self.error_messages["invalid"].format(datatype=type(data).__name__)
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="invalid")
        return _engine.validate_fields(self, data)

    def to_representation(self, instance: Any) -> Any:
        """Object instance → dict of primitive datatypes."""
        return _engine.represent(self, instance)

    def validate(self, attrs: Any) -> Any:
        return attrs

    def __repr__(self) -> str:
        return representation.serializer_repr(self, indent=1)

    # The field/value/error triples that templates render, e.g. `{% for field in form %}`.

    def __iter__(self) -> Any:
        for field in self.fields.values():
            yield self[field.field_name]

    def __getitem__(self, key: str) -> BoundField:
        field = self.fields[key]
        value = self.data.get(key)
        error = self.errors.get(key) if hasattr(self, "_errors") else None
        if isinstance(field, Serializer):
            return NestedBoundField(field, value, error)
        if getattr(field, "_is_jsonfield", False):
            return JSONBoundField(field, value, error)
        return BoundField(field, value, error)

    @property
    def data(self) -> ReturnDict:
        return ReturnDict(super().data, serializer=self)

    @property
    def errors(self) -> ReturnDict:
        return ReturnDict(
            _serializer_steps.no_data_as_non_field_error(super().errors), serializer=self
        )


# --- ListSerializer ----------------------------------------------------------------------


class ListSerializer(BaseSerializer):
    """A list of objects, each handled by `child` (what `many=True` builds)."""

    child: Any = None
    many = True

    default_error_messages = {
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "empty": _("This list may not be empty."),
        "max_length": _("Ensure this field has no more than {max_length} elements."),
        "min_length": _("Ensure this field has at least {min_length} elements."),
    }

    def __init__(
        self,
        *args: Any,
        allow_empty: bool = True,
        max_length: int | None = None,
        min_length: int | None = None,
        **kwargs: Any,
    ):
        # The child given, else a copy of the class's own (a subclass may declare one).
        child = kwargs.pop("child") if "child" in kwargs else copy.deepcopy(self.child)
        assert child is not None, "`child` is a required argument."
        assert not inspect.isclass(child), "`child` has not been instantiated."
        self.child = child
        self.allow_empty, self.max_length, self.min_length = allow_empty, max_length, min_length
        super().__init__(*args, **kwargs)
        child.bind(field_name="", parent=self)

    def get_initial(self) -> Any:
        if hasattr(self, "initial_data"):
            return self.to_representation(self.initial_data)
        return []

    @reads_key_outside_forms
    def get_value(self, dictionary: Any) -> Any:
        if self.field_name not in dictionary and getattr(self.root, "partial", False):
            return empty
        # Form input carries a list as `name[0]`, `name[1]`, ... entries.
        if html.is_html_input(dictionary):
            return html.parse_html_list(dictionary, prefix=self.field_name, default=empty)
        return dictionary.get(self.field_name, empty)

    def run_validation(self, data: Any = empty) -> Any:
        return _serializer_steps.run_validation(self, data)

    def run_child_validation(self, data: Any) -> Any:
        """Validate one item with the child; override to change how items validate."""
        return self.child.run_validation(data)

    def _list_error(self, key: str, **kwargs: Any) -> ValidationError:
        message = self.error_messages[key].format(**kwargs) if kwargs else self.error_messages[key]
        return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}, code=key)

    def to_internal_value(self, data: Any) -> list:
        """List of primitives → list of validated items; every item's errors collected."""
        if html.is_html_input(data):
            data = html.parse_html_list(data, default=[])

        if not isinstance(data, list):
            raise self._list_error("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            raise self._list_error("empty")
        if self.max_length is not None and len(data) > self.max_length:
            raise self._list_error("max_length", max_length=self.max_length)
        if self.min_length is not None and len(data) < self.min_length:
            raise self._list_error("min_length", min_length=self.min_length)

        return _engine.validate_list(self, data)

    def to_representation(self, data: Any) -> list:
        """List of object instances → list of primitive representations."""
        iterable = data.all() if isinstance(data, BaseManager) else data
        return _engine.represent_many(self.child, iterable)

    def validate(self, attrs: Any) -> Any:
        return attrs

    def update(self, instance: Any, validated_data: Any) -> Any:
        raise NotImplementedError(
            "Serializers with many=True do not support multiple update by "
            "default, only multiple create. For updates it is unclear how to "
            "deal with insertions and deletions. If you need to support "
            "multiple update, use a `ListSerializer` class and override "
            "`.update()` so you can specify the behavior exactly."
        )

    def create(self, validated_data: list) -> list:
        return [self.child.create(attrs) for attrs in validated_data]

    def save(self, **kwargs: Any) -> Any:
        """Create (or, with a custom `update()`, update) every item."""
        assert "commit" not in kwargs, _serializer_steps.COMMIT_MESSAGE
        validated_data = [{**attrs, **kwargs} for attrs in self.validated_data]
        return _serializer_steps.save(self, validated_data)

    def _settle_validation(self) -> tuple[Any, Any]:
        # As BaseSerializer's, with lists for the empty cases.
        try:
            return self.run_validation(self.initial_data), []
        except ValidationError as exc:
            if isinstance(exc.detail, list) and not _engine.list_errors_as_dict():
                _serializer_steps.warn_list_errors_deprecated()
            return [], exc.detail

    def __repr__(self) -> str:
        return representation.list_repr(self, indent=1)

    @property
    def data(self) -> ReturnList:
        return ReturnList(super().data, serializer=self)

    @property
    def errors(self) -> Any:
        ret = _serializer_steps.no_data_as_non_field_error(super().errors)
        if isinstance(ret, dict):
            return ReturnDict(ret, serializer=self)
        return ReturnList(ret, serializer=self)


# --- ModelSerializer ---------------------------------------------------------------------


class ModelSerializer(Serializer):
    """A serializer whose fields are derived from a model (`Meta.model`, `Meta.fields`).

    Field construction is cached per class; instances bind their own copies only
    when `.fields` is used. Override any `build_*` / `get_*` hook as documented.
    """

    serializer_field_mapping = _build.default_field_mapping()
    serializer_related_field = PrimaryKeyRelatedField
    serializer_related_to_field = SlugRelatedField
    serializer_url_field = HyperlinkedIdentityField
    serializer_choice_field = ChoiceField  # noqa: F405
    # The name of the URL field; None means the URL_FIELD_NAME setting.
    url_field_name: str | None = None

    # Default `.create()` and `.update()` behavior...

    def create(self, validated_data: dict) -> Any:
        """Create the model instance; to-many relations are set after it is saved."""
        return _writes.create_instance(self, validated_data)

    def update(self, instance: Any, validated_data: dict) -> Any:
        """Set each attribute and save; to-many relations are set after the save."""
        return _writes.update_instance(self, instance, validated_data)

    # Determine the fields to apply...

    def get_fields(self) -> dict:
        """The serializer's fields: declared ones plus those built from the model."""
        if self.url_field_name is None:
            self.url_field_name = api_settings.URL_FIELD_NAME
        cached = _build.cached_model_fields(self)
        if cached is not None:
            return cached
        return _build.build_model_fields(self)

    def get_field_names(self, declared_fields: dict, info: Any) -> list:
        """The names in `Meta.fields` (or all, less `Meta.exclude`), checked."""
        return _build.field_names(self, declared_fields, info)

    def get_default_field_names(self, declared_fields: dict, model_info: Any) -> list:
        """The fields `__all__` means: pk, declared fields, model fields, forward relations."""
        return (
            [model_info.pk.name]
            + list(declared_fields)
            + list(model_info.fields)
            + list(model_info.forward_relations)
        )

    # Methods for constructing serializer fields...

    def build_field(self, field_name: str, info: Any, model_class: Any, nested_depth: int) -> tuple:
        """(field class, kwargs) for a field name that was not declared on the serializer."""
        if field_name in info.fields_and_pk:
            return self.build_standard_field(field_name, info.fields_and_pk[field_name])
        if field_name in info.relations:
            relation_info = info.relations[field_name]
            if not nested_depth:
                return self.build_relational_field(field_name, relation_info)
            return self.build_nested_field(field_name, relation_info, nested_depth)
        if hasattr(model_class, field_name):
            return self.build_property_field(field_name, model_class)
        if field_name == self.url_field_name:
            return self.build_url_field(field_name, model_class)
        return self.build_unknown_field(field_name, model_class)

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple:
        """(field class, kwargs) for a plain model field."""
        return _build.standard_field(self, field_name, model_field)

    def build_relational_field(self, field_name: str, relation_info: Any) -> tuple:
        """(field class, kwargs) for a relation shown as pks (or links, or slugs)."""
        field_class = self.serializer_related_field
        field_kwargs = get_relation_kwargs(field_name, relation_info)

        to_field = field_kwargs.pop("to_field", None)
        if (
            to_field
            and not relation_info.reverse
            and not relation_info.related_model._meta.get_field(to_field).primary_key
        ):
            field_kwargs["slug_field"] = to_field
            field_class = self.serializer_related_to_field

        # `view_name` is only valid for hyperlinked relationships.
        if not issubclass(field_class, HyperlinkedRelatedField):
            field_kwargs.pop("view_name", None)
        return field_class, field_kwargs

    def build_nested_field(self, field_name: str, relation_info: Any, nested_depth: int) -> tuple:
        """(field class, kwargs) for a relation shown nested (`Meta.depth`)."""
        field_class = _nested_serializer_class(ModelSerializer, relation_info, nested_depth)
        return field_class, get_nested_relation_kwargs(relation_info)

    def build_property_field(self, field_name: str, model_class: Any) -> tuple:
        """(field class, kwargs) for a model property or method: read-only."""
        return ReadOnlyField, {}  # noqa: F405

    def build_url_field(self, field_name: str, model_class: Any) -> tuple:
        """(field class, kwargs) for the URL identity field."""
        return self.serializer_url_field, get_url_kwargs(model_class)

    def build_unknown_field(self, field_name: str, model_class: Any) -> tuple:
        """A name matching nothing on the model is a configuration error."""
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"Field name `{field_name}` is not valid for model `{model_class.__name__}` "
            f"in `{self.__class__.__module__}.{self.__class__.__name__}`."
        )

    def include_extra_kwargs(self, kwargs: dict, extra_kwargs: dict) -> dict:
        """Merge `Meta.extra_kwargs` for one field into its built kwargs."""
        if extra_kwargs.get("read_only", False):
            for attr in (
                "required",
                "default",
                "allow_blank",
                "min_length",
                "max_length",
                "min_value",
                "max_value",
                "validators",
                "queryset",
            ):
                kwargs.pop(attr, None)

        if extra_kwargs.get("default") and kwargs.get("required") is False:
            kwargs.pop("required")

        if extra_kwargs.get("read_only", kwargs.get("read_only", False)):
            # Read-only fields never take `required`.
            extra_kwargs.pop("required", None)

        kwargs.update(extra_kwargs)
        return kwargs

    # Methods for determining additional keyword arguments to apply...

    def get_extra_kwargs(self) -> dict:
        """`Meta.extra_kwargs`, with `Meta.read_only_fields` folded in."""
        return _build.extra_kwargs(self)

    def get_unique_together_constraints(self, model: Any) -> Any:
        """(field names, queryset, condition fields, condition) per multi-field uniqueness."""
        return _build.unique_together_constraints(model)

    def get_uniqueness_extra_kwargs(
        self, field_names: list, declared_fields: dict, extra_kwargs: dict
    ) -> tuple:
        """Make fields in unique constraints required (or defaulted, or hidden)."""
        return _build.uniqueness_extra_kwargs(self, field_names, declared_fields, extra_kwargs)

    def _get_model_fields(
        self, field_names: list, declared_fields: dict, extra_kwargs: dict
    ) -> dict:
        return _build.model_fields_for(self, field_names, declared_fields, extra_kwargs)

    # Determine the validators to apply...

    def get_validators(self) -> list:
        """`Meta.validators`, or the model's unique-together and unique-for-date checks."""
        validators = getattr(getattr(self, "Meta", None), "validators", None)
        if validators is not None:
            return list(validators)
        return self.get_unique_together_validators() + self.get_unique_for_date_validators()

    def get_unique_together_validators(self) -> list:
        return _build.unique_together_validators(self)

    def get_unique_for_date_validators(self) -> list:
        return _build.unique_for_date_validators(self)


class HyperlinkedModelSerializer(ModelSerializer):
    """A ModelSerializer that links related objects by URL, with a `url` field."""

    serializer_related_field = HyperlinkedRelatedField

    def get_default_field_names(self, declared_fields: dict, model_info: Any) -> list:
        return (
            [self.url_field_name]
            + list(declared_fields)
            + list(model_info.fields)
            + list(model_info.forward_relations)
        )

    def build_nested_field(self, field_name: str, relation_info: Any, nested_depth: int) -> tuple:
        field_class = _nested_serializer_class(
            HyperlinkedModelSerializer, relation_info, nested_depth
        )
        return field_class, get_nested_relation_kwargs(relation_info)


def _nested_serializer_class(base: type, relation_info: Any, nested_depth: int) -> type:
    """A `base` subclass for every field of the related model, one level shallower."""

    class NestedSerializer(base):
        class Meta:
            model = relation_info.related_model
            depth = nested_depth - 1
            fields = "__all__"

    return NestedSerializer


_engine.register_reference(
    serializer_base=Serializer,
    list_serializer=ListSerializer,
    base_serializer=BaseSerializer,
    model_serializer=ModelSerializer,
    default_loop=_default_to_representation,
)
