"""The values path on the shapes DRF users write every day: sliced querysets, relations
that may be missing (null foreign keys, absent reverse one-to-ones), every column type
Django ships, and a relation read twice. Each is compared, bytes and query count, with
the instance path (`projection = False`), whose answers are DRF's."""

import datetime
import decimal
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import path

from restcycle import generics, serializers
from restcycle._engine.query_plan import SLICED_UNORDERED
from restcycle.pagination import PageNumberPagination
from restcycle.test import APIClient
from tests.models import QpAuthor, QpBook, QpColumns, QpProfile, QpPublisher, QpTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class AuthorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpAuthor
        fields = ["id", "name", "born"]


class BookBriefSerializer(serializers.ModelSerializer):
    editor = AuthorBriefSerializer(read_only=True)

    class Meta:
        model = QpBook
        fields = ["id", "title", "kind", "editor"]


class Fallback:
    """A callable default that counts its calls: user code, run once per missing read."""

    calls = 0

    def __call__(self):
        Fallback.calls += 1
        return "fallback"


class ColumnsSerializer(serializers.ModelSerializer):
    """Every column, and reads through the nullable `book` (and the book's nullable editor)."""

    book_title = serializers.CharField(source="book.title", read_only=True)
    book_author = serializers.CharField(source="book.author.name", default="nobody")
    editor_name = serializers.CharField(source="book.editor.name", allow_null=True)
    editor_born = serializers.DateField(source="book.editor.born", read_only=True)
    editor_key = serializers.IntegerField(source="book.editor.pk", default=0, read_only=True)
    kind_or_fallback = serializers.CharField(source="book.kind", default=Fallback())
    book_detail = BookBriefSerializer(source="book", read_only=True)
    editor_detail = AuthorBriefSerializer(source="book.editor", read_only=True)
    editor_or_null = AuthorBriefSerializer(source="book.editor", allow_null=True, read_only=True)

    class Meta:
        model = QpColumns
        fields = "__all__"


class RequiredThroughNullSerializer(serializers.ModelSerializer):
    """A required field through a nullable key: DRF raises on a null one."""

    book_title = serializers.CharField(source="book.title")

    class Meta:
        model = QpColumns
        fields = ["id", "book_title"]


class AuthorWebsiteSerializer(serializers.ModelSerializer):
    """A dotted source through a reverse one-to-one, which may be missing (DRF: None)."""

    website = serializers.CharField(source="profile.website", read_only=True)
    profile_author = serializers.CharField(source="profile.author.name", read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "website", "profile_author"]


class BookTitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpBook
        fields = ["id", "title"]


class AuthorBooksTwiceSerializer(serializers.ModelSerializer):
    """A reverse foreign key read twice: as pks and as a nested list."""

    book_ids = serializers.PrimaryKeyRelatedField(source="books", many=True, read_only=True)
    books = BookTitleSerializer(many=True, read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "book_ids", "books"]


class TunedAuthorsBooksTwice(generics.ListAPIView):
    queryset = QpAuthor.objects.order_by("id").prefetch_related("books")
    serializer_class = AuthorBooksTwiceSerializer


class NaiveAuthorsBooksTwice(TunedAuthorsBooksTwice):
    queryset = QpAuthor.objects.order_by("id")


class TagNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpTag
        fields = ["id", "name"]


class BookTagsTwiceSerializer(serializers.ModelSerializer):
    """A many-to-many read twice: as pks and as a nested list."""

    tag_ids = serializers.PrimaryKeyRelatedField(source="tags", many=True, read_only=True)
    tags = TagNameSerializer(many=True, read_only=True)

    class Meta:
        model = QpBook
        fields = ["id", "title", "tag_ids", "tags"]


class TunedBooksTagsTwice(generics.ListAPIView):
    queryset = QpBook.objects.prefetch_related("tags")
    serializer_class = BookTagsTwiceSerializer


class NaiveBooksTagsTwice(TunedBooksTagsTwice):
    queryset = QpBook.objects.all()


class TunedBookTagsTwice(generics.RetrieveAPIView):
    queryset = QpBook.objects.prefetch_related("tags")
    serializer_class = BookTagsTwiceSerializer


class TunedAuthorBooksTwice(generics.RetrieveAPIView):
    queryset = QpAuthor.objects.prefetch_related("books")
    serializer_class = AuthorBooksTwiceSerializer


class Columns(generics.ListAPIView):
    queryset = QpColumns.objects.all()
    serializer_class = ColumnsSerializer


class ColumnDetail(generics.RetrieveAPIView):
    queryset = QpColumns.objects.all()
    serializer_class = ColumnsSerializer


class SlicedColumns(Columns):
    def get_queryset(self):
        return QpColumns.objects.all()[1:3]


class SlicedNaiveColumns(Columns):
    """Sliced, and nothing selected: the values path joins what it reads."""

    def get_queryset(self):
        return QpColumns.objects.order_by("-id")[:3]


class PagedSlicedColumns(Columns):
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return QpColumns.objects.all()[:3]


class SlicedBySizeColumns(Columns):
    """Ordered by a column that is not unique: the instance path keeps the user's SQL."""

    def get_queryset(self):
        return QpColumns.objects.order_by("size")[:2]


class RequiredThroughNull(generics.ListAPIView):
    queryset = QpColumns.objects.all()
    serializer_class = RequiredThroughNullSerializer


class AuthorWebsites(generics.ListAPIView):
    queryset = QpAuthor.objects.order_by("id")
    serializer_class = AuthorWebsiteSerializer


def both_paths(route: str, view: type) -> list:
    """`view` at /values/<route> and, with projection off (the reference), /instance/<route>."""
    instance_view = type(f"Instance{view.__name__}", (view,), {"projection": False})
    return [
        path(f"values/{route}", view.as_view()),
        path(f"instance/{route}", instance_view.as_view()),
    ]


urlpatterns = [
    *both_paths("columns/", Columns),
    *both_paths("columns/<int:pk>/", ColumnDetail),
    *both_paths("sliced-columns/", SlicedColumns),
    *both_paths("sliced-naive-columns/", SlicedNaiveColumns),
    *both_paths("paged-sliced-columns/", PagedSlicedColumns),
    *both_paths("sliced-by-size-columns/", SlicedBySizeColumns),
    *both_paths("required-through-null/", RequiredThroughNull),
    *both_paths("author-websites/", AuthorWebsites),
    *both_paths("tuned-authors-books-twice/", TunedAuthorsBooksTwice),
    *both_paths("naive-authors-books-twice/", NaiveAuthorsBooksTwice),
    *both_paths("tuned-books-tags-twice/", TunedBooksTagsTwice),
    *both_paths("naive-books-tags-twice/", NaiveBooksTagsTwice),
    path(
        "drf/tuned-books-tags-twice/",
        type(
            "Unplanned", (TunedBooksTagsTwice,), {"projection": False, "auto_prefetch": False}
        ).as_view(),
    ),
    *both_paths("tuned-book-tags-twice/<int:pk>/", TunedBookTagsTwice),
    *both_paths("tuned-author-books-twice/<int:pk>/", TunedAuthorBooksTwice),
    path(
        "drf/tuned-book-tags-twice/<int:pk>/",
        type(
            "Unplanned", (TunedBookTagsTwice,), {"projection": False, "auto_prefetch": False}
        ).as_view(),
    ),
    path(
        "drf/tuned-author-books-twice/<int:pk>/",
        type(
            "Unplanned", (TunedAuthorBooksTwice,), {"projection": False, "auto_prefetch": False}
        ).as_view(),
    ),
    path(
        "drf/tuned-authors-books-twice/",
        type(
            "Unplanned", (TunedAuthorsBooksTwice,), {"projection": False, "auto_prefetch": False}
        ).as_view(),
    ),
]


@pytest.fixture
def rows():
    """Four rows: every column set and a book with an editor; nulls and no book; a book
    without an editor; every column null that may be."""
    house = QpPublisher.objects.create(name="House")
    ann = QpAuthor.objects.create(name="Ann", publisher=house, born=datetime.date(1970, 5, 6))
    bob = QpAuthor.objects.create(name="Bøb", publisher=house)
    QpProfile.objects.create(author=ann, website="ann.example")
    created = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    edited = QpBook.objects.create(
        title="Edited", kind="poe", price=1, created=created, author=bob, editor=ann
    )
    unedited = QpBook.objects.create(title="Alone", price=2, created=created, author=ann)
    edited.tags.set([QpTag.objects.create(name="t")])
    full = QpColumns.objects.create(
        ident=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        positive_small=5,
        size=2,
        flag=False,
        text="line\u2028break",
        address="2001:db8::1",
        blob=b"\x00\xffbytes",
        data={"b": [1, 2.5, None], "a": "ü"},
        span=datetime.timedelta(days=2, hours=3, microseconds=7),
        ratio=0.1 + 0.2,
        amount=decimal.Decimal("12.3400"),
        day=datetime.date(2020, 2, 29),
        moment=datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),
        clock=datetime.time(9, 30, 1),
        book=edited,
    )
    bare = QpColumns.objects.create(flag=True, address="192.0.2.1", data=[], blob=b"")
    no_editor = QpColumns.objects.create(size=2, book=unedited, data="text")
    nulls = QpColumns.objects.create()
    return [full, bare, no_editor, nulls]


def fetch(url, client=None):
    """(response, queries made, the path the view took)."""
    with CaptureQueriesContext(connection) as queries:
        response = (client or APIClient()).get(url)
    view = response.renderer_context["view"]
    report = view.__dict__.get("_query_plan_report", {}).get("projection", {})
    return response, len(queries), report


def on_both(route):
    """Fetch `route` on both paths; assert the same status, bytes and query count."""
    values, values_queries, plan = fetch(f"/values/{route}")
    instance, instance_queries, instance_plan = fetch(f"/instance/{route}")
    assert instance_plan["path"] == "instance"
    assert values.status_code == instance.status_code
    assert values.content.replace(b"/values/", b"/instance/") == instance.content
    assert values_queries == instance_queries
    return values, values_queries, plan


def test_every_column_type_django_ships_is_read_on_the_values_path(rows):
    Fallback.calls = 0
    values, queries, plan = on_both("columns/")
    assert plan == {"path": "values", "reason": None}
    assert queries == 1  # the columns, the book, its author and editor joined
    full = values.json()[0]
    assert full["ident"] == "12345678-1234-5678-1234-567812345678"
    assert full["address"] == "2001:db8::1"
    assert full["blob"] == "AP9ieXRlcw=="  # ModelField: the model field's text form
    assert full["span"] == "2 03:00:00.000007"
    assert full["size"] == 2 and full["amount"] == "12.3400"
    assert values.json()[1]["blob"] == "" and values.json()[3]["blob"] is None


def test_a_null_foreign_key_mid_source_settles_as_drf_does(rows):
    """default, allow_null, or the key left out (read-only: not required)."""
    Fallback.calls = 0
    fetch("/instance/columns/")
    instance_calls, Fallback.calls = Fallback.calls, 0
    values, _, plan = on_both("columns/")
    assert plan["path"] == "values"
    assert Fallback.calls == 2 * instance_calls  # once per row without a book, as DRF
    full, bare, no_editor, _ = values.json()
    assert full["book_title"] == "Edited" and full["editor_name"] == "Ann"
    assert full["editor_detail"]["born"] == "1970-05-06"
    assert "book_title" not in bare and "editor_born" not in bare
    assert "editor_detail" not in bare and bare["editor_or_null"] is None
    assert bare["book_author"] == "nobody" and bare["editor_name"] is None
    assert bare["editor_key"] == 0 and bare["kind_or_fallback"] == "fallback"
    assert bare["book_detail"] is None
    assert list(bare) == [key for key in full if key in bare]  # the others keep their order
    assert no_editor["book_title"] == "Alone" and no_editor["editor_name"] is None
    assert "editor_born" not in no_editor  # None.born raised: left out
    assert no_editor["editor_detail"] is None  # the last step read None: no error
    assert no_editor["editor_key"] == 0 and no_editor["book_detail"]["editor"] is None


def test_retrieve_through_a_null_foreign_key_on_the_values_path(rows):
    for row in rows:
        _, queries, plan = on_both(f"columns/{row.pk}/")
        assert plan["path"] == "values"


def test_a_required_field_through_a_null_foreign_key_raises_as_drf_does(rows):
    """DRF's get_attribute re-raises the AttributeError, naming field, serializer and model."""
    client = APIClient(raise_request_exception=True)
    errors = []
    for side in ("values", "instance"):
        with pytest.raises(AttributeError) as raised:
            client.get(f"/{side}/required-through-null/")
        errors.append(str(raised.value))
    assert errors[0] == errors[1]
    assert "`book_title` on serializer `RequiredThroughNullSerializer`" in errors[0]
    assert "`QpColumns` instance" in errors[0]
    assert "'NoneType' object has no attribute 'title'" in errors[0]


def test_a_missing_reverse_one_to_one_mid_source_reads_as_none(rows):
    values, queries, plan = on_both("author-websites/")
    assert plan["path"] == "values"
    assert queries == 1
    ann, bob = values.json()
    assert ann["website"] == "ann.example" and ann["profile_author"] == "Ann"
    assert bob["website"] is None and bob["profile_author"] is None


def test_a_sliced_list_takes_the_values_path(rows):
    values, queries, plan = on_both("sliced-columns/")
    assert plan == {"path": "values", "reason": None}
    assert queries == 1
    assert [row["id"] for row in values.json()] == [row.pk for row in rows[1:3]]
    values, _, plan = on_both("sliced-naive-columns/")
    assert plan["path"] == "values"
    assert [row["id"] for row in values.json()] == [row.pk for row in rows[:0:-1]]


@pytest.mark.parametrize("query", ["", "?page=2", "?page=3"])
def test_a_paginated_sliced_list_takes_the_values_path(rows, settings, query):
    settings.REST_FRAMEWORK = {"PAGE_SIZE": 2}
    values, _, plan = on_both(f"paged-sliced-columns/{query}")
    if values.status_code == 200:
        assert plan["path"] == "values"
        assert values.json()["count"] == 3


def test_a_slice_not_ordered_by_a_unique_column_takes_the_instance_path(rows):
    values, _, plan = on_both("sliced-by-size-columns/")
    assert plan == {"path": "instance", "reason": SLICED_UNORDERED}
    assert len(values.json()) == 2


@pytest.mark.parametrize("tuning", ["tuned", "naive"])
@pytest.mark.parametrize("shape", ["authors-books", "books-tags"])
def test_a_relation_read_twice_makes_no_more_queries_than_drf_hand_tuned(rows, tuning, shape):
    """DRF on `prefetch_related(...)`: the rows, the relation; both reads use the cache."""
    values, queries, plan = on_both(f"{tuning}-{shape}-twice/")
    drf, drf_queries, _ = fetch(f"/drf/tuned-{shape}-twice/")
    assert values.content == drf.content
    assert queries == drf_queries == 2
    assert plan["path"] == "instance"
    assert "the instance path fetches it once" in plan["reason"]


@pytest.mark.parametrize("shape", ["author-books", "book-tags"])
def test_a_relation_read_twice_on_retrieve_makes_no_more_queries_than_drf(rows, shape):
    model = QpAuthor if shape == "author-books" else QpBook
    for pk in model.objects.values_list("pk", flat=True):
        values, queries, _ = on_both(f"tuned-{shape}-twice/{pk}/")
        drf, drf_queries, _ = fetch(f"/drf/tuned-{shape}-twice/{pk}/")
        assert values.content == drf.content
        assert queries == drf_queries == 2
