"""Automatic prefetching: list and retrieve add the joins and prefetches their output reads."""

import datetime
import decimal

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.urls import path

from restcycle import generics, serializers, viewsets
from restcycle._engine.query_plan import describe
from restcycle.pagination import PageNumberPagination
from restcycle.routers import SimpleRouter
from restcycle.test import APIClient
from tests.models import QpAuthor, QpBook, QpProfile, QpPublisher, QpTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class PublisherSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpPublisher
        fields = ["id", "name"]


class AuthorWithPublisherSerializer(serializers.ModelSerializer):
    publisher = PublisherSerializer()

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "publisher"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpTag
        fields = ["id", "name"]


class BookDeepSerializer(serializers.ModelSerializer):
    """FK nested two deep, a dotted source, nested many-to-many, a nullable FK's pk."""

    author = AuthorWithPublisherSerializer()
    publisher_name = serializers.CharField(source="author.publisher.name")
    tags = TagSerializer(many=True)

    class Meta:
        model = QpBook
        fields = ["id", "title", "author", "publisher_name", "tags", "editor"]


class BookPkSerializer(serializers.ModelSerializer):
    """Only pks of relations: the FK pk is a column of the row, no join needed."""

    class Meta:
        model = QpBook
        fields = ["id", "title", "author", "tags"]


class BookTitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpBook
        fields = ["id", "title"]


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpProfile
        fields = ["id", "website"]


class AuthorReverseSerializer(serializers.ModelSerializer):
    """Reverse FK (nested many), reverse one-to-one (nested), a self FK's name."""

    books = BookTitleSerializer(many=True, read_only=True)
    profile = ProfileSerializer(read_only=True)
    mentor_name = serializers.CharField(source="mentor.name", default=None, read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "books", "profile", "mentor_name"]


class ProfileWithAuthorSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = QpProfile
        fields = ["id", "website", "author"]


class TagWithBooksSerializer(serializers.ModelSerializer):
    """The reverse side of a many-to-many, as pks and as a string list."""

    books = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    book_titles = serializers.StringRelatedField(source="books", many=True)

    class Meta:
        model = QpTag
        fields = ["id", "name", "books", "book_titles"]


class BookWithEditorSerializer(serializers.ModelSerializer):
    editor = AuthorWithPublisherSerializer(read_only=True)

    class Meta:
        model = QpBook
        fields = ["id", "title", "editor"]


class AuthorBooksEditorsSerializer(serializers.ModelSerializer):
    """A to-many relation whose items read foreign keys of their own."""

    books = BookWithEditorSerializer(many=True, read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "books"]


class InstancePath:
    """These views test prefetching: the values path is off."""

    projection = False


class NaiveBooks(InstancePath, generics.ListAPIView):
    queryset = QpBook.objects.all()
    serializer_class = BookDeepSerializer


class TunedBooks(InstancePath, generics.ListAPIView):
    queryset = QpBook.objects.select_related("author__publisher").prefetch_related("tags")
    serializer_class = BookDeepSerializer


class UnplannedBooks(NaiveBooks):
    auto_prefetch = False


class PkBooks(InstancePath, generics.ListAPIView):
    queryset = QpBook.objects.all()
    serializer_class = BookPkSerializer


class NaiveAuthors(InstancePath, generics.ListAPIView):
    queryset = QpAuthor.objects.order_by("id")
    serializer_class = AuthorReverseSerializer


class NaiveProfiles(InstancePath, generics.ListAPIView):
    queryset = QpProfile.objects.order_by("id")
    serializer_class = ProfileWithAuthorSerializer


class NaiveTags(InstancePath, generics.ListAPIView):
    queryset = QpTag.objects.all()
    serializer_class = TagWithBooksSerializer


class PrefetchObjectBooks(InstancePath, generics.ListAPIView):
    """The user's Prefetch filters the tags; planning must keep it, not add its own."""

    serializer_class = BookDeepSerializer

    def get_queryset(self):
        only_a = QpTag.objects.filter(name__startswith="a")
        return QpBook.objects.prefetch_related(Prefetch("tags", queryset=only_a))


class ListQuerysetBooks(InstancePath, generics.ListAPIView):
    """get_queryset returns a list: nothing to plan, and nothing breaks."""

    serializer_class = BookPkSerializer

    def get_queryset(self):
        return list(QpBook.objects.all())


class PagesOfTwo(PageNumberPagination):
    page_size = 2


class PagedBooks(NaiveBooks):
    pagination_class = PagesOfTwo


class BookDetail(InstancePath, generics.RetrieveAPIView):
    queryset = QpBook.objects.all()
    serializer_class = BookDeepSerializer


class BookViewSet(InstancePath, viewsets.ModelViewSet):
    queryset = QpBook.objects.all()
    serializer_class = BookDeepSerializer


class AuthorsBooksEditors(InstancePath, generics.ListAPIView):
    queryset = QpAuthor.objects.order_by("id")
    serializer_class = AuthorBooksEditorsSerializer


class AuthorsUserPrefetchedBooks(AuthorsBooksEditors):
    queryset = QpAuthor.objects.order_by("id").prefetch_related("books")


class SlicedBooks(NaiveBooks):
    def get_queryset(self):
        return QpBook.objects.all()[:2]


class SlicedTunedBooks(TunedBooks):
    def get_queryset(self):
        return super().get_queryset()[:2]


class SlicedUnplannedBooks(UnplannedBooks):
    def get_queryset(self):
        return QpBook.objects.all()[:2]


class SlicedByTitleBooks(NaiveBooks):
    """Ordered by a column that is not unique: ties could be broken otherwise by a join."""

    def get_queryset(self):
        return QpBook.objects.order_by("-price")[1:4]


class SlicedByTitleUnplannedBooks(SlicedByTitleBooks):
    auto_prefetch = False


class PagedSlicedBooks(SlicedBooks):
    pagination_class = PagesOfTwo

    def get_queryset(self):
        return QpBook.objects.all()[1:5]


class SlicedBookDetail(BookDetail):
    def get_queryset(self):
        return QpBook.objects.all()[:2]


class EvaluatedBooks(NaiveBooks):
    def get_queryset(self):
        queryset = QpBook.objects.all()
        list(queryset)
        return queryset


class OnlyBooks(NaiveBooks):
    queryset = QpBook.objects.only("id", "title", "author", "editor")


class SelectAllBooks(NaiveBooks):
    queryset = QpBook.objects.select_related()


router = SimpleRouter()
router.register("viewset-books", BookViewSet)

urlpatterns = [
    path("naive-books/", NaiveBooks.as_view()),
    path("tuned-books/", TunedBooks.as_view()),
    path("unplanned-books/", UnplannedBooks.as_view()),
    path("pk-books/", PkBooks.as_view()),
    path("authors/", NaiveAuthors.as_view()),
    path("profiles/", NaiveProfiles.as_view()),
    path("tags/", NaiveTags.as_view()),
    path("prefetch-object-books/", PrefetchObjectBooks.as_view()),
    path("list-books/", ListQuerysetBooks.as_view()),
    path("paged-books/", PagedBooks.as_view()),
    path("books/<int:pk>/", BookDetail.as_view()),
    path("authors-books-editors/", AuthorsBooksEditors.as_view()),
    path("sliced-books/", SlicedBooks.as_view()),
    path("sliced-tuned-books/", SlicedTunedBooks.as_view()),
    path("sliced-unplanned-books/", SlicedUnplannedBooks.as_view()),
    path("sliced-by-price-books/", SlicedByTitleBooks.as_view()),
    path("sliced-by-price-unplanned-books/", SlicedByTitleUnplannedBooks.as_view()),
    path("paged-sliced-books/", PagedSlicedBooks.as_view()),
    path("sliced-books/<int:pk>/", SlicedBookDetail.as_view()),
    path("evaluated-books/", EvaluatedBooks.as_view()),
    path("only-books/", OnlyBooks.as_view()),
    path("select-all-books/", SelectAllBooks.as_view()),
    path("authors-user-prefetched-books/", AuthorsUserPrefetchedBooks.as_view()),
    *router.urls,
]


@pytest.fixture
def bookshelf():
    """Three authors (one without profile, one with a mentor), five books, three tags."""
    house = QpPublisher.objects.create(name="House")
    press = QpPublisher.objects.create(name="Press")
    ann = QpAuthor.objects.create(name="Ann", publisher=house)
    bob = QpAuthor.objects.create(name="Bob", publisher=press, mentor=ann)
    cid = QpAuthor.objects.create(name="Cid", publisher=house)
    QpProfile.objects.create(author=ann, website="ann.example")
    QpProfile.objects.create(author=bob, website="bob.example")
    tags = [QpTag.objects.create(name=n) for n in ("art", "bio", "code")]
    created = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    for number, (author, editor) in enumerate([(ann, None), (ann, bob), (bob, None), (cid, ann)]):
        book = QpBook.objects.create(
            title=f"Book {number}",
            price=decimal.Decimal("9.50"),
            created=created,
            author=author,
            editor=editor,
        )
        book.tags.set(tags[: number % 3 + 1])
    QpBook.objects.create(title="Untagged", price=1, created=created, author=cid)
    return {"authors": [ann, bob, cid], "tags": tags}


def get_counting(url):
    """(response, number of queries the request made)."""
    client = APIClient()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response, len(queries)


def test_naive_queryset_makes_as_many_queries_as_the_hand_tuned_one(bookshelf):
    naive, naive_count = get_counting("/naive-books/")
    tuned, tuned_count = get_counting("/tuned-books/")
    assert naive.content == tuned.content
    assert naive_count == tuned_count == 2  # books joined to authors and publishers, tags


def test_query_count_does_not_grow_with_the_number_of_rows(bookshelf):
    _, before = get_counting("/naive-books/")
    author = bookshelf["authors"][0]
    for number in range(10):
        book = QpBook.objects.create(
            title=f"More {number}",
            price=1,
            created=datetime.datetime.now(datetime.UTC),
            author=author,
        )
        book.tags.set(bookshelf["tags"])
    _, after = get_counting("/naive-books/")
    assert before == after


def test_auto_prefetch_false_on_the_view_leaves_the_queryset_alone(bookshelf):
    planned, planned_count = get_counting("/naive-books/")
    unplanned, unplanned_count = get_counting("/unplanned-books/")
    assert planned.content == unplanned.content
    assert unplanned_count > 10  # one author, publisher, and tags query per book


def test_auto_prefetch_setting_false_turns_it_off(bookshelf, settings):
    settings.REST_FRAMEWORK = {"AUTO_PREFETCH": False}
    _, count = get_counting("/naive-books/")
    assert count > 10


def test_foreign_key_pk_reads_need_no_join(bookshelf):
    response, count = get_counting("/pk-books/")
    assert count == 2  # the books, then their tag pks
    sql_of_first = []
    with CaptureQueriesContext(connection) as queries:
        APIClient().get("/pk-books/")
        sql_of_first.append(queries.captured_queries[0]["sql"])
    assert "JOIN" not in sql_of_first[0].upper()
    assert response.json()[0]["author"] == bookshelf["authors"][0].pk


def test_reverse_foreign_key_reverse_one_to_one_and_self_foreign_key(bookshelf):
    response, count = get_counting("/authors/")
    assert count == 2  # authors joined to profile and mentor, then their books
    ann, bob, cid = response.json()
    assert [b["title"] for b in ann["books"]] == ["Book 0", "Book 1"]
    assert ann["profile"] == {"id": ann["profile"]["id"], "website": "ann.example"}
    assert cid["profile"] is None
    assert bob["mentor_name"] == "Ann"
    assert ann["mentor_name"] is None


def test_forward_one_to_one_is_joined(bookshelf):
    response, count = get_counting("/profiles/")
    assert count == 1
    assert [p["author"] for p in response.json()] == ["Ann", "Bob"]


def test_reverse_many_to_many_is_prefetched(bookshelf):
    response, count = get_counting("/tags/")
    assert count == 2
    art = response.json()[0]
    assert art["name"] == "art"
    assert len(art["books"]) == 4
    assert art["book_titles"] == ["Book 0", "Book 1", "Book 2", "Book 3"]


def test_user_prefetch_object_is_kept_and_not_doubled(bookshelf):
    response, count = get_counting("/prefetch-object-books/")
    assert count == 2
    for book in response.json():
        assert [t["name"] for t in book["tags"]] in ([], ["art"])


def test_a_list_from_get_queryset_is_served_unplanned(bookshelf):
    response, _ = get_counting("/list-books/")
    assert len(response.json()) == 5


def test_paginated_list_is_planned(bookshelf):
    response, count = get_counting("/paged-books/")
    assert count == 3  # count, page with joins, tags
    assert response.json()["count"] == 5


def test_retrieve_joins_and_prefetches_the_object(bookshelf):
    book = QpBook.objects.get(title="Book 1")
    response, count = get_counting(f"/books/{book.pk}/")
    assert count == 2
    assert response.json()["author"]["publisher"]["name"] == "House"
    assert [t["name"] for t in response.json()["tags"]] == ["art", "bio"]


def test_viewset_list_and_retrieve_are_planned_but_writes_are_not(bookshelf):
    _, list_count = get_counting("/viewset-books/")
    book = QpBook.objects.get(title="Book 2")
    _, detail_count = get_counting(f"/viewset-books/{book.pk}/")
    assert list_count == detail_count == 2
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().delete(f"/viewset-books/{book.pk}/")
    assert response.status_code == 204
    assert not any("JOIN" in q["sql"].upper() for q in queries.captured_queries[:1])


def test_describe_reports_what_was_added(bookshelf, rf):
    view = NaiveBooks()
    view.request = rf.get("/naive-books/")
    view.format_kwarg = None
    view.args, view.kwargs = (), {}
    info = describe(view)
    assert info["projection"]["path"] == "instance"
    assert info["prefetch"]["select_related"] == ["author__publisher"]
    assert info["prefetch"]["prefetch_related"] == ["tags"]
    tuned = TunedBooks()
    tuned.request, tuned.format_kwarg, tuned.args, tuned.kwargs = view.request, None, (), {}
    assert describe(tuned)["prefetch"]["select_related"] == []
    assert describe(tuned)["prefetch"]["prefetch_related"] == []


def test_explain_shows_the_lookups_added(bookshelf):
    from restcycle._observe.explain import explain
    from restcycle._observe.explain_text import render_text

    report = explain("/naive-books/", "GET", urlconf=__name__)
    assert report["query_plan"]["prefetch"]["select_related"] == ["author__publisher"]
    text = render_text(report)
    assert "auto-prefetch added: select_related('author__publisher'), prefetch_related('tags')" in (
        text
    )


def test_foreign_keys_under_a_to_many_relation_are_joined_in_its_prefetch_query(bookshelf):
    response, count = get_counting("/authors-books-editors/")
    assert count == 2  # authors; their books joined to editors and the editors' publishers
    ann = response.json()[0]
    assert ann["books"][1]["editor"]["publisher"]["name"] == "Press"
    assert ann["books"][0]["editor"] is None
    view = response.renderer_context["view"]
    added = view._query_plan_report["prefetch"]["prefetch_related"]
    assert added == [
        "Prefetch('books', queryset=QpBook.objects.select_related('editor__publisher'))"
    ]


def test_a_user_prefetch_of_the_relation_gets_plain_lookups_beneath_it(bookshelf):
    planned, count = get_counting("/authors-user-prefetched-books/")
    reference, _ = get_counting("/authors-books-editors/")
    assert planned.content == reference.content
    assert count == 4  # authors, books, editors, publishers: no conflict with the user's lookup
    view = planned.renderer_context["view"]
    assert view._query_plan_report["prefetch"]["prefetch_related"] == ["books__editor__publisher"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/evaluated-books/", "the queryset was already evaluated"),
        ("/only-books/", "the queryset uses only()/defer()"),
        ("/list-books/", "the queryset is a list, not a model QuerySet"),
    ],
)
def test_querysets_that_cannot_take_lookups_are_left_alone(bookshelf, url, reason):
    response, _ = get_counting(url)
    view = response.renderer_context["view"]
    assert view._query_plan_report["prefetch"] == {"applied": False, "reason": reason}
    reference, _ = get_counting("/naive-books/" if url != "/list-books/" else "/pk-books/")
    assert response.json() == reference.json()


def test_select_related_without_fields_is_respected_and_prefetch_still_added(bookshelf):
    response, count = get_counting("/select-all-books/")
    view = response.renderer_context["view"]
    assert view._query_plan_report["prefetch"]["select_related"] == []
    assert view._query_plan_report["prefetch"]["prefetch_related"] == ["tags"]
    assert count == 2


def test_a_repeated_request_reuses_the_planning_decision_with_the_same_queries(bookshelf):
    """The second request takes the remembered decision: same body, same SQL, same report."""
    client = APIClient()
    answers = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/naive-books/")
        assert response.status_code == 200
        answers.append((response.content, [query["sql"] for query in queries]))
    assert answers[0] == answers[1] == answers[2]
    assert len(answers[0][1]) == 2


def test_a_sliced_list_makes_as_many_queries_as_the_hand_tuned_sliced_one(bookshelf):
    """`get_queryset()` returning `qs[:2]`: joined and prefetched like the tuned view, with
    the bytes of the unplanned one (DRF's 1 + 2 per book)."""
    naive, naive_count = get_counting("/sliced-books/")
    tuned, tuned_count = get_counting("/sliced-tuned-books/")
    unplanned, unplanned_count = get_counting("/sliced-unplanned-books/")
    assert naive.content == tuned.content == unplanned.content
    assert len(naive.json()) == 2
    assert naive_count == tuned_count == 2
    assert unplanned_count == 1 + 3 * 2  # per book: its author, their publisher, its tags
    report = naive.renderer_context["view"]._query_plan_report["prefetch"]
    assert report["select_related"] == ["author__publisher"]
    assert report["prefetch_related"] == ["tags"]


def test_a_slice_ordered_by_a_non_unique_column_keeps_its_sql_and_prefetches(bookshelf):
    """Rows tied on `price` could come back otherwise with a join: the books query stays the
    user's own, and the authors are prefetched (one query per relation) instead of joined."""
    with CaptureQueriesContext(connection) as planned_queries:
        planned = APIClient().get("/sliced-by-price-books/")
    with CaptureQueriesContext(connection) as unplanned_queries:
        unplanned = APIClient().get("/sliced-by-price-unplanned-books/")
    assert planned.status_code == unplanned.status_code == 200
    assert planned.content == unplanned.content
    assert planned_queries[0]["sql"] == unplanned_queries[0]["sql"]
    assert len(planned_queries) == 4  # books, their authors, the authors' publishers, tags
    assert len(unplanned_queries) == 1 + 3 * 3  # per book: author, publisher, tags
    report = planned.renderer_context["view"]._query_plan_report["prefetch"]
    assert report["select_related"] == []
    assert report["prefetch_related"] == ["author__publisher", "tags"]
    assert "not ordered by a unique column" in report["not_joined"]


def test_a_paginated_sliced_list_is_planned(bookshelf):
    response, count = get_counting("/paged-sliced-books/?page=2")
    assert [book["title"] for book in response.json()["results"]] == ["Book 3", "Untagged"]
    assert response.json()["count"] == 4
    assert count == 3  # the count, the page joined, its tags


def test_retrieve_on_a_sliced_queryset_is_404_as_in_drf(bookshelf):
    """get_object() filters, which Django refuses on a sliced queryset; DRF's
    get_object_or_404 turns that TypeError into a 404, and so does restcycle."""
    response = APIClient().get(f"/sliced-books/{QpBook.objects.first().pk}/")
    assert response.status_code == 404


def test_explain_says_why_a_slice_is_prefetched_not_joined(bookshelf):
    from restcycle._observe.explain import explain
    from restcycle._observe.explain_text import render_text

    report = explain("/sliced-by-price-books/", "GET", urlconf=__name__)
    prefetch = report["query_plan"]["prefetch"]
    assert prefetch["prefetch_related"] == ["author__publisher", "tags"]
    assert "not ordered by a unique column" in prefetch["not_joined"]
    text = render_text(report)
    assert "single relations prefetched, not joined: the queryset is sliced" in text
