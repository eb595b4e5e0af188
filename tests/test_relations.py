"""Relational fields: pk, slug, string and hyperlinked relations, and many=True."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import path

from restcycle import serializers
from restcycle.relations import Hyperlink
from restcycle.response import Response
from restcycle.test import APIClient, APIRequestFactory
from restcycle.views import APIView
from tests._serializer_views import SerializerListView
from tests.models import SerAuthor, SerBook, SerTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class LinkedBookSerializer(serializers.ModelSerializer):
    author = serializers.HyperlinkedRelatedField(
        view_name="serauthor-detail", queryset=SerAuthor.objects.all(), allow_null=True
    )
    tags = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=SerTag.objects.all(), required=False
    )
    author_name = serializers.StringRelatedField(source="author")

    class Meta:
        model = SerBook
        fields = ["id", "title", "isbn", "author", "tags", "author_name"]


class AuthorDetail(APIView):
    def get(self, request, pk):
        return Response({"id": pk})


class ChoicesView(APIView):
    def get(self, request):
        field = serializers.PrimaryKeyRelatedField(queryset=SerTag.objects.all())
        return Response({str(k): v for k, v in field.get_choices(cutoff=2).items()})


urlpatterns = [
    path("authors/<int:pk>/", AuthorDetail.as_view(), name="serauthor-detail"),
    path(
        "books/",
        SerializerListView.as_view(serializer_class=LinkedBookSerializer, queryset=SerBook.objects),
    ),
    path("choices/", ChoicesView.as_view()),
]


@pytest.fixture
def client():
    return APIClient()


def test_hyperlinks_and_slugs_are_rendered(client):
    author = SerAuthor.objects.create(name="Ann")
    book = SerBook.objects.create(title="t", isbn="1", author=author)
    book.tags.set([SerTag.objects.create(slug="sf")])
    response = client.get("/books/")
    assert response.json() == [
        {
            "id": book.pk,
            "title": "t",
            "isbn": "1",
            "author": f"http://testserver/authors/{author.pk}/",
            "tags": ["sf"],
            "author_name": "Ann",
        }
    ]


def test_hyperlinks_and_slugs_are_resolved_on_input(client):
    author = SerAuthor.objects.create(name="Ann")
    SerTag.objects.create(slug="sf")
    body = {
        "title": "t",
        "isbn": "2",
        "author": f"http://testserver/authors/{author.pk}/",
        "tags": ["sf"],
    }
    response = client.post("/books/", body, format="json")
    assert response.status_code == 201, response.json()
    book = SerBook.objects.get()
    assert book.author == author
    assert list(book.tags.values_list("slug", flat=True)) == ["sf"]


def test_bad_relation_input_is_a_400_with_the_relation_message(client):
    body = {
        "title": "t",
        "isbn": "3",
        "author": "http://testserver/nowhere/",
        "tags": ["missing"],
    }
    response = client.post("/books/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "author": ["Invalid hyperlink - No URL match."],
        "tags": ["Object with slug=missing does not exist."],
    }
    response = client.post("/books/", {"title": "t", "isbn": "3", "author": 5}, format="json")
    assert response.json() == {"author": ["Incorrect type. Expected URL string, received int."]}


def test_primary_key_errors_name_the_bad_value():
    field = serializers.PrimaryKeyRelatedField(queryset=SerTag.objects.all())
    with pytest.raises(serializers.ValidationError) as missing:
        field.run_validation(12345)
    assert missing.value.detail == ['Invalid pk "12345" - object does not exist.']
    with pytest.raises(serializers.ValidationError) as wrong_type:
        field.run_validation({"a": 1})
    assert wrong_type.value.detail == ["Incorrect type. Expected pk value, received dict."]
    with pytest.raises(serializers.ValidationError) as boolean:
        field.run_validation(True)
    assert boolean.value.detail[0].code == "incorrect_type"


def test_many_related_field_rejects_a_non_list_and_an_empty_list():
    field = serializers.PrimaryKeyRelatedField(
        queryset=SerTag.objects.all(), many=True, allow_empty=False
    )
    field.bind("tags", serializers.Serializer())
    with pytest.raises(serializers.ValidationError) as not_a_list:
        field.run_validation("1")
    assert not_a_list.value.detail == ['Expected a list of items but got type "str".']
    with pytest.raises(serializers.ValidationError) as empty:
        field.run_validation([])
    assert empty.value.detail == ["This list may not be empty."]


def test_choices_are_cut_off(client):
    for slug in "abc":
        SerTag.objects.create(slug=slug)
    assert len(client.get("/choices/").json()) == 2


def test_related_field_without_queryset_must_be_read_only():
    with pytest.raises(AssertionError, match="must provide a `queryset` argument"):
        serializers.PrimaryKeyRelatedField()
    with pytest.raises(AssertionError, match="should not provide a `queryset`"):
        serializers.PrimaryKeyRelatedField(queryset=SerTag.objects.all(), read_only=True)


def test_unreversible_hyperlink_names_the_view():
    request = APIRequestFactory().get("/")
    field = serializers.HyperlinkedRelatedField(view_name="no-such-view", read_only=True)
    field.bind("author", serializers.Serializer(context={"request": request}))
    with pytest.raises(ImproperlyConfigured, match='view name "no-such-view"'):
        field.to_representation(SerAuthor(pk=1))


def test_hyperlink_carries_its_object_name():
    author = SerAuthor(pk=3, name="Ann")
    link = Hyperlink("http://x/authors/3/", author)
    assert link == "http://x/authors/3/" and link.name == "Ann" and link.is_hyperlink


def test_a_float_infinity_for_a_primary_key_is_an_incorrect_type_not_a_crash():
    field = serializers.PrimaryKeyRelatedField(queryset=SerTag.objects.all())
    with pytest.raises(serializers.ValidationError) as infinite:
        field.run_validation(float("inf"))
    assert infinite.value.detail == ["Incorrect type. Expected pk value, received float."]


@pytest.mark.parametrize("url", ["http://[::1/authors/1/", "/authors/\\ud800/", "\\ud800"])
def test_a_hyperlink_that_is_no_url_is_no_match_not_a_crash(client, url):
    # An unclosed IPv6 host, and a lone surrogate (JSON can escape one: "\ud800").
    body = f'{{"title": "t", "isbn": "9", "author": "{url}"}}'
    response = client.post("/books/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"author": ["Invalid hyperlink - No URL match."]}
    assert not SerBook.objects.exists()
