"""Date and time fields: DateTimeField, DateField, TimeField, DurationField.

Input is ISO 8601 by default (Django's `parse_*` functions) or any strptime
format listed in `input_formats`; output is ISO 8601 (UTC as "Z") or `format`.
With USE_TZ, datetimes are made aware in the current time zone (or
`default_timezone`); without it they are naive.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from operator import methodcaller
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time
from django.utils.duration import duration_iso_string, duration_string
from django.utils.translation import gettext_lazy as _

from .. import ISO_8601
from ..settings import api_settings
from ..utils import humanize_datetime
from ..utils import timezone as timezone_checks
from .base import Field, empty, lazy_format

_PARSE_ERRORS = (ValueError, TypeError, OverflowError)

# Reading Django's current time zone costs more than formatting a datetime; serializing
# many rows reads it once (see current_timezone_pinned).
_pinned_timezone: ContextVar[Any] = ContextVar("restcycle_pinned_timezone", default=empty)


@contextmanager
def current_timezone_pinned() -> Iterator[None]:
    """Within the block, DateTimeFields use the time zone that is current on entry.

    For serializing many objects at once: the current time zone is read once, not once
    per value. Activating another time zone inside the block is not seen by the fields.
    """
    token = _pinned_timezone.set(timezone.get_current_timezone() if settings.USE_TZ else None)
    try:
        yield
    finally:
        _pinned_timezone.reset(token)


class _FormattedField(Field):
    """A field read with `input_formats` and written with `format` (the settings by default)."""

    datetime_parser = datetime.datetime.strptime

    def __init__(self, format: Any = empty, input_formats: list[str] | None = None, **kwargs):
        if format is not empty:
            self.format = format
        if input_formats is not None:
            self.input_formats = input_formats
        super().__init__(**kwargs)


def _parse(field: Field, value: Any, input_formats: list, parse_iso: Any, convert: Any) -> Any:
    """`value` read with the first of `input_formats` that fits it, or None when none does.

    ISO 8601 goes through Django's `parse_iso`; other formats through `field.datetime_parser`,
    whose datetime `convert` turns into the field's type.
    """
    for input_format in input_formats:
        try:
            if input_format.lower() == ISO_8601:
                parsed = parse_iso(value)
                if parsed is not None:
                    return parsed
            else:
                return convert(field.datetime_parser(value, input_format))
        except _PARSE_ERRORS:
            continue
    return None


def _same(value: Any) -> Any:
    return value


def _formatted(value: Any, output_format: str | None, kind: str) -> Any:
    """A date or time as ISO 8601 or strftime(`output_format`); a datetime is refused."""
    if output_format is None or isinstance(value, str):
        return value
    assert not isinstance(value, datetime.datetime), (
        f"Expected a `{kind}`, but got a `datetime`. Refusing to coerce, as this may mean "
        "losing timezone information. Use a custom read-only field and deal with timezone "
        "issues explicitly."
    )
    iso = output_format.lower() == ISO_8601
    return value.isoformat() if iso else value.strftime(output_format)


class DateTimeField(_FormattedField):
    """An aware (USE_TZ) or naive datetime; a bare date is refused rather than guessed at."""

    default_error_messages = {
        "invalid": _("Datetime has wrong format. Use one of these formats instead: {format}."),
        "date": _("Expected a datetime but got a date."),
        "make_aware": _('Invalid datetime for the timezone "{timezone}".'),
        "overflow": _("Datetime value out of range."),
    }

    def __init__(
        self,
        format: Any = empty,
        input_formats: list[str] | None = None,
        default_timezone: datetime.tzinfo | None = None,
        **kwargs: Any,
    ):
        if default_timezone is not None:
            self.timezone = default_timezone
        super().__init__(format, input_formats, **kwargs)

    def default_timezone(self) -> datetime.tzinfo | None:
        pinned = _pinned_timezone.get()
        if pinned is not empty:
            return pinned
        return timezone.get_current_timezone() if settings.USE_TZ else None

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        """Aware in the field's time zone when it has one, naive (as UTC) when it has none."""
        field_timezone = self.timezone if hasattr(self, "timezone") else self.default_timezone()
        if field_timezone is None:
            if timezone.is_aware(value):
                return timezone.make_naive(value, datetime.UTC)
            return value
        if timezone.is_aware(value):
            try:
                return value.astimezone(field_timezone)
            except OverflowError:
                self.fail("overflow")
        try:
            aware = timezone.make_aware(value, field_timezone)
        except OverflowError:
            self.fail("overflow")
        except ValueError:  # a tzinfo that refuses ambiguous or missing wall-clock times
            self.fail("make_aware", timezone=field_timezone)
        # A time repeated when clocks go back is real: the first one (fold=0), as DRF and
        # zoneinfo take it. A time skipped when they jump forward names no moment at all.
        try:
            exists = timezone_checks.datetime_exists(aware)
        except NotImplementedError:  # a tzinfo that cannot give an offset names no moment
            exists = False
        if not exists:
            self.fail("make_aware", timezone=field_timezone)
        return aware

    def to_internal_value(self, value: Any) -> datetime.datetime:
        input_formats = getattr(self, "input_formats", api_settings.DATETIME_INPUT_FORMATS)
        if isinstance(value, datetime.datetime):
            return self.enforce_timezone(value)
        if isinstance(value, datetime.date):
            self.fail("date")
        parsed = _parse(self, value, input_formats, parse_datetime, _same)
        if parsed is not None:
            return self.enforce_timezone(parsed)
        self.fail("invalid", format=humanize_datetime.datetime_formats(input_formats))

    def to_representation(self, value: Any) -> Any:
        """ISO 8601 text (a UTC offset of zero written "Z"), or strftime(`format`)."""
        if not value:
            return None
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if output_format is None or isinstance(value, str):
            return value
        moment = self.enforce_timezone(value)
        if output_format.lower() != ISO_8601:
            return moment.strftime(output_format)
        text = moment.isoformat()
        return f"{text[:-6]}Z" if text.endswith("+00:00") else text


class DateField(_FormattedField):
    """A date; a datetime is refused, as dropping its time may shift the day."""

    default_error_messages = {
        "invalid": _("Date has wrong format. Use one of these formats instead: {format}."),
        "datetime": _("Expected a date but got a datetime."),
    }

    def to_internal_value(self, value: Any) -> datetime.date:
        input_formats = getattr(self, "input_formats", api_settings.DATE_INPUT_FORMATS)
        if isinstance(value, datetime.datetime):
            self.fail("datetime")
        if isinstance(value, datetime.date):
            return value
        parsed = _parse(self, value, input_formats, parse_date, methodcaller("date"))
        if parsed is not None:
            return parsed
        self.fail("invalid", format=humanize_datetime.date_formats(input_formats))

    def to_representation(self, value: Any) -> Any:
        """ISO 8601 (YYYY-MM-DD) or strftime(`format`)."""
        if not value:
            return None
        return _formatted(value, getattr(self, "format", api_settings.DATE_FORMAT), "date")


class TimeField(_FormattedField):
    default_error_messages = {
        "invalid": _("Time has wrong format. Use one of these formats instead: {format}."),
    }

    def to_internal_value(self, value: Any) -> datetime.time:
        input_formats = getattr(self, "input_formats", api_settings.TIME_INPUT_FORMATS)
        if isinstance(value, datetime.time):
            return value
        parsed = _parse(self, value, input_formats, parse_time, methodcaller("time"))
        if parsed is not None:
            return parsed
        self.fail("invalid", format=humanize_datetime.time_formats(input_formats))

    def to_representation(self, value: Any) -> Any:
        """ISO 8601 (hh:mm:ss[.uuuuuu]) or strftime(`format`)."""
        if value in (None, ""):
            return None
        return _formatted(value, getattr(self, "format", api_settings.TIME_FORMAT), "time")


def _unknown_duration_format(output_format: Any) -> ValueError:
    return ValueError(
        f"Unknown duration format provided, got '{output_format}' while expecting 'django', "
        f"'{ISO_8601}' or `None`."
    )


def _duration_format_type_error(output_format: Any) -> TypeError:
    return TypeError(
        f"duration format must be either str or `None`, not {type(output_format).__name__}"
    )


class DurationField(Field):
    """A timedelta, read as "[DD] [HH:[MM:]]ss[.uuuuuu]" or ISO 8601 ("P3DT4H")."""

    default_error_messages = {
        "invalid": _("Duration has wrong format. Use one of these formats instead: {format}."),
        "max_value": _("Ensure this value is less than or equal to {max_value}."),
        "min_value": _("Ensure this value is greater than or equal to {min_value}."),
        "overflow": _("The number of days must be between {min_days} and {max_days}."),
    }

    def __init__(self, *, format: Any = empty, **kwargs: Any):
        self.max_value = kwargs.pop("max_value", None)
        self.min_value = kwargs.pop("min_value", None)
        if format is not empty:
            if format is None or (
                isinstance(format, str) and format.lower() in (ISO_8601, "django")
            ):
                self.format = format
            elif isinstance(format, str):
                raise _unknown_duration_format(format)
            else:
                raise _duration_format_type_error(format)
        super().__init__(**kwargs)
        if self.max_value is not None:
            message = lazy_format(self.error_messages["max_value"], max_value=self.max_value)
            self.validators.append(MaxValueValidator(self.max_value, message=message))
        if self.min_value is not None:
            message = lazy_format(self.error_messages["min_value"], min_value=self.min_value)
            self.validators.append(MinValueValidator(self.min_value, message=message))

    def to_internal_value(self, value: Any) -> datetime.timedelta:
        if isinstance(value, datetime.timedelta):
            return value
        try:
            parsed = parse_duration(str(value))
        except OverflowError:
            self.fail(
                "overflow",
                min_days=datetime.timedelta.min.days,
                max_days=datetime.timedelta.max.days,
            )
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed
        self.fail("invalid", format="[DD] [HH:[MM:]]ss[.uuuuuu]")

    def to_representation(self, value: Any) -> Any:
        """Django's "DD HH:MM:SS.uuuuuu", ISO 8601, or the timedelta itself (format None)."""
        output_format = getattr(self, "format", api_settings.DURATION_FORMAT)
        if output_format is None:
            return value
        if not isinstance(output_format, str):
            raise _duration_format_type_error(output_format)
        lowered = output_format.lower()
        if lowered == ISO_8601:
            return duration_iso_string(value)
        if lowered == "django":
            return duration_string(value)
        raise _unknown_duration_format(output_format)
