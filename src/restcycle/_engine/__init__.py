"""The fast engine behind the public modules: the one place they call it from.

The engine keeps per class what class definitions decide (compiled plans, field maps,
query plans) and per request the rest; where it cannot show a fast path means what the
reference path means, it takes the reference path (docs/query-planning.md, "When the
engine steps aside"). Its parts:

- `plans`: compiled `to_representation` (and `plan_converters`, outputs already in form);
- `validation_plan`: compiled validation, `many=True` batching;
- `query_plan`: automatic prefetching and the list/retrieve paths of the generic views;
- `projection`: the values path (rows without model instances);
- `prepared_query`: lookups run from SQL compiled once, keyed by a queryset fingerprint;
- `eligibility`: the table of overrides and conditions that switch each fast path off;
- `shadow`: the reference path beside every fast path (shadow mode);
- `class_cache`: caches kept on each class, collected with it.

Public modules use only the names below, resolved on first use so that importing the
facade imports nothing (the engine reads the public classes it serves).
"""

from __future__ import annotations

import importlib
from typing import Any

# facade name -> (engine module, its name there)
_EXPORTS = {
    # serializers: representation and validation
    "represent": ("plans", "represent"),
    "represent_many": ("plans", "represent_many"),
    "register_reference": ("plans", "register_reference"),
    "plain_is_valid": ("validation_plan", "plain_is_valid"),
    "validate_fields": ("validation_plan", "validate_fields"),
    "validate_list": ("validation_plan", "validate_list"),
    "list_errors_as_dict": ("validation_plan", "list_errors_as_dict"),
    "batch_lookup": ("validation_plan", "batch_lookup"),
    # generic views: stage 5 (fetch data) on the path that fits
    "plan_list": ("query_plan", "plan_list"),
    "serialized_list": ("query_plan", "serialized_list"),
    "serialized_object": ("query_plan", "serialized_object"),
    "prefetch_object": ("query_plan", "prefetch_object"),
    "describe": ("query_plan", "describe"),
    # lookups of related fields, validators and get_object()
    "prepared_get": ("prepared_query", "get"),
    "prepared_exists": ("prepared_query", "exists"),
    "stable_source": ("prepared_query", "stable_source"),
    # shadow mode and class caches
    "shadow_enabled": ("shadow", "enabled"),
    "shadow_dispatch": ("shadow", "dispatch"),
    "reference_path": ("shadow", "reference_path"),
    "class_setup": ("shadow", "class_setup"),
    "ClassCache": ("class_cache", "ClassCache"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), attribute)
    globals()[name] = value  # later reads are plain module attributes
    return value
