"""Lookups compiled to SQL once, then run again with new values.

Building a queryset and compiling its SQL costs the ORM about 100 µs of Python per
lookup, and the framework's own lookups (a detail view's object, a related field's
pk, a uniqueness check) have the same shape on every request. A prepared lookup
keeps the SQL Django compiled for one such shape, with the ORM's own result
machinery (converters, select_related populators, prefetching), and on later calls
only converts the new values exactly as the lookup would, then executes.

Same SQL, same rows, same instances, exceptions and query count as the ORM: a
shape is prepared only after Django compiled it twice, with two sets of values,
into the same SQL with the values at the same parameter positions. Anything else
(an unknown field type, a `None`, a value of another type) goes through the ORM.

Prepared SQL is keyed by a fingerprint of everything in the queryset that reaches the
SQL: its class, the table joins, every filter with its values (a per-user or per-tenant
filter, added by a manager, `all()`, a filter backend or in place on `query`, is part
of the key), ordering and the selected columns. A queryset holding anything the
fingerprint does not understand (annotations, expressions, raw SQL, unknown state)
goes through the ORM, and so does every lookup while Django's query machinery is
patched by someone else (a query cache, an audit layer): they must see every query.
"""

from __future__ import annotations

import datetime
import decimal
import os
import uuid
from typing import Any

import django
from django.conf import settings
from django.db import connections, router
from django.db.models import (
    CharField,
    IntegerField,
    QuerySet,
    TextField,
    UUIDField,
    prefetch_related_objects,
)
from django.db.models.base import ModelState
from django.db.models.expressions import Col
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.db.models.manager import BaseManager
from django.db.models.query import (
    MAX_GET_RESULTS,
    BaseIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query
from django.db.models.sql.where import NothingNode, WhereNode
from django.utils.datastructures import OrderedSet
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from ..settings import api_settings
from . import eligibility
from . import shadow as _shadow

# Where each database connection keeps its prepared lookups.
_CONNECTION_ATTRIBUTE = "_restcycle_prepared_lookups"
# Shapes seen once are only noted: a queryset built per request is never worth compiling.
_SEEN_ONCE = object()
_UNPREPARABLE = object()
_MAX_ENTRIES = 512
_VALUE_TYPES = (int, str, uuid.UUID)
_FIELD_TYPES = (IntegerField, CharField, TextField, UUIDField)


class _UseTheORM(Exception):
    """This value or queryset is for the ORM to handle."""


def why_not_prepared(queryset: Any) -> str | None:
    """Why get_object()'s lookup on this queryset goes through the ORM, or None: prepared.

    For `manage.py explain`; the value of the lookup can still send one request to the ORM.
    """
    if not api_settings.PREPARED_LOOKUPS:
        return "REST_FRAMEWORK['PREPARED_LOOKUPS'] is False"
    if not isinstance(queryset, QuerySet):
        return f"the queryset is a {type(queryset).__name__}, not a model QuerySet"
    if _unpreparable(queryset):
        return "the queryset's class or form (values(), slicing, select_for_update()) forbids it"
    if django_query_patched():
        return "Django's query machinery is patched (a query cache or audit layer sees queries)"
    try:
        fingerprint(queryset)
    except _UseTheORM:
        return "the queryset holds state the fingerprint cannot key (annotations, expressions)"
    return None


def get(queryset: QuerySet, lookups: dict) -> Any:
    """`queryset.get(**lookups)`, from prepared SQL when this queryset's shape has some."""
    if isinstance(queryset, QuerySet) and queryset._result_cache is None:
        prepared = _prepared(queryset, tuple(lookups), (), "get")
        if prepared is not None:
            try:
                return prepared.get(queryset, tuple(lookups.values()))
            except _UseTheORM:
                pass
    return queryset.get(**lookups)


def stable_source(source: Any) -> bool:
    """A queryset, or a manager whose `get_queryset()` is Django's: `exists()` may take it."""
    if isinstance(source, QuerySet):
        return True
    return isinstance(source, BaseManager) and (
        type(source).get_queryset is BaseManager.get_queryset
    )


def exists(source: Any, lookups: dict, exclude_pk: Any = None) -> bool | None:
    """`source.filter(**lookups).exclude(pk=exclude_pk).exists()` (no exclude for None) from
    prepared SQL, or None when that SQL is not prepared: the caller asks the ORM itself.

    `source` is a queryset or a plain manager (see `stable_source`).
    """
    queryset = source.all()
    if queryset._result_cache is not None:
        return None
    excluded = () if exclude_pk is None else ("pk",)
    prepared = _prepared(queryset, tuple(lookups), excluded, "exists")
    if prepared is None:
        return None
    values = tuple(lookups.values()) + (() if exclude_pk is None else (exclude_pk,))
    try:
        return prepared.exists(values)
    except _UseTheORM:
        return None


def _prepared(queryset: QuerySet, names: tuple, excluded: tuple, mode: str):
    """The PreparedLookup for this lookup shape on this connection, or None for the ORM."""
    if not api_settings.PREPARED_LOOKUPS or django_query_patched():
        return None
    try:
        key = fingerprint(queryset)
    except _UseTheORM:
        return None
    alias = queryset.db
    return _cached(
        alias,
        (key, names, excluded, mode),
        lambda: _prepare(queryset, names, excluded, mode, alias),
    )


# --- the fingerprint: everything in a queryset that reaches its SQL ----------------------


def fingerprint(queryset: QuerySet) -> tuple:
    """A hashable key equal for two querysets only when they compile to the same SQL and
    parameters; raises _UseTheORM for state it cannot key."""
    if _unpreparable(queryset):
        raise _UseTheORM
    return (
        type(queryset),
        queryset._iterable_class,
        queryset._fields,
        _query_key(queryset.query),
    )


def _query_key(query: Query) -> tuple:
    if type(query) is not Query:
        raise _UseTheORM
    parts = []
    for name, value in query.__dict__.items():
        keyer = _QUERY_STATE.get(name)
        if name in _QUERY_DEFAULTS and value == _QUERY_DEFAULTS[name]:
            continue  # set on the instance, but to the class's own default
        if keyer is None:
            raise _UseTheORM  # state this function does not know: it may reach the SQL
        if keyer is not _CACHE:
            parts.append((name, keyer(value)))
    return tuple(sorted(parts, key=_first))


def _first(pair: tuple) -> Any:
    return pair[0]


def _CACHE(value: Any) -> None:
    """Marks derived caches: they follow from the rest of the query."""


def _plain(value: Any) -> Any:
    if value is None or type(value) in (bool, int, str):
        return value
    raise _UseTheORM


def _empty(value: Any) -> None:
    if value:
        raise _UseTheORM


def _names(value: Any) -> tuple:
    if all(type(name) is str for name in value):
        return tuple(value)
    raise _UseTheORM


def _select_related(value: Any) -> Any:
    if value is True or value is False:
        return value
    return tuple(sorted((name, _select_related(sub)) for name, sub in value.items()))


def _alias_map(value: dict) -> tuple:
    key = []
    for alias, join in value.items():
        if getattr(join, "filtered_relation", None) is not None:
            raise _UseTheORM
        key.append(
            (
                alias,
                join.identity,
                getattr(join, "join_type", None),
                getattr(join, "nullable", None),
            )
        )
    return tuple(key)


def _selected(value: Any) -> Any:
    if value is None:
        return None
    if all(type(name) is str and type(index) is int for name, index in value.items()):
        return tuple(value.items())
    raise _UseTheORM


def _columns(value: Any) -> tuple:
    if all(type(column) is Col for column in value):
        return tuple((column.alias, column.target) for column in value)
    raise _UseTheORM


_SIMPLE_VALUE_TYPES = frozenset(
    (int, str, bool, float, bytes, uuid.UUID, datetime.date, datetime.timedelta, type(None))
)
_COLLECTION_TYPES = frozenset((list, tuple, set, frozenset, OrderedSet))
_LOOKUP_MODULES = frozenset(("django.db.models.lookups", "django.db.models.fields.related_lookups"))


def _value_key(value: Any) -> Any:
    cls = value.__class__
    if cls in _SIMPLE_VALUE_TYPES:
        return (cls, value)
    if cls is datetime.datetime or cls is datetime.time:
        return (cls, value.isoformat(), value.fold)
    if cls is decimal.Decimal:
        return (cls, str(value))
    if cls in _COLLECTION_TYPES:
        return (cls, tuple(_value_key(item) for item in value))  # in the order SQL gets them
    raise _UseTheORM


def _where_key(node: Any) -> tuple:
    cls = node.__class__
    if cls is WhereNode:
        return (node.connector, node.negated, tuple(_where_key(child) for child in node.children))
    if cls is NothingNode:
        return ("nothing",)
    if cls.__module__ in _LOOKUP_MODULES and node.lhs.__class__ is Col:
        lhs = node.lhs
        return (cls, lhs.alias, lhs.target, _value_key(node.rhs))
    raise _UseTheORM


# Each attribute a Query instance may hold, and how it enters the fingerprint.
_QUERY_STATE = {
    "model": lambda value: value,
    "where": _where_key,
    "alias_map": _alias_map,
    "alias_refcount": lambda value: tuple(value.items()),
    "table_map": lambda value: tuple((name, tuple(aliases)) for name, aliases in value.items()),
    "used_aliases": frozenset,
    "_lookup_joins": tuple,
    "select_related": _select_related,
    "order_by": _names,
    "values_select": _names,
    "distinct_fields": _names,
    "select_for_update_of": _names,
    "select": _columns,
    "selected": _selected,
    "deferred_loading": lambda value: (frozenset(value[0]), value[1]),
    "alias_cols": _plain,
    "filter_is_sticky": _plain,
    "default_cols": _plain,
    "default_ordering": _plain,
    "standard_ordering": _plain,
    "distinct": _plain,
    "low_mark": _plain,
    "high_mark": _plain,
    "max_depth": _plain,
    "subquery": _plain,
    "select_for_update": _plain,
    "select_for_update_nowait": _plain,
    "select_for_update_skip_locked": _plain,
    "select_for_no_key_update": _plain,
    "annotation_select_mask": _empty,
    "extra_select_mask": _empty,
    "annotations": _empty,
    "extra": _empty,
    "extra_order_by": _empty,
    "external_aliases": _empty,
    "_filtered_relations": _empty,
    "combined_queries": _empty,
    "combinator": _empty,
    "group_by": _empty,
    "explain_info": _empty,
    "base_table": _CACHE,
    "_annotation_select_cache": _CACHE,
    "_extra_select_cache": _CACHE,
}

# The plain values Query declares on the class: an instance holding one of them is unchanged.
_QUERY_DEFAULTS = {
    name: value
    for name, value in vars(Query).items()
    if type(value) in (bool, int, str, tuple, frozenset, type(None))
}


# Django's own query machinery, which prepared SQL replaces: when any of these is not
# Django's code (a query cache, tenancy or audit layer patched it), the ORM answers.
_WATCHED_METHODS = (
    (QuerySet, ("__iter__", "_fetch_all", "get", "exists", "iterator", "_iterator")),
    (Query, ("get_compiler", "exists")),
    (SQLCompiler, ("execute_sql", "as_sql", "results_iter", "has_results")),
    (BaseIterable, ("__init__",)),
    (ModelIterable, ("__iter__",)),
    (ValuesListIterable, ("__iter__",)),
)
_DJANGO_DIRECTORY = os.path.dirname(django.__file__) + os.sep
_checked_methods: list = [None]


def django_query_patched() -> bool:
    """Whether any of Django's query methods is someone else's code right now."""
    current = tuple(
        getattr(owner, name, None) for owner, names in _WATCHED_METHODS for name in names
    )
    if current == _checked_methods[0]:
        return False
    for method in current:
        code = getattr(method, "__code__", None)
        if code is None or not code.co_filename.startswith(_DJANGO_DIRECTORY):
            return True
    _checked_methods[0] = current
    return False


def _cached(alias: str, key: tuple, build: Any) -> Any:
    """What `build()` prepared for `key` on this connection, or None for the ORM.

    Kept per connection object: a compiler is bound to the connection it compiled for,
    and each thread has its own. A key seen once is only noted.
    """
    if not api_settings.PREPARED_LOOKUPS or not _shadow.fast_paths_allowed():
        return None
    connection = connections[alias]
    entries = connection.__dict__.get(_CONNECTION_ATTRIBUTE)
    if entries is None:
        entries = connection.__dict__[_CONNECTION_ATTRIBUTE] = {}
    # SQL can hold the active time zone (`__date` lookups) or a lazy text's translation.
    key = (*key, settings.USE_TZ, get_current_timezone_name(), get_language())
    found = entries.get(key)
    if found is None and not _shadow.prepares_on_first_sight():
        if len(entries) >= _MAX_ENTRIES:
            entries.clear()
        entries[key] = _SEEN_ONCE
        return None
    if found is None or found is _SEEN_ONCE:
        found = build() or _UNPREPARABLE
        entries[key] = found
    return None if found is _UNPREPARABLE else found


def _slot_field(model: Any, name: str) -> Any:
    """The model field `name=value` compares with `exact`, when its values can be prepared."""
    base = name.removesuffix("__exact")
    if "__" in base:
        return None
    try:
        field = model._meta.pk if base == "pk" else model._meta.get_field(base)
    except Exception:
        return None
    if field.is_relation or not field.concrete or not isinstance(field, _FIELD_TYPES):
        return None
    lookup = field.get_lookup("exact")
    if lookup is None or lookup.__module__ != "django.db.models.lookups":
        return None
    return field


def _sentinel(field: Any, number: int) -> Any:
    if isinstance(field, IntegerField):
        return number
    if isinstance(field, UUIDField):
        return uuid.UUID(int=number)
    return f"restcycle-prepared-{number}"


def _db_value(field: Any, value: Any, connection: Any) -> Any:
    """`value` as the exact lookup passes it to the database; raises as the lookup would."""
    if type(value) not in _VALUE_TYPES:
        raise _UseTheORM
    prepared = field.get_prep_value(value)
    if prepared is None:
        raise _UseTheORM  # the ORM turns it into IS NULL
    if isinstance(field, IntegerField) and isinstance(prepared, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and prepared < low) or (high is not None and prepared > high):
            raise _UseTheORM  # the ORM answers "no rows" without a query
    return field.get_db_prep_value(prepared, connection, prepared=True)


def _overrides_lookup_methods(queryset_class: type) -> bool:
    return eligibility.overridden("prepared lookups", queryset_class) is not None


def _row_kind(queryset: QuerySet) -> str | None:
    """ "instances" (model instances), "tuples" (`values_list()` rows), or None: the ORM's."""
    if queryset._iterable_class is ModelIterable and not queryset._fields:
        return "instances"
    if queryset._iterable_class is ValuesListIterable and not queryset._prefetch_related_lookups:
        query = queryset.query
        selected = [*query.extra_select, *query.values_select, *query.annotation_select]
        annotations = [name for name in query.annotation_select if name not in queryset._fields]
        if selected == [*queryset._fields, *annotations]:
            return "tuples"  # in selected order: Django builds them without reordering
    return None


def _unpreparable(queryset: QuerySet) -> bool:
    query = queryset.query
    return bool(
        _overrides_lookup_methods(type(queryset))
        or _row_kind(queryset) is None
        or queryset._known_related_objects
        or query.combinator
        or query.is_sliced
        or query.select_for_update
        or query.distinct_fields
        or getattr(queryset.model._meta, "is_composite_pk", False)
    )


def _prepare(queryset: QuerySet, names: tuple, excluded: tuple, mode: str, alias: str):
    """A PreparedLookup for `queryset.filter(names=?).exclude(pk=?)` in `mode`, or None."""
    if _unpreparable(queryset):
        return None
    model = queryset.model
    fields = [_slot_field(model, name) for name in names + excluded]
    if None in fields:
        return None

    def query_for(values: list) -> Any:
        filtered = queryset.filter(**dict(zip(names, values, strict=False)))
        if excluded:
            filtered = filtered.exclude(pk=values[-1])
        if mode == "exists":
            return filtered.query.exists()
        filtered = filtered.order_by()
        filtered.query.set_limits(high=MAX_GET_RESULTS)
        return filtered.query

    return _compile_twice(query_for, fields, alias, _row_kind(queryset) if mode == "get" else None)


def _compile_twice(query_for: Any, fields: list, alias: str, rows: str | None):
    """Compile `query_for(values)` with two sets of values; a PreparedLookup if they agree.

    They agree when the SQL is the same and the parameters differ exactly where each
    value, converted as the lookup converts it, went.
    """
    connection = connections[alias]
    if connection.features.interprets_empty_strings_as_nulls:
        return None
    compiled = []
    for base in (31001, 31101):
        values = [_sentinel(field, base + index) for index, field in enumerate(fields)]
        try:
            compiler = query_for(values).get_compiler(using=alias)
            sql, params = compiler.as_sql()
            expected = [_db_value(field, value, connection) for field, value in zip(fields, values)]
        except Exception:
            return None
        compiled.append((sql, list(params), expected, compiler))
    (sql, params, expected, compiler), (other_sql, other_params, other_expected, _) = compiled
    if not sql or sql != other_sql or len(params) != len(other_params):
        return None
    slots: list[tuple[int, Any]] = []
    for position, (first, second) in enumerate(zip(params, other_params)):
        if first == second:
            continue
        matches = [
            index
            for index in range(len(fields))
            if first == expected[index] and second == other_expected[index]
        ]
        if len(matches) != 1:
            return None
        slots.append((position, matches[0]))
    if {index for _, index in slots} != set(range(len(fields))):
        return None
    return PreparedLookup(sql, params, slots, fields, compiler, connection, alias, rows)


class PreparedLookup:
    """One lookup's SQL with the positions its values go to, and how to read its rows."""

    def __init__(self, sql, params, slots, fields, compiler, connection, alias, rows):
        """`rows`: "instances", "tuples" or "flat" (what the rows become); None: `exists()`."""
        self.sql = sql
        self.params = params
        self.slots = slots
        self.fields = fields
        self.connection = connection
        self.alias = alias
        self.rows = rows
        if rows is None:
            return
        self.compiler = compiler
        select = compiler.select
        columns = [column[0] for column in select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(columns)
        if rows != "instances":
            return
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, alias)
        self.annotations = list(compiler.annotation_col_map.items())

    def _params(self, values: tuple) -> list:
        connection = self.connection
        converted = [
            _db_value(field, value, connection)
            for field, value in zip(self.fields, values, strict=True)
        ]
        params = list(self.params)
        for position, index in self.slots:
            params[position] = converted[index]
        return params

    def _execute(self, values: tuple) -> list:
        params = self._params(values)
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def exists(self, values: tuple) -> bool:
        return bool(self._execute(values))

    def _converted_rows(self, values: tuple) -> Any:
        """The rows with Django's converters applied (lists then, tuples otherwise)."""
        rows = self._execute(values)
        if self.converters:
            return self.compiler.apply_converters(rows, self.converters)
        return rows

    def instances(self, values: tuple) -> list:
        """The model instances of the rows, built as Django's ModelIterable builds them."""
        model, alias, init_list = self.model, self.alias, self.init_list
        start, end = self.start, self.end
        objects = []
        for row in self._converted_rows(values):
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def flat(self, values: tuple) -> list:
        """The first column of each row, as `values_list(name, flat=True)` gives it."""
        return [row[0] for row in self._converted_rows(values)]

    def tuples(self, values: tuple) -> list:
        """The rows as `values_list()` gives them: tuples of converted column values."""
        return [tuple(row) for row in self._converted_rows(values)]

    def get(self, queryset: QuerySet, values: tuple) -> Any:
        if self.rows == "tuples":
            objects = self.tuples(values)
        else:
            objects = self.instances(values)
        if objects and queryset._prefetch_related_lookups:
            _prefetch(objects, queryset._prefetch_related_lookups, self.alias)
        if len(objects) == 1:
            return objects[0]
        name = queryset.model._meta.object_name
        if not objects:
            raise queryset.model.DoesNotExist(f"{name} matching query does not exist.")
        count = len(objects)
        shown = count if count < MAX_GET_RESULTS else f"more than {MAX_GET_RESULTS - 1}"
        raise queryset.model.MultipleObjectsReturned(
            f"get() returned more than one {name} -- it returned {shown}!"
        )


# --- prefetch_related for one object ---------------------------------------------------


def _prefetch(objects: list, lookups: tuple, alias: str) -> None:
    """`prefetch_related_objects(objects, *lookups)`; prepared for one object's many-to-many."""
    if len(objects) == 1 and len(set(lookups)) == len(lookups):
        obj = objects[0]
        model = type(obj)
        prepared = []
        for lookup in lookups:
            if type(lookup) is not str or "__" in lookup:
                break
            key = ("prefetch", model, lookup)
            found = _cached(alias, key, lambda name=lookup: _prepare_prefetch(model, name, alias))
            if found is None:
                break
            prepared.append(found)
        else:
            try:
                for prefetch in prepared:
                    prefetch.run(obj)
                return
            except _UseTheORM:
                pass  # Django skips what is already prefetched
    prefetch_related_objects(objects, *lookups)


def _many_to_many_managers(model: type, name: str) -> Any:
    """A function value -> `getattr(<unsaved model instance with pk=value>, name)`, or None.

    None unless `name` is a many-to-many relation (either side) from `model`'s pk, with a
    related default manager whose queryset is Django's: the shapes prepared below.
    """
    descriptor = getattr(model, name, None)
    if not isinstance(descriptor, ManyToManyDescriptor):
        return None
    default_manager_class = descriptor.related_manager_cls.__bases__[0]
    pk = model._meta.pk
    field = descriptor.field
    source = field.m2m_reverse_field_name() if descriptor.reverse else field.m2m_field_name()
    if descriptor.through._meta.get_field(source).foreign_related_fields != (pk,):
        return None  # the join table points at another column than the pk (to_field)
    if (
        not eligibility.django_manager(default_manager_class)
        or not isinstance(pk, _FIELD_TYPES)
        or pk.is_relation
    ):
        return None

    def manager_for(value: Any) -> Any:
        # An unsaved instance carrying only its pk: no __init__, so no signals.
        instance = model.__new__(model)
        instance._state = ModelState()
        instance.__dict__[pk.attname] = value
        return getattr(instance, name)

    return manager_for


def _prepare_prefetch(model: type, name: str, alias: str) -> PreparedPrefetch | None:
    """A PreparedPrefetch of many-to-many `name` (either side) for one `model` instance."""
    manager_for = _many_to_many_managers(model, name)
    if manager_for is None:
        return None
    cache_names = set()

    def query_for(values: list) -> Any:
        manager = manager_for(values[0])
        cache_names.add(manager.prefetch_cache_name)
        queryset, _, _, single, cache_name, is_descriptor = manager.get_prefetch_querysets(
            [manager.instance]
        )
        if single or is_descriptor or cache_name != manager.prefetch_cache_name:
            raise _UseTheORM
        if _unpreparable(queryset) or queryset._prefetch_related_lookups:
            raise _UseTheORM
        return queryset.query

    lookup = _compile_twice(query_for, [model._meta.pk], alias, rows="instances")
    if lookup is None or len(cache_names) != 1:
        return None
    return PreparedPrefetch(lookup, name, cache_names.pop())


def related_pks(obj: Any, name: str) -> list:
    """`list(getattr(obj, name).values_list("pk", flat=True))`, prepared for a many-to-many.

    For a serializer's list of related pks when nothing was prefetched (one query, the
    same as the ORM's, without building the related objects).
    """
    manager = getattr(obj, name)
    alias = manager.db
    model = type(obj)
    found = _cached(alias, ("pk list", model, name), lambda: _prepare_pk_list(model, name, alias))
    if found is not None:
        try:
            return found.flat((obj.pk,))
        except _UseTheORM:
            pass
    return list(manager.values_list("pk", flat=True))


def _prepare_pk_list(model: type, name: str, alias: str) -> PreparedLookup | None:
    manager_for = _many_to_many_managers(model, name)
    if manager_for is None:
        return None

    def query_for(values: list) -> Any:
        return manager_for(values[0]).values_list("pk", flat=True).query

    return _compile_twice(query_for, [model._meta.pk], alias, rows="flat")


class PreparedPrefetch:
    """One many-to-many prefetch for one instance: its SQL, and where Django keeps the rows."""

    def __init__(self, lookup: PreparedLookup, name: str, cache_name: str) -> None:
        self.lookup = lookup
        self.name = name
        self.cache_name = cache_name

    def run(self, obj: Any) -> None:
        """What prefetch_related_objects leaves on `obj`: the related manager's queryset, filled."""
        if router.db_for_read(self.lookup.model, instance=obj) != self.lookup.alias:
            raise _UseTheORM  # a router sends this relation's reads elsewhere
        related = self.lookup.instances((obj.pk,))
        queryset = getattr(obj, self.name).get_queryset()
        queryset._result_cache = related
        queryset._prefetch_done = True
        if "_prefetched_objects_cache" not in obj.__dict__:
            obj._prefetched_objects_cache = {}
        obj._prefetched_objects_cache[self.cache_name] = queryset
