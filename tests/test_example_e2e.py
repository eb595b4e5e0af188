"""The bookstore example under gunicorn with several workers, PostgreSQL and Redis, over real HTTP.

It proves what an operator relies on: token log-in, the CRUD cycle, filters and
pagination, the right 4xx for anonymous writes, foreign reviews and malformed
bodies, and one throttle rate shared exactly across worker processes. Every
request goes to 127.0.0.1 and every loop is bounded.
"""

import json
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests._example_server import SRC, free_port, manage, migrate_and_seed, serving
from tests._services import reachable, skip_unless_required
from tests._services import redis_url as reachable_redis_url

# Runs once per suite run: it starts its own interpreters and servers.
pytestmark = pytest.mark.sqlite_only

PING_RATE = 5
WORKERS = 3


def call(base: str, method: str, path: str, body=None, token=None, raw: bytes | None = None):
    """One HTTP request; returns (status, headers, parsed JSON body or None)."""
    headers = {"Accept": "application/json"}
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            status, response_headers, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, response_headers, content = error.code, error.headers, error.read()
    return status, response_headers, (json.loads(content) if content else None)


@pytest.fixture(scope="module")
def services():
    postgres_url = os.environ.get("RESTCYCLE_POSTGRES_URL") or os.environ.get("DATABASE_URL")
    if postgres_url and not reachable(postgres_url, 5432):
        postgres_url = None
    redis_url = reachable_redis_url()
    missing = [
        name for name, url in (("PostgreSQL", postgres_url), ("Redis", redis_url)) if not url
    ]
    if missing:
        skip_unless_required(
            f"the end-to-end test needs {' and '.join(missing)}, reachable"
            " (DATABASE_URL, REDIS_URL)"
        )
    return postgres_url, redis_url


@pytest.fixture(scope="module")
def bookstore(services):
    """A fresh database, migrated and seeded, served by gunicorn; yields (base URL, demo token)."""
    import psycopg

    postgres_url, redis_url = services
    database = f"bookstore_e2e_{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url.rsplit("/", 1)[0] + "/" + database,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": database,
        "PING_THROTTLE_RATE": f"{PING_RATE}/hour",
        "DEBUG": "0",
        "PYTHONPATH": f"{SRC}",
        "DJANGO_SETTINGS_MODULE": "bookstore.settings",
    }
    token = migrate_and_seed(env)
    other_token = manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from rest_framework.authtoken.models "
        "import Token; u, _ = User.objects.get_or_create(username='other'); "
        "print(Token.objects.get_or_create(user=u)[0].key)",
    ).splitlines()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = ["gunicorn", "bookstore.wsgi", "--workers", str(WORKERS)]
    gunicorn += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    try:
        with serving(gunicorn, env, lambda: call(base, "GET", "/api/")[0] == 200):
            yield base, token, other_token
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_token_login_then_create_list_filter_paginate_update_delete(bookstore):
    base, _, _ = bookstore
    status, _, body = call(
        base, "POST", "/api/token/", {"username": "demo", "password": "demo-password"}
    )
    assert status == 200
    token = body["token"]

    status, headers, created = call(
        base,
        "POST",
        "/api/books/",
        {
            "title": "The Lathe of Heaven",
            "isbn": "978-0-06-051274-3",
            "price": "9.50",
            "published": "1971-01-01",
            "author_id": 1,
            "tags": [],
        },
        token=token,
    )
    assert status == 201, created
    assert created["isbn"] == "9780060512743"
    assert created["author"]["name"] == "Ursula K. Le Guin"
    assert "stock" not in created  # stock levels are for staff only

    status, _, refused = call(
        base,
        "POST",
        "/api/books/",
        {
            "title": "Stocked By A Reader",
            "isbn": "978-0-306-40615-7",
            "price": "5.00",
            "published": "1990-01-01",
            "author_id": 1,
            "stock": 40,
        },
        token=token,
    )
    assert status == 400 and refused == {"stock": ["Only staff can set the stock level."]}

    status, _, page = call(base, "GET", "/api/books/?search=lathe")
    assert status == 200 and [book["title"] for book in page["results"]] == ["The Lathe of Heaven"]
    status, _, page = call(base, "GET", "/api/books/?ordering=-price")
    prices = [float(book["price"]) for book in page["results"]]
    assert prices == sorted(prices, reverse=True)
    status, _, page = call(base, "GET", "/api/books/?page=1")
    assert page["count"] == 8 and page["next"] is None and len(page["results"]) == 8

    book_path = f"/api/books/{created['id']}/"
    status, _, updated = call(base, "PATCH", book_path, {"price": "11.00"}, token=token)
    assert status == 200 and updated["price"] == "11.00"
    status, _, _ = call(base, "DELETE", book_path, token=token)
    assert status == 204
    assert call(base, "GET", book_path)[0] == 404


def test_anonymous_write_is_401_with_the_token_challenge(bookstore):
    base, _, _ = bookstore
    status, headers, body = call(base, "POST", "/api/books/", {"title": "x"})
    assert status == 401
    assert headers["WWW-Authenticate"] == "Token"
    assert body == {"detail": "Authentication credentials were not provided."}


def test_another_users_review_cannot_be_changed(bookstore):
    base, token, other_token = bookstore
    status, _, reviews = call(base, "GET", "/api/reviews/")
    review = reviews["results"][0]
    assert review["username"] == "demo"
    status, _, body = call(
        base, "PATCH", f"/api/reviews/{review['id']}/", {"rating": 1}, token=other_token
    )
    assert status == 403
    assert body == {"detail": "Only the author of this review may change it."}


def test_malformed_body_is_400_and_stores_nothing(bookstore):
    base, token, _ = bookstore
    count_before = call(base, "GET", "/api/books/")[2]["count"]
    status, _, body = call(base, "POST", "/api/books/", raw=b'{"title": "broken', token=token)
    assert status == 400
    assert body["detail"].startswith("JSON parse error")
    assert call(base, "GET", "/api/books/")[2]["count"] == count_before


def test_throttle_admits_exactly_its_rate_across_workers(bookstore):
    base, _, _ = bookstore
    attempts = PING_RATE * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: call(base, "GET", "/api/ping/")[0], range(attempts)))
    assert statuses.count(200) == PING_RATE
    assert statuses.count(429) == attempts - PING_RATE


def test_the_example_serves_under_uvicorn_asgi(tmp_path):
    """ASGI too: uvicorn with two workers on a fresh SQLite file, a read and a token log-in."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bookstore.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "0",
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "bookstore.settings",
    }
    migrate_and_seed(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    uvicorn = ["uvicorn", "bookstore.asgi:application", "--workers", "2"]
    uvicorn += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    # Any HTTP answer means it is up; the assertions below check what the answer is.
    with serving(uvicorn, env, lambda: call(base, "GET", "/api/books/") is not None):
        status, _, page = call(base, "GET", "/api/books/")
        assert status == 200 and page["count"] == 7
        status, _, body = call(
            base, "POST", "/api/token/", {"username": "demo", "password": "demo-password"}
        )
        assert status == 200 and len(body["token"]) == 40
