"""Prepared lookups: the framework's own lookups run from SQL compiled once, with the ORM's meaning.

The first request of a shape goes through the ORM, the second prepares it, later ones
run the prepared SQL. Every test therefore repeats its request and expects the same
answer, the same SQL and the same number of queries every time.
"""

import datetime
import decimal
import uuid

import pytest
from django.db import connection, connections
from django.db.models import Count, F, Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from restcycle import generics, serializers, viewsets
from restcycle._engine import prepared_query as _prepared_query
from restcycle.routers import SimpleRouter
from restcycle.test import APIClient
from restcycle.validators import UniqueValidator
from tests.models import QpAuthor, QpBook, QpPublisher, QpTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

REPEATS = 4


class EveryColumnSerializer(serializers.ModelSerializer):
    # A model method: the serializer needs the instance, not a values() row.
    describe = serializers.ReadOnlyField()

    class Meta:
        model = QpBook
        fields = "__all__"


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpAuthor
        fields = ["id", "name", "born"]


class NestedBookSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    author_id = serializers.PrimaryKeyRelatedField(
        source="author", queryset=QpAuthor.objects.all(), write_only=True
    )
    title = serializers.CharField(validators=[UniqueValidator(queryset=QpBook.objects.all())])
    describe = serializers.ReadOnlyField()

    class Meta:
        model = QpBook
        fields = ["id", "title", "price", "created", "author", "author_id", "tags", "describe"]


class BookViewSet(viewsets.ModelViewSet):
    queryset = QpBook.objects.select_related("author").prefetch_related("tags")
    serializer_class = NestedBookSerializer


class EveryColumnViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = QpBook.objects.all()
    serializer_class = EveryColumnSerializer


class ByUidViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = QpBook.objects.all()
    serializer_class = EveryColumnSerializer
    lookup_field = "uid"


class NovelsOnlyView(generics.RetrieveAPIView):
    """get_queryset filters: its lookups must see the filter on every request."""

    serializer_class = EveryColumnSerializer

    def get_queryset(self):
        return QpBook.objects.filter(kind="nov")


class CreatedOnSecondJanuaryViewSet(viewsets.ReadOnlyModelViewSet):
    """The queryset's SQL holds the active time zone (a `__date` lookup on a datetime)."""

    queryset = QpBook.objects.filter(created__date=datetime.date(2020, 1, 2))
    serializer_class = EveryColumnSerializer


class CountingQuerySet(QuerySet):
    """A queryset class with its own get(): the framework must keep calling it."""

    calls = 0

    def get(self, *args, **kwargs):
        CountingQuerySet.calls += 1
        return super().get(*args, **kwargs)


class CountingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CountingQuerySet(QpBook)
    serializer_class = EveryColumnSerializer


class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = QpAuthor.objects.all()
    serializer_class = AuthorSerializer


class LinkedBookSerializer(serializers.ModelSerializer):
    author = serializers.HyperlinkedRelatedField(
        view_name="author-detail", queryset=QpAuthor.objects.all()
    )

    class Meta:
        model = QpBook
        fields = ["id", "title", "price", "created", "author"]


class LinkedBookViewSet(viewsets.ModelViewSet):
    queryset = QpBook.objects.all()
    serializer_class = LinkedBookSerializer


class ColumnsOnlySerializer(serializers.ModelSerializer):
    """No field needs an instance: retrieve takes the values() path."""

    class Meta:
        model = QpBook
        fields = ["id", "title", "price", "published", "created", "author", "tags"]


class ColumnsOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = QpBook.objects.all()
    serializer_class = ColumnsOnlySerializer


router = SimpleRouter()
router.register("books", BookViewSet, basename="book")
router.register("columns", EveryColumnViewSet, basename="column")
router.register("by-uid", ByUidViewSet, basename="by-uid")
router.register("second-january", CreatedOnSecondJanuaryViewSet, basename="second-january")
router.register("counting", CountingViewSet, basename="counting")
router.register("authors", AuthorViewSet, basename="author")
router.register("columns-only", ColumnsOnlyViewSet, basename="columns-only")
router.register("linked-books", LinkedBookViewSet, basename="linked-book")


class AnnotatedView(generics.RetrieveAPIView):
    queryset = QpBook.objects.annotate(tag_count=Count("tags"))
    serializer_class = EveryColumnSerializer


urlpatterns = [
    *router.urls,
    path("novels/<int:pk>/", NovelsOnlyView.as_view()),
    path("annotated/<int:pk>/", AnnotatedView.as_view()),
]


@pytest.fixture(autouse=True)
def no_prepared_lookups_yet():
    """Each test starts with nothing prepared, so what it sees prepared is its own."""
    connections["default"].__dict__.pop(_prepared_query._CONNECTION_ATTRIBUTE, None)


@pytest.fixture
def author():
    publisher = QpPublisher.objects.create(name="Penguin")
    return QpAuthor.objects.create(name="Ann", born=datetime.date(1950, 1, 2), publisher=publisher)


@pytest.fixture
def book(author):
    book = QpBook.objects.create(
        uid=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        title="River",
        kind="poe",
        pages=321,
        price=decimal.Decimal("12.50"),
        rating=0.25,
        published=datetime.date(2001, 5, 6),
        created=datetime.datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),
        reading_time=datetime.timedelta(hours=2, seconds=3),
        opens_at=datetime.time(9, 30),
        extra={"shelf": [1, 2]},
        author=author,
    )
    book.tags.set([QpTag.objects.create(name="b"), QpTag.objects.create(name="a")])
    return book


def repeated(request):
    """(status, body, SQL list) of each of REPEATS identical requests."""
    answers = []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            response = request()
        body = response.data if hasattr(response, "data") else response.content
        answers.append((response.status_code, body, [query["sql"] for query in queries]))
    return answers


def assert_all_alike(answers):
    first = answers[0]
    for later in answers[1:]:
        assert later == first


def prepared_lookups():
    """The prepared lookups this connection holds (not the shapes merely seen once)."""
    entries = connections["default"].__dict__.get(_prepared_query._CONNECTION_ATTRIBUTE, {})
    return [
        entry for entry in entries.values() if isinstance(entry, _prepared_query.PreparedLookup)
    ]


def test_retrieve_gives_the_same_body_and_sql_once_the_lookup_is_prepared(book):
    answers = repeated(lambda: APIClient().get(f"/books/{book.pk}/"))
    assert_all_alike(answers)
    status, body, sql = answers[0]
    assert status == 200
    assert body["author"] == {"id": book.author_id, "name": "Ann", "born": "1950-01-02"}
    assert body["tags"] == list(book.tags.values_list("pk", flat=True))  # by name: a, b
    assert len(sql) == 2  # the book joined with its author, then the tags prefetched
    assert prepared_lookups()


def test_every_column_type_is_converted_as_the_orm_converts_it(book):
    answers = repeated(lambda: APIClient().get(f"/columns/{book.pk}/"))
    assert_all_alike(answers)
    status, body, _ = answers[0]
    assert status == 200
    assert body["uid"] == "12345678-1234-5678-1234-567812345678"
    assert body["price"] == "12.50"
    assert body["published"] == "2001-05-06"
    assert body["created"] == "2020-01-02T03:04:05.678901Z"
    assert body["reading_time"] == "02:00:03"
    assert body["opens_at"] == "09:30:00"
    assert body["extra"] == {"shelf": [1, 2]}
    assert body["describe"] == "River (321)"
    assert prepared_lookups()


def test_a_uuid_lookup_field_finds_its_object_and_404s_on_a_malformed_value(book):
    found = repeated(lambda: APIClient().get(f"/by-uid/{book.uid}/"))
    assert_all_alike(found)
    assert found[0][0] == 200
    malformed = repeated(lambda: APIClient().get("/by-uid/not-a-uuid/"))
    assert_all_alike(malformed)
    assert malformed[0][0] == 404


def test_a_missing_object_is_a_404_with_django_s_message(book):
    answers = repeated(lambda: APIClient().get(f"/books/{book.pk + 100}/"))
    assert_all_alike(answers)
    assert answers[0][0] == 404
    assert answers[0][1] == {"detail": "No QpBook matches the given query."}


def test_a_pk_of_the_wrong_type_is_a_404(book):
    answers = repeated(lambda: APIClient().get("/columns/abc/"))
    assert_all_alike(answers)
    assert answers[0][0] == 404


def test_a_pk_beyond_the_column_s_range_is_a_404_without_a_query(book):
    too_large = 2**63
    answers = repeated(lambda: APIClient().get(f"/columns/{too_large}/"))
    assert_all_alike(answers)
    status, _, sql = answers[0]
    assert status == 404
    assert sql == []  # Django knows no row can match: neither side asks the database


def test_a_filtering_get_queryset_is_applied_on_every_request(book):
    answers = repeated(lambda: APIClient().get(f"/novels/{book.pk}/"))
    assert_all_alike(answers)
    assert answers[0][0] == 404  # the book is poetry
    book.kind = "nov"
    book.save()
    assert APIClient().get(f"/novels/{book.pk}/").status_code == 200


def test_more_than_one_match_raises_what_the_orm_raises(author):
    created = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    for _ in range(2):
        QpBook.objects.create(title="Twin", price=1, created=created, author=author)
    queryset = QpBook.objects.all()
    messages = []
    for _ in range(REPEATS):
        marked = queryset.all()
        with pytest.raises(QpBook.MultipleObjectsReturned) as raised:
            _prepared_query.get(marked, {"title": "Twin"})
        messages.append(str(raised.value))
    assert messages == ["get() returned more than one QpBook -- it returned 2!"] * REPEATS
    assert prepared_lookups()


def test_the_fingerprint_keys_every_filter_value_and_join():
    fingerprint = _prepared_query.fingerprint
    queryset = QpBook.objects.all()
    assert fingerprint(queryset) == fingerprint(queryset.all())
    assert fingerprint(queryset.filter(title="x")) == fingerprint(queryset.filter(title="x"))
    assert fingerprint(queryset.filter(title="x")) != fingerprint(queryset.filter(title="y"))
    in_order = queryset.filter(pk__in=[1, 2])
    assert fingerprint(in_order) != fingerprint(queryset.filter(pk__in=[2, 1]))
    assert fingerprint(queryset) != fingerprint(queryset.select_related("author"))
    narrowed = queryset.all()
    narrowed.query.add_q(Q(title="x"))  # in place: the same queryset object, another query
    assert fingerprint(narrowed) != fingerprint(queryset)


def test_a_queryset_the_fingerprint_cannot_key_goes_through_the_orm():
    annotated = QpBook.objects.annotate(n=Count("tags"))
    with pytest.raises(_prepared_query._UseTheORM):
        _prepared_query.fingerprint(annotated)
    with pytest.raises(_prepared_query._UseTheORM):
        _prepared_query.fingerprint(QpBook.objects.filter(pages=F("id")))


def create_payload(author, title):
    return {
        "title": title,
        "price": "3.00",
        "created": "2021-01-01T00:00:00Z",
        "author_id": author.pk,
    }


def test_related_pk_lookups_accept_a_pk_and_report_bad_ones(book, author):
    client = APIClient()
    titles = iter(f"New {index}" for index in range(REPEATS))
    created = repeated(
        lambda: client.post("/books/", create_payload(author, next(titles)), format="json")
    )
    assert [answer[0] for answer in created] == [201] * REPEATS
    assert [len(answer[2]) for answer in created] == [len(created[0][2])] * REPEATS
    for bad, error in [
        (999999, 'Invalid pk "999999" - object does not exist.'),
        ("abc", "Incorrect type. Expected pk value, received str."),
        (True, "Incorrect type. Expected pk value, received bool."),
        (2**63, 'Invalid pk "9223372036854775808" - object does not exist.'),
    ]:
        payload = {**create_payload(author, "Refused"), "author_id": bad}
        answers = repeated(lambda payload=payload: client.post("/books/", payload, format="json"))
        assert_all_alike(answers)
        assert answers[0][0] == 400
        assert answers[0][1] == {"author_id": [error]}
    as_text = {**create_payload(author, "By text pk"), "author_id": str(author.pk)}
    assert client.post("/books/", as_text, format="json").status_code == 201


def test_unique_validator_refuses_a_clash_and_lets_an_update_keep_its_own_value(book, author):
    client = APIClient()
    clash = repeated(lambda: client.post("/books/", create_payload(author, "River"), format="json"))
    assert_all_alike(clash)
    assert clash[0][0] == 400
    assert clash[0][1] == {"title": ["This field must be unique."]}
    keep = repeated(lambda: client.patch(f"/books/{book.pk}/", {"title": "River"}, format="json"))
    assert [answer[0] for answer in keep] == [200] * REPEATS
    other = QpBook.objects.create(
        title="Lake", price=1, created=datetime.datetime.now(datetime.UTC), author=author
    )
    taken = repeated(lambda: client.patch(f"/books/{other.pk}/", {"title": "River"}, format="json"))
    assert_all_alike(taken)
    assert taken[0][1] == {"title": ["This field must be unique."]}
    QpBook.objects.filter(pk=other.pk).delete()
    statuses = [
        client.post("/books/", create_payload(author, "Lake"), format="json").status_code
        for _ in range(REPEATS)
    ]
    assert statuses == [201] + [400] * (REPEATS - 1)


def test_the_prepared_lookups_setting_turns_them_off(book, settings):
    settings.REST_FRAMEWORK = {"PREPARED_LOOKUPS": False}
    answers = repeated(lambda: APIClient().get(f"/columns/{book.pk}/"))
    assert_all_alike(answers)
    assert answers[0][0] == 200
    assert prepared_lookups() == []


def test_a_time_zone_in_the_sql_follows_the_active_time_zone(book):
    book.created = datetime.datetime(2020, 1, 1, 23, 30, tzinfo=datetime.UTC)
    book.save()
    in_utc = repeated(lambda: APIClient().get(f"/second-january/{book.pk}/"))
    assert [answer[0] for answer in in_utc] == [404] * REPEATS  # still 1 January in UTC
    with timezone.override("Europe/Paris"):
        in_paris = repeated(lambda: APIClient().get(f"/second-january/{book.pk}/"))
    assert [answer[0] for answer in in_paris] == [200] * REPEATS


@pytest.mark.shadow_off("counts calls of its QuerySet's get()")
def test_a_queryset_class_with_its_own_get_is_always_called(book):
    CountingQuerySet.calls = 0
    answers = repeated(lambda: APIClient().get(f"/counting/{book.pk}/"))
    assert [answer[0] for answer in answers] == [200] * REPEATS
    assert CountingQuerySet.calls == REPEATS


def test_hyperlinked_input_finds_its_object_and_reports_a_missing_one(author):
    client = APIClient()
    payload = {"title": "Linked", "price": "1.00", "created": "2021-01-01T00:00:00Z"}
    found = repeated(
        lambda: client.post(
            "/linked-books/", {**payload, "author": f"/authors/{author.pk}/"}, format="json"
        )
    )
    assert [answer[0] for answer in found] == [201] * REPEATS
    missing = repeated(
        lambda: client.post(
            "/linked-books/", {**payload, "author": f"/authors/{author.pk + 50}/"}, format="json"
        )
    )
    assert_all_alike(missing)
    assert missing[0][1] == {"author": ["Invalid hyperlink - Object does not exist."]}


def prefetched_state(obj, name):
    """What a many-to-many prefetch left on `obj`: its cache, and each related object's dict."""
    cached = obj._prefetched_objects_cache[getattr(obj, name).prefetch_cache_name]
    related = [
        {key: value for key, value in vars(item).items() if key != "_state"} for item in cached
    ]
    return cached._prefetch_done, related, [item.pk for item in getattr(obj, name).all()]


@pytest.mark.parametrize("side", ["forward", "reverse"])
def test_a_prepared_many_to_many_prefetch_leaves_what_django_leaves(book, side):
    if side == "forward":
        queryset, pk, name = QpBook.objects.prefetch_related("tags"), book.pk, "tags"
    else:
        tag = book.tags.get(name="a")
        queryset, pk, name = QpTag.objects.prefetch_related("books"), tag.pk, "books"
    by_django = queryset.get(pk=pk)
    states = []
    for _ in range(REPEATS):
        marked = queryset.all()
        with CaptureQueriesContext(connection) as queries:
            obj = _prepared_query.get(marked, {"pk": pk})
        states.append((prefetched_state(obj, name), len(queries)))
    assert all(state == (prefetched_state(by_django, name), 2) for state in states)
    entries = connections["default"].__dict__[_prepared_query._CONNECTION_ATTRIBUTE]
    prefetches = [e for e in entries.values() if isinstance(e, _prepared_query.PreparedPrefetch)]
    assert [prefetch.name for prefetch in prefetches] == [name]


def test_filtering_a_prepared_prefetch_queries_the_relation_afresh(book):
    queryset = QpBook.objects.prefetch_related("tags")
    for _ in range(REPEATS):
        obj = _prepared_query.get(queryset.all(), {"pk": book.pk})
        with CaptureQueriesContext(connection) as queries:
            assert [tag.name for tag in obj.tags.all()] == ["a", "b"]
        assert len(queries) == 0
        assert [tag.name for tag in obj.tags.filter(name="b")] == ["b"]
        assert obj.tags.count() == 2


def test_explain_says_whether_the_object_lookup_is_prepared(book):
    from restcycle._observe.explain import explain
    from restcycle._observe.explain_text import render_text

    prepared = render_text(explain(f"/columns/{book.pk}/", "GET", urlconf=__name__))
    assert "object lookup: prepared SQL, compiled once" in prepared
    annotated = render_text(explain(f"/annotated/{book.pk}/", "GET", urlconf=__name__))
    assert "object lookup: through the ORM: the queryset holds state the fingerprint" in annotated


def test_a_values_path_retrieve_reads_its_row_from_prepared_sql(book):
    paths = []

    def request():
        response = APIClient().get(f"/columns-only/{book.pk}/")
        paths.append(response.renderer_context["view"]._query_plan_report["projection"]["path"])
        return response

    answers = repeated(request)
    assert_all_alike(answers)
    status, body, _ = answers[0]
    assert status == 200
    assert body["price"] == "12.50"
    assert body["created"] == "2020-01-02T03:04:05.678901Z"
    assert body["tags"] == list(book.tags.values_list("pk", flat=True))
    assert paths == ["values"] * REPEATS
    assert [lookup.rows for lookup in prepared_lookups()] == ["tuples"]
    missing = repeated(lambda: APIClient().get(f"/columns-only/{book.pk + 100}/"))
    assert_all_alike(missing)
    assert missing[0][1] == {"detail": "No QpBook matches the given query."}


@pytest.mark.parametrize("side", ["forward", "reverse"])
def test_a_prepared_pk_list_is_the_orm_s_values_list_with_the_same_sql(book, side):
    obj, name = (book, "tags") if side == "forward" else (book.tags.get(name="a"), "books")
    with CaptureQueriesContext(connection) as by_orm:
        expected = list(getattr(obj, name).values_list("pk", flat=True))
    assert expected  # tags by name ("a" first), or the tag's one book
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            assert _prepared_query.related_pks(obj, name) == expected
        assert [query["sql"] for query in queries] == [query["sql"] for query in by_orm]
    assert [lookup.rows for lookup in prepared_lookups()] == ["flat"]
    untagged = QpBook.objects.create(
        title="Bare", price=1, created=datetime.datetime.now(datetime.UTC), author=book.author
    )
    assert _prepared_query.related_pks(untagged, "tags") == []


def test_an_update_response_reads_the_new_tags_in_the_relation_s_order(book):
    client = APIClient()
    tags = {tag.name: tag.pk for tag in QpTag.objects.all()}
    for order in (["b"], ["a", "b"], ["b", "a"], []):
        payload = {"tags": [tags[name] for name in order]}
        response = client.patch(f"/books/{book.pk}/", payload, format="json")
        assert response.status_code == 200
        assert response.json()["tags"] == [tags[name] for name in sorted(order)]  # by name
