"""Fuzzing the bookstore example's views: run by test_fuzz_example.py with the example's
settings (tests/_fuzz_example_settings.py), never collected by the main suite.

Bodies (JSON, form, multipart), query parameters of pagination, filtering and ordering,
and URL kwargs, as a staff user, a plain user and anonymously: no answer is a 5xx, and a
write that is refused leaves every table of the store exactly as it was.
"""

import datetime
import json
from urllib.parse import quote, urlencode

import pytest
from books.models import Author, Book, Review, Tag
from django.contrib.auth.models import User
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests._fuzz import integers, json_values, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    """Two authors, three books, two tags, a review; tokens for a staff and a plain user."""
    ann = Author.objects.create(name="Ann Leckie", born=datetime.date(1966, 3, 2))
    ted = Author.objects.create(name="Ted Chiang")
    sf, short = Tag.objects.create(name="sf"), Tag.objects.create(name="short")
    books = [
        Book.objects.create(
            title=title, isbn=isbn, price="9.99", published=datetime.date(2014, 1, 1), author=a
        )
        for title, isbn, a in [
            ("Ancillary Justice", "9780316246620", ann),
            ("Stories of Your Life", "9781931520720", ted),
            ("Exhalation", "9781101947883", ted),
        ]
    ]
    books[0].tags.set([sf])
    books[1].tags.set([sf, short])
    staff = User.objects.create_user("staff", password="pw", is_staff=True)
    reader = User.objects.create_user("reader", password="pw")
    Review.objects.create(book=books[0], user=reader, rating=5, text="Loved it")
    return {
        "staff": Token.objects.create(user=staff).key,
        "reader": Token.objects.create(user=reader).key,
        "books": [book.pk for book in books],
    }


def client_for(store, who):
    client = APIClient()
    if who != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {store[who]}")
    return client


def snapshot():
    """Every row of the store, so that a refused write can be shown to change nothing."""
    return (
        list(Author.objects.order_by("pk").values_list()),
        list(Tag.objects.order_by("pk").values_list()),
        list(Book.objects.order_by("pk").values_list()),
        list(Book.tags.through.objects.order_by("pk").values_list()),
        list(Review.objects.order_by("pk").values_list()),
    )


def send(client, method, url, body, encoding):
    """One request with `body` (a JSON value) sent as JSON, a form or a multipart form."""
    if encoding == "json":
        raw = json.dumps(body, allow_nan=True).encode("utf-8", "surrogatepass")
        return client.generic(method, url, raw, content_type="application/json")
    if not isinstance(body, dict):
        body = {"value": body}
    flat = {str(key): flatten(value) for key, value in body.items()}
    if encoding == "form":
        encoded = urlencode(flat, doseq=True, encoding="utf-8", errors="surrogatepass")
        return client.generic(
            method, url, encoded, content_type="application/x-www-form-urlencoded"
        )
    # The test client's multipart encoder takes text only: a lone surrogate goes as the
    # bytes a client would send for it, read back as the server's decoder would.
    flat = {
        valid_text(key): [valid_text(item) for item in value]
        if isinstance(value, list)
        else valid_text(value)
        for key, value in flat.items()
    }
    return getattr(client, method.lower())(url, flat, format="multipart")


def valid_text(value):
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def flatten(value):
    """A form field's value: strings (a list repeats the field)."""
    if isinstance(value, list):
        return [json.dumps(item) if isinstance(item, (dict, list)) else str(item) for item in value]
    if isinstance(value, dict):
        return json.dumps(value)
    return "" if value is None else str(value)


def book_payloads(store):
    """Book bodies: plausible fields with fuzzed values mixed in, or anything at all."""
    plausible = st.fixed_dictionaries(
        {},
        optional={
            "title": st.one_of(text, st.just("A title")),
            "isbn": st.one_of(text, st.sampled_from(["9780306406157", "0-306-40615-2", "X"])),
            "price": st.one_of(json_values, st.sampled_from(["12.50", "1e3", "-1", "NaN"])),
            "published": st.one_of(json_values, st.sampled_from(["2020-01-01", "1900-02-29"])),
            "author_id": st.one_of(json_values, integers, st.sampled_from([1, 2, "1"])),
            "tags": st.one_of(json_values, st.lists(st.one_of(integers, text), max_size=3)),
            "stock": st.one_of(json_values, integers),
        },
    )
    return st.one_of(plausible, json_values)


identities = st.sampled_from(["staff", "reader", "anonymous"])
encodings = st.sampled_from(["json", "form", "multipart"])


def assert_refused_writes_change_nothing(response, before):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert snapshot() == before


@given(data=st.data(), who=identities, encoding=encodings)
def test_creating_a_book_from_any_body(store, data, who, encoding):
    body = data.draw(book_payloads(store))
    before = snapshot()
    response = send(client_for(store, who), "POST", "/api/books/", body, encoding)
    assert_refused_writes_change_nothing(response, before)


@given(data=st.data(), who=identities, encoding=encodings, method=st.sampled_from(["PUT", "PATCH"]))
def test_updating_a_book_from_any_body(store, data, who, encoding, method):
    body = data.draw(book_payloads(store))
    before = snapshot()
    url = f"/api/books/{store['books'][0]}/"
    response = send(client_for(store, who), method, url, body, encoding)
    assert_refused_writes_change_nothing(response, before)


review_bodies = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "book": st.one_of(json_values, integers, st.sampled_from([1, 2, 3])),
            "rating": st.one_of(json_values, integers, st.sampled_from([0, 3, 6, "5"])),
            "text": st.one_of(text, json_values),
            "user": json_values,
        },
    ),
    json_values,
)


@given(body=review_bodies, who=identities, encoding=encodings)
def test_writing_a_review_from_any_body(store, body, who, encoding):
    before = snapshot()
    response = send(client_for(store, who), "POST", "/api/reviews/", body, encoding)
    assert_refused_writes_change_nothing(response, before)


@given(
    body=st.one_of(
        st.fixed_dictionaries(
            {}, optional={"name": st.one_of(text, json_values), "born": json_values}
        ),
        json_values,
    ),
    resource=st.sampled_from(["authors", "tags"]),
    encoding=encodings,
)
def test_creating_an_author_or_tag_from_any_body(store, body, resource, encoding):
    before = snapshot()
    response = send(client_for(store, "staff"), "POST", f"/api/{resource}/", body, encoding)
    assert_refused_writes_change_nothing(response, before)


query_values = st.one_of(text, integers.map(str), st.sampled_from(["-price", "title,-id", "0"]))
QUERY_NAMES = {
    "books": ["page", "search", "ordering", "author", "tags", "page_size", "format"],
    "reviews": ["page", "ordering", "book", "rating"],
    "authors": ["page", "search", "ordering"],
    "tags": ["page", "search"],
}


@given(
    resource=st.sampled_from(sorted(QUERY_NAMES)),
    data=st.data(),
    who=identities,
)
def test_listing_with_any_query_parameters(store, resource, data, who):
    names = QUERY_NAMES[resource]
    params = data.draw(st.lists(st.tuples(st.sampled_from(names) | text, query_values), max_size=4))
    query = urlencode(params, encoding="utf-8", errors="surrogatepass")
    response = client_for(store, who).get(
        f"/api/{resource}/?{query}", HTTP_ACCEPT="application/json"
    )
    assert response.status_code < 500, response.content[:500]


@given(
    key=st.one_of(text, integers.map(str)),
    path=st.sampled_from(
        [
            "/api/books/{}/",
            "/api/books/{}/reviews/",
            "/api/authors/{}/",
            "/api/reviews/{}/",
            "/api/tags/{}/",
        ]
    ),
    method=st.sampled_from(["GET", "DELETE", "PATCH", "OPTIONS"]),
    who=identities,
)
def test_any_url_kwarg(store, key, path, method, who):
    before = snapshot()
    url = path.format(quote(key.encode("utf-8", "surrogatepass"), safe=""))
    response = client_for(store, who).generic(
        method, url, b"{}", content_type="application/json", HTTP_ACCEPT="application/json"
    )
    assert_refused_writes_change_nothing(response, before)


def test_deleting_an_author_who_has_books_is_refused_and_changes_nothing(store):
    before = snapshot()
    author = Book.objects.get(pk=store["books"][0]).author_id
    response = client_for(store, "staff").delete(f"/api/authors/{author}/")
    assert response.status_code == 409
    assert snapshot() == before
