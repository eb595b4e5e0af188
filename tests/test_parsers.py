"""Parsers through real requests: every built-in parser's good input, and bad input that
must end in a 4xx with a clear body (never a 500)."""

import io
import json
import math
from urllib.parse import quote

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.test import override_settings
from django.urls import path

from restcycle.exceptions import ParseError, RequestTooLarge
from restcycle.parsers import (
    DataAndFiles,
    FileUploadParser,
    FormParser,
    JSONParser,
    MultiPartParser,
    get_encoding,
)
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)


def _named(value):
    """An uploaded file by its name; anything else as it is."""
    return value.name if isinstance(value, UploadedFile) else value


class EchoView(APIView):
    """Returns what the parser made of the body, with uploaded files by name and size."""

    authentication_classes = []
    permission_classes = []

    def post(self, request, **kwargs):
        data = request.data
        if hasattr(data, "lists"):
            data = {key: [_named(value) for value in values] for key, values in data.lists()}
        elif isinstance(data, dict):
            data = {key: _named(value) for key, value in data.items()}
        files = {name: [upload.name, upload.size] for name, upload in request.FILES.items()}
        return Response({"data": data, "files": files})


urlpatterns = [
    path("json", EchoView.as_view(parser_classes=[JSONParser])),
    path("form", EchoView.as_view(parser_classes=[FormParser, MultiPartParser])),
    path("upload", EchoView.as_view(parser_classes=[FileUploadParser])),
    path("upload/<str:filename>", EchoView.as_view(parser_classes=[FileUploadParser])),
]


def post_raw(url, body, content_type, **extra):
    return APIClient().post(url, body, content_type=content_type, **extra)


class TestJSONParser:
    def test_json_body_becomes_request_data(self):
        response = post_raw("/json", b'{"name": "ada", "tags": [1, 2.5, null]}', "application/json")
        assert response.status_code == 200
        assert response.json()["data"] == {"name": "ada", "tags": [1, 2.5, None]}

    def test_malformed_json_is_a_400_naming_the_problem(self):
        response = post_raw("/json", b"f00bar", "application/json")
        assert response.status_code == 400
        assert response.json() == {
            "detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"
        }

    def test_trailing_garbage_is_a_400(self):
        response = post_raw("/json", b'{"a": 1} x', "application/json")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("JSON parse error - Extra data")

    def test_invalid_utf8_is_a_400(self):
        response = post_raw("/json", b'{"a": "\xff"}', "application/json")
        assert response.status_code == 400
        assert "codec can't decode" in response.json()["detail"]

    @pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
    def test_nan_and_infinity_are_refused_by_default(self, literal):
        response = post_raw("/json", f'{{"x": {literal}}}'.encode(), "application/json")
        assert response.status_code == 400
        assert "Out of range float values are not JSON compliant" in response.json()["detail"]

    def test_nan_and_infinity_are_accepted_without_strict_json(self):
        parser = JSONParser()
        parser.strict = False
        assert parser.parse(io.BytesIO(b"Infinity")) == math.inf
        assert parser.parse(io.BytesIO(b"-Infinity")) == -math.inf
        assert math.isnan(parser.parse(io.BytesIO(b"NaN")))

    @override_settings(REST_FRAMEWORK={"STRICT_JSON": False})
    def test_strict_json_setting_is_followed(self):
        assert JSONParser().parse(io.BytesIO(b"[Infinity]")) == [math.inf]

    def test_deeply_nested_json_is_a_400_not_a_server_error(self):
        body = b"[" * 100_000 + b"]" * 100_000
        response = post_raw("/json", body, "application/json")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("JSON parse error - ")

    def test_integers_beyond_64_bits_stay_exact(self):
        big = 123456789012345678901234567890
        response = post_raw(
            "/json", json.dumps({"n": big, "m": -(2**70)}).encode(), "application/json"
        )
        assert response.json()["data"] == {"n": big, "m": -(2**70)}

    def test_number_too_large_for_a_float_reads_as_infinity_as_in_python(self):
        assert JSONParser().parse(io.BytesIO(b"[1e400]")) == [math.inf]

    def test_declared_charset_is_used_to_decode(self):
        body = '{"name": "ÀĥƦ"}'.encode("utf-16")
        response = post_raw("/json", body, "application/json; charset=utf-16")
        assert response.json()["data"] == {"name": "ÀĥƦ"}

    def test_byte_transform_charset_is_a_400(self):
        response = post_raw("/json", b"e30=", "application/json; charset=base64")
        assert response.status_code == 400
        assert response.json() == {
            "detail": 'Unsupported charset "base64" in request Content-Type header.'
        }

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=20)
    def test_body_over_the_upload_limit_is_a_413(self):
        response = post_raw("/json", b'{"padding": "' + b"x" * 50 + b'"}', "application/json")
        assert response.status_code == 413

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=20)
    def test_parser_refuses_an_oversized_stream_by_itself(self):
        with pytest.raises(RequestTooLarge) as caught:
            JSONParser().parse(io.BytesIO(b"[" + b"1," * 40 + b"1]"))
        assert caught.value.detail == "Request body is too large."  # what the client reads
        assert isinstance(caught.value, RequestDataTooBig)
        # Code that catches Django's exception reads Django's text, as under DRF.
        assert str(caught.value) == "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."

    def test_other_content_type_is_a_415(self):
        response = post_raw("/json", b"<a>1</a>", "application/xml")
        assert response.status_code == 415
        assert response.json() == {"detail": 'Unsupported media type "application/xml" in request.'}


class TestFormParser:
    def test_urlencoded_body_becomes_a_querydict(self):
        response = post_raw("/form", b"a=1&a=2&b=%C3%A9", "application/x-www-form-urlencoded")
        assert response.status_code == 200
        assert response.json()["data"] == {"a": ["1", "2"], "b": ["é"]}

    def test_declared_charset_is_used_to_decode(self):
        data = FormParser().parse(
            io.BytesIO("name=À".encode("iso-8859-1")), parser_context={"encoding": "latin-1"}
        )
        assert data["name"] == "À"

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3)
    def test_too_many_fields_is_a_413(self):
        response = post_raw("/form", b"a=1&b=2&c=3&d=4&e=5", "application/x-www-form-urlencoded")
        assert response.status_code == 413

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
    def test_body_over_the_upload_limit_is_a_413(self):
        response = post_raw("/form", b"a=" + b"x" * 40, "application/x-www-form-urlencoded")
        assert response.status_code == 413


class TestMultiPartParser:
    def test_fields_and_files_are_parsed(self):
        upload = SimpleUploadedFile("notes.txt", b"hello world")
        response = APIClient().post("/form", {"title": "t", "upload": upload})
        assert response.status_code == 200
        assert response.json() == {
            "data": {"title": ["t"], "upload": ["notes.txt"]},
            "files": {"upload": ["notes.txt", 11]},
        }

    def test_parse_returns_data_and_files(self):
        boundary = "XyZ"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
            f"--{boundary}--\r\n"
        ).encode()

        class HttpLikeRequest:
            META = {"CONTENT_LENGTH": str(len(body))}
            upload_handlers = [MemoryFileUploadHandler()]

        result = MultiPartParser().parse(
            io.BytesIO(body),
            f"multipart/form-data; boundary={boundary}",
            {"request": HttpLikeRequest(), "encoding": "utf-8"},
        )
        assert isinstance(result, DataAndFiles)
        assert result.data["a"] == "1"
        assert not result.files

    def test_missing_boundary_is_a_400(self):
        response = post_raw("/form", b"garbage", "multipart/form-data")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Multipart form parse error - ")

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2)
    def test_too_many_fields_is_a_413(self):
        response = APIClient().post("/form", {"a": "1", "b": "2", "c": "3", "d": "4"})
        assert response.status_code == 413
        assert response.json() == {"detail": "Request body has too many fields."}

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=1)
    def test_too_many_files_is_a_413(self):
        files = {f"f{n}": SimpleUploadedFile(f"{n}.txt", b"x") for n in range(3)}
        response = APIClient().post("/form", files)
        assert response.status_code == 413
        assert response.json() == {"detail": "Request body has too many files."}

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
    def test_field_over_the_memory_limit_is_a_413(self):
        response = APIClient().post("/form", {"text": "x" * 100})
        assert response.status_code == 413
        assert response.json() == {"detail": "Request body is too large."}

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
    def test_file_content_does_not_count_toward_the_memory_limit(self):
        upload = SimpleUploadedFile("big.bin", b"x" * 1000)
        response = APIClient().post("/form", {"upload": upload})
        assert response.status_code == 200
        assert response.json()["files"] == {"upload": ["big.bin", 1000]}

    def test_byte_transform_charset_is_a_400(self):
        response = post_raw("/form", b"x", "multipart/form-data; boundary=a; charset=zlib")
        assert response.status_code == 400
        assert response.json() == {
            "detail": 'Unsupported charset "zlib" in request Content-Type header.'
        }


class TestFileUploadParser:
    def test_filename_from_content_disposition(self):
        response = post_raw(
            "/upload",
            b"file body",
            "application/octet-stream",
            HTTP_CONTENT_DISPOSITION="attachment; filename=report.csv",
        )
        assert response.status_code == 200
        assert response.json()["files"] == {"file": ["report.csv", 9]}

    def test_encoded_filename_is_preferred(self):
        encoded = quote("ÀĥƦ.txt")
        response = post_raw(
            "/upload",
            b"abc",
            "text/plain",
            HTTP_CONTENT_DISPOSITION=f"attachment; filename=plain.txt; filename*=utf-8''{encoded}",
        )
        assert response.json()["files"] == {"file": ["ÀĥƦ.txt", 3]}

    def test_filename_from_url_keyword(self):
        response = post_raw("/upload/photo.png", b"\x89PNG", "image/png")
        assert response.json()["files"] == {"file": ["photo.png", 4]}

    def test_missing_filename_is_a_400(self):
        response = post_raw("/upload", b"abc", "application/octet-stream")
        assert response.status_code == 400
        assert response.json() == {
            "detail": "Missing filename. Request should include a Content-Disposition header "
            "with a filename parameter."
        }

    @override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10)
    def test_large_upload_goes_to_a_temporary_file(self):
        response = post_raw(
            "/upload",
            b"y" * 5000,
            "application/octet-stream",
            HTTP_CONTENT_DISPOSITION="attachment; filename=big.bin",
        )
        assert response.json()["files"] == {"file": ["big.bin", 5000]}


class TestGetEncoding:
    def test_defaults_to_default_charset(self):
        assert get_encoding({}) == "utf-8"

    def test_text_encodings_are_returned_as_given(self):
        assert get_encoding({"encoding": "UTF8"}) == "UTF8"
        assert get_encoding({"encoding": "latin-1"}) == "latin-1"

    @pytest.mark.parametrize("encoding", ["base64", "bz2", "hex", "rot13", "undefined", "nope"])
    def test_non_text_and_unknown_encodings_are_parse_errors(self, encoding):
        with pytest.raises(ParseError):
            get_encoding({"encoding": encoding})
