"""AdminRenderer: tables of the data, redirects after writes, and no data a user may not see."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import include, path

from restcycle import permissions, serializers, viewsets
from restcycle.renderers import AdminRenderer, JSONRenderer
from restcycle.response import Response
from restcycle.routers import DefaultRouter
from restcycle.views import APIView
from tests.models import BrowsableNote

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrowsableNote
        fields = ["id", "title", "kind", "done"]


class LinkedNoteSerializer(NoteSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="linked-detail")

    class Meta(NoteSerializer.Meta):
        fields = ["url", *NoteSerializer.Meta.fields]


class LinkedNoteViewSet(viewsets.ModelViewSet):
    """Notes whose data carries their URL: the admin redirects to it after a create."""

    queryset = BrowsableNote.objects.order_by("id")
    serializer_class = LinkedNoteSerializer
    renderer_classes = [AdminRenderer, JSONRenderer]


class NoteViewSet(viewsets.ModelViewSet):
    queryset = BrowsableNote.objects.order_by("id")
    serializer_class = NoteSerializer
    renderer_classes = [AdminRenderer, JSONRenderer]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]


class PostOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method == "POST"


class SuggestionBox(APIView):
    """Anyone may post a suggestion; nobody may read the box."""

    renderer_classes = [AdminRenderer]
    permission_classes = [PostOnly]
    serializer_class = NoteSerializer

    def get(self, request):
        return Response({"content": "private-suggestions"})

    def post(self, request):
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data, status=201)


router = DefaultRouter()
router.register("notes", NoteViewSet)
router.register("linked", LinkedNoteViewSet, basename="linked")
urlpatterns = [
    path("admin-api/", include(router.urls)),
    path("box/", SuggestionBox.as_view()),
]


@pytest.fixture
def client():
    user = User.objects.create_user("editor", password="pw")
    client = Client()
    client.force_login(user)
    return client


def test_list_is_a_table_with_a_column_per_field_and_detail_links(client):
    note = BrowsableNote.objects.create(title="<b>First</b>", kind="todo")
    html = client.get("/admin-api/notes/", HTTP_ACCEPT="text/html").content.decode()
    assert "<th>Title</th>" in html and "<th>Kind</th>" in html
    assert "<td >&lt;b&gt;First&lt;/b&gt;</td>" in html
    assert f'href="http://testserver/admin-api/notes/{note.pk}/"' in html
    assert "<td ><code>false</code></td>" in html


def test_detail_is_a_two_column_table(client):
    note = BrowsableNote.objects.create(title="Only")
    html = client.get(f"/admin-api/notes/{note.pk}/", HTTP_ACCEPT="text/html").content.decode()
    assert "<tr><th>Title</th><td >Only</td></tr>" in html
    assert 'data-open-dialog="edit-dialog"' in html
    assert 'data-method="DELETE"' in html


def test_anonymous_user_gets_no_add_edit_or_delete():
    note = BrowsableNote.objects.create(title="Only")
    html = Client().get(f"/admin-api/notes/{note.pk}/", HTTP_ACCEPT="text/html").content.decode()
    assert "<td >Only</td>" in html
    assert "edit-dialog" not in html
    assert 'data-method="DELETE"' not in html
    html = Client().get("/admin-api/notes/", HTTP_ACCEPT="text/html").content.decode()
    assert "create-dialog" not in html


def test_create_redirects_back_to_the_list(client):
    response = client.post(
        "/admin-api/linked/", {"title": "New", "kind": "memo"}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 303
    assert response["Location"] == "http://testserver/admin-api/linked/"
    assert BrowsableNote.objects.get().title == "New"


def test_url_field_links_each_row(client):
    note = BrowsableNote.objects.create(title="Linked")
    html = client.get("/admin-api/linked/", HTTP_ACCEPT="text/html").content.decode()
    assert f'<a href="http://testserver/admin-api/linked/{note.pk}/" aria-label="Open">' in html


def test_delete_redirects_to_the_parent_list(client):
    note = BrowsableNote.objects.create(title="Gone")
    response = client.delete(f"/admin-api/notes/{note.pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 303
    assert response["Location"] == "http://testserver/admin-api/notes/"
    assert not BrowsableNote.objects.exists()


def test_invalid_create_shows_the_form_with_errors_over_the_list(client):
    BrowsableNote.objects.create(title="Existing")
    response = client.post(
        "/admin-api/notes/", {"title": "", "kind": "<x>"}, HTTP_ACCEPT="text/html"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h2>Create</h2>" in html
    assert '<span class="help-block">This field may not be blank.</span>' in html
    assert "&quot;&lt;x&gt;&quot; is not a valid choice." in html
    assert "<td >Existing</td>" in html


def test_rejected_post_does_not_show_data_the_user_may_not_get():
    response = Client().post("/box/", {"title": ""}, HTTP_ACCEPT="text/html")
    html = response.content.decode()
    assert response.status_code == 400
    assert "private-suggestions" not in html
    assert "This field may not be blank." in html
