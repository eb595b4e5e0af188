"""many=True: list output, list validation errors, bulk create, and batched lookups."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import path

from restcycle import serializers
from restcycle.test import APIClient
from tests._serializer_views import SerializerListView
from tests.models import SerAuthor, SerBook, SerTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerBook
        fields = ["id", "title", "isbn", "author", "tags"]


class LimitedList(serializers.Serializer):
    n = serializers.IntegerField()


urlpatterns = [
    path(
        "books/",
        SerializerListView.as_view(
            serializer_class=BookSerializer, queryset=SerBook.objects, many_post=True
        ),
    ),
]


@pytest.fixture
def client():
    return APIClient()


def test_bulk_create_returns_every_item(client):
    author = SerAuthor.objects.create(name="A")
    body = [
        {"title": "a", "isbn": "1", "author": author.pk},
        {"title": "b", "isbn": "2", "author": None},
    ]
    response = client.post("/books/", body, format="json")
    assert response.status_code == 201, response.json()
    assert [item["isbn"] for item in response.json()] == ["1", "2"]
    assert SerBook.objects.count() == 2


def test_errors_are_keyed_by_the_index_of_each_invalid_item(client):
    body = [{"title": "a", "isbn": "1"}, {"title": "b"}, {"title": "c", "isbn": "3"}]
    response = client.post("/books/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"1": {"isbn": ["This field is required."]}}


def test_a_non_list_body_is_a_400(client):
    response = client.post("/books/", {"title": "a"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ['Expected a list of items but got type "dict".']
    }


def test_list_length_limits():
    serializer = LimitedList(data=[], many=True, allow_empty=False)
    assert not serializer.is_valid()
    assert serializer.errors == {"non_field_errors": ["This list may not be empty."]}
    serializer = LimitedList(data=[{"n": 1}] * 3, many=True, max_length=2)
    assert not serializer.is_valid()
    assert serializer.errors == {
        "non_field_errors": ["Ensure this field has no more than 2 elements."]
    }
    serializer = LimitedList(data=[{"n": 1}], many=True, min_length=2)
    assert not serializer.is_valid()
    assert serializer.errors["non_field_errors"][0].code == "min_length"


def test_related_pks_are_fetched_once_per_field_not_per_item():
    authors = [SerAuthor.objects.create(name=str(i)) for i in range(5)]
    tags = [SerTag.objects.create(slug=str(i)) for i in range(5)]
    body = [
        {"title": str(i), "isbn": str(i), "author": authors[i].pk, "tags": [t.pk for t in tags]}
        for i in range(5)
    ]
    serializer = BookSerializer(data=body, many=True)
    with CaptureQueriesContext(connection) as queries:
        assert serializer.is_valid(), serializer.errors
    # One query per relation (author, tags) and one for the isbn uniqueness check.
    assert len(queries) == 3
    assert serializer.validated_data[2]["author"] == authors[2]
    assert serializer.validated_data[4]["tags"] == tags


def test_missing_pks_in_a_list_still_report_does_not_exist():
    author = SerAuthor.objects.create(name="A")
    body = [
        {"title": "a", "isbn": "1", "author": author.pk},
        {"title": "b", "isbn": "2", "author": 999},
    ]
    serializer = BookSerializer(data=body, many=True)
    assert not serializer.is_valid()
    assert serializer.errors == {1: {"author": ['Invalid pk "999" - object does not exist.']}}


def test_unique_values_are_checked_in_one_query_and_duplicates_in_the_payload_fail():
    SerBook.objects.create(title="old", isbn="taken")
    body = [
        {"title": "a", "isbn": "taken"},
        {"title": "b", "isbn": "new"},
        {"title": "c", "isbn": "new"},
        {"title": "d", "isbn": "other"},
    ]
    serializer = BookSerializer(data=body, many=True)
    with CaptureQueriesContext(connection) as queries:
        assert not serializer.is_valid()
    assert len(queries) == 1
    message = "ser book with this isbn already exists."
    assert serializer.errors == {0: {"isbn": [message]}, 2: {"isbn": [message]}}


def test_a_many_serializer_outputs_a_list_with_its_serializer():
    SerBook.objects.create(title="a", isbn="1")
    serializer = BookSerializer(SerBook.objects.all(), many=True)
    data = serializer.data
    assert isinstance(data, list) and data.serializer is serializer
    assert data[0]["isbn"] == "1"
