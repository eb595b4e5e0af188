"""@api_view and the policy decorators through real requests; @action's routing metadata."""

import json
from http import HTTPMethod

import pytest
from django.contrib.auth.models import User
from django.urls import path

from restcycle.authentication import BasicAuthentication
from restcycle.decorators import (
    MethodMapper,
    action,
    api_view,
    authentication_classes,
    metadata_class,
    parser_classes,
    permission_classes,
    renderer_classes,
    throttle_classes,
)
from restcycle.parsers import JSONParser
from restcycle.permissions import IsAuthenticated
from restcycle.renderers import JSONRenderer
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@api_view(["GET", "POST"])
def greet(request, name):
    """Greets by name."""
    return Response({"hello": name, "method": request.method, "data": request.data})


@api_view()
def only_get(request):
    return Response({"ok": True})


@api_view(["POST"])
@parser_classes([JSONParser])
def json_only(request):
    return Response(
        {"parsers": [type(parser).__name__ for parser in request.parsers], "data": request.data}
    )


class PlainRenderer(JSONRenderer):
    media_type = "application/vnd.plain+json"


@api_view(["GET"])
@renderer_classes([PlainRenderer])
@authentication_classes([BasicAuthentication])
@permission_classes([IsAuthenticated])
def members_only(request):
    return Response({"user": request.user.username})


class NeverThrottle:
    def allow_request(self, request, view):
        return False

    def wait(self):
        return None


@api_view(["GET"])
@throttle_classes([NeverThrottle])
def throttled(request):
    return Response({})


@api_view(["GET"])
@metadata_class(None)
def no_options(request):
    return Response({})


urlpatterns = [
    path("greet/<str:name>/", greet),
    path("only-get/", only_get),
    path("json-only/", json_only),
    path("members/", members_only),
    path("throttled/", throttled),
    path("no-options/", no_options),
]


@pytest.fixture
def client():
    return APIClient()


def body(response):
    return json.loads(response.content)


def test_api_view_calls_the_function_with_request_and_url_kwargs(client):
    assert body(client.get("/greet/ada/")) == {"hello": "ada", "method": "GET", "data": {}}
    response = client.post("/greet/bo/", {"x": 1}, format="json")
    assert body(response) == {"hello": "bo", "method": "POST", "data": {"x": 1}}


def test_api_view_answers_only_listed_methods_and_options(client):
    response = client.put("/greet/ada/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, OPTIONS"
    assert client.options("/greet/ada/").status_code == 200
    assert client.post("/only-get/").status_code == 405
    assert client.get("/only-get/").status_code == 200


def test_api_view_keeps_docstring_and_name_for_metadata(client):
    metadata = body(client.options("/greet/ada/"))
    assert metadata["name"] == "Greet"
    assert metadata["description"] == "Greets by name."


def test_parser_classes_decorator(client):
    response = client.post("/json-only/", {"a": 1}, format="json")
    assert body(response) == {"parsers": ["JSONParser"], "data": {"a": 1}}
    response = client.post("/json-only/", {"a": "b"})
    assert response.status_code == 415


def test_renderer_authentication_and_permission_decorators(client):
    response = client.get("/members/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    User.objects.create_user("ada", password="pw")
    response = client.get("/members/", HTTP_AUTHORIZATION="Basic YWRhOnB3")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.plain+json"
    assert body(response) == {"user": "ada"}


def test_throttle_classes_decorator(client):
    response = client.get("/throttled/")
    assert response.status_code == 429
    assert not response.has_header("Retry-After")


def test_metadata_class_none_makes_options_405(client):
    assert client.options("/no-options/").status_code == 405


def test_bare_api_view_is_an_assertion_when_called():
    @api_view
    def view(request):
        return Response()

    with pytest.raises(AssertionError, match="missing list of allowed HTTP methods"):
        view(None)


def test_api_view_with_a_string_is_an_assertion():
    with pytest.raises(AssertionError, match="expected a list of strings"):

        @api_view("GET")
        def view(request):
            return Response()


def test_policy_decorator_above_api_view_is_a_type_error():
    with pytest.raises(TypeError, match="@permission_classes must come after"):

        @permission_classes([IsAuthenticated])
        @api_view(["GET"])
        def view(request):
            return Response()


def test_api_view_exposes_its_class():
    assert issubclass(greet.cls, APIView)
    assert greet.cls.__name__ == "greet"


def test_action_defaults():
    @action(detail=True)
    def set_password(self, request, pk=None):
        """Change it."""

    assert set_password.mapping == {"get": "set_password"}
    assert set_password.detail is True
    assert set_password.url_path == "set_password"
    assert set_password.url_name == "set-password"
    assert set_password.kwargs == {"name": "Set password", "description": "Change it."}


def test_action_options():
    @action(
        methods=["post", HTTPMethod.DELETE],
        detail=False,
        url_path="bulk",
        url_name="bulk-items",
        suffix="Bulk",
        permission_classes=[IsAuthenticated],
    )
    def items(self, request):
        pass

    assert items.mapping == {"post": "items", "delete": "items"}
    assert items.url_path == "bulk"
    assert items.url_name == "bulk-items"
    assert items.kwargs == {
        "suffix": "Bulk",
        "permission_classes": [IsAuthenticated],
        "description": None,
    }


def test_action_requires_detail_and_refuses_name_with_suffix():
    with pytest.raises(AssertionError, match="missing required argument: 'detail'"):
        action()
    with pytest.raises(TypeError, match="mutually exclusive"):
        action(detail=True, name="x", suffix="y")


def test_method_mapper_adds_handlers_per_method():
    @action(detail=False)
    def items(self, request):
        pass

    @items.mapping.delete
    def delete_items(self, request):
        pass

    assert isinstance(items.mapping, MethodMapper)
    assert items.mapping == {"get": "items", "delete": "delete_items"}
    assert not hasattr(delete_items, "mapping")

    with pytest.raises(AssertionError, match="already been mapped"):

        @items.mapping.get
        def other(self, request):
            pass

    with pytest.raises(AssertionError, match="does not behave like the property decorator"):

        @items.mapping.post
        def items(self, request):  # noqa: F811
            pass
