"""The browsable API page: what it shows, which forms it offers to whom, and that it escapes.

Every test drives a real view through Django's test client with `Accept: text/html`.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import include, path

from restcycle import generics, permissions, serializers, viewsets
from restcycle.decorators import action
from restcycle.filters import SearchFilter
from restcycle.pagination import PageNumberPagination
from restcycle.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from restcycle.response import Response
from restcycle.routers import DefaultRouter
from restcycle.settings import api_settings
from restcycle.views import APIView
from tests.models import BrowsableNote

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrowsableNote
        fields = ["id", "title", "body", "kind", "done"]


class IsOwnerOrReadOnly(permissions.BasePermission):
    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return obj.owner_id == request.user.id


class NoteViewSet(viewsets.ModelViewSet):
    """Notes of the **team**.

    Anyone reads them; only their owner changes them.
    """

    queryset = BrowsableNote.objects.order_by("id")
    serializer_class = NoteSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=False)
    def recent(self, request):
        """The newest notes."""
        return Response([])


class WriteOnlyPermission(permissions.BasePermission):
    """Writers may change a note but not read it (a drop box)."""

    def has_permission(self, request, view):
        return request.method != "GET"


class DropBoxView(generics.RetrieveUpdateAPIView):
    queryset = BrowsableNote.objects.all()
    serializer_class = NoteSerializer
    permission_classes = [WriteOnlyPermission]


class TwoPerPage(PageNumberPagination):
    page_size = 2


class SearchableNotes(generics.ListAPIView):
    queryset = BrowsableNote.objects.order_by("id")
    serializer_class = NoteSerializer
    filter_backends = [SearchFilter]
    search_fields = ["title"]
    pagination_class = TwoPerPage


class HeaderEcho(APIView):
    """Answers with a header and a body that came from the client."""

    def get(self, request):
        return Response({"said": request.query_params.get("say", "")}, headers={"X-Said": "<b>"})


class PNGRenderer(BaseRenderer):
    media_type = "image/png"
    format = "png"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"\x89PNG...."


class PictureView(APIView):
    renderer_classes = [PNGRenderer, BrowsableAPIRenderer]

    def get(self, request):
        return Response(b"")


class SecretView(APIView):
    """A secret description."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        return Response({"secret": 1})


router = DefaultRouter()
router.register("notes", NoteViewSet)
urlpatterns = [
    path("api/", include(router.urls)),
    path("dropbox/<int:pk>/", DropBoxView.as_view()),
    path("search/", SearchableNotes.as_view()),
    path("echo/", HeaderEcho.as_view()),
    path("picture/", PictureView.as_view()),
    path("secret/", SecretView.as_view()),
    path("api-auth/", include("restcycle.urls")),
]


def html_get(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html")
    return response, response.content.decode()


@pytest.fixture
def alice():
    return User.objects.create_user("alice", password="pw")


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client


def test_browsable_renderer_is_a_default_after_json():
    assert api_settings.DEFAULT_RENDERER_CLASSES[:2] == [JSONRenderer, BrowsableAPIRenderer]


def test_html_accept_gets_the_page_and_json_accept_still_gets_json(alice_client):
    BrowsableNote.objects.create(title="First")
    response, html = html_get(alice_client, "/api/notes/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert html.startswith("<!DOCTYPE html>")
    json_response = alice_client.get("/api/notes/", HTTP_ACCEPT="application/json")
    assert json_response["Content-Type"] == "application/json"
    assert json_response.json()[0]["title"] == "First"


def test_format_api_query_parameter_selects_the_page(alice_client):
    response = alice_client.get("/api/notes/?format=api")
    assert response["Content-Type"].startswith("text/html")


def test_page_shows_name_markdown_description_breadcrumbs_and_response(alice_client):
    BrowsableNote.objects.create(title="Groceries")
    _, html = html_get(alice_client, "/api/notes/")
    assert "<h1>Note List</h1>" in html
    assert "<strong>team</strong>" in html  # the docstring, as Markdown
    assert '<a href="/api/">Api Root</a>' in html
    assert 'aria-current="page">Note List</a>' in html
    assert "<b>HTTP 200 OK</b>" in html
    assert '<span class="lit">GET, POST, HEAD, OPTIONS</span>' in html
    assert '<span class="lit">application/json</span>' in html  # the API's type, not text/html
    assert "&quot;title&quot;: &quot;Groceries&quot;" in html  # pretty-printed, indented
    assert "\n        &quot;title&quot;" in html


def test_list_page_offers_options_post_and_raw_data_forms_with_csrf(alice_client):
    _, html = html_get(alice_client, "/api/notes/")
    assert 'data-method="OPTIONS"' in html
    assert '<form action="/api/notes/" method="POST" enctype="multipart/form-data"' in html
    assert '<input name="title" class="form-control" type="text" value="">' in html
    assert '<select class="form-control" name="kind">' in html
    assert ">POST<" in html
    assert 'name="csrfmiddlewaretoken"' in html
    # The raw-data form: one media type per parser, JSON first, with an example body.
    assert '<option value="application/json" selected>application/json</option>' in html
    assert '<option value="multipart/form-data">multipart/form-data</option>' in html
    assert "&quot;title&quot;: &quot;&quot;" in html
    assert 'data-method="DELETE"' not in html


def test_detail_page_offers_prefilled_put_patch_and_delete_to_the_owner(alice, alice_client):
    note = BrowsableNote.objects.create(title="Mine", owner=alice)
    _, html = html_get(alice_client, f"/api/notes/{note.pk}/")
    assert f'<form action="/api/notes/{note.pk}/" data-method="PUT"' in html
    assert '<input name="title" class="form-control" type="text" value="Mine">' in html
    assert ">PUT<" in html and ">PATCH<" in html
    assert 'data-method="DELETE"' in html
    assert ">POST<" not in html


def test_anonymous_user_gets_no_forms_and_a_login_link():
    BrowsableNote.objects.create(title="Public")
    _, html = html_get(Client(), "/api/notes/")
    assert ">POST<" not in html
    assert "csrfmiddlewaretoken" not in html
    assert '<a href="/api-auth/login/?next=/api/notes/">Log in</a>' in html


def test_other_users_object_shows_no_put_or_delete(alice_client):
    bob = User.objects.create_user("bob", password="pw")
    note = BrowsableNote.objects.create(title="Bob's", owner=bob)
    _, html = html_get(alice_client, f"/api/notes/{note.pk}/")
    assert ">PUT<" not in html
    assert ">PATCH<" not in html
    assert 'data-method="DELETE"' not in html
    # Checking permissions for the forms performed nothing.
    assert BrowsableNote.objects.filter(pk=note.pk).exists()


def test_writer_who_may_not_read_gets_an_empty_form_not_the_data(alice_client):
    note = BrowsableNote.objects.create(title="sealed-contents")
    response = alice_client.put(
        f"/dropbox/{note.pk}/",
        data="title=",
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="text/html",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "sealed-contents" not in html


def test_invalid_submission_shows_errors_inline_and_keeps_values_escaped(alice_client):
    response = alice_client.post(
        "/api/notes/",
        {"title": "", "body": XSS, "kind": "nonsense"},
        HTTP_ACCEPT="text/html",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert '<div class="form-group row has-error">' in html
    assert '<span class="help-block">This field may not be blank.</span>' in html
    assert '<span class="help-block">&quot;nonsense&quot; is not a valid choice.</span>' in html
    assert "<script>window.__xss" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert not BrowsableNote.objects.exists()


def test_valid_html_form_submission_creates_and_shows_201(alice_client):
    response = alice_client.post(
        "/api/notes/", {"title": "Made in a form", "kind": "todo"}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 201
    assert "<b>HTTP 201 Created</b>" in response.content.decode()
    assert BrowsableNote.objects.get().title == "Made in a form"


def test_user_supplied_values_are_escaped_everywhere(alice_client):
    BrowsableNote.objects.create(title=XSS)
    _, html = html_get(alice_client, "/api/notes/")
    assert "<script>window" not in html
    assert 'onerror="window' not in html
    _, html = html_get(alice_client, "/echo/?say=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert '<b>X-Said:</b> <span class="lit">&lt;b&gt;</span>' in html


def test_delete_through_the_page_shows_a_200_page(alice, alice_client):
    note = BrowsableNote.objects.create(title="Bye", owner=alice)
    response = alice_client.delete(f"/api/notes/{note.pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "<b>HTTP 204 No Content</b>" in response.content.decode()
    assert not BrowsableNote.objects.exists()


def test_forbidden_page_hides_description_and_forms():
    response, html = html_get(Client(), "/secret/")
    assert response.status_code == 403
    assert "A secret description" not in html
    assert "Authentication credentials were not provided." in html
    assert "request-form" not in html


def test_pagination_and_filter_controls_come_from_the_view(alice_client):
    for title in ["apple", "banana", "papaya", "cherry"]:
        BrowsableNote.objects.create(title=title)
    _, html = html_get(alice_client, "/search/?search=a")
    assert 'class="pagination-controls"' in html
    assert 'href="http://testserver/search/?page=2&amp;search=a"' in html
    assert 'data-open-dialog="filters-dialog"' in html
    assert 'class="search-filter"' in html
    assert 'value="a"' in html


def test_viewset_extra_actions_are_listed(alice_client):
    _, html = html_get(alice_client, "/api/notes/")
    assert 'id="extra-actions-menu"' in html
    assert '<a href="http://testserver/api/notes/recent/">Recent</a>' in html


def test_binary_content_is_summarised_not_dumped(alice_client):
    response, html = html_get(alice_client, "/picture/")
    assert response.status_code == 200
    assert "[8 bytes of binary content]" in html


def test_format_menu_lists_each_renderer(alice_client):
    _, html = html_get(alice_client, "/api/notes/")
    assert 'href="/api/notes/?format=json"' in html
    assert 'href="/api/notes/?format=api"' in html


def test_login_page_logs_in_and_returns_to_next(alice):
    client = Client()
    response = client.get("/api-auth/login/?next=/api/notes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form action="/api-auth/login/" method="post" id="login-form">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    # Labels come from Django's form, tied to their inputs, as templates overriding it expect.
    assert '<label for="id_username">Username:</label>' in html
    assert '<label for="id_password">Password:</label>' in html
    response = client.post(
        "/api-auth/login/", {"username": "alice", "password": "pw", "next": "/api/notes/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/api/notes/"
    _, html = html_get(client, "/api/notes/")
    assert (
        '<form id="logoutForm" method="post" action="/api-auth/logout/?next=/api/notes/">' in html
    )
    assert ">Log out<" in html


def test_login_page_shows_wrong_password_error(alice):
    response = Client().post("/api-auth/login/", {"username": "alice", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="alert alert-error"' in html


def test_logout_form_logs_out(alice_client):
    response = alice_client.post("/api-auth/logout/?next=/api/notes/")
    assert response.status_code in (200, 302)
    _, html = html_get(alice_client, "/api/notes/")
    assert ">Log in<" in html
    assert ">POST<" not in html
