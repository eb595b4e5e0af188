"""DateTimeField, DateField, TimeField, DurationField: formats, time zones, bad input."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.urls import path
from django.utils import timezone

from restcycle import fields
from tests._field_views import input_view, output_view
from tests.models import FieldsGadget

pytestmark = pytest.mark.urls(__name__)

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
ISO_HELP = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"


def _gadget(pk):
    return FieldsGadget.objects.get(pk=pk)


urlpatterns = [
    path("datetime", input_view(fields.DateTimeField())),
    path("datetime-ny", input_view(fields.DateTimeField(default_timezone=NEW_YORK))),
    path("datetime-custom", input_view(
        fields.DateTimeField(input_formats=["%d/%m/%Y %H:%M", "iso-8601"]))),
    path("date", input_view(fields.DateField())),
    path("date-custom", input_view(fields.DateField(input_formats=["%d %b %Y"]))),
    path("time", input_view(fields.TimeField())),
    path("time-custom", input_view(fields.TimeField(input_formats=["%I:%M%p"]))),
    path("duration", input_view(fields.DurationField())),
    path("duration-range", input_view(fields.DurationField(
        min_value=datetime.timedelta(hours=1), max_value=datetime.timedelta(days=1)))),
    path("updated/<int:key>", output_view(fields.DateTimeField(source="updated"), _gadget)),
    path("released/<int:key>", output_view(
        fields.DateField(source="released", format="%d.%m.%Y"), _gadget)),
]  # fmt: skip


def post(client, url, value):
    return client.post(url, {"value": value}, content_type="application/json")


# --- DateTimeField ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-05-01T10:30", "2024-05-01T10:30:00Z"),
        ("2024-05-01 10:30:15.5", "2024-05-01T10:30:15.500000Z"),
        ("2024-05-01T10:30:00+02:00", "2024-05-01T08:30:00Z"),
    ],
)
def test_datetime_reads_iso_8601_into_the_current_time_zone(client, given, expected):
    assert post(client, "/datetime", given).json()["value"] == expected


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01T00:00", "2024-05-01 25:00", 5, [], {}])
def test_datetime_wrong_format_error_lists_the_accepted_formats(client, bad):
    assert post(client, "/datetime", bad).json() == {
        "errors": [f"Datetime has wrong format. Use one of these formats instead: {ISO_HELP}."],
        "codes": ["invalid"],
    }


def test_datetime_custom_formats_are_humanized_in_the_error(client):
    assert post(client, "/datetime-custom", "01/05/2024 10:30").json()["value"] == (
        "2024-05-01T10:30:00Z"
    )
    error = post(client, "/datetime-custom", "May 1st").json()["errors"][0]
    assert error.endswith(f"instead: DD/MM/YYYY hh:mm, {ISO_HELP}.")


def test_datetime_refuses_a_date():
    with pytest.raises(fields.ValidationError) as info:
        fields.DateTimeField().run_validation(datetime.date(2024, 5, 1))
    assert info.value.detail == ["Expected a datetime but got a date."]
    assert info.value.get_codes() == ["date"]


def test_datetime_out_of_range_after_conversion_is_an_error(client):
    response = post(client, "/datetime", "9999-12-31T23:59:59-03:00")
    assert response.json() == {"errors": ["Datetime value out of range."], "codes": ["overflow"]}


class NoOffsetZone(datetime.tzinfo):
    """A time zone that cannot say its offset: no wall-clock time in it is a moment."""

    def __str__(self):
        return "Nowhere/Unknown"


def test_datetime_in_a_zone_without_an_offset_is_an_error_not_a_crash():
    field = fields.DateTimeField(default_timezone=NoOffsetZone())
    with pytest.raises(fields.ValidationError) as info:
        field.run_validation("2024-05-01T10:30")
    assert info.value.detail == ['Invalid datetime for the timezone "Nowhere/Unknown".']


@pytest.mark.parametrize("wall_clock", ["2024-03-10T02:30", "2026-03-08T02:59:59"])
def test_datetime_missing_wall_clock_time_is_an_error(client, wall_clock):
    # These times do not exist: New York's clocks jump from 02:00 to 03:00.
    assert post(client, "/datetime-ny", wall_clock).json() == {
        "errors": ['Invalid datetime for the timezone "America/New_York".'],
        "codes": ["make_aware"],
    }


@pytest.mark.parametrize(
    ("wall_clock", "expected"),
    [
        ("2024-11-03T01:30", "2024-11-03T01:30:00-04:00"),
        ("2026-11-01T01:30", "2026-11-01T01:30:00-04:00"),
        ("2026-11-01T01:00", "2026-11-01T01:00:00-04:00"),
    ],
)
def test_datetime_repeated_wall_clock_time_is_its_first_occurrence(client, wall_clock, expected):
    # 01:00-02:00 happens twice when clocks go back; as DRF does, the first one (still
    # daylight time, fold=0) is taken rather than the input refused.
    assert post(client, "/datetime-ny", wall_clock).json()["value"] == expected


def test_datetime_repeated_wall_clock_time_in_the_current_zone_is_stored_as_its_first_moment():
    field = fields.DateTimeField()
    with timezone.override(NEW_YORK):
        parsed = field.run_validation("2026-11-01T01:30")
    # (Python never calls a time inside a fold equal to one in another zone: compare in UTC.)
    assert parsed.astimezone(UTC) == datetime.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_datetime_with_explicit_zone_keeps_that_zone(client):
    assert post(client, "/datetime-ny", "2024-01-15T09:00").json()["value"] == (
        "2024-01-15T09:00:00-05:00"
    )


def test_datetime_uses_the_activated_time_zone():
    field = fields.DateTimeField()
    with timezone.override(NEW_YORK):
        parsed = field.run_validation("2024-01-15T09:00")
    assert parsed == datetime.datetime(2024, 1, 15, 14, 0, tzinfo=UTC)


@override_settings(USE_TZ=False)
def test_datetime_without_use_tz_is_naive():
    field = fields.DateTimeField()
    assert field.run_validation("2024-01-15T09:00+01:00") == datetime.datetime(2024, 1, 15, 8, 0)
    assert field.to_representation(datetime.datetime(2024, 1, 15, 8, 0)) == "2024-01-15T08:00:00"


@pytest.mark.django_db
def test_datetime_output_from_a_model_row_ends_in_z(client):
    moment = datetime.datetime(2024, 2, 29, 12, 0, 0, 250, tzinfo=UTC)
    gadget = FieldsGadget.objects.create(name="clock", updated=moment)
    assert client.get(f"/updated/{gadget.pk}").json()["value"] == "2024-02-29T12:00:00.000250Z"


def test_datetime_output_format_and_none():
    assert (
        fields.DateTimeField(format="%Y").to_representation(
            datetime.datetime(2024, 1, 1, tzinfo=UTC)
        )
        == "2024"
    )
    assert fields.DateTimeField(format=None).to_representation("as-is") == "as-is"
    assert fields.DateTimeField().to_representation(None) is None


@override_settings(REST_FRAMEWORK={"DATETIME_FORMAT": "%H:%M"})
def test_datetime_output_follows_the_setting():
    assert (
        fields.DateTimeField().to_representation(datetime.datetime(2024, 1, 1, 7, 5, tzinfo=UTC))
        == "07:05"
    )


# --- DateField -------------------------------------------------------------------------


def test_date_reads_iso_and_custom_formats(client):
    assert post(client, "/date", "2024-02-29").json()["value"] == "2024-02-29"
    assert post(client, "/date-custom", "29 Feb 2024").json()["value"] == "2024-02-29"


@pytest.mark.parametrize("bad", ["2023-02-29", "2024-02", "tomorrow", 20240229, [2024]])
def test_date_invalid_values_name_the_format(client, bad):
    assert post(client, "/date", bad).json() == {
        "errors": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
        "codes": ["invalid"],
    }


def test_date_custom_format_error_is_humanized(client):
    assert post(client, "/date-custom", "2024-02-29").json()["errors"] == [
        "Date has wrong format. Use one of these formats instead: DD [Jan-Dec] YYYY."
    ]


def test_date_refuses_a_datetime():
    with pytest.raises(fields.ValidationError) as info:
        fields.DateField().run_validation(datetime.datetime(2024, 1, 1))
    assert info.value.get_codes() == ["datetime"]


@pytest.mark.django_db
def test_date_output_format_from_a_model_row(client):
    gadget = FieldsGadget.objects.create(name="cal", released=datetime.date(2020, 3, 4))
    assert client.get(f"/released/{gadget.pk}").json()["value"] == "04.03.2020"


def test_date_output_refuses_a_datetime_value():
    with pytest.raises(AssertionError, match="Expected a `date`, but got a `datetime`"):
        fields.DateField().to_representation(datetime.datetime(2024, 1, 1))


# --- TimeField -------------------------------------------------------------------------


def test_time_reads_iso_and_custom_formats(client):
    assert post(client, "/time", "13:05").json()["value"] == "13:05:00"
    assert post(client, "/time-custom", "1:05PM").json()["value"] == "13:05:00"


@pytest.mark.parametrize("bad", ["25:00", "noon", 1300, {}])
def test_time_invalid_values_name_the_format(client, bad):
    assert post(client, "/time", bad).json()["errors"] == [
        "Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."
    ]


def test_time_custom_format_error_is_humanized(client):
    assert post(client, "/time-custom", "13:05").json()["errors"] == [
        "Time has wrong format. Use one of these formats instead: hh:mm[AM|PM]."
    ]


# --- DurationField ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [("30", "00:00:30"), ("1 02:03:04", "1 02:03:04"), ("P2DT3H", "2 03:00:00"), (90, "00:01:30")],
)
def test_duration_reads_django_and_iso_formats(client, given, expected):
    assert post(client, "/duration", given).json()["value"] == expected


def test_duration_invalid_names_the_format(client):
    assert post(client, "/duration", "soon").json()["errors"] == [
        "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu]."
    ]


def test_duration_too_many_days_is_an_overflow_error(client):
    assert post(client, "/duration", "1000000000 00:00").json() == {
        "errors": ["The number of days must be between -999999999 and 999999999."],
        "codes": ["overflow"],
    }


def test_duration_limits(client):
    assert post(client, "/duration-range", "60").json() == {
        "errors": ["Ensure this value is greater than or equal to 1:00:00."],
        "codes": ["min_value"],
    }
    assert post(client, "/duration-range", "2 00:00:00").json()["codes"] == ["max_value"]


def test_duration_output_format_follows_argument_and_setting():
    value = datetime.timedelta(days=1, seconds=5)
    assert fields.DurationField(format="iso-8601").to_representation(value) == "P1DT00H00M05S"
    assert fields.DurationField(format=None).to_representation(value) == value
    with override_settings(REST_FRAMEWORK={"DURATION_FORMAT": "iso-8601"}):
        assert fields.DurationField().to_representation(value) == "P1DT00H00M05S"


def test_duration_unknown_formats_are_refused():
    with pytest.raises(ValueError, match="Unknown duration format provided, got 'weeks'"):
        fields.DurationField(format="weeks")
    with pytest.raises(TypeError, match="not int"):
        fields.DurationField(format=3)
