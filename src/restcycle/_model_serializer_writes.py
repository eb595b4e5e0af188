"""ModelSerializer's default `create()` and `update()`: one model row, to-many set after save."""

from __future__ import annotations

import traceback
from typing import Any

from .utils import model_meta


def raise_errors_on_nested_writes(method_name: str, serializer: Any, validated_data: Any) -> None:
    """Refuse the default create/update when nested or dotted-source data would be lost."""
    from .serializers import BaseSerializer  # serializers imports this module

    model_field_info = model_meta.get_field_info(serializer.Meta.model)
    relations = model_field_info.relations
    where = f"`{serializer.__class__.__module__}.{serializer.__class__.__name__}`"

    assert not any(
        isinstance(field, BaseSerializer)
        and (field.source in validated_data)
        and (field.source in relations)
        and isinstance(validated_data[field.source], (list, dict))
        for field in serializer._writable_fields
    ), (
        f"The `.{method_name}()` method does not support writable nested "
        f"fields by default.\nWrite an explicit `.{method_name}()` method for "
        f"serializer {where}, or set `read_only=True` on nested serializer fields."
    )

    assert not any(
        len(field.source_attrs) > 1
        and (field.source_attrs[0] in validated_data)
        and (field.source_attrs[0] in relations)
        and isinstance(validated_data[field.source_attrs[0]], (list, dict))
        for field in serializer._writable_fields
    ), (
        f"The `.{method_name}()` method does not support writable dotted-source "
        f"fields by default.\nWrite an explicit `.{method_name}()` method for "
        f"serializer {where}, or set `read_only=True` on dotted-source serializer fields."
    )


def create_instance(serializer: Any, validated_data: dict) -> Any:
    """Create the `Meta.model` row from `validated_data`; to-many relations set afterwards."""
    raise_errors_on_nested_writes("create", serializer, validated_data)
    model_class = serializer.Meta.model

    info = model_meta.get_field_info(model_class)
    many_to_many = {}
    for field_name, relation_info in info.relations.items():
        if relation_info.to_many and (field_name in validated_data):
            many_to_many[field_name] = validated_data.pop(field_name)

    manager_name = model_class._default_manager.name
    try:
        instance = model_class._default_manager.create(**validated_data)
    except TypeError:
        tb = traceback.format_exc()
        msg = (
            f"Got a `TypeError` when calling `{model_class.__name__}.{manager_name}.create()`. "
            "This may be because you have a writable field on the "
            "serializer class that is not a valid argument to "
            f"`{model_class.__name__}.{manager_name}.create()`. "
            "You may need to make the field read-only, or override the "
            f"{serializer.__class__.__name__}.create() method to handle this correctly.\n"
            f"Original exception was:\n {tb}"
        )
        raise TypeError(msg)

    for field_name, value in many_to_many.items():
        getattr(instance, field_name).set(value)
    return instance


def update_instance(serializer: Any, instance: Any, validated_data: dict) -> Any:
    """Set each attribute on `instance` and save; to-many relations set after the save."""
    raise_errors_on_nested_writes("update", serializer, validated_data)
    relations = model_meta.get_field_info(instance).relations
    # Setting a to-many relation sends signals that may change the instance: only after save.
    after_save = {
        attr: value
        for attr, value in validated_data.items()
        if attr in relations and relations[attr].to_many
    }
    for attr, value in validated_data.items():
        if attr not in after_save:
            setattr(instance, attr, value)
    instance.save()
    for attr, value in after_save.items():
        getattr(instance, attr).set(value)
    return instance
