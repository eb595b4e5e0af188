"""Breadcrumbs: the REST framework views above a URL, named as the browsable API shows them."""

import pytest
from django.urls import path

from restcycle.test import APIRequestFactory
from restcycle.utils.breadcrumbs import get_breadcrumbs
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)


class ApiRootView(APIView):
    pass


class ShelfList(APIView):
    suffix = None


class ShelfDetail(APIView):
    suffix = None


class BookView(APIView):
    def get_view_name(self):
        return "A Book"


def plain_django_view(request):
    raise AssertionError("never called")


urlpatterns = [
    path("", ApiRootView.as_view()),
    path("shelves/", ShelfList.as_view()),
    path("shelves/<int:pk>", ShelfDetail.as_view()),
    path("shelves/<int:pk>/", ShelfDetail.as_view(suffix="Again")),
    path("shelves/<int:pk>/books/<str:title>", BookView.as_view()),
    path("plain/", plain_django_view),
    path("plain/inner", ShelfList.as_view(suffix="Inner")),
]


def test_root():
    assert get_breadcrumbs("/") == [("Api Root", "/")]


def test_nested_views_from_the_root_down():
    assert get_breadcrumbs("/shelves/3/books/dune") == [
        ("Api Root", "/"),
        ("Shelf List", "/shelves/"),
        ("Shelf Detail", "/shelves/3"),
        ("Shelf Detail Again", "/shelves/3/"),
        ("A Book", "/shelves/3/books/dune"),
    ]


def test_non_api_views_and_unresolvable_urls_are_skipped():
    assert get_breadcrumbs("/plain/inner") == [
        ("Api Root", "/"),
        ("Shelf List Inner", "/plain/inner"),
    ]
    assert get_breadcrumbs("/nowhere/") == [("Api Root", "/")]


def test_format_override_is_kept_in_links():
    request = APIRequestFactory().get("/shelves/", {"format": "json"})
    assert get_breadcrumbs("/shelves/", request) == [
        ("Api Root", "/?format=json"),
        ("Shelf List", "/shelves/?format=json"),
    ]
