"""Generic views end to end: list, create, retrieve, update, destroy, lookups and OPTIONS."""

import uuid

import pytest
from django.http import Http404
from django.urls import path, reverse

from restcycle import filters, generics, serializers
from restcycle.response import Response
from tests.models import GenericNote, GenericTag, GenericUUIDItem

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenericNote
        fields = ["id", "title", "body", "rank"]


class LinkedNoteSerializer(NoteSerializer):
    url = serializers.SerializerMethodField()

    class Meta(NoteSerializer.Meta):
        fields = ["url", "id", "title"]

    def get_url(self, note):
        return self.context["request"].build_absolute_uri(reverse("note-detail", args=[note.pk]))


class TaggedNoteSerializer(serializers.ModelSerializer):
    tag_labels = serializers.SerializerMethodField()

    class Meta:
        model = GenericNote
        fields = ["id", "title", "tags", "tag_labels"]

    def get_tag_labels(self, note):
        return sorted(tag.label for tag in note.tags.all())


class Open:
    permission_classes = []
    authentication_classes = []


class NoteList(Open, generics.ListCreateAPIView):
    queryset = GenericNote.objects.order_by("id")
    serializer_class = NoteSerializer


class LinkedNoteList(NoteList):
    serializer_class = LinkedNoteSerializer


class NoteDetail(Open, generics.RetrieveUpdateDestroyAPIView):
    queryset = GenericNote.objects.all()
    serializer_class = NoteSerializer


class NoteByTitle(NoteDetail):
    lookup_field = "title"
    lookup_url_kwarg = "name"


class RankedOnly(filters.BaseFilterBackend):
    """Hides notes without a rank, from lists and from detail lookups alike."""

    def filter_queryset(self, request, queryset, view):
        return queryset.exclude(rank=0)


class RankedNoteDetail(NoteDetail):
    filter_backends = [RankedOnly]


class TaggedNoteDetail(Open, generics.RetrieveUpdateAPIView):
    queryset = GenericNote.objects.prefetch_related("tags")
    serializer_class = TaggedNoteSerializer


class UUIDItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenericUUIDItem
        fields = ["id", "name"]


class UUIDItemDetail(Open, generics.RetrieveAPIView):
    queryset = GenericUUIDItem.objects.all()
    serializer_class = UUIDItemSerializer


class ContextReport(Open, generics.GenericAPIView):
    serializer_class = NoteSerializer

    def get(self, request, *args, **kwargs):
        context = self.get_serializer().context
        given = self.get_serializer(context={"mine": True}).context
        return Response(
            {
                "keys": sorted(context),
                "view_is_self": context["view"] is self,
                "request_is_request": context["request"] is request,
                "format": context["format"],
                "given": given,
            }
        )


urlpatterns = [
    path("notes/", NoteList.as_view(), name="note-list"),
    path("linked-notes/", LinkedNoteList.as_view()),
    path("notes/<str:pk>/", NoteDetail.as_view(), name="note-detail"),
    path("by-title/<str:name>/", NoteByTitle.as_view()),
    path("ranked/<str:pk>/", RankedNoteDetail.as_view()),
    path("tagged/<str:pk>/", TaggedNoteDetail.as_view()),
    path("items/<str:pk>/", UUIDItemDetail.as_view()),
    path("context/", ContextReport.as_view()),
    path("context.<str:format>", ContextReport.as_view()),
]


@pytest.fixture
def note():
    return GenericNote.objects.create(title="First", body="hello", rank=2)


def test_list_returns_every_object(client, note):
    GenericNote.objects.create(title="Second", rank=1)
    response = client.get("/notes/")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()] == ["First", "Second"]


def test_create_returns_201_with_the_new_representation(client):
    response = client.post("/notes/", {"title": "New", "rank": 7}, content_type="application/json")
    assert response.status_code == 201
    created = GenericNote.objects.get()
    assert response.json() == {"id": created.pk, "title": "New", "body": "", "rank": 7}
    assert "Location" not in response


def test_create_sets_location_from_the_url_field(client):
    response = client.post("/linked-notes/", {"title": "Linked"}, content_type="application/json")
    assert response.status_code == 201
    pk = GenericNote.objects.get().pk
    assert response["Location"] == f"http://testserver/notes/{pk}/"
    assert response.json()["url"] == response["Location"]


def test_create_with_invalid_data_is_400_with_field_errors(client):
    response = client.post("/notes/", {"rank": "high"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == ["This field is required."]
    assert body["rank"] == ["A valid integer is required."]
    assert not GenericNote.objects.exists()


def test_method_the_view_lacks_is_405_with_allow_header(client):
    response = client.put("/notes/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}
    assert "POST" in response["Allow"]


def test_retrieve_returns_the_object(client, note):
    response = client.get(f"/notes/{note.pk}/")
    assert response.status_code == 200
    assert response.json() == {"id": note.pk, "title": "First", "body": "hello", "rank": 2}


def test_put_replaces_the_object(client, note):
    response = client.put(
        f"/notes/{note.pk}/", {"title": "Renamed", "rank": 9}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    note.refresh_from_db()
    assert (note.title, note.rank) == ("Renamed", 9)


def test_put_missing_required_field_is_400(client, note):
    response = client.put(f"/notes/{note.pk}/", {"rank": 1}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"title": ["This field is required."]}


def test_patch_changes_only_the_fields_sent(client, note):
    response = client.patch(f"/notes/{note.pk}/", {"rank": 5}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"id": note.pk, "title": "First", "body": "hello", "rank": 5}


def test_delete_returns_204_without_body(client, note):
    response = client.delete(f"/notes/{note.pk}/")
    assert response.status_code == 204
    assert response.content == b""
    assert not GenericNote.objects.exists()


def test_missing_object_is_404(client):
    response = client.get("/notes/12345/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No GenericNote matches the given query."}


@pytest.mark.parametrize("pk", ["abc", "1.5", "99999999999999999999999", "-"])
def test_lookup_value_of_the_wrong_type_is_404(client, note, pk):
    assert client.get(f"/notes/{pk}/").status_code == 404
    assert client.patch(f"/notes/{pk}/", {}, content_type="application/json").status_code == 404
    assert client.delete(f"/notes/{pk}/").status_code == 404


def test_malformed_uuid_lookup_is_404(client):
    item = GenericUUIDItem.objects.create(name="thing")
    assert client.get(f"/items/{item.pk}/").json() == {"id": str(item.pk), "name": "thing"}
    assert client.get("/items/not-a-uuid/").status_code == 404


def test_lookup_field_and_url_kwarg(client, note):
    response = client.get("/by-title/First/")
    assert response.status_code == 200
    assert response.json()["id"] == note.pk


def test_filter_backends_apply_to_detail_lookups(client, note):
    hidden = GenericNote.objects.create(title="Unranked", rank=0)
    assert client.get(f"/ranked/{note.pk}/").status_code == 200
    assert client.get(f"/ranked/{hidden.pk}/").status_code == 404


def test_update_response_does_not_show_stale_prefetched_relations(client, note):
    old, new = GenericTag.objects.create(label="old"), GenericTag.objects.create(label="new")
    note.tags.add(old)
    assert client.get(f"/tagged/{note.pk}/").json()["tag_labels"] == ["old"]
    response = client.patch(
        f"/tagged/{note.pk}/", {"tags": [new.pk]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["tag_labels"] == ["new"]


def test_serializer_context_has_request_format_and_view(client):
    body = client.get("/context/").json()
    assert body["keys"] == ["format", "request", "view"]
    assert body["view_is_self"] and body["request_is_request"]
    assert body["format"] is None
    assert body["given"] == {"mine": True}
    assert client.get("/context.json").json()["format"] == "json"


def test_options_describes_the_create_action(client):
    response = client.options("/notes/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Note List"
    assert "application/json" in body["renders"]
    post = body["actions"]["POST"]
    assert post["title"]["type"] == "string"
    assert post["title"]["required"] is True
    assert post["id"]["read_only"] is True


def test_options_on_a_detail_view_describes_put_for_an_existing_object(client, note):
    body = client.options(f"/notes/{note.pk}/").json()
    assert body["name"] == "Note Detail"
    assert set(body["actions"]) == {"PUT"}
    assert body["actions"]["PUT"]["rank"]["type"] == "integer"


def test_options_on_a_missing_object_is_200_without_actions(client):
    response = client.options("/notes/999/")
    assert response.status_code == 200
    assert "actions" not in response.json()


def test_missing_queryset_is_an_assertion_naming_the_view():
    class NoQueryset(generics.GenericAPIView):
        pass

    with pytest.raises(AssertionError) as error:
        NoQueryset().get_queryset()
    assert str(error.value) == (
        "'NoQueryset' should either include a `queryset` attribute, "
        "or override the `get_queryset()` method."
    )


def test_missing_serializer_class_is_an_assertion_naming_the_view():
    class NoSerializer(generics.GenericAPIView):
        pass

    with pytest.raises(AssertionError) as error:
        NoSerializer().get_serializer_class()
    assert str(error.value) == (
        "'NoSerializer' should either include a `serializer_class` attribute, "
        "or override the `get_serializer_class()` method."
    )


def test_get_queryset_returns_a_fresh_queryset_each_time(note):
    view = NoteList()
    first, second = view.get_queryset(), view.get_queryset()
    assert first is not second
    assert list(first) == list(second) == [note]


def test_get_object_or_404_turns_bad_lookups_into_404():
    with pytest.raises(Http404):
        generics.get_object_or_404(GenericUUIDItem, pk="nope")
    with pytest.raises(Http404):
        generics.get_object_or_404(GenericUUIDItem.objects.all(), pk=uuid.uuid4())


def test_generic_views_can_be_subscripted_for_typing():
    assert generics.GenericAPIView[GenericNote] is generics.GenericAPIView
    assert generics.ListAPIView[GenericNote] is generics.ListAPIView
