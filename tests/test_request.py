"""Request through real views: lazy parsing (once, with its error remembered), form data
shared with Django, lazy authentication, and the HttpRequest proxy."""

import copy
import json

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import path

from restcycle import exceptions
from restcycle.authentication import SessionAuthentication
from restcycle.parsers import JSONParser
from restcycle.request import (
    Request,
    WrappedAttributeError,
    clone_request,
    is_form_media_type,
    override_method,
)
from restcycle.response import Response
from restcycle.test import APIClient, APIRequestFactory, force_authenticate
from restcycle.views import APIView

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class CountingJSONParser(JSONParser):
    calls = 0

    def parse(self, stream, media_type=None, parser_context=None):
        type(self).calls += 1
        return super().parse(stream, media_type, parser_context)


class EchoView(APIView):
    authentication_classes = []
    permission_classes = []

    def post(self, request):
        return Response(
            {
                "data": {key: request.data[key] for key in request.data},
                "post": {key: request.POST[key] for key in request.POST},
                "files": sorted(request.FILES),
                "query": request.query_params.get("q"),
                "django_post": sorted(request._request.POST),
            }
        )

    def put(self, request):
        return self.post(request)


class ParseTwiceView(APIView):
    authentication_classes = []
    permission_classes = []
    parser_classes = [CountingJSONParser]

    def post(self, request):
        try:
            first = request.data
        except exceptions.ParseError:
            first = "parse error"
        return Response({"first": first, "second": request.data})


class StreamView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response({"stream": request.stream is None, "data": request.data})

    post = get


class CountingAuthentication:
    calls = 0

    def authenticate(self, request):
        type(self).calls += 1
        if request.META.get("HTTP_X_USER"):
            return (User.objects.get(username=request.META["HTTP_X_USER"]), "token-1")
        if request.META.get("HTTP_X_BAD"):
            raise exceptions.AuthenticationFailed("bad credentials")
        return None

    def authenticate_header(self, request):
        return "Counting"


class WhoView(APIView):
    authentication_classes = [CountingAuthentication]
    permission_classes = []

    def perform_authentication(self, request):
        # Leave authentication lazy: the handler decides when it happens.
        pass

    def get(self, request):
        try:
            user = request.user
        except exceptions.AuthenticationFailed:
            return Response({"failed": True, "user": str(request.user), "auth": request.auth})
        return Response(
            {
                "user": str(user),
                "again": str(request.user),
                "auth": request.auth,
                "authenticator": type(request.successful_authenticator).__name__,
                "on_django_request": request._request.user is user,
            }
        )


class BrokenAuthentication:
    def authenticate(self, request):
        return self.missing_attribute


class BrokenAuthView(APIView):
    authentication_classes = [BrokenAuthentication]
    permission_classes = []

    def get(self, request):
        return Response({})


class LoginView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = []

    def get(self, request):
        return Response({"user": str(request.user), "session": request.session.session_key})


urlpatterns = [
    path("echo/", EchoView.as_view()),
    path("parse-twice/", ParseTwiceView.as_view()),
    path("stream/", StreamView.as_view()),
    path("who/", WhoView.as_view()),
    path("broken-auth/", BrokenAuthView.as_view()),
    path("login/", LoginView.as_view()),
]


@pytest.fixture
def client():
    return APIClient()


def body(response):
    return json.loads(response.content)


def test_multipart_form_is_data_and_post_and_reaches_the_django_request(client):
    response = client.post("/echo/?q=1", {"name": "ada", "role": "admin"})
    assert body(response) == {
        "data": {"name": "ada", "role": "admin"},
        "post": {"name": "ada", "role": "admin"},
        "files": [],
        "query": "1",
        "django_post": ["name", "role"],
    }


def test_urlencoded_form_is_parsed(client):
    response = client.post(
        "/echo/", "name=ada&x=1", content_type="application/x-www-form-urlencoded"
    )
    assert body(response)["data"] == {"name": "ada", "x": "1"}
    assert body(response)["post"] == {"name": "ada", "x": "1"}


def test_uploaded_files_are_in_files_and_data_but_not_post(client):
    upload = SimpleUploadedFile("notes.txt", b"hello")
    response = client.post("/echo/", {"upload": upload, "name": "ada"})
    result = body(response)
    assert result["files"] == ["upload"]
    assert result["post"] == {"name": "ada"}
    assert sorted(result["data"]) == ["name", "upload"]


def test_json_body_is_data_and_post_stays_empty(client):
    response = client.put("/echo/", {"name": "ada"}, format="json")
    assert body(response)["data"] == {"name": "ada"}
    assert body(response)["post"] == {}


def test_request_without_body_has_no_stream_and_empty_data(client):
    assert body(client.get("/stream/")) == {"stream": True, "data": {}}


def test_empty_form_post_is_empty_data(client):
    response = client.post("/stream/", "", content_type="multipart/form-data; boundary=x")
    assert body(response) == {"stream": True, "data": {}}


@pytest.mark.shadow_off("counts its parser's calls")
def test_parse_error_is_raised_once_then_data_is_empty(client):
    CountingJSONParser.calls = 0
    response = client.post("/parse-twice/", "{oops", content_type="application/json")
    assert body(response) == {"first": "parse error", "second": {}}
    assert CountingJSONParser.calls == 1


@pytest.mark.shadow_off("counts its parser's calls")
def test_body_is_parsed_once_however_often_data_is_read(client):
    CountingJSONParser.calls = 0
    response = client.post("/parse-twice/", {"a": 1}, format="json")
    assert body(response) == {"first": {"a": 1}, "second": {"a": 1}}
    assert CountingJSONParser.calls == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_oversized_json_body_is_refused_with_413(client):
    response = client.post("/echo/", {"name": "a" * 50}, format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body is too large."}


@pytest.mark.shadow_off("counts its authenticator's calls")
def test_user_is_authenticated_lazily_once_and_shared_with_django(client):
    User.objects.create_user("ada")
    CountingAuthentication.calls = 0
    response = client.get("/who/", HTTP_X_USER="ada")
    assert body(response) == {
        "user": "ada",
        "again": "ada",
        "auth": "token-1",
        "authenticator": "CountingAuthentication",
        "on_django_request": True,
    }
    assert CountingAuthentication.calls == 1


def test_no_authenticator_succeeding_gives_anonymous_user_and_none_auth(client):
    response = client.get("/who/")
    assert body(response)["user"] == "AnonymousUser"
    assert body(response)["auth"] is None
    assert body(response)["authenticator"] == "NoneType"


def test_failing_authenticator_leaves_the_unauthenticated_user_and_raises(client):
    response = client.get("/who/", HTTP_X_BAD="1")
    assert body(response) == {"failed": True, "user": "AnonymousUser", "auth": None}


@override_settings(REST_FRAMEWORK={"UNAUTHENTICATED_USER": None})
def test_unauthenticated_user_setting_none_gives_none(client):
    assert body(client.get("/who/"))["user"] == "None"


def test_attribute_error_inside_authentication_is_not_hidden(client):
    with pytest.raises(WrappedAttributeError, match="missing_attribute"):
        client.get("/broken-auth/")


def test_session_login_is_seen_by_session_authentication(client):
    User.objects.create_user("ada", password="pw")
    assert client.login(username="ada", password="pw")
    assert body(client.get("/login/"))["user"] == "ada"


def test_force_authenticate_on_a_factory_request():
    user = User.objects.create_user("ada")
    http_request = APIRequestFactory().get("/who/")
    force_authenticate(http_request, user=user, token="t")
    request = Request(http_request)
    assert request.user is user
    assert request.auth == "t"


def test_setting_user_and_auth_reaches_the_wrapped_request():
    http_request = APIRequestFactory().get("/")
    request = Request(http_request)
    request.user = AnonymousUser()
    request.auth = "x"
    assert http_request.user is request.user
    assert request.auth == "x"


def test_request_proxies_the_http_request_and_names_itself_in_errors():
    http_request = APIRequestFactory().get("/items/?page=2")
    request = Request(http_request)
    assert repr(request) == "<restcycle.request.Request: GET '/items/?page=2'>"
    assert request.META is http_request.META
    assert request.method == "GET"
    http_request.marker = "inner"
    assert request.marker == "inner"
    with pytest.raises(AttributeError, match="'Request' object has no attribute 'nothing'"):
        request.nothing  # noqa: B018


def test_request_refuses_to_wrap_a_request():
    request = Request(APIRequestFactory().get("/"))
    with pytest.raises(AssertionError, match="must be an instance of `django.http.HttpRequest`"):
        Request(request)


def test_request_can_be_deep_copied_and_subscripted():
    request = Request(APIRequestFactory().get("/"))
    copy.deepcopy(request)
    assert Request["anything"] is Request


def test_clone_request_changes_the_method_and_keeps_the_user():
    user = User.objects.create_user("ada")
    http_request = APIRequestFactory().get("/")
    force_authenticate(http_request, user=user)
    request = Request(http_request)
    assert request.user is user
    request.version = "v2"
    clone = clone_request(request, "POST")
    assert clone.method == "POST"
    assert clone.user is user
    assert clone.version == "v2"
    assert request.method == "GET"


def test_override_method_swaps_the_views_request_for_the_block():
    view = EchoView()
    request = Request(APIRequestFactory().get("/"))
    view.request = request
    with override_method(view, request, "PUT") as cloned:
        assert view.request is cloned
        assert cloned.method == "PUT"
    assert view.request is request


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        ("application/x-www-form-urlencoded", True),
        ("multipart/form-data; boundary=abc", True),
        ("application/json", False),
        ("", False),
        ("multipart/form-data; boundary=" + "x" * 300, False),
    ],
)
def test_is_form_media_type(media_type, expected):
    assert is_form_media_type(media_type) is expected
