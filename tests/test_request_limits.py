"""Django's upload limits end the cycle with a rendered 413 that names no setting.

Django itself answers its HTML 400 page (DRF lets that through); restcycle answers 413
Content Too Large (RFC 9110 §15.5.14) through the negotiated renderer, like any API error.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import path

from restcycle.authentication import SessionAuthentication
from restcycle.parsers import FileUploadParser, JSONParser
from restcycle.permissions import IsAuthenticated
from restcycle.response import Response
from restcycle.views import APIView


class EchoView(APIView):
    authentication_classes = []
    permission_classes = []

    def post(self, request, **kwargs):
        files = {name: upload.size for name, upload in request.FILES.items()}
        return Response({"received": request.data if not files else None, "files": files})


class StreamReadingJSONParser(JSONParser):
    """Reads the stream it is given itself, as parsers written for DRF do."""

    def parse(self, stream, media_type=None, parser_context=None):
        return {"parsed_by": "stream", **json.loads(stream.read())}


class StreamReadingEchoView(EchoView):
    parser_classes = [StreamReadingJSONParser]


class SessionEchoView(EchoView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]


class FileEchoView(EchoView):
    parser_classes = [FileUploadParser]


urlpatterns = [
    path("echo/", EchoView.as_view()),
    path("echo-stream/", StreamReadingEchoView.as_view()),
    path("echo-session/", SessionEchoView.as_view()),
    path("echo-file/<str:filename>/", FileEchoView.as_view()),
]
pytestmark = pytest.mark.urls(__name__)

SETTING_NAMES = ("DATA_UPLOAD", "FILE_UPLOAD", "settings.")


def assert_is_a_413_naming_no_setting(response, code="request_too_large"):
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"]
    assert not any(name in body["detail"] for name in SETTING_NAMES)
    return body


def multipart(client, url, data):
    return client.post(url, data, HTTP_ACCEPT="application/json")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", b'{"text": "' + b"x" * 200 + b'"}'),
        ("application/x-www-form-urlencoded", b"text=" + b"x" * 200),
    ],
)
def test_oversized_body_is_a_413_naming_no_setting(client, content_type, body):
    response = client.post("/echo/", body, content_type=content_type)
    body = assert_is_a_413_naming_no_setting(response)
    assert body == {"detail": "Request body is too large."}


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_form_fields_is_a_413(client):
    body = "&".join(f"field{number}=1" for number in range(20))
    response = client.post("/echo/", body, content_type="application/x-www-form-urlencoded")
    body = assert_is_a_413_naming_no_setting(response)
    assert body == {"detail": "Request body has too many fields."}


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_multipart_fields_is_a_413(client):
    response = multipart(client, "/echo/", {f"field{number}": "1" for number in range(20)})
    assert assert_is_a_413_naming_no_setting(response) == {
        "detail": "Request body has too many fields."
    }


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2)
def test_too_many_multipart_files_is_a_413(client):
    files = {f"file{n}": SimpleUploadedFile(f"f{n}.txt", b"data") for n in range(5)}
    response = multipart(client, "/echo/", files)
    assert assert_is_a_413_naming_no_setting(response) == {
        "detail": "Request body has too many files."
    }


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_an_oversized_multipart_field_part_is_a_413(client):
    response = multipart(client, "/echo/", {"text": "x" * 500})
    assert assert_is_a_413_naming_no_setting(response) == {"detail": "Request body is too large."}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100, FILE_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_multipart_file_larger_than_the_memory_limits_is_accepted_and_spooled(client):
    # Django limits the size of form fields, never of files (the web server's limit does).
    upload = SimpleUploadedFile("big.bin", b"y" * 5000)
    response = multipart(client, "/echo/", {"upload": upload})
    assert response.status_code == 200
    assert response.json()["files"] == {"upload": 5000}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_the_413_goes_through_the_negotiated_renderer(client):
    body = b'{"text": "' + b"x" * 200 + b'"}'
    response = client.post("/echo/", body, content_type="application/json", HTTP_ACCEPT="text/html")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"Request body is too large." in response.content
    assert b"DATA_UPLOAD_MAX_MEMORY_SIZE" not in response.content


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
@pytest.mark.django_db
def test_an_oversized_form_from_a_session_user_is_a_413_not_a_csrf_crash(client):
    user = get_user_model().objects.create_user("alice", password="pw")
    client.force_login(user)
    response = client.post(
        "/echo-session/", b"text=" + b"x" * 200, content_type="application/x-www-form-urlencoded"
    )
    assert_is_a_413_naming_no_setting(response)


def test_body_within_the_limits_is_parsed(client):
    response = client.post("/echo/", {"text": "hello"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"received": {"text": "hello"}, "files": {}}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_parser_reading_the_stream_itself_is_held_to_the_limit_too(client):
    body = b'{"text": "' + b"x" * 200 + b'"}'
    response = client.post("/echo-stream/", body, content_type="application/json")
    assert_is_a_413_naming_no_setting(response)


def test_a_parser_reading_the_stream_itself_gets_the_whole_body(client):
    response = client.post("/echo-stream/", {"text": "hello"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"received": {"parsed_by": "stream", "text": "hello"}, "files": {}}


def test_json_nested_too_deeply_stays_a_400_parse_error(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/echo/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nesting depth" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_raw_file_upload_is_not_held_to_the_form_limit(client):
    response = client.post(
        "/echo-file/notes.txt/", b"z" * 1000, content_type="application/octet-stream"
    )
    assert response.status_code == 200
    assert response.json()["files"] == {"file": 1000}
