"""The fast paths never change meaning: where one cannot show it answers as the ORM and
DRF's instance path do, it steps aside, and the view's query plan report says why."""

import sys

import pytest
from django.urls import path
from django.utils.choices import CallableChoiceIterator

from restcycle import generics, serializers
from restcycle.pagination import PageNumberPagination
from restcycle.test import APIClient
from tests._serializer_views import SerializerListView
from tests.models import (
    EcHandle,
    EcLabel,
    EcLegacyPost,
    EcReader,
    EcReaderLabel,
    EcSeat,
    EcShelf,
    EcTicket,
    EcVolume,
    EcWriter,
    QpAuthor,
    QpBook,
    QpPublisher,
)

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


# --- to_field relations ------------------------------------------------------------------


class VolumeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EcVolume
        fields = ["id", "title"]


class ShelfVolumePksSerializer(serializers.ModelSerializer):
    volumes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = EcShelf
        fields = ["id", "name", "volumes"]


class ShelfVolumesSerializer(serializers.ModelSerializer):
    volumes = VolumeSerializer(many=True, read_only=True)

    class Meta:
        model = EcShelf
        fields = ["id", "name", "volumes"]


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = EcLabel
        fields = ["id", "name"]


class ReaderLabelPksSerializer(serializers.ModelSerializer):
    labels = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = EcReader
        fields = ["id", "name", "labels"]


class LabelReadersSerializer(serializers.ModelSerializer):
    readers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = EcLabel
        fields = ["id", "name", "readers"]


class ReaderLabelsSerializer(serializers.ModelSerializer):
    labels = LabelSerializer(many=True, read_only=True)

    class Meta:
        model = EcReader
        fields = ["id", "name", "labels"]


@pytest.fixture
def shelves():
    """Each shelf's `number` is the other shelf's pk: a lookup by pk finds the wrong one."""
    first = EcShelf.objects.create(pk=1, number=2, name="first")
    second = EcShelf.objects.create(pk=2, number=1, name="second")
    EcVolume.objects.create(pk=10, shelf=first, title="a")
    EcVolume.objects.create(pk=11, shelf=first, title="b")
    EcVolume.objects.create(pk=12, shelf=second, title="c")


@pytest.fixture
def readers():
    first = EcReader.objects.create(pk=1, number=2, name="first")
    second = EcReader.objects.create(pk=2, number=1, name="second")
    red, blue, green = (EcLabel.objects.create(pk=pk, name=n) for pk, n in [(5, "red"),
                        (6, "blue"), (7, "green")])  # fmt: skip
    EcReaderLabel.objects.create(reader=first, label=red)
    EcReaderLabel.objects.create(reader=first, label=blue)
    EcReaderLabel.objects.create(reader=second, label=green)


def get(url):
    """(response, the view's query plan report)."""
    response = APIClient().get(url)
    view = response.renderer_context["view"]
    return response, view.__dict__.get("_query_plan_report", {})


VOLUME_PKS = ([10, 11], [12])
VOLUMES = ([{"id": 10, "title": "a"}, {"id": 11, "title": "b"}], [{"id": 12, "title": "c"}])
LABEL_PKS = ([5, 6], [7])
LABELS = ([{"id": 5, "name": "red"}, {"id": 6, "name": "blue"}], [{"id": 7, "name": "green"}])


@pytest.mark.parametrize(
    ("url", "children", "key"),
    [
        ("/shelf-pks/", VOLUME_PKS, "volumes"),
        ("/shelf-volumes/", VOLUMES, "volumes"),
        ("/reader-pks/", LABEL_PKS, "labels"),
        ("/reader-labels/", LABELS, "labels"),
    ],
)
def test_relation_keyed_by_a_to_field_lists_each_parents_own_children(
    shelves, readers, url, children, key
):
    response, report = get(url)
    assert response.status_code == 200
    assert response.json() == [
        {"id": 1, "name": "first", key: children[0]},
        {"id": 2, "name": "second", key: children[1]},
    ]
    assert report["projection"]["path"] == "instance"
    assert "to_field" in report["projection"]["reason"]
    single, report = get(f"{url}2/")
    assert single.json() == {"id": 2, "name": "second", key: children[1]}
    assert "to_field" in report["projection"]["reason"]


def test_many_to_many_keyed_by_the_pk_on_this_side_keeps_the_values_path(readers):
    # Labels are keyed by their pk in the through table: the values path groups correctly.
    response, report = get("/label-readers/")
    assert report["projection"] == {"path": "values", "reason": None}
    assert response.json() == [
        {"id": 5, "name": "red", "readers": [1]},
        {"id": 6, "name": "blue", "readers": [1]},
        {"id": 7, "name": "green", "readers": [2]},
    ]


# --- foreign keys without a database constraint --------------------------------------------


class WriterSerializer(serializers.ModelSerializer):
    class Meta:
        model = EcWriter
        fields = ["id", "name"]


class LegacyPostSerializer(serializers.ModelSerializer):
    writer_detail = WriterSerializer(source="writer", read_only=True)
    writer_name = serializers.CharField(source="writer.name", read_only=True)
    reviewer_detail = WriterSerializer(source="reviewer", read_only=True)

    class Meta:
        model = EcLegacyPost
        fields = ["id", "title", "writer", "writer_detail", "writer_name", "reviewer_detail"]


class LegacyPostKeysSerializer(serializers.ModelSerializer):
    class Meta:
        model = EcLegacyPost
        fields = ["id", "title", "writer", "reviewer"]


class TenPerPage(PageNumberPagination):
    page_size = 10


@pytest.fixture
def legacy_posts():
    """The second post names a writer and a reviewer whose rows are gone."""
    ann = EcWriter.objects.create(pk=1, name="ann")
    EcLegacyPost.objects.create(pk=1, title="kept", writer=ann)
    EcLegacyPost.objects.create(pk=2, title="orphan", writer_id=999, reviewer_id=998)
    EcLegacyPost.objects.create(pk=3, title="reviewed", writer=ann, reviewer=ann)


ANN = {"id": 1, "name": "ann"}
LEGACY_POSTS = [
    {"id": 1, "title": "kept", "writer": 1, "writer_detail": ANN, "writer_name": "ann",
     "reviewer_detail": None},
    # The related row is missing: the relation reads as no object, its key stays the key.
    {"id": 2, "title": "orphan", "writer": 999, "writer_detail": None, "writer_name": None,
     "reviewer_detail": None},
    {"id": 3, "title": "reviewed", "writer": 1, "writer_detail": ANN, "writer_name": "ann",
     "reviewer_detail": ANN},
]  # fmt: skip


@pytest.mark.parametrize("url", ["/legacy-posts/", "/legacy-posts-instances/"])
def test_row_whose_unconstrained_key_names_a_missing_row_is_still_listed(legacy_posts, url):
    response, report = get(url)
    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": LEGACY_POSTS,
    }
    assert report["projection"]["path"] == "instance"
    assert report["prefetch"]["select_related"] == []
    assert report["prefetch"]["left_lazy"] == {
        "writer": "no database constraint: the row it names may be missing",
        "reviewer": "no database constraint: the row it names may be missing",
    }


@pytest.mark.parametrize("url", ["/legacy-posts/2/", "/legacy-posts-instances/2/"])
def test_row_whose_unconstrained_key_names_a_missing_row_is_retrieved(legacy_posts, url):
    response, report = get(url)
    assert response.status_code == 200
    assert response.json() == LEGACY_POSTS[1]
    if url == "/legacy-posts/2/":
        assert "db_constraint=False" in report["projection"]["reason"]


def test_unconstrained_keys_read_as_columns_keep_the_values_path(legacy_posts):
    response, report = get("/legacy-post-keys/")
    assert report["projection"] == {"path": "values", "reason": None}
    assert response.json() == [
        {"id": 1, "title": "kept", "writer": 1, "reviewer": None},
        {"id": 2, "title": "orphan", "writer": 999, "reviewer": 998},
        {"id": 3, "title": "reviewed", "writer": 1, "reviewer": 1},
    ]


def test_explain_names_the_relations_left_unjoined_and_why(legacy_posts):
    from restcycle._observe.explain import explain
    from restcycle._observe.explain_text import render_text

    text = render_text(explain("/legacy-posts-instances/", "GET", urlconf=__name__))
    assert "not joined: writer (no database constraint: the row it names may be missing)" in text
    values = render_text(explain("/legacy-posts/2/", "GET", urlconf=__name__))
    unwrapped = " ".join(values.split())  # explain wraps its lines at 100 columns
    assert "'writer_detail' reads through 'writer', a foreign key with db_constraint=False" in (
        unwrapped
    )


# --- select_for_update -------------------------------------------------------------------


class EditorSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpAuthor
        fields = ["id", "name"]


class LockedBookSerializer(serializers.ModelSerializer):
    editor = EditorSerializer(read_only=True)

    class Meta:
        model = QpBook
        fields = ["id", "title", "editor"]


class LockedBooksQueryset:
    serializer_class = LockedBookSerializer

    def get_queryset(self):
        # Tests run inside a transaction, where FOR UPDATE is allowed.
        return QpBook.objects.select_for_update()


class LockedBooks(LockedBooksQueryset, generics.ListAPIView):
    pass


class LockedBook(LockedBooksQueryset, generics.RetrieveAPIView):
    pass


@pytest.fixture
def locked_books():
    import datetime
    import decimal

    publisher = QpPublisher.objects.create(name="p")
    author = QpAuthor.objects.create(name="ann", publisher=publisher)
    created = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    price = decimal.Decimal("1.00")
    edited = QpBook.objects.create(title="edited", author=author, editor=author,
                                   created=created, price=price)  # fmt: skip
    alone = QpBook.objects.create(title="alone", author=author, created=created, price=price)
    return author, edited, alone


def test_select_for_update_queryset_is_left_as_the_view_built_it(locked_books):
    for url in ("/locked-books/", f"/locked-books/{locked_books[1].pk}/"):
        _, report = get(url)
        assert report["projection"]["path"] == "instance"
        assert "select_for_update" in report["projection"]["reason"]
    _, report = get("/locked-books/")
    assert report["prefetch"]["applied"] is False
    assert "select_for_update" in report["prefetch"]["reason"]


def test_select_for_update_with_a_nullable_nested_relation_answers_on_postgres(
    postgres, locked_books
):
    author, edited, alone = locked_books
    editor = {"id": author.pk, "name": "ann"}
    response, _ = get("/locked-books/")
    assert response.status_code == 200
    assert response.json() == [
        {"id": edited.pk, "title": "edited", "editor": editor},
        {"id": alone.pk, "title": "alone", "editor": None},
    ]
    response, _ = get(f"/locked-books/{alone.pk}/")
    assert response.json() == {"id": alone.pk, "title": "alone", "editor": None}


# --- many=True uniqueness ----------------------------------------------------------------


class SeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = EcSeat
        fields = ["id", "holder", "deputy"]


class HandleSerializer(serializers.ModelSerializer):
    class Meta:
        model = EcHandle
        fields = ["id", "name", "alias"]


def post_list(url, body):
    return APIClient().post(url, body, format="json")


def test_many_write_clashing_on_a_unique_foreign_key_is_a_400_and_writes_nothing():
    ann, bob, cat, dan = (EcWriter.objects.create(name=n) for n in ["ann", "bob", "cat", "dan"])
    EcSeat.objects.create(holder=ann, deputy=bob)
    body = [{"holder": cat.pk}, {"holder": ann.pk}]
    response = post_list("/seats/", body)
    assert response.status_code == 400
    assert response.json() == {"1": {"holder": ["ec seat with this holder already exists."]}}
    body = [{"holder": cat.pk, "deputy": dan.pk}, {"holder": dan.pk, "deputy": bob.pk}]
    response = post_list("/seats/", body)
    assert response.status_code == 400
    assert response.json() == {"1": {"deputy": ["ec seat with this deputy already exists."]}}
    assert EcSeat.objects.count() == 1


def test_many_write_repeating_a_foreign_key_inside_the_payload_is_a_400():
    ann, bob = EcWriter.objects.create(name="ann"), EcWriter.objects.create(name="bob")
    response = post_list("/seats/", [{"holder": ann.pk}, {"holder": bob.pk}, {"holder": ann.pk}])
    assert response.status_code == 400
    assert response.json() == {"2": {"holder": ["ec seat with this holder already exists."]}}
    assert post_list("/seats/", [{"holder": ann.pk}, {"holder": bob.pk}]).status_code == 201
    assert EcSeat.objects.count() == 2


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ({"name": "alice"}, {"name": "ALICE"}),  # a case-insensitive collation
        ({"name": "x", "alias": "Carol"}, {"name": "y", "alias": "carol"}),  # citext / NOCASE
    ],
)
def test_many_write_clashing_in_the_columns_own_comparison_is_a_400_and_writes_nothing(
    stored, sent
):
    EcHandle.objects.create(**stored)
    field = next(iter(set(sent) - {"name"}), "name")
    response = post_list("/handles/", [{"name": "bob"}, sent])
    assert response.status_code == 400
    assert response.json() == {"1": {field: [f"ec handle with this {field} already exists."]}}
    assert EcHandle.objects.count() == 1


def test_many_write_clashing_without_regard_to_accents_is_a_400_on_postgres(postgres):
    EcHandle.objects.create(name="éclair")
    response = post_list("/handles/", [{"name": "bob"}, {"name": "Eclair"}])
    assert response.status_code == 400
    assert response.json() == {"1": {"name": ["ec handle with this name already exists."]}}
    assert EcHandle.objects.count() == 1


# --- callable model choices --------------------------------------------------------------


class TicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = EcTicket
        fields = ["id", "status"]


class Tickets(generics.ListCreateAPIView):
    queryset = EcTicket.objects.order_by("pk")
    serializer_class = TicketSerializer


def test_callable_model_choices_are_read_for_each_request(monkeypatch):
    from tests import models

    client = APIClient()
    assert client.post("/tickets/", {"status": "open"}, format="json").status_code == 201
    monkeypatch.setattr(models, "EC_TICKET_STATUSES", [("closed", "Closed"), ("held", "Held")])
    response = client.post("/tickets/", {"status": "open"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"status": ['"open" is not a valid choice.']}
    assert client.post("/tickets/", {"status": "held"}, format="json").status_code == 201
    options = client.options("/tickets/").json()["actions"]["POST"]["status"]["choices"]
    assert options == [
        {"value": "closed", "display_name": "Closed"},
        {"value": "held", "display_name": "Held"},
    ]
    assert list(EcTicket.objects.order_by("pk").values_list("status", flat=True)) == [
        "open",
        "held",
    ]
    response, report = get("/tickets/")
    stored = EcTicket.objects.order_by("pk").values_list("pk", "status")
    assert response.json() == [{"id": pk, "status": status} for pk, status in stored]
    assert report["projection"] == {
        "path": "instance",
        "reason": "'status' has callable choices, read each time a serializer is built",
    }


# The names a label may take right now: a lazy choices iterator reads them anew.
LABEL_NAMES = ["red", "blue"]


class ChosenLabelSerializer(serializers.ModelSerializer):
    name = serializers.ChoiceField(
        choices=CallableChoiceIterator(lambda: [(name, name.title()) for name in LABEL_NAMES])
    )

    class Meta:
        model = EcLabel
        fields = ["id", "name"]


class ChosenLabels(generics.CreateAPIView):
    queryset = EcLabel.objects.all()
    serializer_class = ChosenLabelSerializer


def test_lazy_choices_of_a_declared_field_are_read_for_each_request(monkeypatch):
    client = APIClient()
    assert client.post("/labels/", {"name": "red"}, format="json").status_code == 201
    monkeypatch.setattr(sys.modules[__name__], "LABEL_NAMES", ["blue", "gold"])
    response = client.post("/labels/", {"name": "red"}, format="json")
    assert response.json() == {"name": ['"red" is not a valid choice.']}
    response = client.post("/labels/", {"name": "gold"}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == "gold"


# --- views -------------------------------------------------------------------------------


def _views(serializer_class, model, **attrs):
    base = {"serializer_class": serializer_class, "queryset": model.objects.all(), **attrs}
    listing = type("List", (generics.ListAPIView,), base)
    detail = type("Detail", (generics.RetrieveAPIView,), base)
    return listing.as_view(), detail.as_view()


def _routes(prefix, serializer_class, model, **attrs):
    listing, detail = _views(serializer_class, model, **attrs)
    return [path(f"{prefix}/", listing), path(f"{prefix}/<int:pk>/", detail)]


urlpatterns = [
    *_routes("shelf-pks", ShelfVolumePksSerializer, EcShelf),
    *_routes("shelf-volumes", ShelfVolumesSerializer, EcShelf),
    *_routes("reader-pks", ReaderLabelPksSerializer, EcReader),
    *_routes("reader-labels", ReaderLabelsSerializer, EcReader),
    *_routes("label-readers", LabelReadersSerializer, EcLabel),
    *_routes("legacy-posts", LegacyPostSerializer, EcLegacyPost, pagination_class=TenPerPage),
    *_routes("legacy-posts-instances", LegacyPostSerializer, EcLegacyPost,
             pagination_class=TenPerPage, projection=False),
    *_routes("legacy-post-keys", LegacyPostKeysSerializer, EcLegacyPost),
    path("locked-books/", LockedBooks.as_view()),
    path("locked-books/<int:pk>/", LockedBook.as_view()),
    path("seats/", SerializerListView.as_view(serializer_class=SeatSerializer,
                                              queryset=EcSeat.objects, many_post=True)),
    path("handles/", SerializerListView.as_view(serializer_class=HandleSerializer,
                                                queryset=EcHandle.objects, many_post=True)),
    path("tickets/", Tickets.as_view()),
    path("labels/", ChosenLabels.as_view()),
]  # fmt: skip
