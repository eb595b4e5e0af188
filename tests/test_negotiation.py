"""Content negotiation through real views: which renderer answers which Accept header,
`?format=` and URL suffixes, 406 and 404, and the limits on what a client can make the
server parse."""

from unittest import mock

import pytest
from django.http import QueryDict
from django.test import RequestFactory, override_settings
from django.urls import path, re_path

from restcycle import exceptions
from restcycle.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from restcycle.parsers import FormParser, JSONParser, MultiPartParser
from restcycle.renderers import BaseRenderer, JSONRenderer
from restcycle.request import Request
from restcycle.response import Response
from restcycle.test import APIClient, APIRequestFactory
from restcycle.utils import mediatypes
from restcycle.utils.mediatypes import (
    _MediaType,
    media_type_matches,
    order_by_precedence,
    order_parsed_by_precedence,
)
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)
factory = APIRequestFactory()


class PlainTextRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "txt"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return f"text:{data['name']}"


class VersionedRenderer(BaseRenderer):
    media_type = "application/vnd.example+json; version=2"
    format = "v2"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"v2"


class ItemView(APIView):
    authentication_classes = []
    permission_classes = []
    renderer_classes = [JSONRenderer, PlainTextRenderer, VersionedRenderer]

    def get(self, request, format=None):
        return Response({"name": "item", "media_type": request.accepted_media_type})


class TextFirstView(ItemView):
    renderer_classes = [PlainTextRenderer, JSONRenderer]


class IgnoresAcceptNegotiation(DefaultContentNegotiation):
    """Reads the Accept header its own way: always as `application/json`."""

    def get_accept_list(self, request):
        return ["application/json"]


class IgnoresAcceptView(ItemView):
    content_negotiation_class = IgnoresAcceptNegotiation


urlpatterns = [
    path("item", ItemView.as_view()),
    path("text-first", TextFirstView.as_view()),
    path("ignores-accept", IgnoresAcceptView.as_view()),
    re_path(r"^item\.(?P<format>[a-z0-9]+)$", ItemView.as_view()),
]


def get(accept=None, url="/item"):
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    return APIClient().get(url, **extra)


@pytest.mark.parametrize(
    ("accept", "content_type", "accepted"),
    [
        (None, "application/json", "application/json"),
        ("*/*", "application/json", "application/json"),
        ("application/*", "application/json", "application/json"),
        ("text/*", "text/plain; charset=utf-8", "text/plain"),
        ("text/plain", "text/plain; charset=utf-8", "text/plain"),
        ("application/json; indent=4", "application/json", "application/json; indent=4"),
        ("*/*; indent=2", "application/json", "application/json;indent=2"),
        ("text/html, text/plain", "text/plain; charset=utf-8", "text/plain"),
        # More specific types win over earlier, less specific ones.
        ("*/*, text/plain", "text/plain; charset=utf-8", "text/plain"),
        ("application/*, text/plain", "text/plain; charset=utf-8", "text/plain"),
        # Equally specific types: the view's renderer order decides, not the header's.
        ("text/plain, application/json", "application/json", "application/json"),
        # q values are not considered, as in DRF.
        (
            "text/plain; q=1.0, application/json; q=0.1",
            "application/json",
            "application/json; q=0.1",
        ),
        # A renderer's own parameters must be asked for.
        (
            "application/vnd.example+json; version=2",
            "application/vnd.example+json; version=2; charset=utf-8",
            "application/vnd.example+json; version=2",
        ),
    ],
)
def test_accept_header_selects_renderer(accept, content_type, accepted):
    response = get(accept)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    if content_type == "application/json":
        assert response.json() == {"name": "item", "media_type": accepted}


def test_unsatisfiable_accept_header_is_a_406_listing_nothing_else():
    response = get("image/png")
    assert response.status_code == 406
    assert response.json() == {"detail": "Could not satisfy the request Accept header."}


def test_renderer_parameters_missing_from_accept_do_not_match():
    response = get("application/vnd.example+json")
    assert response.status_code == 406


def test_format_query_parameter_selects_renderer():
    response = APIClient().get("/item?format=txt")
    assert response.content == b"text:item"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_format_query_parameter_overrides_accept_header():
    response = APIClient().get("/item?format=txt", HTTP_ACCEPT="application/json")
    assert response.status_code == 406


def test_format_suffix_selects_renderer():
    assert get(url="/item.txt").content == b"text:item"
    assert get(url="/item.json").json()["name"] == "item"


def test_unknown_format_is_a_404():
    assert get(url="/item.xml").status_code == 404
    assert APIClient().get("/item?format=xml").status_code == 404


@override_settings(REST_FRAMEWORK={"URL_FORMAT_OVERRIDE": None})
def test_format_query_parameter_can_be_switched_off():
    response = APIClient().get("/item?format=txt")
    assert response["Content-Type"] == "application/json"


@override_settings(REST_FRAMEWORK={"URL_FORMAT_OVERRIDE": "as"})
def test_format_query_parameter_name_comes_from_settings():
    assert APIClient().get("/item?as=txt").content == b"text:item"


class TestLimits:
    def setup_method(self):
        self.negotiator = DefaultContentNegotiation()
        self.renderers = [JSONRenderer(), PlainTextRenderer()]

    def accept_list(self, header):
        return self.negotiator.get_accept_list(Request(factory.get("/", HTTP_ACCEPT=header)))

    def test_header_longer_than_the_limit_drops_the_cut_token(self):
        limit = self.negotiator.max_accept_header_length
        header = "text/plain," + " " * (limit - 11 - 16) + "application/json"
        assert len(header) == limit
        assert self.accept_list(header) == ["text/plain", "application/json"]
        assert self.accept_list(header + "x") == ["text/plain"]

    def test_overlong_tokens_are_ignored(self):
        token = "application/json; pad=" + "x" * self.negotiator.max_media_type_length
        assert self.accept_list(f"{token}, text/plain") == ["text/plain"]

    def test_only_the_first_tokens_count(self):
        tokens = [f"x/y{n}" for n in range(self.negotiator.max_accept_tokens)]
        assert self.accept_list(", ".join([*tokens, "application/json"])) == tokens

    def test_accept_tokens_are_parsed_once_per_request(self):
        request = Request(factory.get("/", HTTP_ACCEPT="text/plain; level=1"))
        with mock.patch.object(
            mediatypes, "parse_header_parameters", wraps=mediatypes.parse_header_parameters
        ) as parse:
            self.negotiator.select_renderer(request, self.renderers)
            self.negotiator.select_renderer(request, self.renderers)
        assert parse.call_args_list.count(mock.call("text/plain; level=1")) == 1

    def test_overlong_content_type_selects_no_parser(self):
        content_type = "application/json; pad=" + "x" * self.negotiator.max_media_type_length
        request = Request(factory.post("/", b"{}", content_type=content_type))
        assert self.negotiator.select_parser(request, [JSONParser()]) is None


class TestSelectParser:
    def select(self, content_type):
        request = Request(RequestFactory().post("/", b"x", content_type=content_type))
        parsers = [JSONParser(), FormParser(), MultiPartParser()]
        return DefaultContentNegotiation().select_parser(request, parsers)

    def test_parser_is_chosen_by_content_type(self):
        assert isinstance(self.select("application/json"), JSONParser)
        assert isinstance(self.select("application/json; charset=utf-8"), JSONParser)
        assert isinstance(self.select("application/x-www-form-urlencoded"), FormParser)
        assert isinstance(self.select("multipart/form-data; boundary=x"), MultiPartParser)

    def test_unknown_content_type_selects_nothing(self):
        assert self.select("application/xml") is None
        assert self.select("") is None


def test_base_negotiation_methods_must_be_implemented():
    negotiator = BaseContentNegotiation()
    with pytest.raises(NotImplementedError):
        negotiator.select_parser(None, [])
    with pytest.raises(NotImplementedError):
        negotiator.select_renderer(None, [])


def test_filter_renderers_raises_404_when_no_format_matches():
    from django.http import Http404

    with pytest.raises(Http404):
        DefaultContentNegotiation().filter_renderers([JSONRenderer()], "xml")


def test_no_matching_renderer_raises_not_acceptable_with_the_candidates():
    renderers = [JSONRenderer()]
    request = Request(factory.get("/", HTTP_ACCEPT="text/csv"))
    with pytest.raises(exceptions.NotAcceptable) as caught:
        DefaultContentNegotiation().select_renderer(request, renderers)
    assert caught.value.available_renderers == renderers


class TestMediaTypes:
    def test_matching_honours_wildcards_and_parameters(self):
        assert media_type_matches("application/json", "application/*")
        assert media_type_matches("application/json", "*/*")
        assert media_type_matches("application/json", "application/json; indent=4")
        assert not media_type_matches("application/json; version=2", "application/json")
        assert not media_type_matches("text/html", "application/json")

    def test_precedence_levels(self):
        assert _MediaType("*/*").precedence == 0
        assert _MediaType("text/*").precedence == 1
        assert _MediaType("text/html").precedence == 2
        assert _MediaType("text/html; q=0.5").precedence == 2
        assert _MediaType("text/html; level=1").precedence == 3

    def test_order_by_precedence_groups_most_specific_first(self):
        ordered = order_by_precedence(["*/*", "text/html", "text/*", "text/html; level=1"])
        assert ordered == [{"text/html; level=1"}, {"text/html"}, {"text/*"}, {"*/*"}]

    def test_parsed_media_types_compare_by_value(self):
        assert _MediaType("application/json") == _MediaType("Application/JSON")
        assert _MediaType("application/json") != _MediaType("application/json; indent=4")
        assert order_parsed_by_precedence([_MediaType("a/b"), _MediaType("a/b")]) == [
            {_MediaType("a/b")}
        ]

    def test_string_form_and_unparsable_values(self):
        assert str(_MediaType("test/*; foo=bar")) == "test/*; foo=bar"
        with mock.patch.object(mediatypes, "parse_header_parameters", side_effect=ValueError):
            broken = _MediaType("application/json")
        assert broken.full_type == ""
        assert broken.params == {}


def test_same_accept_header_picks_each_views_own_first_renderer():
    for _ in range(2):
        assert get("*/*")["Content-Type"] == "application/json"
        assert get("*/*", url="/text-first")["Content-Type"] == "text/plain; charset=utf-8"
        assert get("text/plain, application/json", url="/text-first").content == b"text:item"


def test_repeated_unsatisfiable_accept_header_stays_a_406():
    for _ in range(3):
        response = get("image/webp")
        assert response.status_code == 406
        assert response.json() == {"detail": "Could not satisfy the request Accept header."}


def test_negotiator_overriding_get_accept_list_is_asked_every_time():
    for _ in range(2):
        response = get("text/plain", url="/ignores-accept")
        assert response.status_code == 200
        assert response.json()["media_type"] == "application/json"


def test_format_parameter_put_on_request_get_by_middleware_is_honoured():
    request = factory.get("/item")
    request.GET = QueryDict("format=txt")
    response = ItemView.as_view()(request)
    response.render()
    assert response.content == b"text:item"


def test_accept_header_with_parameters_is_parsed_once_per_request():
    token = "text/plain; q=0.5"
    with mock.patch.object(
        mediatypes, "parse_header_parameters", wraps=mediatypes.parse_header_parameters
    ) as parse:
        for expected_parses in (1, 2):
            response = get(token)
            assert response["Content-Type"] == "text/plain; charset=utf-8"
            assert parse.call_args_list.count(mock.call(token)) == expected_parses


def test_not_acceptable_response_parses_the_accept_header_once():
    token = "text/csv; header=present"
    with mock.patch.object(
        mediatypes, "parse_header_parameters", wraps=mediatypes.parse_header_parameters
    ) as parse:
        response = get(token)
    assert response.status_code == 406
    assert parse.call_args_list.count(mock.call(token)) == 1
