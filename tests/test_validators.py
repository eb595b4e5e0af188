"""Uniqueness validators against real rows, and the surrogate-text validator."""

import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from restcycle import serializers
from restcycle.exceptions import ValidationError
from restcycle.validators import (
    ProhibitSurrogateCharactersValidator,
    UniqueForDateValidator,
    UniqueForMonthValidator,
    UniqueForYearValidator,
    UniqueTogetherValidator,
    UniqueValidator,
    qs_exists,
    qs_filter,
)
from tests.models import FieldsArticle, FieldsBooking, FieldsGadget

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class GadgetSerializer(serializers.Serializer):
    name = serializers.CharField(validators=[UniqueValidator(queryset=FieldsGadget.objects.all())])
    nickname = serializers.CharField(
        source="name",
        required=False,
        validators=[
            UniqueValidator(
                FieldsGadget.objects.all(), message="Taken, whatever the case.", lookup="iexact"
            )
        ],
    )


class BookingSerializer(serializers.Serializer):
    room = serializers.CharField()
    slot = serializers.IntegerField(allow_null=True)
    cancelled = serializers.BooleanField(default=False)

    class Meta:
        validators = [
            UniqueTogetherValidator(
                queryset=FieldsBooking.objects.all(),
                fields=["room", "slot"],
                condition_fields=["cancelled"],
                condition=FieldsBooking._meta.constraints[0].condition,
            )
        ]


class StrictBookingSerializer(BookingSerializer):
    class Meta:
        validators = [
            UniqueTogetherValidator(
                queryset=FieldsBooking.objects.all(),
                fields=["room", "slot"],
                message="Room {field_names} clash.",
                code="double_booked",
                nulls_distinct=False,
            )
        ]


def _article_serializer(validator_class):
    class ArticleSerializer(serializers.Serializer):
        slug = serializers.CharField()
        published = serializers.DateField()

        class Meta:
            validators = [
                validator_class(
                    queryset=FieldsArticle.objects.all(), field="slug", date_field="published"
                )
            ]

    return ArticleSerializer


def _validate_view(serializer_class, model=None):
    @csrf_exempt
    def view(request, pk=None):
        instance = model.objects.get(pk=pk) if pk is not None else None
        serializer = serializer_class(instance, data=json.loads(request.body))
        if serializer.is_valid():
            return JsonResponse({"valid": True}, encoder=DjangoJSONEncoder)
        return JsonResponse(
            {"errors": serializer.errors, "codes": _codes(serializer.errors)}, status=400
        )

    return view


def _codes(errors):
    if isinstance(errors, dict):
        return {key: _codes(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [_codes(item) for item in errors]
    return errors.code


urlpatterns = [
    path("gadgets", _validate_view(GadgetSerializer)),
    path("gadgets/<int:pk>", _validate_view(GadgetSerializer, FieldsGadget)),
    path("bookings", _validate_view(BookingSerializer)),
    path("bookings/<int:pk>", _validate_view(BookingSerializer, FieldsBooking)),
    path("strict-bookings", _validate_view(StrictBookingSerializer)),
    path("articles/day", _validate_view(_article_serializer(UniqueForDateValidator))),
    path("articles/day/<int:pk>",
         _validate_view(_article_serializer(UniqueForDateValidator), FieldsArticle)),
    path("articles/month", _validate_view(_article_serializer(UniqueForMonthValidator))),
    path("articles/year", _validate_view(_article_serializer(UniqueForYearValidator))),
]  # fmt: skip


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


# --- UniqueValidator -------------------------------------------------------------------


def test_unique_value_already_stored_is_a_400_with_code_unique(client):
    FieldsGadget.objects.create(name="lamp")
    response = post(client, "/gadgets", {"name": "lamp"})
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"name": ["This field must be unique."]},
        "codes": {"name": ["unique"]},
    }


def test_unique_value_not_stored_is_valid(client):
    FieldsGadget.objects.create(name="lamp")
    assert post(client, "/gadgets", {"name": "desk"}).json() == {"valid": True}


def test_unique_excludes_the_instance_being_updated(client):
    lamp = FieldsGadget.objects.create(name="lamp")
    assert post(client, f"/gadgets/{lamp.pk}", {"name": "lamp"}).json() == {"valid": True}
    FieldsGadget.objects.create(name="desk")
    assert post(client, f"/gadgets/{lamp.pk}", {"name": "desk"}).status_code == 400


def test_unique_checks_the_source_column_with_the_given_lookup_and_message(client):
    FieldsGadget.objects.create(name="Lamp")
    response = post(client, "/gadgets", {"name": "desk", "nickname": "LAMP"})
    assert response.json()["errors"] == {"nickname": ["Taken, whatever the case."]}


def test_unique_queryset_is_evaluated_on_every_call(client):
    assert post(client, "/gadgets", {"name": "lamp"}).json() == {"valid": True}
    FieldsGadget.objects.create(name="lamp")
    assert post(client, "/gadgets", {"name": "lamp"}).status_code == 400


def test_value_the_database_cannot_compare_counts_as_not_existing():
    queryset = FieldsGadget.objects.all()
    assert qs_filter(queryset, pk="not-a-number").count() == 0
    assert qs_filter(queryset, token="not-a-uuid").count() == 0
    assert qs_exists(queryset.filter(pk=2**70)) is False


def test_unique_validator_repr_and_equality():
    validator = UniqueValidator(queryset=FieldsGadget.objects)
    assert repr(validator) == "<UniqueValidator(queryset=FieldsGadget.objects.all())>"
    queryset = FieldsGadget.objects.all()
    assert UniqueValidator(queryset) == UniqueValidator(queryset)
    assert UniqueValidator(queryset) != UniqueValidator(queryset, lookup="iexact")


def test_unique_validator_refuses_a_list_of_instances():
    field = GadgetSerializer(FieldsGadget.objects.all(), many=True).child.fields["name"]
    field.parent.instance = FieldsGadget.objects.all()
    with pytest.raises(RuntimeError, match="cannot determine the current instance"):
        field.validators[0]("x", field)


# --- UniqueTogetherValidator -----------------------------------------------------------


def test_unique_together_clash_is_a_non_field_error(client):
    FieldsBooking.objects.create(room="blue", slot=3)
    response = post(client, "/bookings", {"room": "blue", "slot": 3})
    assert response.json() == {
        "errors": {"non_field_errors": ["The fields room, slot must make a unique set."]},
        "codes": {"non_field_errors": ["unique"]},
    }


def test_unique_together_partial_match_is_valid(client):
    FieldsBooking.objects.create(room="blue", slot=3)
    assert post(client, "/bookings", {"room": "blue", "slot": 4}).json() == {"valid": True}


def test_unique_together_requires_every_field_on_create(client):
    class NoDefaults(serializers.Serializer):
        room = serializers.CharField(required=False)
        slot = serializers.IntegerField(required=False)

        class Meta:
            validators = [UniqueTogetherValidator(FieldsBooking.objects.all(), ["room", "slot"])]

    serializer = NoDefaults(data={"room": "blue"})
    assert not serializer.is_valid()
    assert serializer.errors == {"slot": ["This field is required."]}
    assert serializer.errors["slot"][0].code == "required"


def test_unique_together_condition_limits_which_rows_clash(client):
    FieldsBooking.objects.create(room="blue", slot=3, cancelled=True)
    assert post(client, "/bookings", {"room": "blue", "slot": 3}).json() == {"valid": True}
    FieldsBooking.objects.create(room="blue", slot=3)
    assert post(client, "/bookings", {"room": "blue", "slot": 3}).status_code == 400
    cancelled = {"room": "blue", "slot": 3, "cancelled": True}
    assert post(client, "/bookings", cancelled).json() == {"valid": True}


def test_unique_together_update_with_unchanged_values_is_valid(client):
    booking = FieldsBooking.objects.create(room="blue", slot=3)
    assert post(client, f"/bookings/{booking.pk}", {"room": "blue", "slot": 3}).json() == {
        "valid": True
    }


def test_unique_together_update_that_meets_the_condition_is_rechecked(client):
    FieldsBooking.objects.create(room="blue", slot=3)
    cancelled = FieldsBooking.objects.create(room="blue", slot=3, cancelled=True)
    response = post(client, f"/bookings/{cancelled.pk}",
                    {"room": "blue", "slot": 3, "cancelled": False})  # fmt: skip
    assert response.status_code == 400


def test_unique_together_null_never_clashes_by_default(client):
    FieldsBooking.objects.create(room="red", slot=1)
    assert post(client, "/bookings", {"room": "red", "slot": None}).json() == {"valid": True}


def test_unique_together_nulls_not_distinct_message_and_code(client):
    FieldsBooking.objects.create(room="red", slot=1)
    response = post(client, "/strict-bookings", {"room": "red", "slot": 1})
    assert response.json() == {
        "errors": {"non_field_errors": ["Room room, slot clash."]},
        "codes": {"non_field_errors": ["double_booked"]},
    }


def test_unique_together_repr_and_equality():
    queryset = FieldsBooking.objects.all()
    validator = UniqueTogetherValidator(FieldsBooking.objects, fields=("room", "slot"))
    assert repr(validator) == (
        "<UniqueTogetherValidator(queryset=FieldsBooking.objects.all(), fields=('room', 'slot'))>"
    )
    same = UniqueTogetherValidator(queryset, fields=("room", "slot"))
    assert same == UniqueTogetherValidator(queryset, fields=("room", "slot"))
    assert same != UniqueTogetherValidator(queryset, ("room", "slot"), nulls_distinct=False)


# --- UniqueFor{Date,Month,Year}Validator -----------------------------------------------


@pytest.mark.parametrize(
    ("period", "other_date", "message"),
    [
        ("day", "2024-05-02", 'This field must be unique for the "published" date.'),
        ("month", "2024-06-01", 'This field must be unique for the "published" month.'),
        ("year", "2025-05-01", 'This field must be unique for the "published" year.'),
    ],
)
def test_unique_for_period_clash_is_reported_on_the_field(client, period, other_date, message):
    FieldsArticle.objects.create(slug="news", published=datetime.date(2024, 5, 1))
    clash = post(client, f"/articles/{period}", {"slug": "news", "published": "2024-05-01"})
    assert clash.json() == {"errors": {"slug": [message]}, "codes": {"slug": ["unique"]}}
    later = post(client, f"/articles/{period}", {"slug": "news", "published": other_date})
    assert later.json() == {"valid": True}


def test_unique_for_date_excludes_the_instance_being_updated(client):
    article = FieldsArticle.objects.create(slug="news", published=datetime.date(2024, 5, 1))
    body = {"slug": "news", "published": "2024-05-01"}
    assert post(client, f"/articles/day/{article.pk}", body).json() == {"valid": True}


def test_unique_for_date_repr():
    validator = UniqueForDateValidator(FieldsArticle.objects, "slug", "published")
    assert repr(validator) == (
        "<UniqueForDateValidator(queryset=FieldsArticle.objects.all(), field='slug', "
        "date_field='published')>"
    )


# --- ProhibitSurrogateCharactersValidator ----------------------------------------------


def test_surrogate_validator_names_the_first_surrogate():
    validator = ProhibitSurrogateCharactersValidator()
    validator("plain text é")
    with pytest.raises(ValidationError) as info:
        validator("a\udfffb\ud800")
    assert info.value.detail == ["Surrogate characters are not allowed: U+DFFF."]
    assert info.value.get_codes() == ["surrogate_characters_not_allowed"]
