"""Plain `Serializer`s on the fast paths (issue 17): same answers as DRF's field-by-field loop.

A plain Serializer validates and represents through its class's prototype fields, without
a per-instance copy of its declared fields, until something touches `.fields`; decimals
and datetimes already in the output's form are written without converting them again.
Each test checks the answer against the reference loop or the documented output.
"""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.validators import MaxLengthValidator
from django.test import override_settings
from django.urls import path
from django.utils import timezone

from restcycle import serializers
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView
from tests._locale_settings import LOCALE_SETTINGS

pytestmark = pytest.mark.urls(__name__)


class EchoSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0, max_value=1000)
    name = serializers.CharField(min_length=2, max_length=50)
    ratio = serializers.FloatField()
    active = serializers.BooleanField()
    labels = serializers.ListField(child=serializers.CharField(max_length=10))
    when = serializers.DateTimeField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)
    kind = serializers.ChoiceField(choices=["paper", "ebook"])
    note = serializers.CharField(allow_null=True, default=None)


class ShortNames(EchoSerializer):
    """Changes declared fields' state after construction, as DRF's docs show."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Limits turn into validators at construction: changing them later changes
        # nothing in validation (DRF alike); a validator added later does.
        self.fields["name"].max_length = 3
        self.fields["count"].max_value = 5000
        self.fields["labels"].child.max_length = 1
        self.fields["labels"].child.validators.append(MaxLengthValidator(2))
        self.fields["price"].coerce_to_string = False


class EchoView(APIView):
    authentication_classes = []
    permission_classes = []
    serializer_class = EchoSerializer

    def post(self, request):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data)


class ShortNamesView(EchoView):
    serializer_class = ShortNames


urlpatterns = [
    path("echo/", EchoView.as_view()),
    path("short/", ShortNamesView.as_view()),
]

PAYLOAD = {
    "count": 42,
    "name": "Reader",
    "ratio": 0.25,
    "active": True,
    "labels": ["ab", "cd"],
    "when": "2024-05-01T12:30:00.001250Z",
    "price": "24.9",
    "kind": "paper",
}


def _reference(serializer_class, item, **kwargs):
    return serializers._default_to_representation(serializer_class(**kwargs), item)


def test_a_plain_serializer_validates_and_answers_without_copying_its_fields():
    serializer = EchoSerializer(data=PAYLOAD)
    assert serializer.is_valid(), serializer.errors
    data = serializer.data
    assert "fields" not in serializer.__dict__  # the class's fields served this instance
    assert data == _reference(EchoSerializer, serializer.validated_data)
    assert data["price"] == "24.90"
    assert data["when"] == "2024-05-01T12:30:00.001250Z"
    assert data["note"] is None


def test_echo_view_answers_the_validated_payload():
    response = APIClient().post("/echo/", PAYLOAD, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {**PAYLOAD, "price": "24.90", "note": None}


def test_every_invalid_field_is_reported_at_once():
    bad = {**PAYLOAD, "count": -1, "name": "x", "labels": ["far too long"], "price": "x"}
    response = APIClient().post("/echo/", bad, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "count": ["Ensure this value is greater than or equal to 0."],
        "name": ["Ensure this field has at least 2 characters."],
        "labels": {"0": ["Ensure this field has no more than 10 characters."]},
        "price": ["A valid number is required."],
    }


def test_field_state_changed_in_init_is_honoured_by_validation_and_output():
    response = APIClient().post("/short/", PAYLOAD, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Reader"
    assert response.json()["price"] == 24.9  # a Decimal, rendered as a number
    response = APIClient().post("/short/", {**PAYLOAD, "count": 2000, "labels": ["abc"]})
    assert response.status_code == 400
    assert response.json() == {
        "count": ["Ensure this value is less than or equal to 1000."],
        "labels": {"0": ["Ensure this value has at most 2 characters (it has 3)."]},
    }
    serializer = ShortNames(data=PAYLOAD)
    assert serializer.is_valid(), serializer.errors
    assert serializer.data["price"] == Decimal("24.90")


def test_messages_follow_each_requests_language():
    bad = {**PAYLOAD, "count": 1001, "labels": ["far too long"], "price": "1.234"}
    with LOCALE_SETTINGS:
        client = APIClient()
        french = client.post("/echo/", bad, format="json", HTTP_ACCEPT_LANGUAGE="fr")
        english = client.post("/echo/", bad, format="json", HTTP_ACCEPT_LANGUAGE="en")
        french_again = client.post("/echo/", bad, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == english.status_code == 400
    assert french.json()["count"] == [
        "Assurez-vous que cette valeur est inférieure ou égale à 1000."
    ]
    assert english.json()["count"] == ["Ensure this value is less than or equal to 1000."]
    assert english.json()["labels"] == {"0": ["Ensure this field has no more than 10 characters."]}
    assert french.json()["labels"]["0"][0] != english.json()["labels"]["0"][0]
    assert english.json()["price"] == ["Ensure that there are no more than 2 decimal places."]
    assert french.json()["price"][0] != english.json()["price"][0]
    assert french_again.json() == french.json()


# --- decimals ----------------------------------------------------------------------------


class Prices(serializers.Serializer):
    price = serializers.DecimalField(max_digits=6, decimal_places=2)
    whole = serializers.DecimalField(max_digits=4, decimal_places=0)
    raw = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)


DECIMALS = [
    Decimal("1.50"),
    Decimal("1.5"),
    Decimal("-0.05"),
    Decimal("0.00"),
    Decimal("-0"),
    Decimal("1234.56"),
    Decimal("1.005"),
    Decimal("2.675"),
    Decimal("1E+1"),
    Decimal("10"),
    Decimal("-9999"),
    1.25,
    3,
    "7.10",
]


@pytest.mark.parametrize("value", DECIMALS, ids=repr)
def test_decimals_are_written_as_the_field_writes_them(value):
    item = {"price": value, "whole": value, "raw": value}
    reference = _reference(Prices, item)
    assert Prices([item], many=True).data == [reference]
    assert Prices(item).data == reference


def test_a_decimal_with_more_digits_than_allowed_fails_as_on_the_reference_path():
    item = {"price": Decimal("123456.78"), "whole": 1, "raw": 1}
    with pytest.raises(Exception) as reference_error:
        _reference(Prices, item)
    with pytest.raises(type(reference_error.value)):
        Prices([item], many=True).data  # noqa: B018


def test_decimal_coercion_setting_is_read_per_request():
    item = {"price": Decimal("1.50"), "whole": Decimal("3"), "raw": Decimal("1.50")}
    assert Prices([item], many=True).data[0]["price"] == "1.50"
    with override_settings(REST_FRAMEWORK={"COERCE_DECIMAL_TO_STRING": False}):
        assert Prices([item], many=True).data[0]["price"] == Decimal("1.50")
    assert Prices([item], many=True).data[0]["price"] == "1.50"


# --- datetimes ---------------------------------------------------------------------------


class Stamps(serializers.Serializer):
    at = serializers.DateTimeField()
    own_format = serializers.DateTimeField(format="iso-8601")
    in_tokyo = serializers.DateTimeField(default_timezone=zoneinfo.ZoneInfo("Asia/Tokyo"))


STAMPS = [
    datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC),
    datetime.datetime(2024, 5, 1, 12, 30, 0, 1250, tzinfo=datetime.UTC),
    datetime.datetime(999, 1, 2, 3, 4, 5, tzinfo=zoneinfo.ZoneInfo("UTC")),
    datetime.datetime(2024, 3, 31, 2, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
    datetime.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
    datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_datetimes_are_written_in_the_current_time_zone(zone):
    items = [{"at": value, "own_format": value, "in_tokyo": value} for value in STAMPS]
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        reference = [_reference(Stamps, item) for item in items]
        assert list(Stamps(items, many=True).data) == reference
    utc_text = Stamps(items[:2], many=True).data
    assert [row["at"] for row in utc_text] == [
        "2024-05-01T12:30:00Z",
        "2024-05-01T12:30:00.001250Z",
    ]


def test_datetime_format_setting_is_read_per_request():
    items = [{"at": STAMPS[0], "own_format": STAMPS[0], "in_tokyo": STAMPS[0]}]
    with override_settings(REST_FRAMEWORK={"DATETIME_FORMAT": "%Y-%m-%d %H:%M"}):
        data = Stamps(items, many=True).data[0]
        assert data["at"] == "2024-05-01 12:30"
        assert data["own_format"] == "2024-05-01T12:30:00Z"
    assert Stamps(items, many=True).data[0]["at"] == "2024-05-01T12:30:00Z"


@override_settings(USE_TZ=False)
def test_naive_datetimes_without_time_zone_support():
    naive = datetime.datetime(2024, 5, 1, 12, 30, 15)
    items = [{"at": naive, "own_format": naive, "in_tokyo": naive}]
    assert list(Stamps(items, many=True).data) == [_reference(Stamps, items[0])]
    assert Stamps(items, many=True).data[0]["at"] == "2024-05-01T12:30:15"
