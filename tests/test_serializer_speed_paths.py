"""The compiled fast path never changes meaning: every documented override still works.

Each test drives a serializer that overrides something the plan would otherwise
specialise, and checks the output is what the override says (or, differentially,
what DRF's field-by-field loop gives).
"""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from restcycle import serializers
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView
from tests.models import SerAuthor, SerBook, SerTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerBook
        fields = ["id", "title", "isbn", "price", "author", "tags"]


class StaffOnlyIsbn(BookSerializer):
    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context["request"].user.is_staff:
            data.pop("isbn")
        return data


class ShoutingCharField(serializers.CharField):
    def to_representation(self, value):
        return super().to_representation(value).upper()


class CustomFieldSerializer(BookSerializer):
    title = ShoutingCharField()


class DynamicFields(BookSerializer):
    def __init__(self, *args, **kwargs):
        wanted = kwargs.pop("fields", None)
        super().__init__(*args, **kwargs)
        if wanted is not None:
            for name in set(self.fields) - set(wanted):
                self.fields.pop(name)


class ContextualMethod(serializers.ModelSerializer):
    viewer = serializers.SerializerMethodField()
    author_name = serializers.CharField(source="author.name", default="anonymous")

    class Meta:
        model = SerBook
        fields = ["id", "viewer", "author_name", "shout", "page_count_label"]

    def get_viewer(self, obj):
        return f"{obj.title} seen by {self.context['viewer']}"


class GetFieldsOverride(BookSerializer):
    def get_fields(self):
        fields = super().get_fields()
        fields["extra"] = serializers.SerializerMethodField()
        return fields

    def get_extra(self, obj):
        return len(obj.title)


class StaffView(APIView):
    def get(self, request):
        books = SerBook.objects.prefetch_related("tags").order_by("pk")
        return Response(StaffOnlyIsbn(books, many=True, context={"request": request}).data)


urlpatterns = [path("staff/", StaffView.as_view())]


@pytest.fixture
def books():
    author = SerAuthor.objects.create(name="Ann")
    tags = [SerTag.objects.create(slug=s) for s in ("x", "y", "z")]
    made = []
    for i in range(3):
        book = SerBook.objects.create(
            title=f"b{i}", isbn=str(i), price="1.50", author=author if i else None
        )
        book.tags.set(tags[: i + 1])
        made.append(book)
    return made


def test_overridden_to_representation_hides_a_field_for_non_staff(books):
    response = APIClient().get("/staff/")
    assert response.status_code == 200
    assert all("isbn" not in item for item in response.json())
    assert response.json()[2]["tags"] == [t.pk for t in SerTag.objects.order_by("pk")]


def test_a_field_subclass_overriding_to_representation_is_used(books):
    data = CustomFieldSerializer(SerBook.objects.order_by("pk"), many=True).data
    assert [item["title"] for item in data] == ["B0", "B1", "B2"]


def test_fields_removed_in_init_are_not_output(books):
    data = DynamicFields(books[0], fields=["id", "title"]).data
    assert data == {"id": books[0].pk, "title": "b0"}


def test_method_fields_see_the_instance_context_and_dotted_defaults_apply(books):
    context = {"viewer": "Bo"}
    data = ContextualMethod(SerBook.objects.order_by("pk"), many=True, context=context).data
    assert data[1]["viewer"] == "b1 seen by Bo"
    assert data[1]["author_name"] == "Ann"
    assert data[1]["shout"] == "B1"
    assert data[1]["page_count_label"] == "100 pages"
    reference = [
        serializers._default_to_representation(ContextualMethod(context=context), book)
        for book in SerBook.objects.order_by("pk")
    ]
    assert list(data) == reference


def test_get_fields_override_is_honoured(books):
    assert GetFieldsOverride(books[1]).data["extra"] == 2


def test_prefetched_relations_and_foreign_keys_cost_no_queries(books):
    queryset = list(SerBook.objects.prefetch_related("tags").order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        data = BookSerializer(queryset, many=True).data
    assert len(queries) == 0  # tags from the prefetch cache, author from author_id
    assert data[2]["author"] == books[2].author_id
    assert len(data[2]["tags"]) == 3


def test_plan_output_equals_the_field_by_field_loop(books):
    reference_serializer = BookSerializer()
    for book in SerBook.objects.prefetch_related("tags"):
        assert BookSerializer(book).data == serializers._default_to_representation(
            reference_serializer, book
        )
    # Plain dicts and unsaved instances take the same path.
    unsaved = SerBook(title="n", isbn="n")
    assert BookSerializer(unsaved).data["tags"] == []
    as_dict = {"id": 1, "title": "t", "isbn": "i", "price": None, "author": None, "tags": []}
    assert BookSerializer(as_dict).data == as_dict


def test_settings_changes_reach_compiled_plans(books):
    assert BookSerializer(books[0]).data["price"] == "1.50"
    with override_settings(REST_FRAMEWORK={"COERCE_DECIMAL_TO_STRING": False}):
        price = BookSerializer(SerBook.objects.get(pk=books[0].pk)).data["price"]
        assert not isinstance(price, str)
    assert BookSerializer(books[0]).data["price"] == "1.50"


def test_plan_records_what_each_field_reads():
    from restcycle._engine import plans as _plans

    runner = _plans.runner_for(BookSerializer())
    reads = {read["key"]: read for read in runner.plan.reads}
    assert reads["tags"]["kind"] == "many_related"
    assert reads["author"]["kind"] == "fk_pk"
    assert reads["title"]["source"] == ("title",)


def test_unprefetched_to_many_pks_are_read_in_one_query_without_loading_objects(books):
    book = SerBook.objects.get(pk=books[2].pk)
    with CaptureQueriesContext(connection) as queries:
        data = BookSerializer(book).data
    assert data["tags"] == [tag.pk for tag in book.tags.all()]
    assert len(queries) == 1
    assert '"slug"' not in queries[0]["sql"]  # only the keys are selected, not whole tags
    assert data == serializers._default_to_representation(BookSerializer(), book)


class NestedAuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerAuthor
        fields = ["id", "name"]


class BookWithNestedAuthor(serializers.ModelSerializer):
    author = NestedAuthorSerializer(read_only=True)

    class Meta:
        model = SerBook
        fields = ["id", "title", "author", "tags"]


class HidesTitleInInit(BookWithNestedAuthor):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].write_only = True


def test_output_after_validation_equals_the_field_by_field_loop(books):
    serializer = BookWithNestedAuthor(books[1], data={"title": "renamed"}, partial=True)
    assert serializer.is_valid(), serializer.errors
    serializer.save()
    expected = serializers._default_to_representation(BookWithNestedAuthor(), books[1])
    assert serializer.data == expected
    assert serializer.data["title"] == "renamed"
    assert serializer.data["author"] == {"id": books[1].author_id, "name": "Ann"}


def test_field_changed_in_init_is_honoured_once_fields_are_built(books):
    data = HidesTitleInInit(books[1]).data
    assert "title" not in data
    assert data["author"]["name"] == "Ann"


def test_field_changed_after_validation_is_honoured_in_the_output(books):
    serializer = BookWithNestedAuthor(books[1], data={"title": "t"}, partial=True)
    assert serializer.is_valid(), serializer.errors
    serializer.fields["title"].write_only = True
    serializer.fields["author"].fields["name"].write_only = True
    serializer.fields["tags"].child_relation.pk_field = serializers.CharField()
    data = serializer.data
    assert "title" not in data
    assert data["author"] == {"id": books[1].author_id}
    assert data["tags"] == [str(tag.pk) for tag in books[1].tags.all()]
