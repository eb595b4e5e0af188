"""HTMLFormRenderer: a serializer as an HTML form, one template per field kind.

A field's look comes from its class (see `DEFAULT_FIELD_STYLES`) merged with its own
`style={...}`; the template is `<template_pack>/<base_template>` unless the style names
a `template`. Template packs shipped: `rest_framework/horizontal`, `vertical`, `inline`.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from django.template import loader
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import ISO_8601
from ..renderers import BaseRenderer
from ..settings import api_settings
from ..utils.field_mapping import ClassLookupDict


def _input(input_type: str) -> dict[str, str]:
    return {"base_template": "input.html", "input_type": input_type}


def _build_default_styles() -> dict[type, dict[str, str]]:
    # Imported on first use, so that importing renderers stays cheap.
    from .. import fields as serializer_fields
    from .. import relations, serializers

    return {
        serializer_fields.Field: _input("text"),
        serializer_fields.EmailField: _input("email"),
        serializer_fields.URLField: _input("url"),
        serializer_fields.IntegerField: _input("number"),
        serializer_fields.FloatField: _input("number"),
        serializer_fields.DecimalField: _input("number"),
        serializer_fields.DateTimeField: _input("datetime-local"),
        serializer_fields.DateField: _input("date"),
        serializer_fields.TimeField: _input("time"),
        serializer_fields.FileField: _input("file"),
        serializer_fields.BooleanField: {"base_template": "checkbox.html"},
        serializer_fields.ChoiceField: {"base_template": "select.html"},
        serializer_fields.MultipleChoiceField: {"base_template": "select_multiple.html"},
        serializer_fields.FilePathField: {"base_template": "select.html"},
        relations.RelatedField: {"base_template": "select.html"},
        relations.ManyRelatedField: {"base_template": "select_multiple.html"},
        serializers.Serializer: {"base_template": "fieldset.html"},
        serializers.ListSerializer: {"base_template": "list_fieldset.html"},
        serializer_fields.ListField: {"base_template": "list_field.html"},
        serializer_fields.DictField: {"base_template": "dict_field.html"},
        serializer_fields.JSONField: {"base_template": "textarea.html"},
    }


class _LazyStyles:
    """The class → style lookup, built on first use (fields/serializers import late)."""

    def __get__(self, instance: Any, owner: Any) -> ClassLookupDict:
        lookup = owner.__dict__.get("_default_style_cache")
        if lookup is None:
            lookup = ClassLookupDict(_build_default_styles())
            owner._default_style_cache = lookup
        return lookup


class HTMLFormRenderer(BaseRenderer):
    """Renders `serializer.data` (a ReturnDict carrying its serializer) as form fields.

    Not used for API responses; the browsable API and `{% render_form %}` call it.
    `render_field(bound_field, parent_style)` renders one field.
    """

    media_type = "text/html"
    format = "form"
    charset = "utf-8"
    render_style = "text"
    template_pack = "rest_framework/vertical"
    base_template = "form.html"
    default_style = _LazyStyles()

    def render_field(self, field: Any, parent_style: dict) -> str:
        """One bound field as HTML; hidden fields render nothing."""
        from ..fields import HiddenField

        if isinstance(field._field, HiddenField):
            return ""
        style = dict(self.default_style[field])
        style.update(field.style)
        if "template_pack" not in style:
            style["template_pack"] = parent_style.get("template_pack", self.template_pack)
        style["renderer"] = self

        original_value = field.value
        field = field.as_form_field()
        if style.get("input_type") == "datetime-local" and original_value not in (None, ""):
            field.value = _datetime_local_value(field._field, original_value)

        template_name = style.get("template") or (
            style["template_pack"].strip("/") + "/" + style["base_template"]
        )
        template = loader.get_template(template_name)
        return template.render({"field": field, "style": style})

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> str:
        """The whole form of `data.serializer`, in the context's `style` template pack."""
        renderer_context = renderer_context or {}
        form = data.serializer
        style = renderer_context.get("style", {})
        if "template_pack" not in style:
            style["template_pack"] = self.template_pack
        style["renderer"] = self
        template_name = style["template_pack"].strip("/") + "/" + self.base_template
        template = loader.get_template(template_name)
        context = {"form": form, "style": style, "non_field_errors": _non_field_errors(form)}
        return template.render(context)


def _non_field_errors(serializer: Any) -> list:
    """The serializer's errors that belong to no field, once it has been validated."""
    errors = getattr(serializer, "_errors", None)
    if not isinstance(errors, dict):
        return []
    found = errors.get(api_settings.NON_FIELD_ERRORS_KEY) or []
    return found if isinstance(found, list) else [found]


def _parse_datetime(text: str, field: Any) -> datetime | None:
    parsed = parse_datetime(text.strip())
    if parsed is not None:
        return parsed
    output_format = getattr(field, "format", None)
    if not isinstance(output_format, str):  # unset (the `empty` marker) or None
        output_format = api_settings.DATETIME_FORMAT
    if isinstance(output_format, str) and output_format.lower() != ISO_8601:
        try:
            return datetime.strptime(text, output_format)
        except ValueError:
            return None
    return None


def _datetime_local_value(field: Any, value: Any) -> Any:
    """`value` as a datetime-local input wants it: local time, no zone, milliseconds.

    A datetime goes through the field's output format first, so the form shows what
    the API would send back (a format without seconds shows zero seconds).
    """
    if isinstance(value, datetime):
        with contextlib.suppress(Exception):  # a field that cannot format it: use as is
            value = field.to_representation(value)
    parsed = value if isinstance(value, datetime) else None
    if parsed is None and isinstance(value, str):
        parsed = _parse_datetime(value, field)
    if parsed is None:
        return value.rstrip("Z") if isinstance(value, str) else value
    if timezone.is_aware(parsed):
        parsed = timezone.make_naive(parsed, timezone.get_current_timezone())
    return parsed.strftime("%Y-%m-%dT%H:%M:%S") + f".{parsed.microsecond // 1000:03d}"
