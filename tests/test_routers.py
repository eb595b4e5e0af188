"""Routers: generated URL patterns and names, lookups, the API root, suffixes, namespaces."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path, resolve, reverse

from restcycle import serializers, viewsets
from restcycle.decorators import action
from restcycle.response import Response
from restcycle.routers import DefaultRouter, DynamicRoute, Route, SimpleRouter
from tests.models import GenericNote, GenericTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenericNote
        fields = ["id", "title"]


class Open:
    permission_classes = []
    authentication_classes = []


class NoteViewSet(Open, viewsets.ModelViewSet):
    queryset = GenericNote.objects.order_by("id")
    serializer_class = NoteSerializer

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return Response({"archived": pk})

    @action(detail=False, url_path=r"by-rank/(?P<rank>[0-9]{1,3})", url_name="by-rank")
    def by_rank(self, request, rank=None):
        return Response([note.title for note in self.get_queryset().filter(rank=rank)])


class NumericNoteViewSet(NoteViewSet):
    lookup_value_regex = "[0-9]+"


class ConvertedNoteViewSet(NoteViewSet):
    lookup_value_converter = "int"


class TitleNoteViewSet(NoteViewSet):
    lookup_field = "title"
    lookup_url_kwarg = "name"


class TagViewSet(Open, viewsets.ReadOnlyModelViewSet):
    queryset = GenericTag.objects.order_by("id")

    class serializer_class(serializers.ModelSerializer):
        class Meta:
            model = GenericTag
            fields = ["id", "label"]


class DetailOnlyViewSet(Open, viewsets.ViewSet):
    def retrieve(self, request, pk=None):
        return Response({"pk": pk})


simple = SimpleRouter()
simple.register("notes", NoteViewSet)
simple.register("numeric", NumericNoteViewSet, basename="numeric")
simple.register("titles", TitleNoteViewSet, basename="titled")

no_slash = SimpleRouter(trailing_slash=False)
no_slash.register("notes", NoteViewSet, basename="bare")

paths = SimpleRouter(use_regex_path=False)
paths.register("notes", NoteViewSet, basename="pathnote")
paths.register("converted", ConvertedNoteViewSet, basename="converted")

default = DefaultRouter()
default.register("notes", NoteViewSet, basename="dnote")
default.register("tags", TagViewSet)
default.register("singles", DetailOnlyViewSet, basename="single")

empty_prefix = SimpleRouter()
empty_prefix.register("", NoteViewSet, basename="rootnote")

urlpatterns = [
    path("simple/", include(simple.urls)),
    path("bare/", include(no_slash.urls)),
    path("paths/", include(paths.urls)),
    path("default/", include(default.urls)),
    path("versioned/", include((default.urls, "api"), namespace="api")),
    path("at-root/", include(empty_prefix.urls)),
]


@pytest.fixture
def note():
    return GenericNote.objects.create(title="Hello", rank=4)


def test_list_and_detail_routes_are_named_after_the_model(client, note):
    assert reverse("genericnote-list") == "/simple/notes/"
    assert reverse("genericnote-detail", args=[note.pk]) == f"/simple/notes/{note.pk}/"
    assert client.get("/simple/notes/").json() == [{"id": note.pk, "title": "Hello"}]
    assert client.get(f"/simple/notes/{note.pk}/").json() == {"id": note.pk, "title": "Hello"}


def test_extra_actions_get_routes_of_their_own(client, note):
    assert reverse("genericnote-archive", args=[note.pk]) == f"/simple/notes/{note.pk}/archive/"
    assert client.post(f"/simple/notes/{note.pk}/archive/").json() == {"archived": str(note.pk)}


def test_action_url_path_may_be_a_regex_with_arguments(client, note):
    assert reverse("genericnote-by-rank", kwargs={"rank": 4}) == "/simple/notes/by-rank/4/"
    assert client.get("/simple/notes/by-rank/4/").json() == ["Hello"]
    assert client.get("/simple/notes/by-rank/4444/").status_code == 404


def test_routes_carry_the_viewset_initkwargs():
    match = resolve("/simple/notes/")
    assert match.func.initkwargs == {"suffix": "List", "basename": "genericnote", "detail": False}
    assert match.func.actions == {"get": "list", "post": "create"}
    detail = resolve("/simple/notes/1/")
    assert detail.func.initkwargs["suffix"] == "Instance"
    assert detail.func.initkwargs["detail"] is True


def test_lookup_value_regex_limits_detail_urls(client, note):
    assert client.get(f"/simple/numeric/{note.pk}/").status_code == 200
    assert client.get("/simple/numeric/abc/").status_code == 404


def test_default_lookup_does_not_match_dots_or_slashes():
    pattern = str(resolve("/simple/notes/1/").route)
    assert "[^/.]+" in pattern


def test_custom_lookup_field_and_url_kwarg(client, note):
    assert reverse("titled-detail", kwargs={"name": "Hello"}) == "/simple/titles/Hello/"
    assert client.get("/simple/titles/Hello/").json()["id"] == note.pk


def test_trailing_slash_can_be_left_out(client, note):
    assert reverse("bare-list") == "/bare/notes"
    assert client.get(f"/bare/notes/{note.pk}").json()["title"] == "Hello"


def test_path_routes_use_converters(client, note):
    assert reverse("pathnote-detail", args=[note.pk]) == f"/paths/notes/{note.pk}/"
    assert client.get(f"/paths/notes/{note.pk}/").status_code == 200
    assert client.get(f"/paths/converted/{note.pk}/").status_code == 200
    assert client.get("/paths/converted/abc/").status_code == 404


def test_default_router_root_lists_list_routes_with_absolute_urls(client):
    response = client.get("/default/")
    assert response.status_code == 200
    assert response.json() == {
        "notes": "http://testserver/default/notes/",
        "tags": "http://testserver/default/tags/",
    }


def test_default_router_root_reverses_within_its_namespace(client):
    assert client.get("/versioned/").json() == {
        "notes": "http://testserver/versioned/notes/",
        "tags": "http://testserver/versioned/tags/",
    }
    assert reverse("api:api-root") == "/versioned/"


def test_default_router_adds_format_suffixes(client, note):
    response = client.get("/default/notes.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [{"id": note.pk, "title": "Hello"}]
    assert client.get(f"/default/notes/{note.pk}.json").json()["title"] == "Hello"
    assert client.get("/default/.json").json()["notes"] == "http://testserver/default/notes.json"


def test_read_only_viewset_has_no_create_route(client):
    response = client.post("/default/tags/", {"label": "x"}, content_type="application/json")
    assert response.status_code == 405


def test_empty_prefix_routes_sit_at_the_include_point(client, note):
    assert reverse("rootnote-list") == "/at-root/"
    assert client.get(f"/at-root/{note.pk}/").json()["title"] == "Hello"


def test_registering_a_basename_twice_is_refused():
    router = SimpleRouter()
    router.register("notes", NoteViewSet)
    with pytest.raises(ImproperlyConfigured, match='basename "genericnote" is already registered'):
        router.register("more-notes", NumericNoteViewSet)
    router.register("more-notes", NumericNoteViewSet, basename="more")
    assert [basename for _, _, basename in router.registry] == ["genericnote", "more"]


def test_viewset_without_queryset_needs_a_basename():
    router = SimpleRouter()
    with pytest.raises(AssertionError, match="`basename` argument not specified"):
        router.register("singles", DetailOnlyViewSet)


def test_action_named_like_a_route_is_refused():
    class Clashing(viewsets.ViewSet):
        @action(detail=True)
        def retrieve(self, request, pk=None):
            return Response()

    router = SimpleRouter()
    router.register("clash", Clashing, basename="clash")
    with pytest.raises(ImproperlyConfigured, match="existing routes: retrieve"):
        router.urls  # noqa: B018


def test_registering_after_reading_urls_refreshes_them():
    router = SimpleRouter()
    router.register("notes", NoteViewSet)
    before = len(router.urls)
    router.register("tags", TagViewSet)
    assert len(router.urls) == before + 2


def test_only_implemented_actions_get_routes():
    router = SimpleRouter()
    router.register("singles", DetailOnlyViewSet, basename="single")
    assert [pattern.name for pattern in router.urls] == ["single-detail"]
    assert router.urls[0].callback.actions == {"get": "retrieve"}


def test_custom_routes_list_shapes_the_urls():
    class ReadOnlyRouter(SimpleRouter):
        routes = [
            Route(
                url=r"^{prefix}$",
                mapping={"get": "list"},
                name="{basename}-list",
                detail=False,
                initkwargs={"suffix": "List"},
            ),
            Route(
                url=r"^{prefix}/{lookup}$",
                mapping={"get": "retrieve"},
                name="{basename}-detail",
                detail=True,
                initkwargs={"suffix": "Detail"},
            ),
            DynamicRoute(
                url=r"^{prefix}/{lookup}/{url_path}$",
                name="{basename}-{url_name}",
                detail=True,
                initkwargs={},
            ),
        ]

    router = ReadOnlyRouter()
    router.register("notes", NoteViewSet)
    patterns = {pattern.name: str(pattern.pattern) for pattern in router.urls}
    assert patterns == {
        "genericnote-list": "^notes$",
        "genericnote-detail": "^notes/(?P<pk>[^/.]+)$",
        "genericnote-archive": "^notes/(?P<pk>[^/.]+)/archive$",
    }


def test_get_lookup_regex_takes_a_prefix_for_nested_routers():
    router = SimpleRouter()
    assert router.get_lookup_regex(NoteViewSet, "parent_") == "(?P<parent_pk>[^/.]+)"
    path_router = SimpleRouter(use_regex_path=False)
    assert path_router.get_lookup_regex(ConvertedNoteViewSet) == "<int:pk>"
    assert path_router.get_lookup_regex(NoteViewSet) == "<str:pk>"
