"""CSRF: enforced by SessionAuthentication on unsafe methods of session-authenticated
requests, with Django's own check; token and basic authentication need no CSRF token."""

import base64

import pytest
from django.contrib.auth.models import User
from django.middleware.csrf import get_token
from django.urls import path

from restcycle import authentication
from restcycle.authtoken.models import Token
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class Echo(APIView):
    authentication_classes = [
        authentication.SessionAuthentication,
        authentication.TokenAuthentication,
        authentication.BasicAuthentication,
    ]

    def get(self, request):
        return Response({"csrf": get_token(request._request)})

    def post(self, request):
        user = request.user
        return Response({"user": user.get_username() if user.is_authenticated else None})

    put = patch = delete = post


class NoCsrfSessionAuthentication(authentication.SessionAuthentication):
    def enforce_csrf(self, request):
        return None


class EchoWithoutCsrf(Echo):
    authentication_classes = [NoCsrfSessionAuthentication]


urlpatterns = [
    path("echo/", Echo.as_view()),
    path("echo-no-csrf/", EchoWithoutCsrf.as_view()),
]


@pytest.fixture
def alice():
    return User.objects.create_user("alice", password="wonderland")


@pytest.fixture
def csrf_client():
    return APIClient(enforce_csrf_checks=True)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_session_write_without_csrf_cookie_is_refused(csrf_client, alice, method):
    csrf_client.force_login(alice)
    response = getattr(csrf_client, method)("/echo/", {"a": 1}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF cookie not set."}


def test_session_write_with_cookie_but_no_token_is_refused(csrf_client, alice):
    csrf_client.force_login(alice)
    csrf_client.get("/echo/")  # sets the CSRF cookie
    response = csrf_client.post("/echo/", {"a": 1}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF token missing."}


def test_session_write_with_wrong_token_is_refused(csrf_client, alice):
    csrf_client.force_login(alice)
    csrf_client.get("/echo/")
    response = csrf_client.post("/echo/", {}, format="json", HTTP_X_CSRFTOKEN="x" * 64)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed: CSRF token ")


def test_session_write_with_header_token_is_accepted(csrf_client, alice):
    csrf_client.force_login(alice)
    token = csrf_client.get("/echo/").json()["csrf"]
    response = csrf_client.post("/echo/", {"a": 1}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response.json() == {"user": "alice"}


def test_session_form_post_with_form_token_is_accepted(csrf_client, alice):
    csrf_client.force_login(alice)
    token = csrf_client.get("/echo/").json()["csrf"]
    response = csrf_client.post(
        "/echo/", {"csrfmiddlewaretoken": token, "a": "1"}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json() == {"user": "alice"}


def test_session_reads_need_no_csrf(csrf_client, alice):
    csrf_client.force_login(alice)
    assert csrf_client.get("/echo/").status_code == 200


def test_anonymous_writes_are_not_csrf_checked(csrf_client):
    response = csrf_client.post("/echo/", {}, format="json")
    assert response.status_code == 200
    assert response.json() == {"user": None}


def test_token_authentication_needs_no_csrf(csrf_client, alice):
    token = Token.objects.create(user=alice)
    csrf_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = csrf_client.post("/echo/", {}, format="json")
    assert response.json() == {"user": "alice"}


def test_basic_authentication_needs_no_csrf(csrf_client, alice):
    encoded = base64.b64encode(b"alice:wonderland").decode()
    csrf_client.credentials(HTTP_AUTHORIZATION=f"Basic {encoded}")
    response = csrf_client.post("/echo/", {}, format="json")
    assert response.json() == {"user": "alice"}


def test_client_without_enforcement_skips_the_check(alice):
    client = APIClient()
    client.force_login(alice)
    assert client.post("/echo/", {}, format="json").json() == {"user": "alice"}


def test_enforce_csrf_can_be_overridden(csrf_client, alice):
    csrf_client.force_login(alice)
    response = csrf_client.post("/echo-no-csrf/", {}, format="json")
    assert response.json() == {"user": "alice"}
