"""Property-based fuzzing (hypothesis) of the parsers and of every field's input path.

No body, Content-Type or value gives anything but a 2xx/4xx: a parser either parses
or raises a 4xx error, and a field's `run_validation` either returns or raises
ValidationError. The example project's views are fuzzed in test_fuzz_example.py.
"""

import contextlib
import datetime
import os
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client, RequestFactory
from django.urls import path
from hypothesis import given
from hypothesis import strategies as st

from restcycle import fields, relations
from restcycle.exceptions import ValidationError
from restcycle.fields import SkipField
from restcycle.parsers import FileUploadParser, FormParser, JSONParser, MultiPartParser
from restcycle.request import Request
from restcycle.response import Response
from restcycle.views import APIView
from tests._fuzz import json_values, scalars, text


class EchoView(APIView):
    """Parses the body with every stock parser and answers what it read."""

    authentication_classes = []
    permission_classes = []
    parser_classes = [JSONParser, FormParser, MultiPartParser, FileUploadParser]

    def post(self, request, **kwargs):
        files = {name: upload.size for name, upload in request.FILES.items()}
        data = request.data
        return Response({"kind": type(data).__name__, "files": files})


class UserDetail(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request, pk):
        return Response({"pk": pk})


urlpatterns = [
    path("echo/", EchoView.as_view()),
    path("upload/<str:filename>/", EchoView.as_view()),
    path("users/<int:pk>/", UserDetail.as_view(), name="user-detail"),
]
pytestmark = pytest.mark.urls(__name__)

MEDIA_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "application/json; charset=latin-1",
    "application/json; charset=base64",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-32",
    "multipart/form-data; boundary=BoUnDaRy",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/octet-stream",
    "text/plain",
    "",
]
content_types = st.one_of(
    st.sampled_from(MEDIA_TYPES),
    st.builds(
        lambda base, param: f"{base}; {as_wsgi_header(param)}", st.sampled_from(MEDIA_TYPES), text
    ),
)


def as_wsgi_header(value):
    """A header value as a WSGI server hands it over: its bytes read as latin-1."""
    return value.encode("utf-8", "surrogatepass").decode("latin-1")


def multipart_body(parts):
    """A multipart body with the boundary `BoUnDaRy` from (headers, content) pairs."""
    chunks = []
    for headers, content in parts:
        chunks.append(b"--BoUnDaRy\r\n" + headers + b"\r\n\r\n" + content + b"\r\n")
    return b"".join(chunks) + b"--BoUnDaRy--\r\n"


part_headers = st.one_of(
    st.binary(max_size=80),
    st.builds(
        lambda name, filename: (
            f'Content-Disposition: form-data; name="{name}"'
            + ("" if filename is None else f'; filename="{filename}"')
        ).encode("utf-8", "surrogatepass"),
        text,
        st.none() | text,
    ),
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: repr(value).encode("utf-8", "surrogatepass")),
    st.builds(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass"),
        st.lists(st.tuples(text, text), max_size=6),
    ),
    st.lists(st.tuples(part_headers, st.binary(max_size=60)), max_size=4).map(multipart_body),
)


def assert_not_a_server_error(response):
    assert response.status_code < 500, response.content[:500]


@given(body=bodies, content_type=content_types)
def test_no_body_and_content_type_gives_a_server_error(body, content_type):
    response = Client().generic(
        "POST", "/echo/", body, content_type=content_type, HTTP_ACCEPT="application/json"
    )
    assert_not_a_server_error(response)


@given(
    body=st.binary(max_size=300),
    filename=text.filter(lambda name: name and "/" not in name),
    disposition=st.none() | text,
)
def test_no_raw_file_upload_gives_a_server_error(body, filename, disposition):
    headers = {"HTTP_ACCEPT": "application/json"}
    if disposition is not None:
        headers["HTTP_CONTENT_DISPOSITION"] = as_wsgi_header(disposition)
    url = "/upload/" + quote(filename.encode("utf-8", "surrogatepass"), safe="") + "/"
    response = Client().generic(
        "POST", url, body, content_type="application/octet-stream", **headers
    )
    assert_not_a_server_error(response)


@given(body=bodies, content_type=content_types)
def test_a_parser_called_directly_raises_only_api_errors(body, content_type):
    # What a parser raises reaches the view's handler; it must be an APIException.
    from restcycle.exceptions import APIException

    http_request = RequestFactory().generic("POST", "/echo/", body, content_type=content_type)
    request = Request(http_request, parsers=[parser() for parser in EchoView.parser_classes])
    request.parser_context["kwargs"] = {"filename": "upload.bin"}
    with contextlib.suppress(APIException):
        request.data  # noqa: B018


# --- every field's to_internal_value ----------------------------------------------------


def field_instances():
    """One (or a few) configured instance of every concrete field class."""
    here = os.path.dirname(__file__)
    return [
        fields.BooleanField(),
        fields.BooleanField(allow_null=True),
        fields.CharField(max_length=10, min_length=2),
        fields.CharField(allow_blank=True, trim_whitespace=False),
        fields.EmailField(),
        fields.RegexField(r"^[a-z]+\d*$"),
        fields.SlugField(allow_unicode=True),
        fields.URLField(),
        fields.UUIDField(),
        fields.UUIDField(format="int"),
        fields.IPAddressField(),
        fields.IPAddressField(protocol="both", unpack_ipv4=True),
        fields.IntegerField(min_value=-5, max_value=10**12),
        fields.BigIntegerField(),
        fields.FloatField(min_value=0.0),
        fields.DecimalField(max_digits=6, decimal_places=2),
        fields.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=False),
        fields.DecimalField(max_digits=8, decimal_places=3, normalize_output=True),
        fields.DateTimeField(),
        fields.DateTimeField(input_formats=["%d/%m/%Y %H:%M", "iso-8601"]),
        fields.DateTimeField(default_timezone=datetime.UTC),
        fields.DateField(),
        fields.DateField(input_formats=["%Y%m%d"]),
        fields.TimeField(),
        fields.DurationField(max_value=datetime.timedelta(days=9999)),
        fields.ChoiceField(choices=[(1, "one"), ("two", "Two"), ("Group", [("x", "X")])]),
        fields.MultipleChoiceField(choices=["a", "b", "c"], allow_empty=False),
        fields.FilePathField(path=here, match=r".*\.py$"),
        fields.FileField(max_length=20),
        fields.ImageField(),
        fields.ListField(child=fields.IntegerField(), max_length=3),
        fields.ListField(child=fields.ListField(child=fields.CharField())),
        fields.DictField(child=fields.DateField()),
        fields.HStoreField(),
        fields.JSONField(),
        fields.JSONField(binary=True),
        fields.HiddenField(default="hidden"),
        fields.ReadOnlyField(),
        fields.ModelField(model_field=models.PositiveSmallIntegerField()),
        fields.ModelField(model_field=models.CharField(max_length=5)),
    ]


def upload_name(name):
    """A name Django's upload classes accept (they refuse paths, "." and ".." themselves)."""
    name = os.path.basename(name.replace("\x00", ""))
    return name if name not in ("", ".", "..") else "f"


uploads = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    text.map(upload_name),
    st.binary(max_size=200),
)
field_inputs = st.one_of(json_values, uploads, st.binary(max_size=30), scalars)


@pytest.mark.parametrize("field", field_instances(), ids=lambda field: type(field).__name__)
@given(value=field_inputs)
def test_a_field_accepts_or_refuses_any_value_with_a_validation_error(field, value):
    # The serializer turns Django's ValidationError into a field error, and SkipField
    # (read-only and hidden fields) into "no value".
    with contextlib.suppress(ValidationError, DjangoValidationError, SkipField):
        field.run_validation(value)


related_inputs = st.one_of(json_values, st.sampled_from(["1", 1, "/users/1/", "http://x/"]))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["pk", "slug", "hyperlink", "many"])
@given(value=related_inputs)
def test_a_related_field_accepts_or_refuses_any_value_with_a_validation_error(kind, value):
    if not User.objects.exists():
        User.objects.create_user("reader")
    queryset = User.objects.all()
    field = {
        "pk": lambda: relations.PrimaryKeyRelatedField(queryset=queryset),
        "slug": lambda: relations.SlugRelatedField(queryset=queryset, slug_field="username"),
        "hyperlink": lambda: relations.HyperlinkedRelatedField(
            view_name="user-detail", queryset=queryset
        ),
        "many": lambda: relations.PrimaryKeyRelatedField(queryset=queryset, many=True),
    }[kind]()
    field.bind("related", None)
    field._context = {"request": Request(RequestFactory().get("/"))}
    with contextlib.suppress(ValidationError):
        field.run_validation(value)


def test_the_field_list_covers_every_field_class():
    # A field class added to restcycle.fields must be fuzzed too.
    import inspect

    fuzzed = {type(field) for field in field_instances()}
    concrete = {
        cls
        for name, cls in vars(fields).items()
        if inspect.isclass(cls)
        and issubclass(cls, fields.Field)
        and not name.startswith("_")
        and cls not in (fields.Field, fields.SerializerMethodField)
    }
    assert concrete - fuzzed == set()
