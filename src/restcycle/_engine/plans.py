"""Compiled serialization plans: `Serializer.to_representation` without per-field overhead.

A plan is compiled once per serializer class (from prototype fields, so instances
need no field copies) or, when an instance's fields differ from its class's (its
`.fields` were touched, `get_fields` is overridden, a field needs the instance's
context), once per serializer instance from its own bound fields.

For each readable field the plan holds the output key, how to read the value, and
how to convert it (nothing at all when the field returns its input unchanged). Per
object class it generates one function that builds the output dict in a single
function with one step per field. Each step reads its value directly only where the read
runs no user code (a model column, a forward relation, a dict key); anything else is read
by the field's own `get_attribute`. A step that fails is settled where it failed, as
DRF's field-by-field loop (`_serializer_steps.default_to_representation`, the reference)
settles it: a missing related object is None, a missing attribute takes the field's
default / None / skip, and any other exception propagates. No object is ever run twice,
so user code (properties, method fields, their queries) runs exactly as often as on the
reference path.

The plan also records what each field reads (`Plan.reads`): column, relation,
prefetch cache, whether it needs the model instance; query planning builds on it.
"""

from __future__ import annotations

import inspect
import itertools
import linecache
import threading
from itertools import compress
from operator import attrgetter, is_not
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model

from .._fields import temporal as _field_temporal
from ..settings import on_reload
from . import eligibility
from . import plan_converters as _plan_converters
from . import prepared_query as _prepared_query
from . import shadow as _shadow
from .class_cache import ClassCache

# Set by serializers.py once its classes exist (this module is imported before them).
_ref: dict[str, Any] = {}


def register_reference(**classes: Any) -> None:
    _ref.update(classes)


class _Skip:
    """The marker a step's read returns when the reference loop would skip the field."""


_SKIP = _Skip()


# --- what a field needs ------------------------------------------------------------------


def _own_function(cls: type, name: str) -> Any:
    return getattr(cls, name, None)


def _field_classes() -> dict:
    if "fields" not in _ref:
        from .. import fields, relations

        _ref["fields"] = fields
        _ref["relations"] = relations
    return _ref


def _is_context_free(field: Any) -> bool:
    """The field's output depends only on its configuration, never on context or parent.

    True for restcycle's own field classes (and subclasses that keep their
    `to_representation` and `get_attribute`), except those that read the request.
    """
    refs = _field_classes()
    fields, relations = refs["fields"], refs["relations"]
    cls = type(field)
    for name in ("to_representation", "get_attribute"):
        if not eligibility.framework_code(_own_function(cls, name)):
            return False
    context_readers = tuple(
        klass
        for klass in (
            getattr(fields, "FileField", None),
            getattr(fields, "SerializerMethodField", None),
            relations.HyperlinkedRelatedField,
        )
        if klass is not None
    )
    if isinstance(field, context_readers):
        return False
    if isinstance(field, _ref["base_serializer"]):
        return False  # nested serializers are planned as such, not as plain fields
    child = getattr(field, "child", None)
    if child is not None and not _is_context_free(child):
        return False
    child_relation = getattr(field, "child_relation", None)
    return child_relation is None or _is_context_free(child_relation)


def _identity_types(field: Any) -> frozenset:
    """Exact types for which the field's to_representation returns its input."""
    cls = type(field)
    declared_in = next((k for k in cls.__mro__ if "_output_is_identity_for" in k.__dict__), None)
    converter_in = next((k for k in cls.__mro__ if "to_representation" in k.__dict__), None)
    if declared_in is None or converter_in is None or not issubclass(declared_in, converter_in):
        return frozenset()
    return frozenset(cls._output_is_identity_for)


# --- entries -----------------------------------------------------------------------------


class Entry:
    """One output key: how to read it (`kind`) and what to call on the value."""

    __slots__ = (
        "key",
        "field",
        "kind",
        "source_attrs",
        "converter",
        "identity",
        "nested",
        "method_name",
        "context_free",
    )

    def __init__(self, key: str, field: Any, kind: str):
        self.key = key
        self.field = field
        self.kind = kind
        self.source_attrs = list(getattr(field, "source_attrs", []))
        self.converter = None
        self.identity = frozenset()
        self.nested = None  # the nested serializer's Runner
        self.method_name = None
        self.context_free = True


def _is_our_serializer_output(serializer: Any) -> bool:
    return type(serializer).to_representation is _ref["serializer_base"].to_representation


def _plain_list_output(field: Any) -> bool:
    return type(field).to_representation is _ref["list_serializer"].to_representation


def _make_entry(field: Any) -> Entry:
    refs = _field_classes()
    fields, relations = refs["fields"], refs["relations"]
    key = field.field_name
    base_get_attribute = fields.Field.get_attribute
    cls = type(field)

    method_field = getattr(fields, "SerializerMethodField", None)
    if (
        method_field is not None
        and isinstance(field, method_field)
        and cls.to_representation is method_field.to_representation
        and cls.get_attribute is method_field.get_attribute
    ):
        entry = Entry(key, field, "method")
        entry.method_name = field.method_name
        return entry

    if isinstance(field, _ref["list_serializer"]):
        child = field.child
        if (
            _plain_list_output(field)
            and cls.get_attribute is base_get_attribute
            and isinstance(child, _ref["serializer_base"])
            and _is_our_serializer_output(child)
        ):
            nested = _nested_runner(child)
            if nested is not None:
                entry = Entry(key, field, "nested_many")
                entry.nested = nested
                entry.context_free = nested.context_free
                return entry
        return _generic_entry(key, field, context_free=False)

    if isinstance(field, _ref["base_serializer"]):
        if cls.get_attribute is base_get_attribute and _is_our_serializer_output(field):
            nested = _nested_runner(field)
            if nested is not None:
                entry = Entry(key, field, "nested")
                entry.nested = nested
                entry.context_free = nested.context_free
                return entry
        return _generic_entry(key, field, context_free=False)

    context_free = _is_context_free(field)

    if isinstance(field, relations.ManyRelatedField):
        child = field.child_relation
        if cls.get_attribute is relations.ManyRelatedField.get_attribute and (
            cls.to_representation is relations.ManyRelatedField.to_representation
        ):
            entry = Entry(key, field, "many_related")
            entry.converter = _pk_reader(child)
            entry.context_free = context_free
            return entry
        return _generic_entry(key, field, context_free)

    if isinstance(field, relations.RelatedField):
        if (
            _pk_reader(field) is not None
            and cls.get_attribute is relations.RelatedField.get_attribute
            and cls.use_pk_only_optimization
            is relations.PrimaryKeyRelatedField.use_pk_only_optimization
        ):
            entry = Entry(key, field, "fk_pk")
            entry.context_free = context_free
            return entry
        if cls.get_attribute is relations.RelatedField.get_attribute and not (
            field.use_pk_only_optimization()
        ):
            entry = Entry(key, field, "value")
            entry.converter = field.to_representation
            entry.context_free = context_free
            return entry
        return _generic_entry(key, field, context_free)

    if cls.get_attribute is base_get_attribute:
        entry = Entry(key, field, "value")
        entry.identity = _identity_types(field)
        entry.converter = _plan_converters.converter_for(field)
        entry.context_free = context_free
        return entry
    return _generic_entry(key, field, context_free)


def _generic_entry(key: str, field: Any, context_free: bool) -> Entry:
    entry = Entry(key, field, "generic")
    entry.context_free = context_free
    return entry


def _pk_reader(field: Any) -> Any:
    """For a PrimaryKeyRelatedField without pk_field: a marker that `obj.pk` is its output."""
    relations = _field_classes()["relations"]
    if (
        isinstance(field, relations.PrimaryKeyRelatedField)
        and type(field).to_representation is relations.PrimaryKeyRelatedField.to_representation
        and field.pk_field is None
    ):
        return "pk"
    return None


# --- code generation ---------------------------------------------------------------------


def _model_opts(cls: type) -> Any:
    if isinstance(cls, type) and issubclass(cls, Model):
        return cls._meta
    return None


def _concrete_names(opts: Any) -> dict:
    """{name: model field} of plain columns and forward single relations."""
    return {f.name: f for f in opts.concrete_fields}


def _is_overridden_on_class(cls: type, attr: str) -> bool:
    """A model may shadow a field name with a property; then the plain read is wrong."""
    static = inspect.getattr_static(cls, attr, None)
    return static is not None and not type(static).__module__.startswith("django.")


def _direct_read(attrs: list, cls: type) -> str | None:
    """An expression reading `attrs` from `obj` (of class `cls`) that runs no user code.

    Only plain dict keys, a model's pk, its columns and its forward relations qualify
    (Django's own descriptors); None for anything else, which the field's own
    `get_attribute` then reads. Errors are the ones the reference read raises.
    """
    expr, value_cls = "obj", cls
    for attr in attrs:
        if value_cls is dict:
            expr, value_cls = f"{expr}[{attr!r}]", None
            continue
        opts = _model_opts(value_cls)
        if opts is None or not attr.isidentifier():
            return None
        if attr == "pk":
            expr, value_cls = f"{expr}.pk", None
            continue
        model_field = _concrete_names(opts).get(attr)
        if model_field is None or _is_overridden_on_class(value_cls, attr):
            return None
        expr = f"{expr}.{attr}"
        value_cls = model_field.related_model if model_field.is_relation else None
    return expr


def _relation_descriptor(cls: type, attr: str) -> tuple[str, Any] | None:
    """(prefetch cache name, related model) for a to-many relation `attr` of model `cls`."""
    opts = _model_opts(cls)
    if opts is None:
        return None
    for field in opts.get_fields():
        if field.many_to_many and not field.auto_created and field.name == attr:
            return field.name, field.related_model
        reverse_to_many = (field.one_to_many or field.many_to_many) and field.auto_created
        if reverse_to_many and field.get_accessor_name() == attr:
            if field.many_to_many:
                return field.field.related_query_name(), field.related_model
            cache_name = getattr(field, "cache_name", None) or field.get_cache_name()
            return cache_name, field.related_model
    return None


def _many_reader(attr: str, cache_name: str) -> Any:
    """obj -> the related objects: the prefetch cache when filled, else `.all()`."""

    def read(obj: Any) -> Any:
        cache = obj.__dict__.get("_prefetched_objects_cache")
        if cache is not None:
            items = cache.get(cache_name)
            if items is not None:
                # The fetched rows themselves, when nothing is left to do on iteration.
                rows = getattr(items, "_result_cache", None)
                if rows is not None and (
                    items._prefetch_done or not items._prefetch_related_lookups
                ):
                    return rows
                return items
        if obj.pk is None:
            return ()
        return getattr(obj, attr).all()

    return read


def _many_pk_reader(attr: str, cache_name: str, pk_attname: str) -> Any:
    """obj -> the related objects' pks as a list: from the prefetch cache when filled, else
    one `values_list` query (the same query count as `.all()`, without building objects)."""
    read_objects = _many_reader(attr, cache_name)
    get_pk = attrgetter(pk_attname)

    def read(obj: Any) -> list:
        cache = obj.__dict__.get("_prefetched_objects_cache")
        if cache is not None:
            items = cache.get(cache_name)
            if items is not None:
                rows = getattr(items, "_result_cache", None)
                if rows is not None and (
                    items._prefetch_done or not items._prefetch_related_lookups
                ):
                    return list(map(get_pk, rows))  # the common case, read in one step
                return list(map(get_pk, read_objects(obj)))
        if obj.pk is None or (cache is not None and cache_name in cache):
            return list(map(get_pk, read_objects(obj)))
        return _prepared_query.related_pks(obj, attr)

    return read


# Generated source -> factory: plans compiled per instance share the compiled code.
_factory_cache: dict[str, Any] = {}


class Plan:
    """The compiled form of one serializer's readable fields (see module docstring)."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.context_free = all(e.context_free for e in entries) and not any(
            e.kind == "method" for e in entries
        )
        self.needs_fields = not all(e.context_free or e.kind == "method" for e in entries)
        self._factories: dict[type, tuple] = {}
        self.reads = [_describe(e) for e in entries]
        self.shared_runner: Runner | None = None  # set by runner_for when context-free

    def factory(self, cls: type) -> tuple:
        """(function making a row function from slot values, slot kinds) for class `cls`."""
        try:
            return self._factories[cls]
        except KeyError:
            pass
        made = self._compile(cls)
        self._factories[cls] = made
        return made

    def _compile(self, cls: type) -> tuple:
        slots: list[tuple] = []  # (kind, entry or value) resolved per runner
        steps = []
        for entry in self.entries:
            steps.extend(self._step_code(entry, cls, slots))
        names = [f"_s{i}" for i in range(len(slots))]
        body = "".join(f"        {line}\n" for line in steps)
        source = (
            f"def _factory(_SKIP, _ODNE, {', '.join(names)}):\n"
            f"    def row(obj):\n"
            f"        d = {{}}\n"
            f"{body}"
            f"        return d\n"
            f"    return row\n"
        )
        factory = _factory_cache.get(source)
        if factory is None:
            factory = _factory_cache[source] = generated_function(
                source, f"plan {cls.__name__}", "_factory"
            )
        return factory, slots

    def _slot(self, slots: list, kind: str, payload: Any) -> str:
        slots.append((kind, payload))
        return f"_s{len(slots) - 1}"

    def _step_code(self, entry: Entry, cls: type, slots: list) -> list[str]:
        """The lines that set `d[key]` for one entry, or leave it out where DRF skips it."""
        kind, target = entry.kind, f"d[{entry.key!r}]"
        if kind == "method":
            return [f"{target} = {self._slot(slots, 'method', entry)}(obj)"]
        if kind == "generic":
            generic = self._slot(slots, "generic", entry)
            return [f"_v = {generic}(obj)", "if _v is not _SKIP:", f"    {target} = _v"]
        if kind == "fk_pk":
            opts = _model_opts(cls)
            attrs = entry.source_attrs
            model_field = _concrete_names(opts).get(attrs[0]) if opts and len(attrs) == 1 else None
            if model_field is None or not model_field.is_relation:
                entry_generic = Entry(entry.key, entry.field, "generic")
                return self._step_code(entry_generic, cls, slots)
            return [f"{target} = obj.{model_field.attname}"]
        if kind in ("many_related", "nested_many"):
            attrs = entry.source_attrs
            described = _relation_descriptor(cls, attrs[0]) if len(attrs) == 1 else None
            if described is None:
                return self._step_code(Entry(entry.key, entry.field, "generic"), cls, slots)
            cache_name, related_model = described
            if kind == "many_related" and entry.converter == "pk":
                pk_attname = related_model._meta.pk.attname
                pks = self._slot(slots, "const", _many_pk_reader(attrs[0], cache_name, pk_attname))
                return [f"{target} = {pks}(obj)"]
            reader = self._slot(slots, "const", _many_reader(attrs[0], cache_name))
            if kind == "nested_many":
                many = self._slot(slots, "nested_many", entry)
                return [f"{target} = {many}({reader}(obj))"]
            item = self._slot(slots, "child_relation", entry)
            return [f"{target} = list(map({item}, {reader}(obj)))"]
        lines = self._read_code(entry, cls, slots)
        if kind == "nested":
            nested = self._slot(slots, "nested", entry)
            value = f"None if _v is None else {nested}(_v)"
        else:
            converter = self._slot(slots, "converter", entry)
            if len(entry.identity) == 1:  # one type: an identity test, not a set lookup
                identity = self._slot(slots, "const", next(iter(entry.identity)))
                value = f"_v if (_v.__class__ is {identity} or _v is None) else {converter}(_v)"
            elif entry.identity:
                identity = self._slot(slots, "const", entry.identity)
                value = f"_v if (_v.__class__ in {identity} or _v is None) else {converter}(_v)"
            else:
                value = f"None if _v is None else {converter}(_v)"
        return [*lines, "if _v is not _SKIP:", f"    {target} = {value}"]

    def _read_code(self, entry: Entry, cls: type, slots: list) -> list[str]:
        """Lines leaving the entry's value (or _SKIP) in `_v`, settled as `get_attribute` would."""
        direct = _direct_read(entry.source_attrs, cls)
        if direct is None:
            return [f"_v = {self._slot(slots, 'read', entry)}(obj)"]
        if direct == "obj":
            return ["_v = obj"]
        missing = self._slot(slots, "missing", entry)
        return [
            "try:",
            f"    _v = {direct}",
            "except _ODNE:",
            "    _v = None",
            "except (KeyError, AttributeError) as _e:",
            f"    _v = {missing}(obj, _e)",
        ]


def _describe(entry: Entry) -> dict:
    """What the entry reads, for query planning."""
    return {
        "key": entry.key,
        "kind": entry.kind,
        "source": tuple(entry.source_attrs),
        "nested": entry.nested.plan.reads if entry.nested is not None else None,
        "needs_instance": entry.kind in ("generic", "method") or not entry.source_attrs,
    }


def _generic_value(field: Any) -> Any:
    """DRF's per-field read-and-convert, for fields the plan cannot specialise."""
    pk_only = _field_classes()["relations"].PKOnlyObject
    read = _field_read(field)
    to_representation = field.to_representation

    def value(obj: Any) -> Any:
        attribute = read(obj)
        if attribute is _SKIP:
            return _SKIP
        check = attribute.pk if isinstance(attribute, pk_only) else attribute
        return None if check is None else to_representation(attribute)

    return value


def _field_read(field: Any) -> Any:
    """obj -> `field.get_attribute(obj)`, or _SKIP where it raises SkipField."""
    skip_field = _field_classes()["fields"].SkipField
    get_attribute = field.get_attribute

    def read(obj: Any) -> Any:
        try:
            return get_attribute(obj)
        except skip_field:
            return _SKIP

    return read


def _missing_value(field: Any) -> Any:
    """(obj, exc) -> what `get_attribute` gives when reading raised KeyError/AttributeError."""
    skip_field = _field_classes()["fields"].SkipField
    value_for_missing = field._value_for_missing_attribute

    def missing(obj: Any, exc: Exception) -> Any:
        try:
            return value_for_missing(obj, exc)
        except skip_field:
            return _SKIP

    return missing


def generated_function(source: str, name: str, function: str) -> Any:
    """Compile generated `source` and return its `function`; tracebacks show the source.

    The source is registered with `linecache` under a name of its own, so a traceback
    through generated code shows the very lines that ran.
    """
    filename = f"<restcycle {name} #{next(_generated_numbers)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[function]


_generated_numbers = itertools.count(1)


# --- runners -----------------------------------------------------------------------------


class Runner:
    """A plan linked to one serializer instance: `one(obj)` and `many(objects)`."""

    def __init__(self, serializer: Any, plan: Plan, fields: dict | None):
        self.serializer = serializer
        self.plan = plan
        self.fields = fields  # instance-bound fields by key, or None on the class plan
        self.context_free = plan.context_free
        self.rows: dict[type, Any] = {}

    def _row(self, cls: type) -> Any:
        factory, slots = self.plan.factory(cls)
        resolved = [self._resolve(kind, payload) for kind, payload in slots]
        row = factory(_SKIP, ObjectDoesNotExist, *resolved)
        self.rows[cls] = row
        return row

    def _resolve(self, kind: str, payload: Any) -> Any:
        if kind == "const":
            return payload
        entry = payload
        if kind == "method":
            return getattr(self.serializer, entry.method_name)
        if kind == "generic":
            return _generic_value(entry.field)
        if kind == "converter":
            return entry.converter
        if kind == "read":
            return _field_read(entry.field)
        if kind == "missing":
            return _missing_value(entry.field)
        if kind == "nested":
            return entry.nested.one
        if kind == "nested_many":
            return entry.nested.many
        if kind == "child_relation":
            return entry.field.child_relation.to_representation
        raise AssertionError(kind)

    def one(self, obj: Any) -> dict:
        row = self.rows.get(obj.__class__) or self._row(obj.__class__)
        return row(obj)

    def many(self, objects: Any) -> list:
        rows = self.rows
        out: list = []
        append = out.append
        last_cls = None
        row = None
        for obj in objects:
            cls = obj.__class__
            if cls is not last_cls:
                row = rows.get(cls) or self._row(cls)
                last_cls = cls
            append(row(obj))
        return out


# serializer class -> Plan compiled from prototype fields (or False: not possible)
_class_plans = ClassCache("class_plans")
# serializer class -> the prototype its class plan was compiled from
_class_prototypes = ClassCache("class_prototypes")


@on_reload
def _clear_plans() -> None:
    _class_plans.clear()
    _class_prototypes.clear()


def _class_plan_allowed(cls: type) -> bool:
    from .._model_serializer_build import hooks_are_default, varying_choices

    serializer_base = _ref["serializer_base"]
    model_serializer = _ref["model_serializer"]
    if cls._readable_fields is not serializer_base._readable_fields:
        return False
    if varying_choices(cls) is not None:
        return False
    if cls.__dict__.get("fields") is not None or cls.fields is not serializer_base.fields:
        return False
    if cls.get_fields is serializer_base.get_fields:
        return True
    if cls.get_fields is model_serializer.get_fields:
        return hooks_are_default(cls)
    return False


def _prototype(cls: type) -> Any:
    """An instance of `cls` holding the class's fields, made without running user __init__."""
    from ..utils.serializer_helpers import BindingDict

    proto = object.__new__(cls)
    proto._args = ()
    proto._kwargs = {}
    _ref["base_serializer"].__init__(proto)
    fields = BindingDict(proto)
    with _shadow.class_setup():
        for key, field in proto.get_fields().items():
            fields[key] = field
    proto.__dict__["fields"] = fields
    return proto


def _class_plan(cls: type) -> Any:
    plan = _class_plans.get(cls)
    if plan is None:
        plan = False
        if _class_plan_allowed(cls):
            try:
                proto = _prototype(cls)
            except Exception:
                proto = None  # the instance path reports any configuration error itself
            if proto is not None:
                plan = Plan([_make_entry(f) for f in proto._readable_fields])
                if plan.needs_fields:
                    plan = False
                else:
                    _class_prototypes[cls] = proto
        _class_plans[cls] = plan
    return plan


# Field state that differs between equal copies, is a cache, or representation never reads.
_UNCOMPARED_STATE = frozenset(("parent", "_creation_counter", "_validators", "_plan_runner"))


def _same_field_state(field: Any, prototype: Any) -> bool:
    """Whether `field` is still an unmodified copy of `prototype` (child fields compared too).

    Copies share the prototype's values, so only the values that are not the very same
    object are compared; attributes set after the copy are appended, so keys align.
    """
    if type(field) is not type(prototype):
        return False
    state, proto_state = field.__dict__, prototype.__dict__
    names, proto_names = list(state), list(proto_state)
    common = min(len(names), len(proto_names))
    if names[:common] != proto_names[:common]:
        return False
    for name in names[common:] or proto_names[common:]:
        if name not in _UNCOMPARED_STATE:
            return False
    field_class = _field_classes()["fields"].Field
    for name in compress(names, map(is_not, state.values(), proto_state.values())):
        if name in _UNCOMPARED_STATE:
            continue
        value, proto_value = state[name], proto_state[name]
        if isinstance(value, field_class):
            if not _same_field_state(value, proto_value):
                return False
        else:
            try:
                if value != proto_value:
                    return False
            except Exception:  # a value whose comparison is not a plain bool
                return False
    return True


def _fields_are_class_fields(serializer: Any) -> bool:
    """Whether the instance's built fields still equal the class plan's prototype fields.

    True only when `.fields` was built by the default path, no field was added or removed
    since, and no field's state was changed, so the class plan gives the same output.
    """
    fields = serializer.__dict__["fields"]
    if not getattr(fields, "pristine", False):
        return False
    cls = type(serializer)
    if not _class_plan(cls):
        return False
    proto_fields = _class_prototypes[cls].fields.fields
    own_fields = fields.fields
    if len(own_fields) != len(proto_fields):
        return False
    for (name, field), (proto_name, proto_field) in zip(own_fields.items(), proto_fields.items()):
        if name != proto_name or not _same_field_state(field, proto_field):
            return False
    return True


# Serializer classes whose plan this thread is compiling: a nested copy of one of them
# is a recursive serializer (a tree), compiled only when it has items to render, as DRF
# builds a nested serializer's fields only then.
_compiling = threading.local()


def _nested_runner(serializer: Any) -> Runner | None:
    """The nested serializer's runner, or None when compiling it now would never end."""
    if type(serializer) in getattr(_compiling, "classes", ()):
        return None
    return runner_for(serializer)


def runner_for(serializer: Any) -> Runner:
    """The serializer instance's runner, compiled on first use and kept on the instance."""
    runner = serializer.__dict__.get("_plan_runner")
    if runner is not None:
        return runner
    cls = type(serializer)
    outer = getattr(_compiling, "classes", frozenset())
    _compiling.classes = outer | {cls}
    try:
        plan = None
        if "fields" not in serializer.__dict__ or _fields_are_class_fields(serializer):
            plan = _class_plan(cls) or None
        if plan is None:
            plan = Plan([_make_entry(f) for f in serializer._readable_fields])
    finally:
        _compiling.classes = outer
    if plan.context_free:
        # Nothing of the instance is read (no method fields, no context): one runner per
        # plan, its rows compiled once, serves every instance.
        runner = plan.shared_runner
        if runner is None:
            runner = plan.shared_runner = Runner(None, plan, None)
    else:
        runner = Runner(serializer, plan, None)
    serializer.__dict__["_plan_runner"] = runner
    return runner


def represent(serializer: Any, instance: Any) -> dict:
    """`Serializer.to_representation(instance)` through the serializer's plan."""
    if not _shadow.fast_paths_allowed():
        return _ref["default_loop"](serializer, instance)
    if type(serializer)._readable_fields is not _ref["serializer_base"]._readable_fields:
        return _ref["default_loop"](serializer, instance)
    return runner_for(serializer).one(instance)


def represent_many(child: Any, objects: Any) -> list:
    """`[child.to_representation(o) for o in objects]`, through the child's plan if it has one.

    DateTimeFields read the current time zone once for the whole list.
    """
    if not _shadow.fast_paths_allowed():
        return [child.to_representation(item) for item in objects]
    if _field_temporal._pinned_timezone.get() is _field_temporal.empty:
        with _field_temporal.current_timezone_pinned():
            return _represent_many(child, objects)
    return _represent_many(child, objects)


def _represent_many(child: Any, objects: Any) -> list:
    if not (isinstance(child, _ref["serializer_base"]) and _is_our_serializer_output(child)):
        to_representation = child.to_representation
        return [to_representation(item) for item in objects]
    if type(child)._readable_fields is not _ref["serializer_base"]._readable_fields:
        return [child.to_representation(item) for item in objects]
    objects = objects if isinstance(objects, (list, tuple)) else list(objects)
    if not objects:
        return []  # as DRF: a child with nothing to render never builds its fields
    return runner_for(child).many(objects)
