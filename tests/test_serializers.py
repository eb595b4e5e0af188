"""Serializer: declared fields, validation order and errors, save, and the misuse guards."""

import pytest
from django.urls import path

from restcycle import serializers
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)

CALLS = []


class EventSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    seats = serializers.IntegerField(min_value=1)
    note = serializers.CharField(required=False)

    def validate_name(self, value):
        CALLS.append(("validate_name", value))
        if value == "forbidden":
            raise serializers.ValidationError("That name is taken.")
        return value.title()

    def validate_seats(self, value):
        CALLS.append(("validate_seats", value))
        return value

    def validate(self, attrs):
        CALLS.append(("validate", dict(attrs)))
        if attrs.get("note") == "clash":
            raise serializers.ValidationError("Events may not clash.")
        return attrs

    def create(self, validated_data):
        return {**validated_data, "id": 7}


class EventView(APIView):
    def post(self, request):
        serializer = EventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(created_by="view")
        return Response(serializer.data, status=201)


class SubEventSerializer(EventSerializer):
    note = None  # removes the inherited field
    level = serializers.IntegerField(default=1)


class FieldNamesView(APIView):
    def get(self, request):
        return Response(
            {
                "event": list(EventSerializer().fields),
                "sub": list(SubEventSerializer().fields),
            }
        )


urlpatterns = [
    path("events/", EventView.as_view()),
    path("names/", FieldNamesView.as_view()),
]


@pytest.fixture
def client():
    CALLS.clear()
    return APIClient()


@pytest.mark.shadow_off("records the order of its validate methods' calls")
def test_valid_input_is_converted_validated_and_saved(client):
    response = client.post("/events/", {"name": "party", "seats": "3"}, format="json")
    assert response.status_code == 201
    assert response.json() == {"name": "Party", "seats": 3}
    assert [call[0] for call in CALLS] == ["validate_name", "validate_seats", "validate"]


def test_every_field_error_is_reported_at_once(client):
    response = client.post("/events/", {"name": "x" * 11, "seats": 0}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Ensure this field has no more than 10 characters."],
        "seats": ["Ensure this value is greater than or equal to 1."],
    }
    # A field that failed conversion does not reach its validate_<field>, nor validate().
    assert CALLS == []


def test_missing_required_fields_are_reported_with_the_required_message(client):
    response = client.post("/events/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "name": ["This field is required."],
        "seats": ["This field is required."],
    }


def test_validate_field_method_errors_go_under_the_field(client):
    response = client.post("/events/", {"name": "forbidden", "seats": 2}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["That name is taken."]}


def test_validate_errors_go_under_non_field_errors(client):
    response = client.post("/events/", {"name": "a", "seats": 2, "note": "clash"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Events may not clash."]}


def test_non_object_body_is_a_400_naming_the_type(client):
    response = client.post("/events/", [1, 2], format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_declared_fields_keep_order_and_subclasses_can_remove_them(client):
    response = client.get("/names/")
    assert response.json() == {
        "event": ["name", "seats", "note"],
        "sub": ["name", "seats", "level"],
    }


def test_error_codes_are_kept_on_the_error_details():
    serializer = EventSerializer(data={"seats": "many"})
    assert not serializer.is_valid()
    assert serializer.errors["seats"][0].code == "invalid"
    assert serializer.errors["name"][0].code == "required"


def test_misuse_is_reported_with_drfs_messages():
    serializer = EventSerializer(data={"name": "a", "seats": 1})
    with pytest.raises(AssertionError, match="must call `.is_valid\\(\\)` before attempting"):
        serializer.data  # noqa: B018
    with pytest.raises(AssertionError, match="You must call `.is_valid\\(\\)` before calling"):
        serializer.save()
    with pytest.raises(AssertionError, match="before accessing `.errors`"):
        serializer.errors  # noqa: B018
    with pytest.raises(AssertionError, match="no `data=` keyword argument"):
        EventSerializer().is_valid()

    assert serializer.is_valid()
    with pytest.raises(AssertionError, match="'commit' is not a valid keyword"):
        serializer.save(commit=False)
    serializer.data  # noqa: B018
    with pytest.raises(AssertionError, match="after accessing `serializer.data`"):
        serializer.save()

    invalid = EventSerializer(data={})
    invalid.is_valid()
    with pytest.raises(AssertionError, match="on a serializer with invalid data"):
        invalid.save()


def test_no_data_at_all_says_so():
    serializer = EventSerializer(data=None)
    assert not serializer.is_valid()
    assert serializer.errors == {"non_field_errors": ["No data provided"]}


def test_partial_validation_skips_missing_fields():
    serializer = EventSerializer(data={"seats": 4}, partial=True)
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"seats": 4}


def test_output_of_plain_objects_and_dicts_is_the_same():
    class Obj:
        name = "a"
        seats = 2
        note = "n"

    assert EventSerializer(Obj()).data == {"name": "a", "seats": 2, "note": "n"}
    assert EventSerializer({"name": "a", "seats": 2}).data == {"name": "a", "seats": 2}
