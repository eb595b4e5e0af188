"""Query planning for generic views: read what the response needs, no more, no less.

Two optimisations, both decided from the serializer's readable fields (per class, once):

- automatic prefetching: the `select_related` / `prefetch_related` lookups a response
  reads (nested serializers, related fields, dotted sources, `many=True` relations) are
  added to the view's queryset just before it is evaluated, leaving what the user set alone;
- projection: when no field needs a model instance, list and retrieve read the columns
  with `values_list()` and build the output without instances (see `_projection`).

Either is skipped, with a reason `describe(view)` reports, whenever it could change meaning.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, prefetch_related_objects
from django.db.models.expressions import OrderBy
from django.db.models.query import ModelIterable, QuerySet

from ..settings import api_settings, on_reload
from . import eligibility
from . import prepared_query as _prepared_query
from .class_cache import ClassCache

_SAFE_METHODS = ("GET", "HEAD")

# --- model relations ---------------------------------------------------------------------

# model -> {attribute: (kind, related model, lookup, nullable)}; kind is "forward" (FK or
# one-to-one on this model), "reverse_one" (the other side of a one-to-one) or "many".
_relations: dict[type, dict] = {}


def model_relations(model: type) -> dict[str, tuple[str, type, str, bool]]:
    """The relations an attribute of `model` can follow, by attribute name."""
    found = _relations.get(model)
    if found is not None:
        return found
    from .plans import _is_overridden_on_class

    found = {}
    for field in model._meta.get_fields():
        if not field.is_relation or field.related_model is None:
            continue
        if field.auto_created and not field.concrete:
            accessor = field.get_accessor_name()
            if not accessor:
                continue
            if field.one_to_one:
                # select_related names the reverse side by its query name; both must agree.
                if field.field.related_query_name() == accessor:
                    found[accessor] = ("reverse_one", field.related_model, accessor, True)
            else:
                found[accessor] = ("many", field.related_model, accessor, True)
        elif field.many_to_many:
            found[field.name] = ("many", field.related_model, field.name, True)
        elif field.concrete and (field.many_to_one or field.one_to_one):
            found[field.name] = ("forward", field.related_model, field.name, bool(field.null))
    found = {
        name: relation
        for name, relation in found.items()
        if not _is_overridden_on_class(model, name)
        and (relation[0] == "many" or _loads_as_a_join_does(relation[1]))
    }
    _relations[model] = found
    return found


def _loads_as_a_join_does(model: type) -> bool:
    """Whether a join gives the object that reading the relation gives.

    Reading a single relation goes through the related model's base manager; a manager
    or queryset class of its own (a polymorphic manager that returns subclasses, a
    soft-delete filter) decides what comes back, and a join would bypass it.
    """
    return eligibility.django_manager(type(model._base_manager))


# Why a forward relation is not joined: INNER JOIN drops the row when the related one is
# missing, and a join caches "no object" where the descriptor raises DoesNotExist.
UNCONSTRAINED = "no database constraint: the row it names may be missing"


def unconstrained(model: type, attr: str) -> bool:
    """A forward relation `attr` of `model` whose key the database does not check."""
    try:
        field = model._meta.get_field(attr)
    except Exception:
        return False
    return field.concrete and field.is_relation and not getattr(field, "db_constraint", True)


# --- what a serializer reads -------------------------------------------------------------


class Reads:
    """The relation paths a representation follows: joined in SQL, or prefetched.

    Single relations under a to-many one (a review's user) are joined inside that
    relation's prefetch query rather than prefetched one query each.
    """

    __slots__ = ("select", "many", "joins_under", "lazy")

    def __init__(self) -> None:
        self.select: set[str] = set()
        self.many: dict[str, type] = {}  # to-many path -> its model
        self.joins_under: dict[str, set[str]] = {}  # to-many path -> joins relative to it
        self.lazy: dict[str, str] = {}  # relation path left to the descriptor -> why

    def lookups(self) -> tuple[list[str], list[tuple]]:
        """(select_related lookups, [(to-many path, model, joins under it)]), minimal."""
        prefetch = []
        for path in sorted(self.many):
            joins = _deepest(self.joins_under.get(path, set()))
            deeper = any(other.startswith(path + "__") for other in self.many)
            if joins or not deeper:
                prefetch.append((path, self.many[path], tuple(joins)))
        return _deepest(self.select), prefetch


def _deepest(paths: set[str]) -> list[str]:
    return sorted(p for p in paths if not any(q.startswith(p + "__") for q in paths))


def _follow(model: Any, attrs: list, prefix: str, many_root: Any, reads: Reads) -> tuple:
    """Walk `attrs` through model relations, recording each step; stops at a non-relation.

    `many_root` is the path of the last to-many step so far (None: still on the row).
    """
    for attr in attrs:
        relation = model_relations(model).get(attr) if model is not None else None
        if relation is None:
            return None, prefix, many_root
        kind, related, lookup, _nullable = relation
        path = f"{prefix}__{lookup}" if prefix else lookup
        if kind == "forward" and unconstrained(model, attr):
            reads.lazy[path] = UNCONSTRAINED
            return None, prefix, many_root
        if kind == "many":
            many_root = path
            reads.many[path] = related
        elif many_root is not None:
            reads.joins_under.setdefault(many_root, set()).add(path[len(many_root) + 2 :])
        else:
            reads.select.add(path)
        model, prefix = related, path
    return model, prefix, many_root


def readable_fields(serializer: Any) -> list:
    return [field for field in serializer.fields.values() if not field.write_only]


def collect_reads(
    fields: list, model: Any, reads: Reads, prefix: str = "", many_root: Any = None, depth: int = 0
) -> None:
    """Record into `reads` the relations these (bound, readable) fields follow on `model`."""
    from .. import relations, serializers

    if depth > 10:  # a serializer nesting itself through a relation: stop somewhere sane
        return
    for field in fields:
        attrs = list(getattr(field, "source_attrs", None) or [])
        if isinstance(field, serializers.ListSerializer):
            end, path, many = _follow(model, attrs, prefix, many_root, reads)
            if end is not None and attrs and isinstance(field.child, serializers.BaseSerializer):
                child_fields = _safe_fields(field.child)
                collect_reads(child_fields, end, reads, path, many, depth + 1)
        elif isinstance(field, serializers.BaseSerializer):
            end, path, many = _follow(model, attrs, prefix, many_root, reads)
            if end is not None:
                collect_reads(_safe_fields(field), end, reads, path, many, depth + 1)
        elif isinstance(field, relations.RelatedField) and attrs and _pk_only(field):
            # The key is a column of the row holding the foreign key: no join for the last step.
            end, path, many = _follow(model, attrs[:-1], prefix, many_root, reads)
            last = model_relations(end).get(attrs[-1]) if end is not None else None
            if last is not None and last[0] != "forward":
                _follow(end, attrs[-1:], path, many, reads)
        else:
            _follow(model, attrs, prefix, many_root, reads)


def _pk_only(field: Any) -> bool:
    try:
        return bool(field.use_pk_only_optimization())
    except Exception:
        return False


def _safe_fields(serializer: Any) -> list:
    try:
        return readable_fields(serializer)
    except Exception:
        return []


# (serializer class, model) -> (select lookups, prefetch lookups), for prototype-built classes
_reads_cache = ClassCache("reads_cache")
_prototypes = ClassCache("prototypes")


@on_reload
def _clear_caches() -> None:
    _reads_cache.clear()
    _decisions.clear()
    _prototypes.clear()
    from . import projection as _projection

    _projection.clear_cache()


def prototype(serializer_class: type) -> Any:
    """A serializer of the class holding its class-level fields, or None (fields vary)."""
    from . import plans as _plans

    if serializer_class in _prototypes:
        return _prototypes[serializer_class]
    proto = None
    try:
        # A user __init__ may change the fields per instance (dynamic fields): no prototype.
        if _plans._class_plan_allowed(serializer_class) and eligibility.framework_code(
            serializer_class.__init__
        ):
            proto = _plans._prototype(serializer_class)
    except Exception:
        proto = None
    _prototypes[serializer_class] = proto
    return proto


def serializer_reads(view: Any, serializer_class: type, model: type) -> tuple | None:
    """(select_related, prefetch_related) lookups the serializer's output follows on `model`,
    and the relations it reads that are left to load lazily, with why; or None when its
    fields vary per instance: only the response's own serializer can say."""
    key = (serializer_class, model)
    cached = _reads_cache.get(key)
    if cached is not None:
        return cached
    proto = prototype(serializer_class)
    if proto is None:
        return None
    result = _reads_of(proto, model)
    _reads_cache[key] = result
    return result


def _reads_of(serializer: Any, model: type) -> tuple[list, list, dict]:
    reads = Reads()
    collect_reads(_safe_fields(serializer), model, reads)
    return (*reads.lookups(), reads.lazy)


# --- applying lookups to a queryset ------------------------------------------------------


def unplannable(queryset: Any, sliced: bool = False) -> str | None:
    """Why this queryset must be left as it is, or None when lookups may be added.

    `sliced`: a slice taken in `get_queryset()` (`qs[:100]`) is planned too (lists only;
    `get_object()` filters, which Django refuses on a sliced queryset, as in DRF).
    """
    if not isinstance(queryset, QuerySet):
        return f"the queryset is a {type(queryset).__name__}, not a model QuerySet"
    if queryset._result_cache is not None:
        return "the queryset was already evaluated"
    query = queryset.query
    if query.is_sliced and not sliced:
        return "the queryset is sliced"
    if queryset._iterable_class is not ModelIterable:
        return "the queryset returns values(), not model instances"
    if query.combinator:
        return f"the queryset is a {query.combinator}() of querysets"
    if query.deferred_loading[0]:
        return "the queryset uses only()/defer()"
    if query.select_for_update:
        # A join would lock other rows too, and PostgreSQL refuses FOR UPDATE on the
        # nullable side of an outer join.
        return "the queryset uses select_for_update()"
    return None


SLICED_UNORDERED = (
    "the queryset is sliced and not ordered by a unique column: another column list or join "
    "may make the database keep other rows"
)


def keeps_its_rows(queryset: QuerySet) -> bool:
    """Whether joins or another column list leave the rows this queryset selects as they are.

    True unless it is sliced: then its ordering must name the primary key or a unique
    non-null column of its model, so rows tied on every ordering key are one row (or
    copies of it, from a to-many filter) and whichever the LIMIT keeps answers the same.
    """
    query = queryset.query
    if not query.is_sliced:
        return True
    if query.extra_order_by:
        return False
    if query.order_by:
        ordering = query.order_by
    elif query.default_ordering:
        ordering = queryset.model._meta.ordering
    else:
        return False
    meta = queryset.model._meta
    unique = {"pk", meta.pk.name, meta.pk.attname}
    for field in meta.concrete_fields:
        if field.unique and not field.null:
            unique.update((field.name, field.attname))
    for item in ordering:
        if isinstance(item, OrderBy):
            item = item.expression
        name = item.name if isinstance(item, F) else item if isinstance(item, str) else None
        if name is not None and name.lstrip("-") in unique:
            return True
    return False


def _select_covered(path: str, tree: Any) -> bool:
    if tree is True:
        return True
    node = tree or {}
    for part in path.split("__"):
        if part not in node:
            return False
        node = node[part]
    return True


def _prefetch_covered(path: str, existing: tuple) -> bool:
    """A user lookup already reaches `path` (a Prefetch on it or beyond must not be doubled)."""
    for lookup in existing:
        if isinstance(lookup, Prefetch):
            names = {lookup.prefetch_to, lookup.prefetch_through}
        else:
            names = {lookup}
        for name in names:
            if name == path or name.startswith(path + "__"):
                return True
    return False


def _joined_prefetch(path: str, model: type, joins: tuple) -> Prefetch:
    """A to-many prefetch joining its single relations, built now: the related model's
    default manager may filter per request (a tenant, the user, the time)."""
    return Prefetch(path, queryset=model._default_manager.select_related(*joins))


def add_lookups(
    queryset: QuerySet, select: list, prefetch: list, joins: bool = True
) -> tuple[QuerySet, list, list]:
    """(queryset with the missing lookups, select lookups added, prefetch lookups added).

    Prefetch lookups are reported as text: `"tags"`, or the `Prefetch(...)` added. With
    `joins` False the single relations are prefetched too (one query each), leaving the
    queryset's own SQL exactly as it was.
    """
    user_select = queryset.query.select_related
    add_select = [p for p in select if not _select_covered(p, user_select)]
    existing = tuple(queryset._prefetch_related_lookups)
    add_prefetch: list = []
    shown: list[str] = []
    if not joins:
        for path in add_select:
            if not _prefetch_covered(path, existing):
                add_prefetch.append(path)
                shown.append(path)
        add_select = []
    for path, model, joins in prefetch:
        if _prefetch_covered(path, existing):
            # The user reaches this relation already: joins under it become plain lookups.
            for join in joins:
                full = f"{path}__{join}"
                if not _prefetch_covered(full, existing):
                    add_prefetch.append(full)
                    shown.append(full)
        elif joins:
            add_prefetch.append(_joined_prefetch(path, model, joins))
            selects = ", ".join(repr(j) for j in joins)
            shown.append(
                f"Prefetch({path!r}, queryset={model.__name__}.objects.select_related({selects}))"
            )
        else:
            add_prefetch.append(path)
            shown.append(path)
    if add_select:
        queryset = queryset.select_related(*add_select)
    if add_prefetch:
        queryset = queryset.prefetch_related(*add_prefetch)
    return queryset, add_select, shown


# (serializer class, model, the queryset's own lookups) -> what add_lookups added to them
_decisions = ClassCache("decisions")


def _frozen_select(tree: Any) -> Any:
    if tree is True or tree is False:
        return tree
    return tuple(sorted((name, _frozen_select(sub)) for name, sub in tree.items()))


def _decision_key(
    serializer_class: type, model: type, queryset: QuerySet, joins: bool
) -> tuple | None:
    """The planning decision's cache key, or None when the queryset's lookups can't be keyed."""
    if queryset.query._filtered_relations:
        return None  # prefetch_related checks names against them: decide afresh
    existing = queryset._prefetch_related_lookups
    for lookup in existing:
        if lookup.__class__ is not str:
            return None  # Prefetch objects compare by path only: decide afresh
    select = _frozen_select(queryset.query.select_related)
    return (serializer_class, model, select, existing, joins)


def _with_lookups(queryset: QuerySet, added_select: list, lookups: tuple) -> QuerySet:
    """`queryset` given a remembered decision: the selects added, the prefetch list as before."""
    if added_select:
        queryset = queryset.select_related(*added_select)
    if lookups != queryset._prefetch_related_lookups:
        queryset = queryset._chain()
        queryset._prefetch_related_lookups = lookups
    return queryset


# --- the view side -----------------------------------------------------------------------


def _switched_off(view: Any, setting: str, attribute: str) -> str | None:
    if getattr(view, attribute, True) is False:
        return f"the view sets {attribute} = False"
    if not getattr(api_settings, setting):
        return f"REST_FRAMEWORK['{setting}'] is False"
    return None


_SERIALIZER_CLASS = "_restcycle_serializer_class"


def _serializer_class(view: Any) -> Any:
    """The view's serializer class for the engine's planning, asked once per request.

    `get_serializer_class()` may be user code: however many fast paths plan from it, it
    runs once (None when it raises; `get_serializer()` then raises it as DRF does).
    """
    found = view.__dict__.get(_SERIALIZER_CLASS, _SERIALIZER_CLASS)
    if found is _SERIALIZER_CLASS:
        try:
            found = view.get_serializer_class()
        except Exception:
            found = None
        view.__dict__[_SERIALIZER_CLASS] = found
    return found


def _record(view: Any, key: str, value: dict) -> None:
    """Keep the decision on the view, for the tracer and for tests."""
    plan = view.__dict__.setdefault("_query_plan_report", {})
    plan[key] = value


def _planned(view: Any, queryset: Any, sliced: bool = False) -> tuple[Any, dict]:
    """(queryset with the lookups added, what was added or why nothing was).

    `sliced`: a list's queryset may be sliced; unless its ordering keeps its rows, single
    relations are then prefetched rather than joined.
    """
    reason = _switched_off(view, "AUTO_PREFETCH", "auto_prefetch") or unplannable(queryset, sliced)
    serializer_class = None if reason else _serializer_class(view)
    if reason is None and serializer_class is None:
        reason = "no serializer class"
    if reason is not None:
        return queryset, {"applied": False, "reason": reason}
    model = queryset.model
    reads = serializer_reads(view, serializer_class, model)
    if reads is None:
        return queryset, {"applied": False, "reason": _FIELDS_VARY}
    select, prefetches, lazy = reads
    joins = keeps_its_rows(queryset)
    key = _decision_key(serializer_class, model, queryset, joins)
    decision = _decisions.get(key) if key is not None else None
    if decision is None:
        queryset, added_select, added_prefetch = add_lookups(queryset, select, prefetches, joins)
        # A Prefetch holds a queryset of the related model's default manager, which may
        # filter per request (a tenant, the user, the time): only plain lookups are kept.
        lookups = queryset._prefetch_related_lookups
        if key is not None and all(type(lookup) is str for lookup in lookups):
            _decisions[key] = (added_select, added_prefetch, lookups)
    else:
        added_select, added_prefetch, lookups = decision
        queryset = _with_lookups(queryset, added_select, lookups)
        added_select, added_prefetch = list(added_select), list(added_prefetch)
    info = {
        "applied": True,
        "reason": None,
        "select_related": added_select,
        "prefetch_related": added_prefetch,
    }
    if lazy:
        info["left_lazy"] = dict(lazy)
    if not joins:
        info["not_joined"] = SLICED_UNORDERED
    return queryset, info


def prefetch(view: Any, queryset: Any, sliced: bool = False) -> Any:
    """The queryset with the select/prefetch lookups the view's serializer reads added."""
    queryset, info = _planned(view, queryset, sliced)
    _record(view, "prefetch", info)
    return queryset


def _object_action(view: Any) -> bool:
    """get_object() for a read of the view's own serializer (not an extra action's)."""
    request = getattr(view, "request", None)
    if getattr(request, "method", None) not in _SAFE_METHODS:
        return False
    return getattr(view, "action", None) in (None, "retrieve")


def prefetch_object(view: Any, queryset: Any) -> Any:
    """`prefetch` for get_object(): only when the object is read for the view's serializer."""
    if not _object_action(view):
        return queryset
    return prefetch(view, queryset)


def plan_list(view: Any, queryset: Any) -> tuple[Any, Any]:
    """(queryset to paginate and evaluate, projection or None) for ListModelMixin.list."""
    from . import projection as _projection

    projection, reason = _projection.for_list(view, queryset)
    if projection is not None:
        _record(view, "projection", {"path": "values", "reason": None})
        _record(view, "prefetch", {"applied": False, "reason": "the values path reads no objects"})
        return projection.queryset(queryset), projection.bind(queryset.db)
    _record(view, "projection", {"path": "instance", "reason": reason})
    return prefetch(view, queryset, sliced=True), None


def _set_projected_data(serializer: Any, build: Any, rows: Any) -> None:
    """`serializer.data` built from rows, timed as the tracer's "serialize" stage."""
    from .._observe import trace as _trace

    trace = _trace.current.get() if _trace.hook is not None else None
    if trace is not None:
        trace.enter("serialize")
    try:
        serializer._data = build(rows)
    finally:
        if trace is not None:
            trace.exit()


_FIELDS_VARY = "the serializer's fields vary per instance: planned from the response's own"


def serialized_list(view: Any, objects: Any, projection: Any) -> Any:
    """`view.get_serializer(objects, many=True)`, its data built by the projection if any."""
    serializer = view.get_serializer(objects, many=True)
    if projection is not None:
        _set_projected_data(serializer, projection.many, objects)
    elif view.__dict__.get("_query_plan_report", {}).get("prefetch", {}).get("reason") == (
        _FIELDS_VARY
    ):
        _prefetch_for(view, serializer, objects)
    return serializer


def _prefetch_for(view: Any, serializer: Any, objects: Any) -> None:
    """Prefetch, on the fetched objects, what this very serializer's fields read.

    For serializers whose fields vary per instance (dynamic fields, sparse fieldsets): the
    response's own serializer says what is read, so nothing removed is fetched.
    """
    child = getattr(serializer, "child", None)
    if child is None or not isinstance(objects, (list, QuerySet)):
        return
    objects = list(objects)  # a QuerySet keeps these rows as its result cache
    if not objects:
        return
    select, prefetches, _lazy = _reads_of(child, type(objects[0]))
    lookups: list = list(select)
    for path, model, joins in prefetches:
        if joins:
            lookups.append(_joined_prefetch(path, model, joins))
        else:
            lookups.append(path)
    if lookups:
        prefetch_related_objects(objects, *lookups)
        _record(view, "prefetch", {"applied": True, "reason": None, "after_fetch": lookups})


def serialized_object(view: Any) -> Any:
    """The serializer RetrieveModelMixin.retrieve responds with, on the path that fits."""
    from . import projection as _projection

    reason = _projection.retrieve_blocker(view)
    if reason is not None:
        _record(view, "projection", {"path": "instance", "reason": reason})
        return view.get_serializer(view.get_object())
    # get_object() is GenericAPIView's: its steps are run here, on whichever path fits.
    queryset = view.filter_queryset(view.get_queryset())
    projection, reason = _projection.for_queryset(view, queryset, view_checked=True)
    if projection is None:
        _record(view, "projection", {"path": "instance", "reason": reason})
        return view.get_serializer(view._lookup_object(prefetch_object(view, queryset)))
    _record(view, "projection", {"path": "values", "reason": None})
    projected = projection.queryset(queryset)
    row = view._lookup_object(projected, check_permissions=False)
    serializer = view.get_serializer(row)
    _set_projected_data(serializer, projection.bind(queryset.db).one, row)
    return serializer


def describe(view: Any, action: str = "list") -> dict[str, Any]:
    """What list (or retrieve) on this view would do with its queryset, and why.

    For `manage.py explain` and the tracer: it calls `get_queryset()` but evaluates nothing.
    """
    from . import projection as _projection

    info: dict[str, Any] = {"action": action}
    try:
        queryset = view.filter_queryset(view.get_queryset())
    except Exception as exc:
        info["error"] = f"get_queryset()/filter_queryset() raised {type(exc).__name__}: {exc}"
        return info
    if action == "retrieve":
        blocker = _projection.retrieve_blocker(view)
        projection, reason = (
            (None, blocker) if blocker else _projection.for_queryset(view, queryset)
        )
    else:
        projection, reason = _projection.for_list(view, queryset)
    if projection is not None:
        info["projection"] = {"path": "values", "reason": None, **projection.summary()}
        info["prefetch"] = {"applied": False, "reason": "the values path reads no objects"}
        return info
    info["projection"] = {"path": "instance", "reason": reason}
    planned, info["prefetch"] = _planned(view, queryset, sliced=action != "retrieve")
    if action == "retrieve":
        info["prepared_lookup"] = {"reason": _prepared_query.why_not_prepared(planned)}
    return info
