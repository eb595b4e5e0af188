"""Opt-in RFC 9457 problem details: `restcycle.problem_details.exception_handler`."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.test import override_settings
from django.urls import path

from restcycle import exceptions, serializers
from restcycle.authentication import TokenAuthentication
from restcycle.permissions import IsAuthenticated
from restcycle.response import Response
from restcycle.throttling import AnonRateThrottle
from restcycle.views import APIView

PROBLEMS = {"EXCEPTION_HANDLER": "restcycle.problem_details.exception_handler"}


class BookInput(serializers.Serializer):
    title = serializers.CharField(max_length=10)
    pages = serializers.IntegerField(min_value=1)


class BooksView(APIView):
    authentication_classes = []
    permission_classes = []

    def post(self, request):
        serializer = BookInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class MissingView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request, kind):
        if kind == "django":
            raise Http404("No such shelf.")
        if kind == "forbidden":
            raise DjangoPermissionDenied()
        if kind == "single":
            raise exceptions.ValidationError("Shelves are closed on Sundays.", code="closed")
        if kind == "crash":
            raise RuntimeError("a bug")
        raise exceptions.NotFound()


class PrivateView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"secret": True})


class OnceAnHour(AnonRateThrottle):
    rate = "1/hour"
    scope = "problem-details-test"


class ThrottledView(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = [OnceAnHour]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("books/", BooksView.as_view()),
    path("missing/<str:kind>/", MissingView.as_view()),
    path("private/", PrivateView.as_view()),
    path("throttled/", ThrottledView.as_view()),
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

JSON = "application/json"


@pytest.fixture(autouse=True)
def problem_details(settings):
    settings.REST_FRAMEWORK = PROBLEMS


def test_a_not_found_is_a_problem_object(client):
    response = client.get("/missing/api/", HTTP_ACCEPT=JSON)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not found.",
        "code": "not_found",
        "instance": "/missing/api/",
    }


def test_field_errors_go_in_the_errors_member_in_drfs_shape(client):
    response = client.post("/books/", {"title": "x" * 20, "pages": 0}, content_type=JSON)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Bad Request"
    assert problem["detail"] == "Invalid input."
    assert problem["code"] == "invalid"
    assert problem["instance"] == "/books/"
    assert problem["errors"] == {
        "title": ["Ensure this field has no more than 10 characters."],
        "pages": ["Ensure this value is greater than or equal to 1."],
    }


def test_a_single_message_validation_error_is_the_detail_too(client):
    response = client.get("/missing/single/", HTTP_ACCEPT=JSON)
    problem = response.json()
    assert problem["detail"] == "Shelves are closed on Sundays."
    assert problem["code"] == "closed"
    assert problem["errors"] == ["Shelves are closed on Sundays."]


def test_djangos_http404_and_permission_denied_become_problems(client):
    not_found = client.get("/missing/django/", HTTP_ACCEPT=JSON).json()
    assert (not_found["status"], not_found["detail"]) == (404, "No such shelf.")
    forbidden = client.get("/missing/forbidden/", HTTP_ACCEPT=JSON).json()
    assert (forbidden["status"], forbidden["title"]) == (403, "Forbidden")
    assert forbidden["code"] == "permission_denied"


def test_the_www_authenticate_header_survives(client):
    response = client.get("/private/", HTTP_ACCEPT=JSON)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_a_bad_token_is_a_401_problem(client):
    response = client.get("/private/", HTTP_ACCEPT=JSON, HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_the_retry_after_header_survives(client):
    from django.core.cache import cache

    cache.clear()
    assert client.get("/throttled/", HTTP_ACCEPT=JSON).status_code == 200
    response = client.get("/throttled/", HTTP_ACCEPT=JSON)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "throttled"


def test_the_allow_header_survives_a_405(client):
    response = client.delete("/books/", HTTP_ACCEPT=JSON)
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert response.json()["detail"] == 'Method "DELETE" not allowed.'


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=50)
def test_an_oversized_body_is_a_413_problem(client):
    response = client.post("/books/", {"title": "x" * 100}, content_type=JSON)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "request_too_large"


def test_a_client_accepting_json_and_problems_gets_a_problem(client):
    accept = "application/json, application/problem+json;q=0.9"
    response = client.get("/missing/api/", HTTP_ACCEPT=accept)
    assert response["Content-Type"] == "application/problem+json"


def test_the_browsable_api_renders_the_problem_as_html(client):
    response = client.get("/missing/api/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"about:blank" in response.content


def test_errors_that_are_not_api_errors_still_propagate(client):
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.get("/missing/crash/", HTTP_ACCEPT=JSON)


def test_a_successful_response_is_untouched(client):
    response = client.post("/books/", {"title": "Dune", "pages": 412}, content_type=JSON)
    assert response.status_code == 201
    assert response["Content-Type"] == JSON


def test_drfs_shape_stays_the_default(client, settings):
    settings.REST_FRAMEWORK = {}
    response = client.get("/missing/api/", HTTP_ACCEPT=JSON)
    assert response["Content-Type"] == JSON
    assert response.json() == {"detail": "Not found."}
