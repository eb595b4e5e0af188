"""The test helpers: APIRequestFactory's encoding, APIClient's credentials, forced
authentication, logout and redirects, and the test case classes."""

import json

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponseRedirect
from django.test import override_settings
from django.urls import path

from restcycle.decorators import api_view
from restcycle.response import Response
from restcycle.test import (
    APIClient,
    APIRequestFactory,
    APISimpleTestCase,
    APITestCase,
    URLPatternsTestCase,
    force_authenticate,
)

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
def echo(request):
    return Response(
        {
            "method": request.method,
            "content_type": request.content_type,
            "data": request.data,
            "query": request.query_params.dict(),
            "authorization": request.headers.get("authorization"),
            "user": str(request.user),
            "auth": request.auth,
        }
    )


@api_view(["GET"])
def visits(request):
    seen = request.session.get("seen", 0)
    request.session["seen"] = seen + 1
    return Response({"seen": seen})


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
def moved(request, code):
    return HttpResponseRedirect("/echo/", status=code)


urlpatterns = [
    path("echo/", echo),
    path("visits/", visits),
    path("moved/<int:code>/", moved),
]


@pytest.fixture
def client():
    return APIClient()


def body(response):
    return json.loads(response.content)


def test_default_format_is_multipart(client):
    result = body(client.post("/echo/", {"a": "1"}))
    assert result["content_type"].startswith("multipart/form-data")
    assert result["data"] == {"a": "1"}  # a QueryDict renders its last values


def test_json_format(client):
    result = body(client.patch("/echo/", {"a": [1, 2]}, format="json"))
    assert result["content_type"] == "application/json"
    assert result["data"] == {"a": [1, 2]}


@override_settings(REST_FRAMEWORK={"TEST_REQUEST_DEFAULT_FORMAT": "json"})
def test_default_format_follows_the_setting():
    result = body(APIClient().post("/echo/", {"a": 1}))
    assert result["data"] == {"a": 1}


def test_explicit_content_type_sends_data_as_is(client):
    result = body(client.put("/echo/", "x=1&y=2", content_type="application/x-www-form-urlencoded"))
    assert result["data"] == {"x": "1", "y": "2"}


def test_explicit_json_content_type_encodes_dicts(client):
    result = body(client.post("/echo/", {"flag": True}, content_type="application/json"))
    assert result["data"] == {"flag": True}


def test_no_data_with_content_type_sends_the_header_and_empty_body(client):
    result = body(client.post("/echo/", content_type="application/json"))
    assert result["content_type"] == "application/json"
    assert result["data"] == {}


def test_get_data_becomes_the_query_string(client):
    assert body(client.get("/echo/", {"page": 2}))["query"] == {"page": "2"}
    assert body(client.get("/echo/?q=café"))["query"] == {"q": "café"}


def test_unknown_format_and_both_format_and_content_type_are_assertions():
    factory = APIRequestFactory()
    with pytest.raises(AssertionError, match="Invalid format 'xml'"):
        factory.post("/", {"a": 1}, format="xml")
    with pytest.raises(AssertionError, match="both `format` and `content_type`"):
        factory.post("/", {"a": 1}, format="json", content_type="application/json")


def test_nested_data_cannot_be_multipart():
    with pytest.raises(AssertionError):
        APIRequestFactory().post("/", {"nested": {"a": 1}})


def test_credentials_are_sent_with_every_request_until_logout(client):
    client.credentials(HTTP_AUTHORIZATION="Token abc")
    assert body(client.get("/echo/"))["authorization"] == "Token abc"
    assert body(client.delete("/echo/"))["authorization"] == "Token abc"
    client.logout()
    assert body(client.get("/echo/"))["authorization"] is None


def test_force_authenticate_user_and_token(client):
    user = User.objects.create_user("ada")
    client.force_authenticate(user=user, token="tok")
    result = body(client.get("/echo/"))
    assert result["user"] == "ada"
    assert result["auth"] == "tok"
    client.force_authenticate(None)
    assert body(client.get("/echo/"))["user"] == "AnonymousUser"


def test_force_authenticate_none_also_ends_the_session(client):
    user = User.objects.create_user("ada")
    client.force_authenticate(user)
    assert body(client.get("/visits/")) == {"seen": 0}
    assert body(client.get("/visits/")) == {"seen": 1}
    client.force_authenticate(user=None, token=None)
    assert body(client.get("/visits/")) == {"seen": 0}


def test_login_and_csrf_enforcement():
    User.objects.create_user("ada", password="pw")
    lenient = APIClient()
    assert lenient.login(username="ada", password="pw")
    assert lenient.post("/echo/", {"a": 1}, format="json").status_code == 200

    strict = APIClient(enforce_csrf_checks=True)
    assert strict.login(username="ada", password="pw")
    response = strict.post("/echo/", {"a": 1}, format="json")
    assert response.status_code == 403
    assert body(response) == {"detail": "CSRF Failed: CSRF cookie not set."}


def test_factory_request_with_force_authenticate_runs_a_view():
    user = User.objects.create_user("ada")
    request = APIRequestFactory().post("/echo/", {"a": 1}, format="json")
    force_authenticate(request, user=user)
    response = echo(request)
    assert response.data["user"] == "ada"
    assert response.data["data"] == {"a": 1}


def test_factory_enforces_csrf_when_asked():
    user = User.objects.create_user("ada")
    request = APIRequestFactory(enforce_csrf_checks=True).post("/echo/")
    request.user = user
    response = echo(request)
    assert response.status_code == 403


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_follow_redirects(client, method):
    response = getattr(client, method)("/moved/302/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/echo/", 302)]


def test_follow_307_keeps_method_and_body(client):
    response = client.post("/moved/307/", {"a": 1}, format="json", follow=True)
    assert response.status_code == 200
    assert response.data["method"] == "POST"
    assert response.data["data"] == {"a": 1}


class TestAPITestCaseUsesAPIClient(APITestCase):
    def test_client_class(self):
        assert isinstance(self.client, APIClient)


class TestAPISimpleTestCaseUsesAPIClient(APISimpleTestCase):
    def test_client_class(self):
        assert isinstance(self.client, APIClient)


class TestOwnURLPatterns(URLPatternsTestCase, APITestCase):
    urlpatterns = [path("only-here/", echo)]

    def test_own_patterns_are_the_urlconf(self):
        assert self.client.get("/only-here/").status_code == 200
        assert self.client.get("/echo/").status_code == 404
