"""A list is serialized in the time zone current when its serialization starts.

The time zone is read once per list (not once per value); these tests check the
output is still what the current time zone says, for flat and nested lists, and
that a field's own `timezone` still wins.
"""

import datetime
import zoneinfo

import pytest
from django.urls import path
from django.utils import timezone

from restcycle import serializers
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

MOMENTS = [
    datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.UTC),
    datetime.datetime(2024, 7, 1, 12, 0, tzinfo=datetime.UTC),
]


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    at_utc = serializers.DateTimeField(source="at", default_timezone=datetime.UTC)


class DaySerializer(serializers.Serializer):
    name = serializers.CharField()
    events = EventSerializer(many=True)


class EventsView(APIView):
    def get(self, request):
        zone = request.query_params.get("tz")
        events = [{"at": moment} for moment in MOMENTS]
        days = [{"name": "d", "events": events}]
        if zone:
            with timezone.override(zoneinfo.ZoneInfo(zone)):
                flat = EventSerializer(events, many=True).data
                nested = DaySerializer(days, many=True).data
        else:
            flat = EventSerializer(events, many=True).data
            nested = DaySerializer(days, many=True).data
        return Response({"flat": flat, "nested": nested})


urlpatterns = [path("events/", EventsView.as_view())]


def test_list_values_are_in_the_time_zone_current_at_serialization():
    body = APIClient().get("/events/", {"tz": "Europe/Paris"}).json()
    assert [item["at"] for item in body["flat"]] == [
        "2024-01-01T13:00:00+01:00",
        "2024-07-01T14:00:00+02:00",
    ]
    assert [item["at"] for item in body["nested"][0]["events"]] == [
        "2024-01-01T13:00:00+01:00",
        "2024-07-01T14:00:00+02:00",
    ]


def test_a_field_with_its_own_time_zone_keeps_it_in_a_list():
    body = APIClient().get("/events/", {"tz": "Asia/Tokyo"}).json()
    assert [item["at"] for item in body["flat"]] == [
        "2024-01-01T21:00:00+09:00",
        "2024-07-01T21:00:00+09:00",
    ]
    assert [item["at_utc"] for item in body["flat"]] == [
        "2024-01-01T12:00:00Z",
        "2024-07-01T12:00:00Z",
    ]


def test_the_default_time_zone_applies_again_after_the_override():
    APIClient().get("/events/", {"tz": "Asia/Tokyo"})
    body = APIClient().get("/events/").json()
    assert body["flat"][0]["at"] == "2024-01-01T12:00:00Z"
    assert body["nested"][0]["events"][1]["at"] == "2024-07-01T12:00:00Z"
