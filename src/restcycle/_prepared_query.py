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
(an unknown field type, a `None`, a value of another type, a queryset changed after
it was marked) goes through the ORM.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connections
from django.db.models import (
    CharField,
    IntegerField,
    QuerySet,
    TextField,
    UUIDField,
    prefetch_related_objects,
)
from django.db.models.query import MAX_GET_RESULTS, ModelIterable, get_related_populators

from .settings import api_settings

# The attribute a marked clone carries: (origin queryset, variant), see `mark`.
SHAPE_ATTRIBUTE = "_restcycle_shape"
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


def mark(queryset: QuerySet, origin: QuerySet, variant: tuple = ()) -> QuerySet:
    """Mark a fresh clone of `origin` (with `variant`'s lookups added) as prepared-lookup-able.

    Any later QuerySet method returns a new clone without the mark, so a filtered or
    otherwise changed queryset is never mistaken for its origin.
    """
    queryset.__dict__[SHAPE_ATTRIBUTE] = (origin, variant)
    return queryset


def shape(queryset: Any) -> tuple | None:
    """The (origin, variant) a queryset was marked with, or None."""
    return getattr(queryset, "__dict__", {}).get(SHAPE_ATTRIBUTE)


def get(queryset: QuerySet, lookups: dict) -> Any:
    """`queryset.get(**lookups)`, from prepared SQL when the queryset is marked."""
    marked = shape(queryset)
    if marked is not None and queryset._result_cache is None:
        prepared = _prepared(marked, queryset, tuple(lookups), (), "get")
        if prepared is not None:
            try:
                return prepared.get(queryset, tuple(lookups.values()))
            except _UseTheORM:
                pass
    return queryset.get(**lookups)


def exists(queryset: QuerySet, lookups: dict, exclude_pk: Any = None) -> bool:
    """`queryset.filter(**lookups).exclude(pk=exclude_pk).exists()` (no exclude for None)."""
    if isinstance(queryset, QuerySet) and queryset._result_cache is None:
        excluded = () if exclude_pk is None else ("pk",)
        prepared = _prepared((queryset, ()), queryset, tuple(lookups), excluded, "exists")
        if prepared is not None:
            values = tuple(lookups.values()) + (() if exclude_pk is None else (exclude_pk,))
            try:
                return prepared.exists(queryset, values)
            except _UseTheORM:
                pass
    filtered = queryset.filter(**lookups)
    if exclude_pk is not None:
        filtered = filtered.exclude(pk=exclude_pk)
    return filtered.exists()


def _prepared(marked: tuple, queryset: QuerySet, names: tuple, excluded: tuple, mode: str):
    """The PreparedLookup for this shape on this connection, or None for the ORM.

    Kept per connection object: a compiler is bound to the connection it compiled for,
    and each thread has its own.
    """
    if not api_settings.PREPARED_LOOKUPS:
        return None
    alias = queryset.db
    connection = connections[alias]
    entries = connection.__dict__.get(_CONNECTION_ATTRIBUTE)
    if entries is None:
        entries = connection.__dict__[_CONNECTION_ATTRIBUTE] = {}
    key = (marked, names, excluded, mode)
    found = entries.get(key)
    if found is None:
        if len(entries) >= _MAX_ENTRIES:
            entries.clear()
        entries[key] = _SEEN_ONCE
        return None
    if found is _SEEN_ONCE:
        found = _prepare(queryset, names, excluded, mode, alias) or _UNPREPARABLE
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


def _unpreparable(queryset: QuerySet) -> bool:
    query = queryset.query
    return bool(
        queryset._iterable_class is not ModelIterable
        or queryset._known_related_objects
        or queryset._fields
        or query.combinator
        or query.is_sliced
        or query.select_for_update
        or query.distinct_fields
        or getattr(queryset.model._meta, "is_composite_pk", False)
    )


def _prepare(queryset: QuerySet, names: tuple, excluded: tuple, mode: str, alias: str):
    """Compile the shape twice with different values; a PreparedLookup if both agree."""
    if _unpreparable(queryset):
        return None
    connection = connections[alias]
    if connection.features.interprets_empty_strings_as_nulls:
        return None
    model = queryset.model
    fields = [_slot_field(model, name) for name in names + excluded]
    if None in fields:
        return None
    compiled = []
    for base in (31001, 31101):
        values = [_sentinel(field, base + index) for index, field in enumerate(fields)]
        filtered = queryset.filter(**dict(zip(names, values, strict=False)))
        if excluded:
            filtered = filtered.exclude(pk=values[-1])
        if mode == "get":
            filtered = filtered.order_by()
            filtered.query.set_limits(high=MAX_GET_RESULTS)
            query = filtered.query
        else:
            query = filtered.query.exists()
        compiler = query.get_compiler(using=alias)
        try:
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
    return PreparedLookup(sql, params, slots, fields, compiler, connection, alias, mode)


class PreparedLookup:
    """One lookup's SQL with the positions its values go to, and how to read its rows."""

    def __init__(self, sql, params, slots, fields, compiler, connection, alias, mode) -> None:
        self.sql = sql
        self.params = params
        self.slots = slots
        self.fields = fields
        self.connection = connection
        self.alias = alias
        if mode != "get":
            return
        self.compiler = compiler
        klass_info = compiler.klass_info
        select = compiler.select
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, alias)
        self.annotations = list(compiler.annotation_col_map.items())
        columns = [column[0] for column in select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(columns)

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

    def exists(self, queryset: QuerySet, values: tuple) -> bool:
        return bool(self._execute(values))

    def get(self, queryset: QuerySet, values: tuple) -> Any:
        rows = self._execute(values)
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        model, alias, init_list = self.model, self.alias, self.init_list
        objects = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        if objects and queryset._prefetch_related_lookups:
            prefetch_related_objects(objects, *queryset._prefetch_related_lookups)
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
