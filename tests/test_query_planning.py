"""Automatic prefetching: list and retrieve add the joins and prefetches their output reads."""

import datetime
import decimal

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.urls import path

from restcycle import generics, serializers, viewsets
from restcycle._query_plan import describe
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
    from restcycle._explain import explain
    from restcycle._explain_text import render_text

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
        ("/sliced-books/", "the queryset is sliced"),
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
    expected = reference.json()[:2] if url == "/sliced-books/" else reference.json()
    assert response.json() == expected


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
