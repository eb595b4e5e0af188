"""`JSONEncoder`: Python's json encoder taught the types REST framework responses carry.

    json.dumps(data, cls=JSONEncoder)

`default()` turns lazy strings, dates and times, durations, Decimals, UUIDs, IP
addresses, QuerySets, bytes, array-likes (`tolist()`), mappings and iterables into
JSON-ready values, exactly as DRF's encoder does; anything else is a TypeError.
`JSONRenderer` uses the same conversions with orjson, so subclasses that override
`default()` change what the renderer writes.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import ipaddress
import json
import uuid
from typing import Any

from django.db.models.query import QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise

_IP_TYPES = (
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
    ipaddress.IPv4Interface,
    ipaddress.IPv6Interface,
)


def _datetime_to_json(value: datetime.datetime) -> str:
    """ISO 8601 with all its digits, and `Z` for UTC."""
    text = value.isoformat()
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def _time_to_json(value: datetime.time) -> str:
    if timezone.is_aware(value):
        raise ValueError("JSON can't represent timezone-aware times.")
    return value.isoformat()


def _timedelta_to_json(value: datetime.timedelta) -> str:
    return str(value.total_seconds())


def _mapping_or_sequence(value: Any) -> Any:
    """Objects with `__getitem__`: as a list if they are sequences, else as a dict."""
    target = list if isinstance(value, (list, tuple)) else dict
    with contextlib.suppress(Exception):
        return target(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


# Exact types with a known conversion: looked up before the isinstance chain below.
_CONVERTERS_BY_TYPE: dict[type, Any] = {
    datetime.datetime: _datetime_to_json,
    datetime.date: datetime.date.isoformat,
    datetime.time: _time_to_json,
    datetime.timedelta: _timedelta_to_json,
    decimal.Decimal: float,
    uuid.UUID: str,
    bytes: bytes.decode,
    **{ip_type: str for ip_type in _IP_TYPES},
}


# Subclasses, in order of precedence (a datetime is also a date, so it comes first).
_CONVERTERS_BY_BASE: tuple[tuple[Any, Any], ...] = (
    (Promise, force_str),
    (datetime.datetime, _datetime_to_json),
    (datetime.date, lambda value: value.isoformat()),
    (datetime.time, _time_to_json),
    (datetime.timedelta, _timedelta_to_json),
    (decimal.Decimal, float),
    (uuid.UUID, str),
    (_IP_TYPES, str),
    (QuerySet, tuple),
    (bytes, lambda value: value.decode()),
)


def encode_default(obj: Any) -> Any:
    """The JSON-ready form of `obj` (a value json cannot write itself); TypeError if none."""
    converter = _CONVERTERS_BY_TYPE.get(type(obj))
    if converter is not None:
        return converter(obj)
    for base, convert in _CONVERTERS_BY_BASE:
        if isinstance(obj, base):
            return convert(obj)
    # Duck types: numpy arrays and scalars, then mappings/sequences, then any iterable.
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "__getitem__"):
        return _mapping_or_sequence(obj)
    if hasattr(obj, "__iter__"):
        return tuple(obj)
    raise TypeError(f"Object of type {obj.__class__.__name__} is not JSON serializable")


class JSONEncoder(json.JSONEncoder):
    """json.JSONEncoder that also encodes dates, Decimals, UUIDs, QuerySets, and the like."""

    def default(self, obj: Any) -> Any:
        return encode_default(obj)
