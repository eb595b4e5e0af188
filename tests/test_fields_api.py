"""Every field behind a real API view: garbage in gives 400 with per-field errors, never 500."""

import datetime
import decimal
import json

import pytest
from django.urls import path

from restcycle import generics, serializers
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView
from tests.models import FieldsGadget

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class EverythingSerializer(serializers.Serializer):
    flag = serializers.BooleanField()
    text = serializers.CharField(max_length=20)
    email = serializers.EmailField()
    slug = serializers.SlugField()
    url = serializers.URLField()
    uid = serializers.UUIDField()
    ip = serializers.IPAddressField()
    count = serializers.IntegerField(min_value=0)
    big = serializers.BigIntegerField()
    ratio = serializers.FloatField()
    price = serializers.DecimalField(max_digits=6, decimal_places=2)
    when = serializers.DateTimeField()
    day = serializers.DateField()
    at = serializers.TimeField()
    took = serializers.DurationField()
    size = serializers.ChoiceField(choices=["s", "m", "l"])
    sizes = serializers.MultipleChoiceField(choices=["s", "m", "l"])
    tags = serializers.ListField(child=serializers.CharField())
    scores = serializers.DictField(child=serializers.IntegerField())
    blob = serializers.JSONField()


VALID = {
    "flag": "yes",
    "text": " hello ",
    "email": "a@example.com",
    "slug": "a-slug",
    "url": "https://example.com",
    "uid": "825d7aeb-05a9-45b5-a5b7-05df87923cda",
    "ip": "::ffff:10.0.0.1",
    "count": "3",
    "big": "99999999999999999999",
    "ratio": 0.5,
    "price": "12.5",
    "when": "2024-05-01T10:00:00+02:00",
    "day": "2024-05-01",
    "at": "10:15",
    "took": "1 02:00:00",
    "size": "m",
    "sizes": ["l", "s", "l"],
    "tags": ["a", 1],
    "scores": {"x": "1"},
    "blob": {"any": [1, None]},
}

GARBAGE = [
    {name: [] for name in VALID},
    {name: {"nested": {"deep": [1, 2]}} for name in VALID},
    {name: "\ud800" for name in VALID},
    {name: "9" * 5000 for name in VALID},
    {name: None for name in VALID},
    {name: float("1e308") for name in VALID},
    {name: True for name in VALID},
]


class EverythingView(APIView):
    def post(self, request):
        serializer = EverythingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data, status=201)


class GadgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = FieldsGadget
        fields = ["id", "name", "price", "weight", "in_stock", "released", "updated", "token"]


class GadgetList(generics.ListCreateAPIView):
    queryset = FieldsGadget.objects.order_by("id")
    serializer_class = GadgetSerializer


urlpatterns = [
    path("everything", EverythingView.as_view()),
    path("gadgets", GadgetList.as_view()),
]


@pytest.fixture
def api():
    return APIClient()


def test_valid_input_round_trips_through_every_field(api):
    response = api.post("/everything", VALID, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "flag": True,
        "text": "hello",
        "email": "a@example.com",
        "slug": "a-slug",
        "url": "https://example.com",
        "uid": "825d7aeb-05a9-45b5-a5b7-05df87923cda",
        "ip": "10.0.0.1",
        "count": 3,
        "big": 99999999999999999999,
        "ratio": 0.5,
        "price": "12.50",
        "when": "2024-05-01T08:00:00Z",
        "day": "2024-05-01",
        "at": "10:15:00",
        "took": "1 02:00:00",
        "size": "m",
        "sizes": ["l", "s"],
        "tags": ["a", "1"],
        "scores": {"x": 1},
        "blob": {"any": [1, None]},
    }


@pytest.mark.parametrize("body", GARBAGE, ids=lambda body: type(next(iter(body.values()))).__name__)
def test_garbage_in_every_field_is_a_400_naming_each_field(api, body):
    # json.dumps escapes lone surrogates (\\ud800) as a real client's JSON would.
    raw = json.dumps(body)
    response = api.post("/everything", raw, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) <= set(VALID)
    for messages in errors.values():
        assert messages, "every reported field has at least one message"


def test_every_field_reports_its_own_error_for_lists(api):
    errors = api.post("/everything", dict.fromkeys(VALID, []), format="json").json()
    # Only the container fields take a list; an empty one is fine for them.
    assert set(errors) == set(VALID) - {"sizes", "tags", "blob"}


def test_model_rows_come_out_in_drf_formats(api):
    FieldsGadget.objects.create(
        name="kettle",
        price=decimal.Decimal("19.9"),
        weight=1.25,
        in_stock=False,
        released=datetime.date(2023, 12, 24),
        updated=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        token="825d7aeb-05a9-45b5-a5b7-05df87923cda",
    )
    FieldsGadget.objects.create(name="cup")
    rows = api.get("/gadgets").json()
    assert rows[0] == {
        "id": rows[0]["id"],
        "name": "kettle",
        "price": "19.90",
        "weight": 1.25,
        "in_stock": False,
        "released": "2023-12-24",
        "updated": "2024-01-02T03:04:05Z",
        "token": "825d7aeb-05a9-45b5-a5b7-05df87923cda",
    }
    assert rows[1]["released"] is None and rows[1]["token"] is None and rows[1]["price"] == "0.00"


def test_model_serializer_unique_name_is_checked_on_create(api):
    FieldsGadget.objects.create(name="kettle")
    response = api.post("/gadgets", {"name": "kettle"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["fields gadget with this name already exists."]}
