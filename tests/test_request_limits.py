"""Django's upload limits end the cycle with a JSON 400, never Django's HTML error page."""

import pytest
from django.test import override_settings
from django.urls import path

from restcycle.parsers import JSONParser
from restcycle.response import Response
from restcycle.views import APIView


class EchoView(APIView):
    authentication_classes = []
    permission_classes = []

    def post(self, request):
        return Response({"received": request.data})


class StreamReadingJSONParser(JSONParser):
    """Reads the stream it is given itself, as parsers written for DRF do."""

    def parse(self, stream, media_type=None, parser_context=None):
        import json

        return {"parsed_by": "stream", **json.loads(stream.read())}


class StreamReadingEchoView(EchoView):
    parser_classes = [StreamReadingJSONParser]


urlpatterns = [
    path("echo/", EchoView.as_view()),
    path("echo-stream/", StreamReadingEchoView.as_view()),
]
pytestmark = pytest.mark.urls(__name__)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", b'{"text": "' + b"x" * 200 + b'"}'),
        ("application/x-www-form-urlencoded", b"text=" + b"x" * 200),
    ],
)
def test_oversized_body_is_a_json_400(client, content_type, body):
    response = client.post("/echo/", body, content_type=content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_form_fields_is_a_json_400(client):
    body = "&".join(f"field{number}=1" for number in range(20))
    response = client.post("/echo/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_body_within_the_limits_is_parsed(client):
    response = client.post("/echo/", {"text": "hello"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"received": {"text": "hello"}}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_parser_reading_the_stream_itself_is_held_to_the_limit_too(client):
    body = b'{"text": "' + b"x" * 200 + b'"}'
    response = client.post("/echo-stream/", body, content_type="application/json")
    assert response.status_code == 400
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]


def test_a_parser_reading_the_stream_itself_gets_the_whole_body(client):
    response = client.post("/echo-stream/", {"text": "hello"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"received": {"parsed_by": "stream", "text": "hello"}}
