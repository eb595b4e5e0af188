"""Small questions schema inspectors ask about a view or a model (drf-spectacular uses them)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


def is_list_view(path: str, method: str, view: Any) -> bool:
    """Whether `method` on `path` returns a list of objects rather than one.

    A viewset knows from its action; otherwise a GET that is not a retrieve and whose
    path does not end in a parameter (`/users/{id}/`) is a list.
    """
    if hasattr(view, "action"):
        return view.action == "list"
    if method.lower() != "get":
        return False
    from ..mixins import RetrieveModelMixin

    if isinstance(view, RetrieveModelMixin):
        return False
    last_component = path.strip("/").split("/")[-1]
    return "{" not in last_component


def get_pk_description(model: Any, model_field: Any) -> str:
    """'A unique integer value identifying this book.' — the path parameter's description."""
    if isinstance(model_field, models.AutoField):
        value_type = _("unique integer value")
    elif isinstance(model_field, models.UUIDField):
        value_type = _("UUID string")
    else:
        value_type = _("unique value")
    return _("A {value_type} identifying this {name}.").format(
        value_type=value_type, name=model._meta.verbose_name
    )
