"""format_suffix_patterns(): `.json`-style suffixes for path() and re_path() patterns,
through include()s, with the format reaching the view."""

import json

import pytest
from django.urls import Resolver404, URLResolver, include, path, re_path, resolve, reverse
from django.urls.resolvers import RegexPattern

from restcycle.decorators import api_view, renderer_classes
from restcycle.renderers import JSONRenderer
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.urlpatterns import format_suffix_patterns

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class AltRenderer(JSONRenderer):
    media_type = "application/vnd.alt+json"
    format = "alt"


@api_view(["GET"])
@renderer_classes([JSONRenderer, AltRenderer])
def thing(request, pk=None, format=None, **kwargs):
    return Response({"pk": pk, "format": format, "extra": kwargs})


urlpatterns = format_suffix_patterns(
    [
        path("things/<int:pk>/", thing, name="thing"),
        re_path(r"^legacy/(?P<pk>[0-9]+)$", thing, name="legacy"),
        path("nested/", include([path("leaf", thing, {"leaf": True}, name="leaf")])),
    ]
)


def resolver_for(patterns):
    return URLResolver(RegexPattern(r"^/"), patterns)


def test_suffix_selects_the_renderer_and_reaches_the_view():
    response = APIClient().get("/things/7.alt")
    assert response["Content-Type"] == "application/vnd.alt+json"
    assert json.loads(response.content) == {"pk": 7, "format": "alt", "extra": {}}


def test_unsuffixed_url_still_resolves():
    assert json.loads(APIClient().get("/things/7/").content)["format"] is None


def test_path_converters_and_trailing_slash_are_kept():
    match = resolve("/things/7.json/")
    assert match.kwargs == {"pk": 7, "format": "json"}
    assert resolve("/things/7.json").kwargs == {"pk": 7, "format": "json"}
    with pytest.raises(Resolver404):
        resolve("/things/7/.json")


def test_re_path_patterns_get_the_suffix():
    assert resolve("/legacy/12").kwargs == {"pk": "12"}
    assert resolve("/legacy/12.api").kwargs == {"pk": "12", "format": "api"}


def test_included_patterns_get_the_suffix_and_keep_default_kwargs():
    assert resolve("/nested/leaf.json").kwargs == {"leaf": True, "format": "json"}


def test_reverse_with_format():
    assert reverse("thing", kwargs={"pk": 3, "format": "json"}) == "/things/3.json"
    assert reverse("legacy", kwargs={"pk": 3, "format": "json"}) == "/legacy/3.json"


def test_allowed_formats_limit_the_suffixes():
    resolver = resolver_for(
        format_suffix_patterns([path("test", thing), re_path(r"^other$", thing)], allowed=["good"])
    )
    assert resolver.resolve("/test.good").kwargs == {"format": "good"}
    assert resolver.resolve("/other.good/").kwargs == {"format": "good"}
    with pytest.raises(Resolver404):
        resolver.resolve("/test.bad")


def test_suffix_required_drops_the_plain_patterns():
    resolver = resolver_for(format_suffix_patterns([path("test", thing)], suffix_required=True))
    assert resolver.resolve("/test.json").kwargs == {"format": "json"}
    with pytest.raises(Resolver404):
        resolver.resolve("/test")
