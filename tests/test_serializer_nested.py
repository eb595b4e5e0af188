"""Nested serializers: output, validation errors under the nested key, and writes."""

import pytest
from django.urls import path

from restcycle import serializers
from restcycle.test import APIClient
from tests._serializer_views import SerializerListView
from tests.models import SerAuthor, SerBook, SerTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerAuthor
        fields = ["id", "name"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerTag
        fields = ["slug"]


class BookWithAuthorSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(allow_null=True)
    tags = TagSerializer(many=True, read_only=True)

    class Meta:
        model = SerBook
        fields = ["id", "title", "isbn", "author", "tags"]

    def create(self, validated_data):
        author_data = validated_data.pop("author")
        author = SerAuthor.objects.create(**author_data) if author_data else None
        return SerBook.objects.create(author=author, **validated_data)


urlpatterns = [
    path(
        "books/",
        SerializerListView.as_view(
            serializer_class=BookWithAuthorSerializer, queryset=SerBook.objects
        ),
    ),
]


@pytest.fixture
def client():
    return APIClient()


def test_nested_objects_and_lists_are_rendered(client):
    author = SerAuthor.objects.create(name="Ann")
    book = SerBook.objects.create(title="t", isbn="1", author=author)
    book.tags.set([SerTag.objects.create(slug="x"), SerTag.objects.create(slug="y")])
    SerBook.objects.create(title="u", isbn="2")
    assert client.get("/books/").json() == [
        {
            "id": book.pk,
            "title": "t",
            "isbn": "1",
            "author": {"id": author.pk, "name": "Ann"},
            "tags": [{"slug": "x"}, {"slug": "y"}],
        },
        {"id": book.pk + 1, "title": "u", "isbn": "2", "author": None, "tags": []},
    ]


def test_nested_errors_are_reported_under_the_nested_key(client):
    response = client.post("/books/", {"title": "t", "isbn": "1", "author": {}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"author": {"name": ["This field is required."]}}
    response = client.post("/books/", {"title": "t", "isbn": "1", "author": 3}, format="json")
    assert response.json() == {
        "author": {"non_field_errors": ["Invalid data. Expected a dictionary, but got int."]}
    }


def test_nested_writes_work_with_an_explicit_create(client):
    body = {"title": "t", "isbn": "1", "author": {"name": "Bo"}}
    response = client.post("/books/", body, format="json")
    assert response.status_code == 201, response.json()
    assert SerBook.objects.get().author.name == "Bo"
    assert response.json()["author"]["name"] == "Bo"


def test_null_nested_object_is_accepted_when_allowed(client):
    response = client.post("/books/", {"title": "t", "isbn": "1", "author": None}, format="json")
    assert response.status_code == 201
    assert response.json()["author"] is None
