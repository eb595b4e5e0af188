"""What a model has, in the shape ModelSerializer needs: its pk, plain fields and
relations (forward and reverse), each relation described by a `RelationInfo`.

Results are cached per model class: model metadata does not change after the app
registry is ready, and ModelSerializer asks for it on every field build.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

FieldInfo = namedtuple(
    "FieldInfo",
    ["pk", "fields", "forward_relations", "reverse_relations", "fields_and_pk", "relations"],
)

RelationInfo = namedtuple(
    "RelationInfo",
    ["model_field", "related_model", "to_many", "to_field", "has_through_model", "reverse"],
)

# model class -> (info, the opts.fields and opts.related_objects it was built from).
# Registering a model expires every model's cached meta lists (a new reverse relation
# may appear), so an entry is valid only while those list objects are the same.
_field_info_cache: dict[type, tuple[FieldInfo, Any, Any]] = {}


def get_field_info(model: Any) -> FieldInfo:
    """Describe `model` (a class or an instance): pk, fields, relations by name."""
    # `__class__`, not `type()`: a lazy object (`request.user`) reports the model it wraps.
    model_class = model if isinstance(model, type) else model.__class__
    opts = model_class._meta.concrete_model._meta
    cached = _field_info_cache.get(model_class)
    if cached is not None and cached[1] is opts.fields and cached[2] is opts.related_objects:
        return cached[0]
    info = _build_field_info(opts)
    _field_info_cache[model_class] = (info, opts.fields, opts.related_objects)
    return info


def _build_field_info(opts: Any) -> FieldInfo:
    pk = _primary_key(opts)
    fields = {f.name: f for f in opts.fields if f.serialize and not f.remote_field}
    forward = _forward_relations(opts)
    reverse = _reverse_relations(opts)
    fields_and_pk = {"pk": pk, pk.name: pk, **fields}
    return FieldInfo(pk, fields, forward, reverse, fields_and_pk, {**forward, **reverse})


def _primary_key(opts: Any) -> Any:
    pk = opts.pk
    # Multi-table inheritance: the child's pk is a link to the parent; report the root pk.
    while pk.remote_field and pk.remote_field.parent_link:
        pk = pk.remote_field.model._meta.pk
    return pk


def _first_to_field(field: Any) -> str | None:
    to_fields = getattr(field, "to_fields", None)
    return to_fields[0] if to_fields else None


def _forward_relations(opts: Any) -> dict[str, RelationInfo]:
    relations = {}
    for field in opts.fields:
        if field.serialize and field.remote_field:
            relations[field.name] = RelationInfo(
                model_field=field,
                related_model=field.remote_field.model,
                to_many=False,
                to_field=_first_to_field(field),
                has_through_model=False,
                reverse=False,
            )
    for field in opts.many_to_many:
        if field.serialize:
            relations[field.name] = RelationInfo(
                model_field=field,
                related_model=field.remote_field.model,
                to_many=True,
                to_field=None,
                has_through_model=not field.remote_field.through._meta.auto_created,
                reverse=False,
            )
    return relations


def _reverse_relations(opts: Any) -> dict[str, RelationInfo]:
    relations = {}
    for relation in opts.related_objects:
        name = relation.get_accessor_name()
        if relation.many_to_many:
            through = getattr(relation.field.remote_field, "through", None)
            relations[name] = RelationInfo(
                model_field=None,
                related_model=relation.related_model,
                to_many=True,
                to_field=None,
                has_through_model=through is not None and not through._meta.auto_created,
                reverse=True,
            )
        else:
            relations[name] = RelationInfo(
                model_field=None,
                related_model=relation.related_model,
                to_many=relation.field.remote_field.multiple,
                to_field=_first_to_field(relation.field),
                has_through_model=False,
                reverse=True,
            )
    return relations


def is_abstract_model(model: Any) -> bool:
    """True for an abstract Django model class (which ModelSerializer cannot use)."""
    return hasattr(model, "_meta") and getattr(model._meta, "abstract", False) is True
