"""The fast engine never changes meaning: what depends on the request is never kept.

Each test runs a shape real projects use (tenant-scoped managers, querysets narrowed in
place or by their class, polymorphic managers, dynamic fields, method fields, classes
built per request, routers, signal receivers and patched query machinery) through real
views, several times, and checks the answer is the one the ORM and DRF give.
"""

import gc
import weakref

import pytest
from django.db import connection
from django.db.models import Q
from django.db.models.signals import post_init
from django.db.models.sql.compiler import SQLCompiler
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from restcycle import filters, generics, serializers
from restcycle.test import APIClient
from tests.models import (
    EmAnimal,
    EmDocument,
    EmDog,
    EmFolder,
    EmLabel,
    EmNote,
    EmPet,
    OwnedQuerySet,
    QpAuthor,
    QpBook,
    QpPublisher,
    QpTag,
    current_tenant,
)

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

REPEATS = 4  # enough for every cache: a shape is prepared on its second sighting


class TenantMixin:
    """Sets the current tenant from the X-Tenant header for the length of the request."""

    def dispatch(self, request, *args, **kwargs):
        token = current_tenant.set(int(request.headers.get("X-Tenant", "0")))
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            current_tenant.reset(token)


def as_tenant(tenant, url, method="get", **kwargs):
    return getattr(APIClient(), method)(url, HTTP_X_TENANT=str(tenant), **kwargs)


# --- per-request default managers (finding 1) ------------------------------------------


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmNote
        fields = ["id", "text"]


class FolderNotesSerializer(serializers.ModelSerializer):
    notes = NoteSerializer(many=True, read_only=True)
    note_ids = serializers.PrimaryKeyRelatedField(source="notes", many=True, read_only=True)

    class Meta:
        model = EmFolder
        fields = ["id", "name", "notes", "note_ids"]


class FolderList(TenantMixin, generics.ListAPIView):
    queryset = EmFolder.objects.order_by("id")
    serializer_class = FolderNotesSerializer


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmLabel
        fields = ["id", "name"]


class LabelledNoteSerializer(serializers.ModelSerializer):
    label = LabelSerializer()

    class Meta:
        model = EmNote
        fields = ["id", "text", "label"]


class FolderLabelledNotesSerializer(serializers.ModelSerializer):
    notes = LabelledNoteSerializer(many=True, read_only=True)

    class Meta:
        model = EmFolder
        fields = ["id", "notes"]


class FolderInstancesList(TenantMixin, generics.ListAPIView):
    """The instance path: automatic prefetching with a Prefetch joining each note's label."""

    queryset = EmFolder.objects.order_by("id")
    serializer_class = FolderLabelledNotesSerializer
    projection = False


@pytest.fixture
def shared_folder():
    folder = EmFolder.objects.create(name="shared")
    label = EmLabel.objects.create(name="red")
    for tenant in (11, 12):  # unlike any pk, so no parameter is mistaken for another
        for number in range(2):
            EmNote.every_tenant.create(
                folder=folder, tenant=tenant, text=f"t{tenant}-{number}", label=label
            )
    return folder


def notes_of(tenant):
    return list(EmNote.every_tenant.filter(tenant=tenant).values_list("text", flat=True))


@pytest.mark.parametrize("url", ["/folders/", "/folders-instances/"])
def test_a_tenant_scoped_default_manager_answers_for_each_request_s_tenant(shared_folder, url):
    for _ in range(REPEATS):
        for tenant in (11, 12, 13):
            body = as_tenant(tenant, url).json()
            assert [note["text"] for note in body[0]["notes"]] == notes_of(tenant)
            if "note_ids" in body[0]:
                expected = list(
                    EmNote.every_tenant.filter(tenant=tenant).values_list("pk", flat=True)
                )
                assert body[0]["note_ids"] == expected


def test_a_relation_two_fields_read_is_fetched_once(shared_folder):
    with CaptureQueriesContext(connection) as queries:
        assert as_tenant(11, "/folders/").status_code == 200
    assert len(queries) == 2  # the folders, then their notes once for both fields


# --- querysets narrowed per request (finding 2) ----------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmDocument
        fields = ["id", "owner", "title"]


class NarrowedInPlace(TenantMixin, generics.RetrieveUpdateDestroyAPIView):
    queryset = EmDocument.objects.all()
    serializer_class = DocumentSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        queryset.query.add_q(Q(owner=current_tenant.get()))
        return queryset


class OwnedByClass(TenantMixin, generics.RetrieveUpdateDestroyAPIView):
    queryset = OwnedQuerySet(EmDocument)
    serializer_class = DocumentSerializer


class InPlaceOwnerFilter(filters.BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        queryset.query.add_q(Q(owner=current_tenant.get()))
        return queryset


class NarrowedByBackend(TenantMixin, generics.RetrieveUpdateDestroyAPIView):
    queryset = EmDocument.objects.all()
    serializer_class = DocumentSerializer
    filter_backends = [InPlaceOwnerFilter]


@pytest.mark.parametrize("prefix", ["in-place", "by-class", "by-backend"])
def test_another_owner_never_reaches_a_narrowed_object(prefix):
    mine = EmDocument.objects.create(owner=1, title="mine")
    url = f"/{prefix}/{mine.pk}/"
    for _ in range(REPEATS):
        assert as_tenant(1, url).status_code == 200
    assert as_tenant(2, url).status_code == 404
    assert as_tenant(2, url, "patch", data={"title": "stolen"}, format="json").status_code == 404
    assert as_tenant(2, url, "delete").status_code == 404
    mine.refresh_from_db()
    assert mine.title == "mine"
    assert as_tenant(1, url).json()["title"] == "mine"


# --- polymorphic managers (finding 8) --------------------------------------------------


class AnimalSerializer(serializers.ModelSerializer):
    type = serializers.SerializerMethodField()

    class Meta:
        model = EmAnimal
        fields = ["id", "name", "type"]

    def get_type(self, obj):
        return type(obj).__name__


class PetSerializer(serializers.ModelSerializer):
    animal = AnimalSerializer()

    class Meta:
        model = EmPet
        fields = ["id", "owner_name", "animal"]


class PetList(generics.ListAPIView):
    queryset = EmPet.objects.order_by("id")
    serializer_class = PetSerializer


def test_a_relation_read_through_a_polymorphic_base_manager_gives_the_subclass():
    EmPet.objects.create(owner_name="ann", animal=EmDog.objects.create(name="rex"))
    EmPet.objects.create(owner_name="bob", animal=EmAnimal.objects.create(name="tom"))
    for _ in range(REPEATS):
        body = APIClient().get("/pets/").json()
        assert [pet["animal"]["type"] for pet in body] == ["EmDog", "EmAnimal"]


# --- fields that vary per request (finding 9) ------------------------------------------


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpTag
        fields = ["id", "name"]


init_calls = []


class DynamicFieldsBookSerializer(serializers.ModelSerializer):
    """DRF's documented dynamic-fields pattern: `fields=` keeps only those fields."""

    tags = TagSerializer(many=True, read_only=True)

    class Meta:
        model = QpBook
        fields = ["id", "title", "tags"]

    def __init__(self, *args, **kwargs):
        wanted = kwargs.pop("fields", None)
        init_calls.append(wanted)
        super().__init__(*args, **kwargs)
        if wanted is not None:
            for name in set(self.fields) - set(wanted):
                self.fields.pop(name)


class SparseBooks(generics.ListAPIView):
    queryset = QpBook.objects.order_by("id")
    serializer_class = DynamicFieldsBookSerializer

    def get_serializer(self, *args, **kwargs):
        wanted = self.request.query_params.get("fields")
        if wanted:
            kwargs["fields"] = wanted.split(",")
        return super().get_serializer(*args, **kwargs)


@pytest.fixture
def books():
    author = QpAuthor.objects.create(name="Ann", publisher=QpPublisher.objects.create(name="P"))
    tag = QpTag.objects.create(name="a")
    for number in range(3):
        book = QpBook.objects.create(
            title=f"b{number}", price=1, created="2020-01-01T00:00:00Z", author=author
        )
        book.tags.add(tag)
    return author


@pytest.mark.shadow_off("it counts its serializer's __init__ calls itself")
def test_sparse_fieldsets_prefetch_only_what_the_response_reads(books):
    init_calls.clear()
    with CaptureQueriesContext(connection) as queries:
        body = APIClient().get("/sparse-books/?fields=id,title").json()
    assert set(body[0]) == {"id", "title"}
    assert len(queries) == 1, [q["sql"] for q in queries]  # the tags were removed: not fetched
    assert init_calls == [["id", "title"]]  # user __init__ ran once, as in DRF
    init_calls.clear()
    with CaptureQueriesContext(connection) as queries:
        body = APIClient().get("/sparse-books/").json()
    assert body[0]["tags"] == [{"id": QpTag.objects.get().pk, "name": "a"}]
    assert len(queries) == 2  # the books, then all their tags in one prefetch
    assert init_calls == [None]


# --- user code runs once (finding 10) --------------------------------------------------

method_calls = []


class CountingAuthorSerializer(serializers.ModelSerializer):
    counted = serializers.SerializerMethodField()
    nickname = serializers.CharField(source="no_such_attribute", required=False)
    shout = serializers.CharField(read_only=True)

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "counted", "nickname", "shout"]

    def get_counted(self, obj):
        method_calls.append(obj.pk)
        return len(method_calls)


class CountingAuthors(generics.ListAPIView):
    queryset = QpAuthor.objects.order_by("id")
    serializer_class = CountingAuthorSerializer


@pytest.mark.shadow_off("its method field returns a running count of its own calls")
def test_method_fields_run_once_per_object_when_another_field_is_missing(books):
    QpAuthor.objects.create(name="Bo", publisher=QpPublisher.objects.get())
    method_calls.clear()
    body = APIClient().get("/counting-authors/").json()
    assert method_calls == list(QpAuthor.objects.order_by("id").values_list("pk", flat=True))
    assert [author["counted"] for author in body] == [1, 2]
    assert all("nickname" not in author for author in body)  # skipped, as DRF skips it
    assert [author["shout"] for author in body] == ["ANN", "BO"]


# --- classes built per request are collected (finding 11) ------------------------------


class PerRequestClassView(generics.ListCreateAPIView):
    queryset = QpTag.objects.order_by("id")
    built: list = []

    def get_serializer_class(self):
        meta = type("Meta", (), {"model": QpTag, "fields": ["id", "name"]})
        cls = type("PerRequestTagSerializer", (serializers.ModelSerializer,), {"Meta": meta})
        self.built.append(weakref.ref(cls))
        return cls


def test_serializer_classes_built_per_request_are_collected():
    QpTag.objects.create(name="a")
    PerRequestClassView.built = []
    client = APIClient()
    for number in range(50):
        assert client.get("/per-request-classes/").status_code == 200
        assert client.post("/per-request-classes/", {"name": f"t{number}"}).status_code == 201
    assert len(PerRequestClassView.built) >= 100
    gc.collect()
    assert [ref for ref in PerRequestClassView.built if ref() is not None] == []


# --- routers, receivers and patched query machinery (finding 12) -----------------------


class RecordingRouter:
    """Sends every read to the default database, and remembers what it was asked."""

    asked: list = []

    def db_for_read(self, model, **hints):
        self.asked.append(model)
        return "default"


class ColumnsBookSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpBook
        fields = ["id", "title", "tags"]


class ColumnsBooks(generics.ListAPIView):
    queryset = QpBook.objects.order_by("id")
    serializer_class = ColumnsBookSerializer


def test_with_a_router_each_relation_s_reads_are_routed(books):
    RecordingRouter.asked = []
    with override_settings(DATABASE_ROUTERS=[f"{__name__}.RecordingRouter"]):
        response = APIClient().get("/columns-books/")
    assert response.status_code == 200
    report = response.renderer_context["view"]._query_plan_report
    assert report["projection"]["path"] == "instance"
    assert "router" in report["projection"]["reason"]
    assert QpTag in RecordingRouter.asked or QpBook.tags.through in RecordingRouter.asked


@pytest.mark.shadow_off("its receiver counts its own calls")
def test_a_post_init_receiver_connected_later_is_called(books):
    assert APIClient().get("/columns-books/").status_code == 200  # compiled: values path
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=QpBook)
    try:
        response = APIClient().get("/columns-books/")
    finally:
        post_init.disconnect(receiver, sender=QpBook)
    assert response.status_code == 200
    assert sorted(seen) == sorted(QpBook.objects.values_list("pk", flat=True))


class BookDetail(generics.RetrieveAPIView):
    queryset = QpBook.objects.all()
    serializer_class = CountingAuthorSerializer.__base__  # replaced below
    projection = False


class BookDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpBook
        fields = ["id", "title"]


BookDetail.serializer_class = BookDetailSerializer


@pytest.mark.shadow_off("it counts the queries its patched compiler sees")
def test_a_patched_query_compiler_sees_every_lookup(books, monkeypatch):
    book = QpBook.objects.first()
    client = APIClient()
    for _ in range(REPEATS):  # the lookup is prepared by now
        assert client.get(f"/book-detail/{book.pk}/").status_code == 200
    original = SQLCompiler.execute_sql
    seen = []

    def execute_sql(self, *args, **kwargs):  # what a query cache such as cachalot installs
        seen.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "execute_sql", execute_sql)
    assert client.get(f"/book-detail/{book.pk}/").json()["title"] == book.title
    assert seen == [QpBook]


@pytest.mark.shadow_off("it counts the queries its patched compiler sees")
def test_a_patched_query_compiler_sees_every_values_path_query(books, monkeypatch):
    client = APIClient()
    for _ in range(REPEATS):  # the tags' pk-list SQL is kept by now
        assert client.get("/columns-books/").status_code == 200
    original = SQLCompiler.execute_sql
    seen = []

    def execute_sql(self, *args, **kwargs):
        seen.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "execute_sql", execute_sql)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/columns-books/").status_code == 200
    assert len(seen) == len(queries) == 2


urlpatterns = [
    path("folders/", FolderList.as_view()),
    path("folders-instances/", FolderInstancesList.as_view()),
    path("in-place/<int:pk>/", NarrowedInPlace.as_view()),
    path("by-class/<int:pk>/", OwnedByClass.as_view()),
    path("by-backend/<int:pk>/", NarrowedByBackend.as_view()),
    path("pets/", PetList.as_view()),
    path("sparse-books/", SparseBooks.as_view()),
    path("counting-authors/", CountingAuthors.as_view()),
    path("per-request-classes/", PerRequestClassView.as_view()),
    path("columns-books/", ColumnsBooks.as_view()),
    path("book-detail/<int:pk>/", BookDetail.as_view()),
]
