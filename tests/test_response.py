"""`Response` through real views: status, headers, content type, empty bodies, caching
(pickling) and the mistakes it refuses."""

import pickle

import pytest
from django.core.cache import cache
from django.urls import path

from restcycle import serializers, status
from restcycle.renderers import BaseRenderer, JSONRenderer
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)


class TextRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "txt"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return str(data).encode() if data else b""


class Open(APIView):
    authentication_classes = []
    permission_classes = []


class CreatedView(Open):
    def post(self, request):
        return Response(
            {"id": 7}, status=status.HTTP_201_CREATED, headers={"Location": "/things/7"}
        )


class EmptyView(Open):
    def delete(self, request):
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExplicitTypeView(Open):
    def get(self, request):
        return Response({"a": 1}, content_type="application/vnd.custom+json")


class TextView(Open):
    renderer_classes = [TextRenderer, JSONRenderer]

    def get(self, request):
        return Response("" if request.query_params.get("empty") else "hello")


class ItemSerializer(serializers.Serializer):
    name = serializers.CharField()


class SerializerInsteadOfDataView(Open):
    def get(self, request):
        return Response(ItemSerializer({"name": "x"}))


urlpatterns = [
    path("created", CreatedView.as_view()),
    path("empty", EmptyView.as_view()),
    path("explicit", ExplicitTypeView.as_view()),
    path("text", TextView.as_view()),
    path("serializer", SerializerInsteadOfDataView.as_view()),
]


def test_status_headers_and_json_body():
    response = APIClient().post("/created")
    assert response.status_code == 201
    assert response["Location"] == "/things/7"
    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"id":7}'


def test_no_content_response_has_no_body_and_no_content_type():
    response = APIClient().delete("/empty")
    assert response.status_code == 204
    assert response.content == b""
    assert not response.has_header("Content-Type")


def test_content_type_given_to_the_response_wins():
    response = APIClient().get("/explicit")
    assert response["Content-Type"] == "application/vnd.custom+json"
    assert response.content == b'{"a":1}'


def test_renderer_charset_is_appended_to_its_media_type():
    response = APIClient().get("/text")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"hello"


def test_empty_rendered_body_drops_the_content_type():
    response = APIClient().get("/text?empty=1")
    assert response.content == b""
    assert not response.has_header("Content-Type")


def test_head_request_has_headers_but_no_body():
    response = APIClient().head("/text")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b""


def test_passing_a_serializer_instead_of_its_data_is_an_assertion_error():
    with pytest.raises(AssertionError, match="You passed a Serializer instance as data"):
        APIClient().get("/serializer")


def test_defaults_and_status_text():
    response = Response()
    assert response.status_code == 200
    assert response.data is None
    assert response.exception is False
    assert response.template_name is None
    assert response.content_type is None
    assert response.status_text == "OK"
    assert Response(status=418).status_text == "I'm a Teapot"
    assert Response(status=599).status_text == ""


def test_rendering_needs_the_negotiated_renderer():
    with pytest.raises(AssertionError, match="accepted_renderer"):
        Response({"a": 1}).render()


def test_response_is_subscriptable_for_type_hints():
    assert Response[dict] is Response


@pytest.mark.django_db
def test_rendered_response_survives_the_cache():
    response = APIClient().post("/created")
    cache.set("transport-response", response)
    cached = cache.get("transport-response")
    assert isinstance(cached, Response)
    assert cached.status_code == 201
    assert cached.content == response.content
    assert cached["Location"] == "/things/7"


def test_pickled_state_leaves_out_renderer_and_request():
    response = APIClient().post("/created")
    state = response.__getstate__()
    for attribute in ("accepted_renderer", "renderer_context", "request", "wsgi_request"):
        assert attribute not in state
    restored = pickle.loads(pickle.dumps(response))
    assert restored.data == {"id": 7}
    assert not hasattr(restored, "accepted_renderer")
