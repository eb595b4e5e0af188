"""The OpenAPI description of a query parameter, as paginators and filter backends give it."""

from __future__ import annotations

from typing import Any

from django.utils.encoding import force_str


def optional_query_parameter(name: str, description: Any, type: str) -> dict:
    """An optional `?name=` parameter whose value is of the JSON Schema `type`."""
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": force_str(description),
        "schema": {"type": type},
    }
