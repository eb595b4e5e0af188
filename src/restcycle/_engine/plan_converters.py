"""Converters for compiled plans: a field's `to_representation`, minus the work a value
already in the output's form does not need.

`converter_for(field)` gives the function a plan calls on each non-None value of the
field. For restcycle's own DateTimeField and DecimalField, used as their classes define
them (no converting method overridden), it is a function that settles the common value
directly and hands anything else to the field's own `to_representation`, so its answer is
always the field's. Everything that a request can change (the output format and
coercion settings, the current time zone, the decimal context) is read when the value is
converted, never when the converter is made; only the field's own configuration is read
once, as the plan does for the rest of the field.
"""

from __future__ import annotations

import datetime
import decimal
import zoneinfo
from typing import Any

import orjson

from .. import ISO_8601
from .._fields.numeric import DecimalField
from .._fields.temporal import DateTimeField, _pinned_timezone
from ..settings import api_settings

_DECIMAL_STEPS = ("to_representation", "quantize")
# Zones whose offset is zero at every instant: a datetime in one of them has the same
# wall-clock fields, and so the same ISO text, in any other.
_UTC_ZONES = frozenset((datetime.UTC, zoneinfo.ZoneInfo("UTC"), zoneinfo.ZoneInfo("Etc/UTC")))
_DATETIME_STEPS = ("to_representation", "enforce_timezone", "default_timezone")


def _steps_are(cls: type, base: type, names: tuple) -> bool:
    return all(getattr(cls, name) is getattr(base, name) for name in names)


def converter_for(field: Any) -> Any:
    """The function the plan calls on the field's non-None values."""
    cls = type(field)
    if issubclass(cls, DecimalField) and _steps_are(cls, DecimalField, _DECIMAL_STEPS):
        return _decimal_converter(field)
    if issubclass(cls, DateTimeField) and _steps_are(cls, DateTimeField, _DATETIME_STEPS):
        return _datetime_converter(field)
    return field.to_representation


def _decimal_converter(field: Any) -> Any:
    """Decimal text for a value already quantized to the field's places; else the field's own.

    A Decimal whose fixed-point text has exactly `decimal_places` places and at most
    `max_digits` digits is what quantizing it gives back unchanged (an exact quantize
    signals nothing, in any context), so its text is the output.
    """
    to_representation = field.to_representation
    places = field.decimal_places
    max_digits = field.max_digits
    if places is None or max_digits is None or field.normalize_output or field.localize:
        return to_representation
    if hasattr(field, "coerce_to_string"):
        if not field.coerce_to_string:
            return to_representation
        own_coercion = True
    else:
        own_coercion = False  # the COERCE_DECIMAL_TO_STRING setting, read per value
    Decimal = decimal.Decimal
    dot_at = -places - 1  # where the point sits in text with `places` places

    def convert(value: Any) -> Any:
        if value.__class__ is Decimal and (own_coercion or api_settings.COERCE_DECIMAL_TO_STRING):
            text = f"{value:f}"
            if places:
                # exactly `places` places; the digits (sign and point aside) within max_digits
                if (
                    len(text) > places
                    and text[dot_at] == "."
                    and len(text) - 1 - (text[0] == "-") <= max_digits
                ):
                    return text
            elif "." not in text and len(text) - (text[0] == "-") <= max_digits:
                return text
        return to_representation(value)

    return convert


def _datetime_converter(field: Any) -> Any:
    """ISO 8601 text of an aware datetime already in the output time zone; else the field's own.

    `astimezone` to the zone a value is already in (or from one UTC zone to another: the
    database gives `datetime.UTC`, settings give `ZoneInfo("UTC")`) keeps its wall-clock
    fields, so the text is its `isoformat()`, with a zero UTC offset written "Z". In UTC,
    orjson writes exactly that text (tests/test_plain_serializer_speed_paths.py), three times
    as fast.
    """
    to_representation = field.to_representation
    if "timezone" in field.__dict__ or "timezone" in dir(type(field)):
        return to_representation  # a zone of the field's own: left to the field
    if hasattr(field, "format"):
        if field.format != ISO_8601:
            return to_representation
        own_format = True
    else:
        own_format = False  # the DATETIME_FORMAT setting, read per value
    datetime_class = datetime.datetime
    utc_zones = _UTC_ZONES
    dumps = orjson.dumps
    utc_z = orjson.OPT_UTC_Z
    pinned_zone = _pinned_timezone.get

    def convert(value: Any) -> Any:
        if value.__class__ is datetime_class and (
            own_format or api_settings.DATETIME_FORMAT == ISO_8601
        ):
            value_zone = value.tzinfo
            zone = pinned_zone()
            if value_zone in utc_zones and zone in utc_zones:
                return dumps(value, option=utc_z)[1:-1].decode()
            if value_zone is zone:
                text = value.isoformat()
                return text[:-6] + "Z" if text.endswith("+00:00") else text
        return to_representation(value)

    return convert
