"""A ModelViewSet on a router, end to end; `as_view` errors, `self.action`, extra actions."""

import functools

import pytest
from django.urls import include, path

from restcycle import serializers, viewsets
from restcycle.decorators import action
from restcycle.response import Response
from restcycle.routers import SimpleRouter
from tests.models import GenericNote

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class NoteSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = GenericNote
        fields = ["url", "id", "title", "rank"]

    def get_url(self, note):
        view = self.context["view"]
        return view.reverse_action("detail", args=[note.pk])


class NoteViewSet(viewsets.ModelViewSet):
    """Notes, with a pin action on each and a list of the top ranked."""

    queryset = GenericNote.objects.order_by("id")
    serializer_class = NoteSerializer
    permission_classes = []
    authentication_classes = []

    @action(detail=True, methods=["post"])
    def pin(self, request, pk=None):
        note = self.get_object()
        note.rank = 100
        note.save()
        return Response({"pinned": note.pk, "action": self.action})

    @pin.mapping.delete
    def unpin(self, request, pk=None):
        note = self.get_object()
        note.rank = 0
        note.save()
        return Response(status=204)

    @action(detail=False, url_path="top-ranked", url_name="top")
    def top(self, request):
        best = self.get_queryset().order_by("-rank").first()
        return Response({"title": best.title if best else None, "action": self.action})


class ActionReport(viewsets.ViewSet):
    """Answers every request with the action the viewset thinks it is running."""

    permission_classes = []
    authentication_classes = []

    def list(self, request):
        return Response({"action": self.action, "detail": self.detail, "basename": self.basename})

    def retrieve(self, request, pk=None):
        return Response(
            {"action": self.action, "detail": self.detail, "links": self.get_extra_action_url_map()}
        )

    @action(detail=True)
    def history(self, request, pk=None):
        return Response({"action": self.action})

    @action(detail=True, name="Full Audit")
    def audit(self, request, pk=None):
        return Response({"action": self.action})

    @action(detail=False)
    def summary(self, request):
        return Response({"action": self.action, "self_url": self.reverse_action("summary")})


router = SimpleRouter()
router.register("notes", NoteViewSet)
router.register("reports", ActionReport, basename="report")

urlpatterns = [
    path("api/", include(router.urls)),
    path("ns/", include((router.urls, "ns"), namespace="ns")),
]


@pytest.fixture
def note():
    return GenericNote.objects.create(title="Draft", rank=3)


def test_list(client, note):
    response = client.get("/api/notes/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "url": f"http://testserver/api/notes/{note.pk}/",
            "id": note.pk,
            "title": "Draft",
            "rank": 3,
        }
    ]


def test_create_is_201_with_location(client):
    response = client.post("/api/notes/", {"title": "Fresh"}, content_type="application/json")
    assert response.status_code == 201
    pk = GenericNote.objects.get().pk
    assert response["Location"] == f"http://testserver/api/notes/{pk}/"
    assert response.json() == {"url": response["Location"], "id": pk, "title": "Fresh", "rank": 0}


def test_retrieve(client, note):
    response = client.get(f"/api/notes/{note.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Draft"


def test_update(client, note):
    response = client.put(
        f"/api/notes/{note.pk}/", {"title": "Final", "rank": 1}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Final"
    assert GenericNote.objects.get().rank == 1


def test_partial_update(client, note):
    response = client.patch(f"/api/notes/{note.pk}/", {"rank": 8}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "url": f"http://testserver/api/notes/{note.pk}/",
        "id": note.pk,
        "title": "Draft",
        "rank": 8,
    }


def test_destroy(client, note):
    response = client.delete(f"/api/notes/{note.pk}/")
    assert response.status_code == 204
    assert response.content == b""
    assert not GenericNote.objects.exists()


def test_detail_extra_action_and_its_second_method(client, note):
    response = client.post(f"/api/notes/{note.pk}/pin/")
    assert response.status_code == 200
    assert response.json() == {"pinned": note.pk, "action": "pin"}
    assert GenericNote.objects.get().rank == 100
    assert client.delete(f"/api/notes/{note.pk}/pin/").status_code == 204
    assert GenericNote.objects.get().rank == 0


def test_list_extra_action_with_custom_url_path(client, note):
    GenericNote.objects.create(title="Best", rank=50)
    response = client.get("/api/notes/top-ranked/")
    assert response.json() == {"title": "Best", "action": "top"}


def test_extra_action_refuses_methods_it_does_not_map(client, note):
    response = client.get(f"/api/notes/{note.pk}/pin/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}


def test_unmapped_method_on_list_route_is_405(client):
    response = client.delete("/api/notes/")
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "POST", "OPTIONS"}


def test_wrong_typed_lookup_is_404(client, note):
    assert client.get("/api/notes/abc/").status_code == 404
    assert client.post("/api/notes/abc/pin/").status_code == 404


def test_head_runs_the_get_action(client, note):
    response = client.head("/api/notes/")
    assert response.status_code == 200
    assert response.content == b""


def test_action_attribute_names_the_running_action(client):
    assert client.get("/api/reports/").json() == {
        "action": "list",
        "detail": False,
        "basename": "report",
    }
    assert client.get("/api/reports/7/history/").json() == {"action": "history"}


def test_options_request_runs_the_metadata_action(client):
    response = client.options("/api/notes/")
    assert response.status_code == 200
    assert response.json()["name"] == "Note List"


def test_extra_action_url_map_lists_actions_of_the_same_kind(client):
    body = client.get("/api/reports/7/").json()
    assert body["detail"] is True
    assert body["links"] == {
        "Full Audit": "http://testserver/api/reports/7/audit/",
        "History": "http://testserver/api/reports/7/history/",
    }


def test_reverse_action_keeps_the_namespace(client):
    assert client.get("/ns/reports/summary/").json()["self_url"] == (
        "http://testserver/ns/reports/summary/"
    )
    assert client.get("/api/reports/summary/").json()["self_url"] == (
        "http://testserver/api/reports/summary/"
    )


def test_reverse_action_without_request_is_relative():
    view = NoteViewSet(basename="genericnote")
    view.request = None
    assert view.reverse_action("detail", args=[3]) == "/api/notes/3/"
    assert view.reverse_action("top") == "/api/notes/top-ranked/"


def test_get_extra_actions_lists_decorated_methods_by_name():
    assert [func.__name__ for func in NoteViewSet.get_extra_actions()] == ["pin", "top"]


def test_extra_action_wrapped_without_wraps_is_reported():
    def careless(func):
        def wrapper(self, request, *args, **kwargs):
            return func(self, request, *args, **kwargs)

        return wrapper

    def careful(func):
        @functools.wraps(func)
        def wrapper(self, request, *args, **kwargs):
            return func(self, request, *args, **kwargs)

        return wrapper

    class Careful(viewsets.ViewSet):
        @action(detail=False)
        @careful
        def export(self, request):
            return Response()

    class Careless(viewsets.ViewSet):
        @action(detail=False)
        @careless
        def export(self, request):
            return Response()

    assert [func.__name__ for func in Careful.get_extra_actions()] == ["export"]
    with pytest.raises(AssertionError, match="Expected function \\(`wrapper`\\)"):
        Careless.get_extra_actions()


def test_as_view_requires_actions():
    with pytest.raises(TypeError) as error:
        NoteViewSet.as_view()
    assert str(error.value) == (
        "The `actions` argument must be provided when calling `.as_view()` on a ViewSet. "
        "For example `.as_view({'get': 'list'})`"
    )


def test_as_view_refuses_name_with_suffix():
    with pytest.raises(TypeError, match="received both `name` and `suffix`"):
        NoteViewSet.as_view({"get": "list"}, name="Notes", suffix="List")


def test_as_view_refuses_unknown_and_method_keywords():
    with pytest.raises(TypeError, match="received an invalid keyword 'colour'"):
        NoteViewSet.as_view({"get": "list"}, colour="red")
    with pytest.raises(TypeError, match="You tried to pass in the get method name"):
        NoteViewSet.as_view({"get": "list"}, get="list")


def test_as_view_function_carries_class_and_actions():
    view = NoteViewSet.as_view({"get": "list"}, suffix="List")
    assert view.cls is NoteViewSet
    assert view.actions == {"get": "list"}
    assert view.initkwargs == {"suffix": "List"}
    assert view.csrf_exempt is True


def test_allow_header_names_each_routes_own_methods(client, note):
    # Two routes of one viewset class: each instance's Allow is its own action map's.
    for _ in range(2):
        assert client.get("/api/notes/")["Allow"] == "GET, POST, HEAD, OPTIONS"
        detail = client.get(f"/api/notes/{note.pk}/")
        assert detail["Allow"] == "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
        pin = client.post(f"/api/notes/{note.pk}/pin/")
        assert pin["Allow"] == "POST, DELETE, OPTIONS"
