"""Paginators on real list views: page numbers, limit/offset and cursors, good and bad input."""

import base64

import pytest
from django.test import override_settings
from django.urls import path

from restcycle import generics, pagination, serializers
from tests.models import GenericNote

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenericNote
        fields = ["id", "title", "rank"]


class FivePerPage(pagination.PageNumberPagination):
    page_size = 5
    page_size_query_param = "page_size"
    max_page_size = 8


class FivePerPageWithControls(FivePerPage):
    """Reports the page control links of get_html_context() beside the page."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        context = self.get_html_context()
        response.data["controls"] = [
            [link.number, link.is_active, link.url] if not link.is_break else None
            for link in context["page_links"]
        ]
        response.data["display_page_controls"] = self.display_page_controls
        response.data["html"] = self.to_html()
        return response


class FiveByOffset(pagination.LimitOffsetPagination):
    default_limit = 5
    max_limit = 8


class UnboundedOffset(pagination.LimitOffsetPagination):
    default_limit = 5


class UnboundedCursor(pagination.CursorPagination):
    ordering = "id"
    page_size = 5
    page_size_query_param = "size"


class ThreeByRank(pagination.CursorPagination):
    page_size = 3
    # Ties on rank are broken by id, so rows tied on the cursor position keep one order.
    ordering = ("rank", "id")
    page_size_query_param = "size"
    max_page_size = 6


class NoteList(generics.ListAPIView):
    queryset = GenericNote.objects.order_by("id")
    serializer_class = NoteSerializer
    permission_classes = []
    authentication_classes = []


urlpatterns = [
    path("pages/", NoteList.as_view(pagination_class=FivePerPage)),
    path("controls/", NoteList.as_view(pagination_class=FivePerPageWithControls)),
    path("offsets/", NoteList.as_view(pagination_class=FiveByOffset)),
    path("cursor/", NoteList.as_view(pagination_class=ThreeByRank)),
    path("unpaginated/", NoteList.as_view(pagination_class=None)),
    path("unbounded-offsets/", NoteList.as_view(pagination_class=UnboundedOffset)),
    path("unbounded-cursor/", NoteList.as_view(pagination_class=UnboundedCursor)),
    path("default/", NoteList.as_view()),
]


@pytest.fixture
def notes():
    return [GenericNote.objects.create(title=f"note {n}", rank=n) for n in range(1, 24)]


def ids(body):
    return [item["id"] for item in body["results"]]


# --- page numbers -------------------------------------------------------------------


def test_first_page_has_count_and_next_link(client, notes):
    body = client.get("/pages/").json()
    assert body["count"] == 23
    assert body["previous"] is None
    assert body["next"] == "http://testserver/pages/?page=2"
    assert ids(body) == [note.id for note in notes[:5]]
    assert list(body) == ["count", "next", "previous", "results"]


def test_link_back_to_first_page_drops_the_page_parameter(client, notes):
    body = client.get("/pages/?page=2&tag=x").json()
    assert body["previous"] == "http://testserver/pages/?tag=x"
    assert body["next"] == "http://testserver/pages/?page=3&tag=x"


def test_last_page_by_name(client, notes):
    body = client.get("/pages/?page=last").json()
    assert ids(body) == [note.id for note in notes[20:]]
    assert body["next"] is None
    assert body["previous"] == "http://testserver/pages/?page=4"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99", "1.5", str(10**30), "%00"])
def test_page_that_does_not_exist_is_404(client, notes, page):
    response = client.get(f"/pages/?page={page}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_client_chosen_page_size(client, notes):
    assert len(client.get("/pages/?page_size=7").json()["results"]) == 7


def test_client_page_size_is_capped_by_max_page_size(client, notes):
    assert len(client.get("/pages/?page_size=500").json()["results"]) == 8


@pytest.mark.parametrize("size", ["0", "-4", "big", ""])
def test_bad_page_size_falls_back_to_default(client, notes, size):
    assert len(client.get(f"/pages/?page_size={size}").json()["results"]) == 5


def test_empty_list_is_a_single_empty_page(client):
    body = client.get("/pages/").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_html_context_lists_page_links_with_breaks(client, notes):
    GenericNote.objects.bulk_create(GenericNote(title="more", rank=0) for _ in range(30))
    body = client.get("/controls/?page=6").json()
    assert body["display_page_controls"] is True
    assert body["controls"] == [
        [1, False, "http://testserver/controls/"],
        None,
        [5, False, "http://testserver/controls/?page=5"],
        [6, True, "http://testserver/controls/?page=6"],
        [7, False, "http://testserver/controls/?page=7"],
        None,
        [11, False, "http://testserver/controls/?page=11"],
    ]


def test_page_controls_render_as_html_links(client, notes):
    html = client.get("/controls/?page=2").json()["html"]
    assert '<a class="page-link" href="http://testserver/controls/">1</a>' in html
    assert '<span class="page-link" aria-current="page">2</span>' in html
    assert 'href="http://testserver/controls/?page=3" rel="next"' in html


def test_unpaginated_view_returns_the_whole_list(client, notes):
    body = client.get("/unpaginated/?page=2").json()
    assert [item["id"] for item in body] == [note.id for note in notes]


def test_view_without_pagination_setting_is_not_paginated(client, notes):
    assert isinstance(client.get("/default/").json(), list)


@override_settings(
    REST_FRAMEWORK={
        "DEFAULT_PAGINATION_CLASS": "restcycle.pagination.PageNumberPagination",
        "PAGE_SIZE": 4,
    }
)
def test_default_pagination_class_and_page_size_come_from_settings(client, notes):
    body = client.get("/default/?page=2").json()
    assert body["count"] == 23
    assert ids(body) == [note.id for note in notes[4:8]]


# --- limit / offset -----------------------------------------------------------------


def test_limit_and_offset_select_a_window(client, notes):
    body = client.get("/offsets/?limit=4&offset=8").json()
    assert body["count"] == 23
    assert ids(body) == [note.id for note in notes[8:12]]
    assert body["next"] == "http://testserver/offsets/?limit=4&offset=12"
    assert body["previous"] == "http://testserver/offsets/?limit=4&offset=4"


def test_previous_link_of_a_window_near_the_start_has_no_offset(client, notes):
    body = client.get("/offsets/?limit=4&offset=2").json()
    assert body["previous"] == "http://testserver/offsets/?limit=4"


def test_no_limit_uses_default_limit(client, notes):
    body = client.get("/offsets/").json()
    assert ids(body) == [note.id for note in notes[:5]]
    assert body["next"] == "http://testserver/offsets/?limit=5&offset=5"


def test_limit_is_capped_by_max_limit(client, notes):
    assert len(client.get("/offsets/?limit=100").json()["results"]) == 8


@pytest.mark.parametrize("query", ["limit=0", "limit=-2", "limit=many", "limit="])
def test_bad_limit_falls_back_to_default_limit(client, notes, query):
    assert len(client.get(f"/offsets/?{query}").json()["results"]) == 5


@pytest.mark.parametrize("offset", ["-3", "x", ""])
def test_bad_offset_is_zero(client, notes, offset):
    body = client.get(f"/offsets/?offset={offset}").json()
    assert ids(body) == [note.id for note in notes[:5]]


def test_huge_limit_without_max_limit_returns_everything(client, notes):
    body = client.get(f"/unbounded-offsets/?limit={10**30}&offset=20").json()
    assert ids(body) == [note.id for note in notes[20:]]
    assert body["previous"] == f"http://testserver/unbounded-offsets/?limit={10**30}"


def test_huge_cursor_page_size_without_max_returns_everything(client, notes):
    body = client.get(f"/unbounded-cursor/?size={10**30}").json()
    assert ids(body) == [note.id for note in notes]
    assert body["next"] is None


def test_offset_past_the_end_is_an_empty_page(client, notes):
    body = client.get("/offsets/?offset=500").json()
    assert body["count"] == 23
    assert body["results"] == []
    assert body["next"] is None


# --- cursor -------------------------------------------------------------------------


def follow(client, url, link):
    """Follow `link` from `url` until it runs out; the ids of each page."""
    pages = []
    while url:
        body = client.get(url).json()
        assert set(body) == {"next", "previous", "results"}
        pages.append(ids(body))
        url = body[link]
    return pages


@pytest.fixture
def ranked_notes():
    # Ranks with runs of equal values, so cursors need offsets past ties.
    ranks = [1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 4, 5, 5, 6, 7, 7, 7, 7]
    return [GenericNote.objects.create(title=f"r{rank}", rank=rank) for rank in ranks]


def test_cursor_walks_forward_through_every_row_once(client, ranked_notes):
    pages = follow(client, "/cursor/", "next")
    assert all(len(page) == 3 for page in pages)
    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(note.id for note in ranked_notes)
    ranks = {note.id: note.rank for note in ranked_notes}
    assert [ranks[pk] for pk in seen] == sorted(note.rank for note in ranked_notes)


def test_cursor_walks_back_to_the_first_page(client, ranked_notes):
    forward = follow(client, "/cursor/", "next")
    last_url = None
    url = "/cursor/"
    while url:
        body = client.get(url).json()
        last_url, url = url, body["next"]
    backward = follow(client, last_url, "previous")
    # Rows tied on rank may come back in another order; the ranks of each page may not.
    ranks = {note.id: note.rank for note in ranked_notes}
    assert [[ranks[pk] for pk in page] for page in backward] == [
        [ranks[pk] for pk in page] for page in reversed(forward)
    ]


def test_cursor_pages_are_stable_while_rows_are_inserted(client):
    for rank in (10, 20, 30, 40, 50, 60, 70):
        GenericNote.objects.create(title=f"r{rank}", rank=rank)
    first = client.get("/cursor/").json()
    # Rows added before the cursor's position neither repeat nor shift the next page;
    # a row added after it shows up in its place.
    GenericNote.objects.create(title="r5", rank=5)
    GenericNote.objects.create(title="r35", rank=35)
    second = client.get(first["next"]).json()
    titles = [item["title"] for item in first["results"] + second["results"]]
    assert titles == ["r10", "r20", "r30", "r35", "r40", "r50"]


def test_cursor_client_page_size(client, ranked_notes):
    assert len(client.get("/cursor/?size=5").json()["results"]) == 5
    assert len(client.get("/cursor/?size=50").json()["results"]) == 6


def encode(querystring):
    return base64.b64encode(querystring.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    ["not-base64!", encode("o=abc"), encode("r=maybe"), encode("o=-4"), encode("p=abc")],
)
def test_tampered_cursor_is_404(client, ranked_notes, cursor):
    response = client.get("/cursor/", {"cursor": cursor})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor"}


def decoded_cursor(link):
    from urllib.parse import parse_qs, urlsplit

    return base64.b64decode(parse_qs(urlsplit(link).query)["cursor"][0]).decode()


def test_cursor_encodes_offset_reverse_and_position(client, ranked_notes):
    first = client.get("/cursor/").json()
    # The first page is all rank 1 and so is the row after it: no position
    # separates them, so the next cursor is a pure offset.
    assert decoded_cursor(first["next"]) == "o=3"
    second = client.get(first["next"]).json()
    # Ranks 1, 2, 3 with another 3 following: continue after the 2, skipping one 3.
    assert decoded_cursor(second["next"]) == "o=1&p=2"
    # Back: before the 2, in reverse, past the one rank-1 row shown on this page.
    assert decoded_cursor(second["previous"]) == "o=1&r=1&p=2"


def test_paginated_response_schemas_describe_the_envelope():
    item = {"type": "object"}
    page_schema = pagination.PageNumberPagination().get_paginated_response_schema(item)
    assert page_schema["required"] == ["count", "results"]
    assert page_schema["properties"]["results"] is item
    cursor_schema = pagination.CursorPagination().get_paginated_response_schema(item)
    assert set(cursor_schema["properties"]) == {"next", "previous", "results"}
