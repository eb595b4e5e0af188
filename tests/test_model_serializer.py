"""ModelSerializer: fields built from the model, create/update, uniqueness, misconfiguration."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import path

from restcycle import generics, permissions, serializers
from restcycle.test import APIClient
from tests._serializer_views import SerializerDetailView, SerializerListView
from tests.models import SerAuthor, SerBook, SerEdition, SerTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerBook
        fields = "__all__"
        read_only_fields = ["in_print"]
        extra_kwargs = {"pages": {"min_value": 10}}


class EditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerEdition
        fields = ["id", "book", "number", "note"]


class DeepBookSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerBook
        fields = ["id", "title", "author"]
        depth = 1


class TitleRulesSerializer(serializers.ModelSerializer):
    """Adds a validator and a message to its own `title` field on every instantiation."""

    class Meta:
        model = SerBook
        fields = ["id", "title", "isbn", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        title = self.fields["title"]
        title.validators.append(_refuse_draft)
        title.error_messages["blank"] = "A title, please."


class AuthorPairSerializer(serializers.ModelSerializer):
    """Declares a uniqueness rule the model itself does not have."""

    class Meta:
        model = SerAuthor
        fields = ["id", "name", "email"]

    def get_unique_together_constraints(self, model):
        yield ("name", "email"), model._default_manager, [], None


class UserDetailsSerializer(serializers.ModelSerializer):
    """dj-rest-auth's user-details shape, with the user's groups as a to-many relation."""

    class Meta:
        model = User
        fields = ["pk", "username", "email", "first_name", "last_name", "groups"]
        read_only_fields = ["email"]


class UserDetailsView(generics.RetrieveUpdateAPIView):
    """The signed-in user's own details: `get_object()` is `request.user` (a lazy object)."""

    serializer_class = UserDetailsSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user

    def get_queryset(self):
        return User.objects.none()


def _refuse_draft(value):
    if value == "draft":
        raise serializers.ValidationError("No drafts.")


urlpatterns = [
    path("user/", UserDetailsView.as_view()),
    path(
        "author-pairs/",
        SerializerListView.as_view(
            serializer_class=AuthorPairSerializer, queryset=SerAuthor.objects
        ),
    ),
    path(
        "titled/",
        SerializerListView.as_view(serializer_class=TitleRulesSerializer, queryset=SerBook.objects),
    ),
    path(
        "books/",
        SerializerListView.as_view(serializer_class=BookSerializer, queryset=SerBook.objects),
    ),
    path(
        "books/<int:pk>/",
        SerializerDetailView.as_view(serializer_class=BookSerializer, queryset=SerBook.objects),
    ),
    path(
        "editions/",
        SerializerListView.as_view(serializer_class=EditionSerializer, queryset=SerEdition.objects),
    ),
    path(
        "deep/",
        SerializerListView.as_view(serializer_class=DeepBookSerializer, queryset=SerBook.objects),
    ),
]


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def author():
    return SerAuthor.objects.create(name="Ann")


def test_create_maps_every_field_and_sets_many_to_many(client, author):
    tags = [SerTag.objects.create(slug="a"), SerTag.objects.create(slug="b")]
    body = {
        "title": "Dune",
        "isbn": "111",
        "pages": 412,
        "price": "9.50",
        "genre": "doc",
        "published": "1965-08-01",
        "author": author.pk,
        "tags": [tags[0].pk, tags[1].pk],
    }
    response = client.post("/books/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    book = SerBook.objects.get()
    assert data == {
        "id": book.pk,
        "title": "Dune",
        "isbn": "111",
        "pages": 412,
        "price": "9.50",
        "genre": "doc",
        "published": "1965-08-01",
        "in_print": True,
        "author": author.pk,
        "tags": [tags[0].pk, tags[1].pk],
    }
    assert sorted(book.tags.values_list("slug", flat=True)) == ["a", "b"]


def test_model_constraints_become_validation_errors(client):
    SerBook.objects.create(title="x", isbn="dup")
    body = {"title": "y" * 101, "isbn": "dup", "genre": "poem", "pages": 3, "tags": [999]}
    response = client.post("/books/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "title": ["Ensure this field has no more than 100 characters."],
        "isbn": ["ser book with this isbn already exists."],
        "pages": ["Ensure this value is greater than or equal to 10."],
        "genre": ['"poem" is not a valid choice.'],
        "tags": ['Invalid pk "999" - object does not exist.'],
    }


def test_read_only_fields_are_ignored_on_input(client):
    response = client.post("/books/", {"title": "t", "isbn": "1", "in_print": False}, format="json")
    assert response.status_code == 201
    assert response.json()["in_print"] is True


def test_update_and_partial_update(client, author):
    book = SerBook.objects.create(title="Old", isbn="9", author=author)
    response = client.patch(f"/books/{book.pk}/", {"title": "New"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "New"
    book.refresh_from_db()
    assert book.title == "New"

    # The book's own isbn does not clash with itself.
    response = client.put(f"/books/{book.pk}/", {"title": "Put", "isbn": "9"}, format="json")
    assert response.status_code == 200, response.json()


def test_unique_together_is_validated(client, author):
    book = SerBook.objects.create(title="t", isbn="1")
    SerEdition.objects.create(book=book, number=1)
    response = client.post("/editions/", {"book": book.pk, "number": 1}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The fields book, number must make a unique set."]
    }
    response = client.post("/editions/", {"book": book.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"number": ["This field is required."]}


def test_depth_nests_related_objects(client, author):
    book = SerBook.objects.create(title="t", isbn="1", author=author)
    response = client.get("/deep/")
    assert response.json() == [
        {
            "id": book.pk,
            "title": "t",
            "author": {"id": author.pk, "name": "Ann", "email": ""},
        }
    ]


def test_fields_built_for_each_model_field_type():
    fields = BookSerializer().fields
    assert isinstance(fields["id"], serializers.IntegerField) and fields["id"].read_only
    assert isinstance(fields["genre"], serializers.ChoiceField)
    assert isinstance(fields["price"], serializers.DecimalField)
    assert fields["price"].allow_null and not fields["price"].required
    assert isinstance(fields["tags"], serializers.ManyRelatedField)
    assert isinstance(fields["author"], serializers.PrimaryKeyRelatedField)
    assert isinstance(fields["published"], serializers.DateField)
    assert fields["pages"].min_value == 10


def test_each_instance_gets_its_own_field_copies():
    first, second = BookSerializer(), BookSerializer()
    first.fields["title"].read_only = True
    assert second.fields["title"].read_only is False
    assert first.fields["title"] is not second.fields["title"]


def test_field_changes_made_per_instance_do_not_accumulate_across_requests(client):
    for _ in range(3):
        response = client.post("/titled/", {"title": "draft", "isbn": "1"}, format="json")
        assert response.status_code == 400
        assert response.json() == {"title": ["No drafts."]}
    response = client.post("/titled/", {"title": "", "isbn": "1"}, format="json")
    assert response.json() == {"title": ["A title, please."]}
    # The class's other users see the field as the model built it.
    plain = BookSerializer().fields["title"]
    assert _refuse_draft not in plain.validators
    assert plain.error_messages["blank"] == "This field may not be blank."


def test_overridden_unique_together_constraints_apply_to_a_model_without_any(client):
    body = {"name": "Ann", "email": "ann@example.com"}
    assert client.post("/author-pairs/", body, format="json").status_code == 201
    response = client.post("/author-pairs/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The fields name, email must make a unique set."]
    }
    # Without the override, a model with no such constraint gets no validator.
    assert not BookSerializer().validators


def test_field_copies_own_their_containers_and_child_fields():
    first, second = BookSerializer(), BookSerializer()
    first.fields["pages"].style["input_type"] = "range"
    first.fields["pages"].validators.clear()
    assert second.fields["pages"].style == {}
    assert second.fields["pages"].validators
    tags_first, tags_second = first.fields["tags"], second.fields["tags"]
    assert tags_first.child_relation is not tags_second.child_relation
    assert tags_first.child_relation.parent is tags_first
    assert tags_second.child_relation.parent is tags_second
    assert tags_second.root is second


def test_custom_field_init_runs_for_each_serializer_instance():
    calls = []

    class CountingCharField(serializers.CharField):
        def __init__(self, **kwargs):
            calls.append(kwargs.get("max_length"))
            super().__init__(**kwargs)

    class CountingSerializer(serializers.ModelSerializer):
        serializer_field_mapping = {
            **serializers.ModelSerializer.serializer_field_mapping,
            models.CharField: CountingCharField,
        }

        class Meta:
            model = SerBook
            fields = ["title"]

    assert isinstance(CountingSerializer().fields["title"], CountingCharField)
    after_first = len(calls)
    assert isinstance(CountingSerializer().fields["title"], CountingCharField)
    assert after_first >= 1 and len(calls) == after_first + 1


def test_misconfiguration_is_reported_clearly():
    class NoFields(serializers.ModelSerializer):
        class Meta:
            model = SerBook

    with pytest.raises(AssertionError, match="without either the 'fields' attribute"):
        NoFields().fields  # noqa: B018

    class Unknown(serializers.ModelSerializer):
        class Meta:
            model = SerBook
            fields = ["nope"]

    with pytest.raises(ImproperlyConfigured, match="Field name `nope` is not valid"):
        Unknown().fields  # noqa: B018

    class DeclaredNotListed(serializers.ModelSerializer):
        extra = serializers.CharField()

        class Meta:
            model = SerBook
            fields = ["title"]

    with pytest.raises(AssertionError, match="The field 'extra' was declared"):
        DeclaredNotListed().fields  # noqa: B018


def test_writable_nested_data_needs_an_explicit_create(author):
    class AuthorSerializer(serializers.ModelSerializer):
        class Meta:
            model = SerAuthor
            fields = ["name"]

    class NestedBook(serializers.ModelSerializer):
        author = AuthorSerializer()

        class Meta:
            model = SerBook
            fields = ["title", "isbn", "author"]

    serializer = NestedBook(data={"title": "t", "isbn": "5", "author": {"name": "Bo"}})
    assert serializer.is_valid(), serializer.errors
    with pytest.raises(AssertionError, match="does not support writable nested fields"):
        serializer.save()


def test_bad_create_kwargs_raise_a_type_error_naming_the_model():
    class Wrong(serializers.ModelSerializer):
        bogus = serializers.CharField()

        class Meta:
            model = SerAuthor
            fields = ["name", "bogus"]

    serializer = Wrong(data={"name": "a", "bogus": "b"})
    assert serializer.is_valid()
    with pytest.raises(TypeError, match="Got a `TypeError` when calling `SerAuthor.objects"):
        serializer.save()


def test_the_signed_in_users_own_details_are_read_and_updated_through_request_user():
    staff = Group.objects.create(name="staff")
    user = User.objects.create_user("ann", "ann@example.com", "pw", first_name="Ann")
    client = APIClient()
    client.login(username="ann", password="pw")  # session: request.user is a SimpleLazyObject

    response = client.get("/user/")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "pk": user.pk,
        "username": "ann",
        "email": "ann@example.com",
        "first_name": "Ann",
        "last_name": "",
        "groups": [],
    }

    response = client.put(
        "/user/",
        {"username": "ann", "first_name": "Anna", "last_name": "Lee", "groups": [staff.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["groups"] == [staff.pk]
    response = client.patch("/user/", {"last_name": "Li", "email": "x@example.com"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["last_name"], response.json()["email"]) == ("Li", "ann@example.com")

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("Anna", "Li", "ann@example.com")
    assert list(user.groups.all()) == [staff]


def test_updating_the_signed_in_user_with_bad_input_is_a_400_that_changes_nothing():
    User.objects.create_user("bob", password="pw")
    user = User.objects.create_user("ann", password="pw")
    client = APIClient()
    client.login(username="ann", password="pw")
    response = client.patch("/user/", {"username": "bob", "groups": [999]}, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"username", "groups"}
    user.refresh_from_db()
    assert user.username == "ann"
