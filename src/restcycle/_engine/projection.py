"""The values path: list and retrieve without model instances.

When every readable field of a serializer is a model column, a column reached through
foreign keys (dotted source, or a nested serializer made only of such fields), or the
list of a relation's primary keys, the view reads exactly those columns with
`values_list()`, each pk list with one query per relation, and builds the output with
generated code that runs the very converters the instance path runs. Anything else takes
the instance path; `for_list` / `for_queryset` / `retrieve_blocker` say why.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, router
from django.db.models import Model, Prefetch
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init
from django.utils.encoding import is_protected_type

from .._fields.base import empty
from . import eligibility
from . import shadow as _shadow
from .class_cache import ClassCache
from .plans import _SKIP


class NotProjectable(Exception):
    """The serializer needs model instances; the message says which field and why."""


# (serializer class, model, annotation names) -> Projection or the reason there is none
_cache = ClassCache("cache")


def clear_cache() -> None:
    _cache.clear()
    _class_blockers.clear()


class ToMany:
    """A to-many relation read with one query: its pks, or a nested serializer's columns."""

    __slots__ = ("key", "model", "query_name", "columns", "build")

    def __init__(self, key: str, model: type, query_name: str, columns: list, build: Any):
        self.key = key
        self.model = model  # the related model
        self.query_name = query_name  # lookup from it back to the owner
        self.columns = columns  # the owner's pk first
        self.build = build  # rows -> nested dicts, or None for a pk list


class Projection:
    """Columns to read and the generated function turning their rows into output dicts."""

    def __init__(self, columns: list, build: Any, pk_index: int, pk_lists: list, models: set):
        self.models = models  # every model whose rows it reads instead of instances
        self.columns = columns
        self._build = build
        self._pk_index = pk_index
        self._pk_lists = pk_lists  # [ToMany]: one query each
        self._sql: dict[tuple, Any] = {}  # (pk list, alias, number of ids) -> SQL or False

    def queryset(self, queryset: Any) -> Any:
        return queryset.prefetch_related(None).values_list(*self.columns)

    def _related_pks(self, rows: list, alias: str | None) -> list[dict]:
        """Per to-many relation: {owner pk: [pk, ...] or [nested dict, ...]}."""
        if not self._pk_lists:
            return []
        index = self._pk_index
        ids = list(dict.fromkeys(row[index] for row in rows))
        found = []
        for number, to_many in enumerate(self._pk_lists):
            by_owner: dict = {}
            if ids:
                related_rows = self._related_rows(number, to_many, ids, alias)
                if to_many.build is None:
                    items_of = ((owner, pk) for owner, pk in related_rows)
                else:
                    related_rows = (
                        related_rows if isinstance(related_rows, list) else list(related_rows)
                    )
                    items_of = zip(
                        (row[0] for row in related_rows), to_many.build(related_rows), strict=True
                    )
                for owner, item in items_of:
                    items = by_owner.get(owner)
                    if items is None:
                        by_owner[owner] = [item]
                    else:
                        items.append(item)
            found.append(by_owner)
        return found

    def _related_rows(self, number: int, to_many: ToMany, ids: list, alias: Any) -> Any:
        """Rows (owner pk, columns...) in the related model's order, as a prefetch reads them.

        The SQL is Django's; once compiled for a number of ids it is reused with new ids
        when the columns need no conversion (plain integer keys).
        """
        manager = to_many.model._default_manager
        if alias is not None:
            manager = manager.db_manager(alias)
        alias = manager.db
        key = (number, alias, len(ids))
        # Only a manager whose queryset is Django's builds the same query every time; one
        # of its own may filter per request (a tenant, the user, the time): ask it afresh.
        cached = self._sql.get(key) if _reusable_for(manager) else False
        if cached:
            sql, params, start = cached
            params = (*params[:start], *ids, *params[start + len(ids) :])
            with connections[alias].cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        queryset = manager.filter(**{f"{to_many.query_name}__in": ids}).values_list(
            *to_many.columns
        )
        if cached is None and len(self._sql) < 256:
            self._sql[key] = _reusable_sql(queryset, ids)
        return list(queryset)

    def many(self, rows: Any, alias: str | None = None) -> list:
        rows = rows if isinstance(rows, list) else list(rows)
        return self._build(rows, *self._related_pks(rows, alias))

    def one(self, row: tuple, alias: str | None = None) -> dict:
        return self.many([row], alias)[0]

    def bind(self, alias: str) -> _BoundProjection:
        """This projection for one request reading from database `alias`."""
        return _BoundProjection(self, alias)

    def summary(self) -> dict:
        return {
            "columns": list(self.columns),
            "pk_lists": [m.key for m in self._pk_lists if m.build is None],
            "nested_lists": [m.key for m in self._pk_lists if m.build is not None],
        }


def _reusable_for(manager: Any) -> bool:
    """Whether SQL built once from this manager may run again: Django's own manager and
    queryset, and Django's own query machinery (a query cache must see every query)."""
    from . import prepared_query as _prepared_query

    return eligibility.django_manager(type(manager)) and not (
        _prepared_query.django_query_patched()
    )


def _reusable_sql(queryset: Any, ids: list) -> Any:
    """(sql, params, where the ids start) when the ids can be swapped for others, else False."""
    try:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if compiler.get_converters([column for column, _, _ in compiler.select]):
            return False
    except Exception:
        return False
    params = tuple(params)
    width = len(ids)

    def ids_at(start: int) -> bool:
        window = params[start : start + width]
        return all(type(a) is type(b) and a == b for a, b in zip(window, ids, strict=True))

    starts = [i for i in range(len(params) - width + 1) if ids_at(i)]
    return (sql, params, starts[0]) if len(starts) == 1 else False


class _BoundProjection:
    """A projection and the database of the request's queryset (projections are shared)."""

    __slots__ = ("projection", "alias")

    def __init__(self, projection: Projection, alias: str):
        self.projection, self.alias = projection, alias

    def many(self, rows: Any) -> list:
        return self.projection.many(rows, self.alias)

    def one(self, row: tuple) -> dict:
        return self.projection.one(row, self.alias)


# --- compiling ---------------------------------------------------------------------------


class _Compiler:
    def __init__(self, model: type, annotations: tuple):
        self.model = model
        self.annotations = set(annotations)
        self.columns: list[str] = []
        self.slots: list = []
        self.pk_lists: list = []
        self.models: set = set()
        self.may_skip = False  # the serializer being compiled may leave a key out

    def column(self, path: str) -> str:
        if path not in self.columns:
            self.columns.append(path)
        return f"r[{self.columns.index(path)}]"

    def slot(self, value: Any) -> str:
        self.slots.append(value)
        return f"_s{len(self.slots) - 1}"

    def serializer(self, plan: Any, model: type, prefix: str, depth: int) -> str:
        if depth > 5:
            raise NotProjectable("serializers nested more than five deep")
        _check_model(model)
        self.models.add(model)
        skipping = self.may_skip
        self.may_skip = False
        parts = [f"{e.key!r}: {self.entry(e, model, prefix, depth)}" for e in plan.entries]
        body = "{" + ", ".join(parts) + "}"
        if self.may_skip:  # a key DRF's loop leaves out (SkipField) is left out here too
            body = f"{self.slot(_without_skipped)}({body})"
        self.may_skip = skipping
        return body

    def guarded(self, entry: Any, model: type, guards: list, value: str) -> str:
        """`value`, unless a relation on the way is missing: then what DRF's read gives.

        A null foreign key mid-chain makes DRF's `get_attribute` raise AttributeError,
        settled by the field (default, None, left out, or the error); a missing reverse
        one-to-one gives None.
        """
        for presence, next_attr in reversed(guards):
            if next_attr is None:
                settled = "None"
            else:
                self.may_skip = True
                settled = f"{self.slot(_missing_read(entry.field, model, next_attr))}()"
            value = f"({settled} if {self.column(presence)} is None else {value})"
        return value

    def entry(self, entry: Any, model: type, prefix: str, depth: int) -> str:
        from . import plans as _plans

        key, kind, attrs = entry.key, entry.kind, entry.source_attrs
        name = type(entry.field).__name__
        if kind == "method":
            raise NotProjectable(f"'{key}' is a SerializerMethodField (it reads the instance)")
        if kind == "generic" and entry.context_free and _model_field_output(entry.field, model):
            # ModelField (a BinaryField, ...): the model field's own text form of its column.
            column = self.column(_join(prefix, entry.field.model_field.attname))
            output = self.slot(_model_field_output(entry.field, model))
            return f"(_v if (_v := {column}) is None else {output}(_v))"
        if kind == "generic" or not entry.context_free:
            raise NotProjectable(f"'{key}' ({name}) needs the model instance or the request")
        if not attrs:
            if kind != "nested":
                raise NotProjectable(f"'{key}' has source='*' (it reads the instance)")
            return self.serializer(entry.nested.plan, model, prefix, depth + 1)
        if kind == "nested_many":
            return self.nested_list(entry, model, prefix, depth)
        if kind == "many_related":
            return self.pk_list(entry, model, prefix)
        if kind == "fk_pk":
            if len(attrs) != 1 or _forward(model, attrs[0]) is None:
                raise NotProjectable(f"'{key}' ({name}) does not read a foreign key column")
            return self.column(_join(prefix, attrs[0]))
        if kind == "nested":
            if (
                type(entry.field)._readable_fields
                is not _plans._ref["serializer_base"]._readable_fields
            ):
                raise NotProjectable(f"'{key}' overrides _readable_fields")
            related, path, guards = self.through_relations(key, model, attrs, prefix)
            if guards and entry.field.default is not empty:
                raise NotProjectable(
                    f"'{key}' has a default for a missing relation, which the nested "
                    "serializer would represent"
                )
            relation = _single_relation(related, attrs[-1])
            if relation is None:
                raise NotProjectable(f"'{key}' nests a relation that is not a single object")
            _check_constrained(key, related, attrs[-1])
            path = _join(path, attrs[-1])
            inner = self.serializer(entry.nested.plan, relation[1], path, depth + 1)
            # No related row (a null key, a missing reverse one-to-one) gives None.
            present = path if relation[0] == "forward" else _join(path, "pk")
            value = f"(None if {self.column(present)} is None else {inner})"
            return self.guarded(entry, model, guards, value)
        if kind != "value":
            raise NotProjectable(f"'{key}' ({name}) needs the model instance")
        column, guards = self.column_path(entry, model, prefix)
        value = self.column(column)
        converter = self.slot(entry.converter)
        if guards:
            # A settled missing read is represented as DRF's loop represents it.
            value = self.guarded(entry, model, guards, value)
            identity = self.slot(entry.identity)
            return (
                f"(_v if ((_v := {value}) is None or _v is _SKIP or _v.__class__ in "
                f"{identity}) else {converter}(_v))"
            )
        if entry.identity:
            identity = self.slot(entry.identity)
            return (
                f"(_v if ((_v := {value}).__class__ in {identity} or _v is None) "
                f"else {converter}(_v))"
            )
        return f"(None if (_v := {value}) is None else {converter}(_v))"

    def through_relations(self, key: str, model: type, attrs: list, prefix: str) -> tuple:
        """(model, path, guards) reached by `attrs[:-1]` through single relations.

        Guards are (column that is None when the relation is missing, the attribute read
        next, or None when the miss reads as None: a reverse one-to-one).
        """
        guards: list = []
        for position, attr in enumerate(attrs[:-1]):
            relation = _single_relation(model, attr)
            if relation is None:
                raise NotProjectable(f"'{key}' reads through '{attr}', which is not a foreign key")
            _check_constrained(key, model, attr)
            path = _join(prefix, attr)
            if relation[0] == "reverse_one":
                guards.append((_join(path, "pk"), None))
            elif relation[3]:
                guards.append((path, attrs[position + 1]))
            model, prefix = relation[1], path
        return model, prefix, guards

    def column_path(self, entry: Any, model: type, prefix: str) -> tuple[str, list]:
        """(the column's lookup path, the guards of the relations on the way)."""
        from .plans import _is_overridden_on_class

        key, attrs = entry.key, entry.source_attrs
        related, path, guards = self.through_relations(key, model, attrs, prefix)
        last = attrs[-1]
        if last == "pk":
            return _join(path, "pk"), guards
        if not path and last in self.annotations:
            return last, guards
        _check_model(related)
        concrete = related._meta.concrete_fields
        model_field = {f.name: f for f in concrete}.get(last)
        if model_field is None and not _is_overridden_on_class(related, last):
            # A foreign key's own column by its attname (`author_id`): the raw value.
            key_field = {f.attname: f for f in concrete if f.is_relation}.get(last)
            if key_field is not None:
                return _join(path, last), guards
        if model_field is None:
            raise NotProjectable(
                f"'{key}' reads '{last}', which is not a column (a property or method needs "
                "the instance)"
            )
        if model_field.is_relation:
            raise NotProjectable(f"'{key}' outputs the related object '{last}' itself")
        if model_field.descriptor_class is not DeferredAttribute or _is_overridden_on_class(
            related, last
        ):
            raise NotProjectable(f"'{key}' reads '{last}' through a descriptor (e.g. a file)")
        return _join(path, last), guards

    def _read_once(self, key: str, related_model: type, query_name: str) -> None:
        """One query per relation, as one prefetch serves every field reading it."""
        for to_many in self.pk_lists:
            if (to_many.model, to_many.query_name) == (related_model, query_name):
                raise NotProjectable(
                    f"'{key}' reads the relation '{to_many.key}' reads: the instance path "
                    "fetches it once"
                )

    def pk_list(self, entry: Any, model: type, prefix: str) -> str:
        key, attrs = entry.key, entry.source_attrs
        if prefix:
            raise NotProjectable(f"'{key}' is a pk list inside a nested serializer")
        if entry.converter != "pk" or len(attrs) != 1:
            raise NotProjectable(f"'{key}' ({type(entry.field).__name__}) needs related objects")
        back = _query_name_back(model, attrs[0])
        if back is None:
            raise NotProjectable(f"'{key}' is not a to-many relation of {model.__name__}")
        related_model, query_name = back
        self._read_once(key, related_model, query_name)
        self.pk_lists.append(ToMany(key, related_model, query_name, [query_name, "pk"], None))
        return f"(_m{len(self.pk_lists) - 1}.get({self.column('pk')}) or [])"

    def nested_list(self, entry: Any, model: type, prefix: str, depth: int) -> str:
        key, attrs = entry.key, entry.source_attrs
        if prefix:
            raise NotProjectable(f"'{key}' is a nested many=True serializer inside another")
        back = _query_name_back(model, attrs[0]) if len(attrs) == 1 else None
        if back is None:
            raise NotProjectable(f"'{key}' is not a to-many relation of {model.__name__}")
        related_model, query_name = back
        self._read_once(key, related_model, query_name)
        child = _Compiler(related_model, ())
        child.columns.append(query_name)  # column 0: the owner, to group the rows by
        body = child.serializer(entry.nested.plan, related_model, "", depth + 1)
        self.models |= child.models
        if child.pk_lists:
            raise NotProjectable(f"'{key}' nests a to-many relation of its own")
        build = _builder(body, child.slots, 0, f"{key} items")
        self.pk_lists.append(ToMany(key, related_model, query_name, child.columns, build))
        return f"(_m{len(self.pk_lists) - 1}.get({self.column('pk')}) or [])"


class _ColumnHolder:
    """Stands in for an instance where a Django model field reads one attribute of it."""


def _model_field_output(field: Any, model: type) -> Any:
    """value -> `ModelField.to_representation` of an instance holding that column value,
    for Django's own model fields (they read the instance only through `value_from_object`);
    or None when the field is not such a field of `model`."""
    from .. import fields

    model_field = getattr(field, "model_field", None)
    if type(field) is not fields.ModelField or model_field is None:
        return None
    django_field = type(model_field)
    for method in ("value_to_string", "value_from_object"):
        owner = next(k for k in django_field.__mro__ if method in k.__dict__)
        if not owner.__module__.startswith("django.db.models."):
            return None
    try:
        own = model._meta.get_field(model_field.name) is model_field
    except Exception:
        own = False
    if not own or not model_field.concrete or model_field.is_relation:
        return None
    if model_field.descriptor_class is not DeferredAttribute:
        return None
    attname, value_to_string = model_field.attname, model_field.value_to_string

    def output(value: Any) -> Any:
        if is_protected_type(value):
            return value
        holder = _ColumnHolder()
        holder.__dict__[attname] = value
        return value_to_string(holder)

    return output


def _without_skipped(output: dict) -> dict:
    """The output without the keys whose read settled as SkipField (DRF leaves them out)."""
    for key in [key for key, value in output.items() if value is _SKIP]:
        del output[key]
    return output


def _missing_read(field: Any, model: type, next_attr: str) -> Any:
    """() -> what `field` gives when a null foreign key mid-source raised AttributeError.

    The field settles it as on the instance path (default, None, _SKIP, or its error
    naming the model); the exception is the one reading `None.<next_attr>` raises.
    """
    from .plans import _missing_value

    missing = _missing_value(field)
    stand_in = model.__new__(model)  # only its class is read, for the error message

    def settled() -> Any:
        return missing(
            stand_in, AttributeError(f"'NoneType' object has no attribute '{next_attr}'")
        )

    return settled


def _check_model(model: type) -> None:
    """Instances of `model` hold exactly its column values (nothing rewrites them on load)."""
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        raise NotProjectable(f"{model.__name__} overrides __init__() or from_db()")
    if post_init.has_listeners(model):
        raise NotProjectable(f"{model.__name__} has post_init receivers")


def _check_constrained(key: str, model: type, attr: str) -> None:
    """A join through a key the database does not check may drop the row (see UNCONSTRAINED)."""
    from .query_plan import unconstrained

    if unconstrained(model, attr):
        raise NotProjectable(
            f"'{key}' reads through '{attr}', a foreign key with db_constraint=False "
            "(the row it names may be missing)"
        )


def _join(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


def _forward(model: type, attr: str) -> Any:
    from .query_plan import model_relations

    relation = model_relations(model).get(attr)
    return relation if relation is not None and relation[0] == "forward" else None


def _single_relation(model: type, attr: str) -> Any:
    """A forward foreign key / one-to-one, or a reverse one-to-one, of `model` named `attr`."""
    from .query_plan import model_relations

    relation = model_relations(model).get(attr)
    return relation if relation is not None and relation[0] != "many" else None


def _query_name_back(model: type, attr: str) -> tuple | None:
    """(related model, lookup from it back to `model`) for a to-many attribute.

    The rows are grouped by the owner's pk, so a relation keyed by another column of the
    owner (`to_field`) is not projectable.
    """
    for field in model._meta.get_fields():
        if field.many_to_many and not field.auto_created and field.name == attr:
            _check_keyed_by_pk(attr, field, field.m2m_field_name())
            return field.related_model, field.related_query_name()
        reverse = field.auto_created and not field.concrete
        to_many = field.one_to_many or field.many_to_many
        if reverse and to_many and field.get_accessor_name() == attr:
            if field.many_to_many:
                _check_keyed_by_pk(attr, field.field, field.field.m2m_reverse_field_name())
            elif not field.field.target_field.primary_key:
                raise NotProjectable(f"'{attr}' is keyed by to_field='{field.field.to_fields[0]}'")
            return field.related_model, field.field.name
    return None


def _check_keyed_by_pk(attr: str, many_to_many: Any, owner_key: str) -> None:
    """The through model's key to the owner (named `owner_key`) must hold the owner's pk."""
    through = many_to_many.remote_field.through
    target = through._meta.get_field(owner_key).target_field
    if not target.primary_key:
        raise NotProjectable(f"'{attr}' is keyed by to_field='{target.name}' in {through.__name__}")


# serializer class -> why it cannot be projected ("" when it can)
_class_blockers = ClassCache("class_blockers")


def _serializer_class_blocker(serializer_class: Any) -> str | None:
    try:
        reason = _class_blockers.get(serializer_class)
    except TypeError:  # unhashable: not a class
        reason = None
    if reason is None:
        reason = _find_serializer_class_blocker(serializer_class) or ""
        if isinstance(serializer_class, type):
            _class_blockers[serializer_class] = reason
    return reason or None


def _find_serializer_class_blocker(serializer_class: Any) -> str | None:
    from .. import serializers
    from . import plans as _plans

    if not (
        isinstance(serializer_class, type) and issubclass(serializer_class, serializers.Serializer)
    ):
        return "the serializer is not a Serializer subclass"
    name = serializer_class.__name__
    overridden = eligibility.overridden("values path (serializer)", serializer_class)
    if overridden:
        return f"{name} overrides {overridden}"
    meta = getattr(serializer_class, "Meta", None)
    if getattr(meta, "list_serializer_class", serializers.ListSerializer) is not (
        serializers.ListSerializer
    ):
        return f"{name} has a custom list_serializer_class"
    if not _plans._class_plan(serializer_class):
        return _why_no_class_plan(serializer_class)
    return None


def _why_no_class_plan(serializer_class: type) -> str:
    from . import plans as _plans
    from .query_plan import prototype, readable_fields

    name = serializer_class.__name__
    proto = prototype(serializer_class)
    if proto is not None:
        for field in readable_fields(proto):
            if isinstance(field, _plans._ref["base_serializer"]):
                continue
            if not _plans._is_context_free(field):
                return (
                    f"'{field.field_name}' ({type(field).__name__}) is a custom field or reads "
                    "the request"
                )
    from .._model_serializer_build import varying_choices

    choices = varying_choices(serializer_class)
    if choices is not None:
        return f"'{choices}' has callable choices, read each time a serializer is built"
    return f"{name}'s fields vary per instance (get_fields(), fields or __init__ overridden)"


def _builder(body: str, slot_values: list, map_count: int, name: str) -> Any:
    """Compile `rows -> [body for r in rows]`; slots are bound, to-many maps passed per call."""
    slots = [f"_s{i}" for i in range(len(slot_values))]
    maps = [f"_m{i}" for i in range(map_count)]
    source = (
        f"def _factory({', '.join(['_SKIP', *slots])}):\n"
        f"    def build({', '.join(['rows', *maps])}):\n"
        f"        return [{body} for r in rows]\n"
        f"    return build\n"
    )
    from .plans import generated_function

    return generated_function(source, f"projection {name}", "_factory")(_SKIP, *slot_values)


def compile_projection(serializer_class: type, queryset: Any) -> tuple[Any, str | None]:
    """(Projection, None), or (None, why not) for this serializer class on this queryset."""
    from . import plans as _plans

    model = queryset.model
    annotations = tuple(sorted(queryset.query.annotations))
    key = (serializer_class, model, annotations)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    compiler = _Compiler(model, annotations)
    try:
        body = compiler.serializer(_plans._class_plan(serializer_class), model, "", 0)
        # With distinct(), rows that differ only in unread columns must stay apart.
        compiler.column("pk")
    except NotProjectable as exc:
        result = (None, str(exc))
    else:
        pk_index = compiler.columns.index("pk") if compiler.pk_lists else 0
        build = _builder(body, compiler.slots, len(compiler.pk_lists), serializer_class.__name__)
        projection = Projection(
            compiler.columns, build, pk_index, compiler.pk_lists, compiler.models
        )
        result = (projection, None)
    _cache[key] = result
    return result


# --- when the view allows it -------------------------------------------------------------


def _view_blocker(view: Any) -> str | None:
    from .query_plan import _switched_off

    reason = _switched_off(view, "PROJECTION", "projection")
    if reason:
        return reason
    if not _shadow.fast_paths_allowed():
        return "the reference path runs (shadow mode)"
    overridden = eligibility.overridden("values path (view)", type(view))
    if overridden:
        return f"the view overrides {overridden}()"
    renderer = getattr(getattr(view, "request", None), "accepted_renderer", None)
    # The browsable API and admin renderers (any renderer building forms) need instances.
    if getattr(renderer, "format", None) == "api" or hasattr(renderer, "get_rendered_html_form"):
        return "the browsable API renders forms from the instance"
    from . import query_plan as _query_plan

    serializer_class = _query_plan._serializer_class(view)
    if serializer_class is None:
        return "get_serializer_class() failed"
    return _serializer_class_blocker(serializer_class)


def _queryset_blocker(queryset: Any, sliced: bool = False) -> str | None:
    from .query_plan import SLICED_UNORDERED, keeps_its_rows, unplannable

    reason = unplannable(queryset, sliced)
    if reason:
        return reason
    if not keeps_its_rows(queryset):
        return SLICED_UNORDERED
    if queryset.query.extra:
        return "the queryset uses extra()"
    for lookup in queryset._prefetch_related_lookups:
        if isinstance(lookup, Prefetch) and (lookup.queryset is not None or lookup.to_attr):
            return "the queryset has a Prefetch with its own queryset or to_attr"
    return None


def for_queryset(
    view: Any, queryset: Any, view_checked: bool = False, sliced: bool = False
) -> tuple[Any, str | None]:
    """(Projection, None) when this view's output can be built from `queryset`'s columns.

    `sliced`: a list may read a sliced queryset (retrieve filters it, which Django refuses).
    """
    reason = (None if view_checked else _view_blocker(view)) or _queryset_blocker(queryset, sliced)
    if reason:
        return None, reason
    from . import query_plan as _query_plan

    projection, reason = compile_projection(_query_plan._serializer_class(view), queryset)
    if projection is not None:
        reason = _request_blocker(projection)
    return (None, reason) if reason else (projection, None)


def _request_blocker(projection: Projection) -> str | None:
    """What can change between requests and sends this projection back to instances."""
    for model in projection.models:
        if post_init.has_listeners(model):
            return f"{model.__name__} has post_init receivers"
    if projection._pk_lists and router.routers:
        return "a database router is configured: Django asks it where each relation is read"
    return None


def for_list(view: Any, queryset: Any) -> tuple[Any, str | None]:
    """`for_queryset`, plus the paginator must page a values() queryset as it pages objects."""
    from .. import pagination

    overridden = eligibility.overridden("values path (list)", type(view))
    if overridden:
        return None, f"the view overrides {overridden}()"
    paginator = view.paginator
    if paginator is not None:
        paging = type(paginator).paginate_queryset
        known = (
            pagination.PageNumberPagination.paginate_queryset,
            pagination.LimitOffsetPagination.paginate_queryset,
        )
        if paging not in known:
            return None, f"{type(paginator).__name__} reads model instances"
    return for_queryset(view, queryset, sliced=True)


def retrieve_blocker(view: Any) -> str | None:
    """Why retrieve must fetch an instance (get_object or object permissions), or None."""
    from .. import permissions

    overridden = eligibility.overridden("values path (retrieve)", type(view))
    if overridden:
        return f"the view overrides {overridden}()"
    reason = _view_blocker(view)
    if reason:
        return reason
    base = permissions.BasePermission.has_object_permission
    for permission in view.get_permissions():
        if getattr(type(permission), "has_object_permission", base) is not base:
            return f"{type(permission).__name__} checks object permissions on the instance"
    return None
