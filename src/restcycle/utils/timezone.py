"""Whether an aware datetime names a real, unambiguous moment in its time zone.

zoneinfo never raises for wall-clock times skipped by a DST jump or repeated by
one; these checks find them, so that a field can reject them instead of guessing.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def datetime_exists(dt: datetime) -> bool:
    """False for a wall-clock time that a DST jump skips (it does not survive a UTC round trip).

    The wall-clock times are compared naive: Python's inter-zone comparison of an aware
    datetime inside a fold or gap is always unequal, which would also refuse repeated times.
    """
    back = dt.astimezone(UTC).astimezone(dt.tzinfo)
    return back.replace(tzinfo=None) == dt.replace(tzinfo=None)


def datetime_ambiguous(dt: datetime) -> bool:
    """True for a wall-clock time that happens twice (its offset depends on `fold`)."""
    return datetime_exists(dt) and dt.replace(fold=not dt.fold).utcoffset() != dt.utcoffset()


def valid_datetime(dt: datetime) -> bool:
    """An aware datetime that exists exactly once in its time zone."""
    return isinstance(dt.tzinfo, tzinfo) and not datetime_ambiguous(dt) and datetime_exists(dt)
