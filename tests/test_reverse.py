"""reverse(): absolute with a request, versioned by the request's scheme, keeping ?format=."""

import json

import pytest
from django.urls import NoReverseMatch, path

from restcycle.decorators import api_view, versioning_class
from restcycle.response import Response
from restcycle.reverse import preserve_builtin_query_params, reverse, reverse_lazy
from restcycle.test import APIClient, APIRequestFactory
from restcycle.versioning import URLPathVersioning

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@api_view(["GET"])
def item(request, pk, version=None, format=None):
    return Response({"self": reverse("item", kwargs={"pk": pk}, request=request)})


@api_view(["GET"])
@versioning_class(URLPathVersioning)
def versioned_item(request, version, pk):
    return Response(
        {
            "self": reverse("versioned-item", kwargs={"pk": pk}, request=request),
            "plain": reverse("item", kwargs={"pk": pk}, request=request),
        }
    )


urlpatterns = [
    path("items/<int:pk>/", item, name="item"),
    path("items/<int:pk>.<str:format>", item, name="item-format"),
    path("<str:version>/items/<int:pk>/", versioned_item, name="versioned-item"),
]


class RefusingScheme:
    def reverse(self, *args, **kwargs):
        raise NoReverseMatch("not versioned here")


def test_reverse_without_request_is_a_path():
    assert reverse("item", kwargs={"pk": 3}) == "/items/3/"
    assert str(reverse_lazy("item", kwargs={"pk": 4})) == "/items/4/"


def test_reverse_with_request_is_absolute():
    request = APIRequestFactory().get("/")
    assert reverse("item", args=[3], request=request) == "http://testserver/items/3/"


def test_reverse_with_format_adds_the_format_kwarg():
    kwargs = {"pk": 3}
    assert reverse("item-format", kwargs=kwargs, format="json") == "/items/3.json"
    assert kwargs == {"pk": 3}


def test_view_reverses_with_its_own_request():
    response = APIClient().get("/items/5/")
    assert json.loads(response.content) == {"self": "http://testserver/items/5/"}


def test_versioning_scheme_keeps_the_version_and_falls_back_when_it_cannot():
    response = APIClient().get("/v2/items/5/")
    assert json.loads(response.content) == {
        "self": "http://testserver/v2/items/5/",
        "plain": "http://testserver/items/5/",
    }


def test_scheme_raising_no_reverse_match_falls_back_to_plain_reverse():
    request = APIRequestFactory().get("/")
    request.versioning_scheme = RefusingScheme()
    assert reverse("item", args=[1], request=request) == "http://testserver/items/1/"


def test_format_override_query_parameter_is_preserved():
    request = APIRequestFactory().get("/", {"format": "api"})
    assert reverse("item", args=[1], request=request) == "http://testserver/items/1/?format=api"
    assert preserve_builtin_query_params("/x/?a=1", None) == "/x/?a=1"
