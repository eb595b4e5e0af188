"""The values path: list and retrieve built from columns, byte for byte the instance output."""

import datetime
import decimal
import uuid

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import path

from restcycle import generics, permissions, serializers
from restcycle.pagination import CursorPagination, LimitOffsetPagination, PageNumberPagination
from restcycle.test import APIClient
from tests.models import QpAuthor, QpBook, QpProfile, QpPublisher, QpTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class PublisherSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpPublisher
        fields = ["id", "name"]


class AuthorSerializer(serializers.ModelSerializer):
    publisher = PublisherSerializer(read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "born", "publisher"]


class EveryFieldSerializer(serializers.ModelSerializer):
    """Every column type, FK pks, pk lists, dotted sources and nested FK serializers."""

    author_name = serializers.CharField(source="author.name")
    publisher_name = serializers.CharField(source="author.publisher.name")
    author_detail = AuthorSerializer(source="author", read_only=True)
    editor_detail = AuthorSerializer(source="editor", read_only=True)
    created_year = serializers.DateTimeField(source="created", format="%Y", read_only=True)
    created_local = serializers.DateTimeField(
        source="created", default_timezone=datetime.timezone(datetime.timedelta(hours=5))
    )
    price_number = serializers.DecimalField(
        source="price", max_digits=8, decimal_places=3, coerce_to_string=False
    )
    title_copy = serializers.ReadOnlyField(source="title")
    editor_key = serializers.IntegerField(source="editor_id", read_only=True)
    kind_label = serializers.ChoiceField(source="kind", choices=QpBook.KINDS)

    class Meta:
        model = QpBook
        fields = [
            "id",
            "uid",
            "title",
            "kind",
            "pages",
            "price",
            "rating",
            "in_print",
            "published",
            "created",
            "reading_time",
            "opens_at",
            "extra",
            "author",
            "editor",
            "tags",
            "author_name",
            "publisher_name",
            "author_detail",
            "editor_detail",
            "created_year",
            "created_local",
            "price_number",
            "title_copy",
            "editor_key",
            "kind_label",
        ]


class AnnotatedAuthorSerializer(serializers.ModelSerializer):
    book_count = serializers.IntegerField(read_only=True)
    books = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    mentees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "book_count", "books", "mentees", "mentor"]


class TagSerializer(serializers.ModelSerializer):
    books = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = QpTag
        fields = ["id", "name", "books"]


class TagNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpTag
        fields = ["id", "name"]


class BookInAuthorSerializer(serializers.ModelSerializer):
    tag_count = serializers.IntegerField(source="pages")
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    editor_detail = AuthorSerializer(source="editor", read_only=True)

    class Meta:
        model = QpBook
        fields = ["id", "title", "price", "created", "author", "tag_count", "editor_detail"]


class NestedListsAuthorSerializer(serializers.ModelSerializer):
    """Nested many=True serializers: a reverse foreign key and, through books, a nested FK."""

    books = BookInAuthorSerializer(many=True, read_only=True)
    edited = BookInAuthorSerializer(many=True, read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "books", "edited"]


class NestedTagsBookSerializer(serializers.ModelSerializer):
    tags = TagNameSerializer(many=True, read_only=True)

    class Meta:
        model = QpBook
        fields = ["id", "title", "tags"]


class TwoLevelListsSerializer(serializers.ModelSerializer):
    books = NestedTagsBookSerializer(many=True, read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "books"]


class ValuesBooks(generics.ListAPIView):
    queryset = QpBook.objects.all()
    serializer_class = EveryFieldSerializer


class ValuesBook(generics.RetrieveAPIView):
    queryset = QpBook.objects.all()
    serializer_class = EveryFieldSerializer


class ValuesAuthors(generics.ListAPIView):
    queryset = QpAuthor.objects.annotate(book_count=Count("books")).order_by("id")
    serializer_class = AnnotatedAuthorSerializer


class ValuesTags(generics.ListAPIView):
    queryset = QpTag.objects.all()
    serializer_class = TagSerializer


class ValuesNestedAuthors(generics.ListAPIView):
    queryset = QpAuthor.objects.order_by("id")
    serializer_class = NestedListsAuthorSerializer


class ValuesNestedTagsBooks(generics.ListAPIView):
    queryset = QpBook.objects.all()
    serializer_class = NestedTagsBookSerializer


class TitleOnlySerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.name")
    tag_count = serializers.IntegerField()

    class Meta:
        model = QpBook
        fields = ["title", "author_name", "tag_count"]


class DistinctTitles(generics.ListAPIView):
    """distinct() over rows whose read columns repeat: every book still comes out."""

    queryset = QpBook.objects.annotate(tag_count=Count("tags")).distinct().order_by("id")
    serializer_class = TitleOnlySerializer


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpProfile
        fields = ["id", "website"]


class AuthorProfileSerializer(serializers.ModelSerializer):
    profile = ProfileSerializer(read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "profile"]


class ValuesAuthorProfiles(generics.ListAPIView):
    queryset = QpAuthor.objects.order_by("id")
    serializer_class = AuthorProfileSerializer


class PublisherListSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpPublisher
        fields = ["id", "name"]


class PagedValuesBooks(ValuesBooks):
    pagination_class = PageNumberPagination


class OffsetValuesBooks(ValuesBooks):
    pagination_class = LimitOffsetPagination


# --- serializers and views that must take the instance path -------------------------


class MethodFieldSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = QpBook
        fields = ["id", "label"]

    def get_label(self, obj):
        return obj.title.lower()


class OverriddenSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpBook
        fields = ["id", "title"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["title"] = data["title"].upper()
        return data


class PropertySourceSerializer(serializers.ModelSerializer):
    shout = serializers.CharField(source="author.shout")

    class Meta:
        model = QpBook
        fields = ["id", "shout"]


class MethodSourceSerializer(serializers.ModelSerializer):
    description = serializers.CharField(source="describe")

    class Meta:
        model = QpBook
        fields = ["id", "description"]


class ReversedCharField(serializers.CharField):
    def to_representation(self, value):
        return str(value)[::-1]


class CustomFieldSerializer(serializers.ModelSerializer):
    title = ReversedCharField()

    class Meta:
        model = QpBook
        fields = ["id", "title"]


class NestedManySerializer(serializers.ModelSerializer):
    tags = serializers.StringRelatedField(many=True)

    class Meta:
        model = QpBook
        fields = ["id", "tags"]


class NullableDottedSerializer(serializers.ModelSerializer):
    editor_name = serializers.CharField(source="editor.name", default="none")

    class Meta:
        model = QpBook
        fields = ["id", "editor_name"]


class HyperlinkedSerializer(serializers.ModelSerializer):
    link = serializers.HyperlinkedIdentityField(view_name="qp-book")

    class Meta:
        model = QpBook
        fields = ["id", "link"]


class OwnerOnly(permissions.BasePermission):
    def has_object_permission(self, request, view, obj):
        return obj.title != "Secret"


def fallback_view(serializer, base=generics.ListAPIView, queryset=None, **attrs):
    view_class = type("FallbackView", (base,), {"serializer_class": serializer, **attrs})
    return view_class.as_view(queryset=QpBook.objects.all() if queryset is None else queryset)


class ListFromGetQueryset(generics.ListAPIView):
    serializer_class = EveryFieldSerializer

    def get_queryset(self):
        return list(QpBook.objects.all())


class CustomGetSerializer(ValuesBooks):
    def get_serializer(self, *args, **kwargs):
        return super().get_serializer(*args, **kwargs)


class CursorById(CursorPagination):
    ordering = "id"
    page_size = 2


class CursorBooks(ValuesBooks):
    pagination_class = CursorById


def _simple_list(serializer):
    return fallback_view(serializer)


FALLBACKS = {
    "method-field": (_simple_list(MethodFieldSerializer), "SerializerMethodField"),
    "to-representation": (_simple_list(OverriddenSerializer), "overrides to_representation"),
    "property-source": (_simple_list(PropertySourceSerializer), "not a column"),
    "method-source": (_simple_list(MethodSourceSerializer), "not a column"),
    "custom-field": (
        _simple_list(CustomFieldSerializer),
        "'title' (ReversedCharField) is a custom",
    ),
    "string-related-many": (_simple_list(NestedManySerializer), "needs related objects"),
    "hyperlinked": (_simple_list(HyperlinkedSerializer), "reads the request"),
    "two-level-lists": (
        fallback_view(TwoLevelListsSerializer, queryset=QpAuthor.objects.all()),
        "'books' nests a to-many relation of its own",
    ),
    "list-queryset": (ListFromGetQueryset.as_view(), "not a model QuerySet"),
    "get-serializer": (CustomGetSerializer.as_view(), "overrides get_serializer()"),
    "cursor": (CursorBooks.as_view(), "CursorById reads model instances"),
    "object-permission": (
        fallback_view(
            EveryFieldSerializer, generics.RetrieveAPIView, permission_classes=[OwnerOnly]
        ),
        "OwnerOnly checks object permissions",
    ),
}


def on_both_paths(values_route: str, instance_route: str, view: type, name=None) -> list:
    """`view` at `values_route`, and at `instance_route` with projection off (the reference)."""
    instance_view = type(f"Instance{view.__name__}", (view,), {"projection": False})
    return [
        path(values_route, view.as_view(), name=name),
        path(instance_route, instance_view.as_view()),
    ]


urlpatterns = [
    *on_both_paths("values-books/", "instance-books/", ValuesBooks),
    *on_both_paths("values-books/<int:pk>/", "instance-books/<int:pk>/", ValuesBook, "qp-book"),
    *on_both_paths("values-authors/", "instance-authors/", ValuesAuthors),
    *on_both_paths("values-tags/", "instance-tags/", ValuesTags),
    *on_both_paths("values-nested-authors/", "instance-nested-authors/", ValuesNestedAuthors),
    *on_both_paths(
        "values-nested-tags-books/", "instance-nested-tags-books/", ValuesNestedTagsBooks
    ),
    *on_both_paths("values-author-profiles/", "instance-author-profiles/", ValuesAuthorProfiles),
    *on_both_paths("distinct-titles/", "instance-distinct-titles/", DistinctTitles),
    path(
        "publishers/",
        generics.ListAPIView.as_view(
            queryset=QpPublisher.objects.order_by("id"), serializer_class=PublisherListSerializer
        ),
    ),
    *on_both_paths("paged-values-books/", "paged-instance-books/", PagedValuesBooks),
    *on_both_paths("offset-values-books/", "offset-instance-books/", OffsetValuesBooks),
    path("nullable-dotted/", _simple_list(NullableDottedSerializer)),
    path("instance-nullable-dotted/", fallback_view(NullableDottedSerializer, projection=False)),
    *[path(f"fallback/{name}/", view) for name, (view, _) in FALLBACKS.items()],
    *[path(f"fallback/{name}/<int:pk>/", view) for name, (view, _) in FALLBACKS.items()],
]


@pytest.fixture
def bookshelf():
    house = QpPublisher.objects.create(name="House")
    ann = QpAuthor.objects.create(name="Ann", publisher=house, born=datetime.date(1970, 5, 6))
    bob = QpAuthor.objects.create(name="Bøb \u2028", publisher=house, mentor=ann)
    QpAuthor.objects.create(name="Cid", publisher=house, mentor=ann)
    QpProfile.objects.create(author=ann, website="ann.example")
    tags = [QpTag.objects.create(name=n) for n in ("zeta", "alpha", "mid")]
    rows = [
        dict(
            uid=uuid.UUID("12345678-1234-5678-1234-567812345678"),
            title="Full",
            kind="poe",
            pages=321,
            price=decimal.Decimal("12.30"),
            rating=0.1 + 0.2,
            in_print=False,
            published=datetime.date(2020, 2, 29),
            created=datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),
            reading_time=datetime.timedelta(hours=3, seconds=7),
            opens_at=datetime.time(9, 30),
            extra={"b": [1, 2.5, None], "a": "ü"},
            author=ann,
            editor=bob,
        ),
        dict(
            title="Sparse",
            price=decimal.Decimal("0.00"),
            created=datetime.datetime(1999, 12, 31, 23, 59, tzinfo=datetime.UTC),
            author=bob,
        ),
        dict(
            title="Secret",
            price=decimal.Decimal("99999.99"),
            created=datetime.datetime(2010, 6, 1, tzinfo=datetime.UTC),
            author=ann,
        ),
    ]
    books = [QpBook.objects.create(**row) for row in rows]
    books[0].tags.set(tags)
    books[2].tags.set(tags[1:])
    return books


def fetch(url):
    """(response, queries made, the path the view took)."""
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(url)
    view = response.renderer_context["view"]
    report = view.__dict__.get("_query_plan_report", {}).get("projection", {})
    return response, len(queries), report


def test_list_output_is_byte_identical_on_both_paths(bookshelf):
    values, values_queries, values_plan = fetch("/values-books/")
    instance, _, instance_plan = fetch("/instance-books/")
    assert values_plan == {"path": "values", "reason": None}
    assert instance_plan["path"] == "instance"
    assert values.status_code == instance.status_code == 200
    assert values.content == instance.content
    assert values_queries == 2  # the columns (joined through the author), the tag pks
    first = values.json()[0]
    assert first["tags"] == [t.pk for t in QpTag.objects.order_by("name")]
    assert first["editor_detail"]["name"] == "Bøb \u2028"
    assert values.json()[1]["editor_detail"] is None


def test_retrieve_output_is_byte_identical_on_both_paths(bookshelf):
    for book in bookshelf:
        values, values_queries, plan = fetch(f"/values-books/{book.pk}/")
        instance, _, _ = fetch(f"/instance-books/{book.pk}/")
        assert plan["path"] == "values"
        assert values.content == instance.content
        assert values_queries == 2


def test_retrieve_of_a_missing_or_malformed_pk_is_404_on_the_values_path(bookshelf):
    assert APIClient().get("/values-books/999999/").status_code == 404
    response = APIClient().get("/values-books/99999999999999999999999/")
    assert response.status_code == 404


def test_annotations_reverse_fk_and_self_relations_on_the_values_path(bookshelf):
    values, values_queries, plan = fetch("/values-authors/")
    instance, _, _ = fetch("/instance-authors/")
    assert plan["path"] == "values"
    assert values.content == instance.content
    assert values_queries == 3  # authors with the count, book pks, mentee pks
    ann = values.json()[0]
    assert ann["book_count"] == 2 and len(ann["mentees"]) == 2


def test_reverse_many_to_many_pk_lists_on_the_values_path(bookshelf):
    values, _, plan = fetch("/values-tags/")
    instance, _, _ = fetch("/instance-tags/")
    assert plan["path"] == "values"
    assert values.content == instance.content


def test_nested_many_serializers_on_the_values_path(bookshelf):
    values, values_queries, plan = fetch("/values-nested-authors/")
    instance, instance_queries, _ = fetch("/instance-nested-authors/")
    assert plan == {"path": "values", "reason": None}
    assert values.content == instance.content
    assert values_queries == instance_queries == 3  # authors, their books, the books edited
    ann = values.json()[0]
    assert [book["title"] for book in ann["books"]] == ["Full", "Secret"]
    assert ann["books"][0]["editor_detail"]["name"] == "Bøb \u2028"


def test_nested_many_to_many_serializer_on_the_values_path(bookshelf):
    values, values_queries, plan = fetch("/values-nested-tags-books/")
    instance, _, _ = fetch("/instance-nested-tags-books/")
    assert plan["path"] == "values"
    assert values.content == instance.content
    assert values_queries == 2
    assert [t["name"] for t in values.json()[0]["tags"]] == ["alpha", "mid", "zeta"]


@pytest.mark.parametrize("query", ["", "?page=2", "?page=2&page_size=1", "?page=last", "?page=9"])
def test_page_number_pagination_on_the_values_path(bookshelf, settings, query):
    settings.REST_FRAMEWORK = {"PAGE_SIZE": 2}
    values, _, plan = fetch(f"/paged-values-books/{query}")
    instance, _, _ = fetch(f"/paged-instance-books/{query}")
    assert values.status_code == instance.status_code
    assert values.content.replace(b"-values-", b"-instance-") == instance.content
    if values.status_code == 200:
        assert plan["path"] == "values"


@pytest.mark.parametrize("query", ["", "?limit=1&offset=1", "?offset=50", "?limit=abc"])
def test_limit_offset_pagination_on_the_values_path(bookshelf, settings, query):
    settings.REST_FRAMEWORK = {"PAGE_SIZE": 2}
    values, _, _ = fetch(f"/offset-values-books/{query}")
    instance, _, _ = fetch(f"/offset-instance-books/{query}")
    assert values.status_code == instance.status_code == 200
    assert values.content.replace(b"-values-", b"-instance-") == instance.content


def test_empty_table_on_the_values_path(db):
    values, queries, plan = fetch("/values-books/")
    assert plan["path"] == "values"
    assert values.json() == []
    assert queries == 1


def test_projection_setting_false_takes_the_instance_path(bookshelf, settings):
    settings.REST_FRAMEWORK = {"PROJECTION": False}
    response, _, plan = fetch("/values-books/")
    assert plan == {"path": "instance", "reason": "REST_FRAMEWORK['PROJECTION'] is False"}
    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_fallback_reasons(bookshelf, name):
    _, expected = FALLBACKS[name]
    url = (
        f"/fallback/{name}/{bookshelf[0].pk}/"
        if name == "object-permission"
        else (f"/fallback/{name}/")
    )
    response, _, plan = fetch(url)
    assert response.status_code == 200, response.content
    assert plan["path"] == "instance"
    assert expected in plan["reason"]


def test_object_permissions_still_deny_on_retrieve(bookshelf):
    response = APIClient().get(f"/fallback/object-permission/{bookshelf[2].pk}/")
    assert response.status_code == 403


def test_distinct_rows_with_equal_read_columns_all_come_out(bookshelf):
    author = bookshelf[0].author
    for _ in range(2):
        QpBook.objects.create(title="Twin", price=1, created=bookshelf[0].created, author=author)
    values, _, plan = fetch("/distinct-titles/")
    instance, _, _ = fetch("/instance-distinct-titles/")
    assert plan["path"] == "values"
    assert values.content == instance.content
    assert [row["title"] for row in values.json()].count("Twin") == 2


def test_a_model_with_post_init_receivers_takes_the_instance_path(bookshelf):
    from django.db.models.signals import post_init

    def shout_name(sender, instance, **kwargs):
        instance.name = instance.name.upper()

    post_init.connect(shout_name, sender=QpPublisher)
    try:
        response, _, plan = fetch("/publishers/")
    finally:
        post_init.disconnect(shout_name, sender=QpPublisher)
    assert plan == {"path": "instance", "reason": "QpPublisher has post_init receivers"}
    assert response.json()[0]["name"] == "HOUSE"


def test_reverse_one_to_one_nested_on_the_values_path(bookshelf):
    values, queries, plan = fetch("/values-author-profiles/")
    instance, _, _ = fetch("/instance-author-profiles/")
    assert plan["path"] == "values"
    assert values.content == instance.content
    assert queries == 1
    assert [a["profile"] for a in values.json()][1:] == [None, None]
    assert values.json()[0]["profile"]["website"] == "ann.example"


def test_a_dotted_source_through_a_null_foreign_key_gives_its_default_on_the_values_path(
    bookshelf,
):
    values, values_queries, plan = fetch("/nullable-dotted/")
    instance, instance_queries, _ = fetch("/instance-nullable-dotted/")
    assert plan == {"path": "values", "reason": None}
    assert values.content == instance.content
    assert values_queries == instance_queries == 1
    assert [book["editor_name"] for book in values.json()] == ["Bøb \u2028", "none", "none"]
