"""The workloads every implementation serves: one request each, described without Django.

Shared by the parent (`run.py`), the workers (`worker.py`), the HTTP load generator and
the harness test, so that all of them send byte-for-byte the same requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

# Mount points in the benchmark project's URLconf. The restcycle and DRF processes
# serve the same code under API_PREFIX; the hand-written floor lives under FLOOR_PREFIX,
# django-ninja's side of the minimal endpoints under NINJA_PREFIX.
API_PREFIX = "/api/"
FLOOR_PREFIX = "/floor/"
NINJA_PREFIX = "/ninja/"

# Implementations: which worker process serves each, and under which prefix.
RESTCYCLE, DRF, FLOOR, NINJA = "restcycle", "drf", "floor", "ninja"
IMPLEMENTATIONS = (RESTCYCLE, DRF, FLOOR, NINJA)
PREFIX = {RESTCYCLE: API_PREFIX, DRF: API_PREFIX, FLOOR: FLOOR_PREFIX, NINJA: NINJA_PREFIX}
# Who serves a workload unless it says otherwise: django-ninja serves only hello and echo.
FRAMEWORK_SIDES = (RESTCYCLE, DRF, FLOOR)

# The data set (benchmarks/project/data.py) is built around these.
BOOK_COUNT = 1000
TOKEN_KEY = "0b5e1c7d2a9f4e6b8c3d5a7f9e1b2c4d6a8f0e2b"
RETRIEVED_BOOK_ID = 417
CREATED_ISBN = "9780306406157"  # a valid ISBN-13 that no seeded book has


@dataclass(frozen=True)
class Workload:
    """One request: `path` is relative to the implementation's prefix."""

    name: str
    method: str
    path: str
    expected_status: int
    description: str
    query: str = ""
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Writes run inside a transaction rolled back after the (timed) request.
    writes: bool = False
    # Implementations whose query count is expected to differ from the floor's, with the
    # note the report shows instead of a warning (e.g. DRF on a naive queryset: 2N+1).
    expected_query_differences: dict[str, str] = field(default_factory=dict)
    # Implementations whose SQL text (statement by statement) is expected to differ from
    # the floor's, with the reason; any other difference in SQL text is a warning.
    expected_sql_differences: dict[str, str] = field(default_factory=dict)
    # Differences that are findings, not design: the implementation misses what the floor
    # does (e.g. an issue's target not met yet). Reported as KNOWN in every output, with
    # the reason, instead of failing the check.
    known_differences: dict[str, str] = field(default_factory=dict)
    implementations: tuple[str, ...] = FRAMEWORK_SIDES

    def url_path(self, implementation: str) -> str:
        return PREFIX[implementation] + self.path

    def body_bytes(self) -> bytes:
        return b"" if self.body is None else json.dumps(self.body).encode()


# restcycle's designed SQL differences from DRF's (and so from the floor's, which makes
# DRF's queries): same rows, same bodies, fewer columns or no model instances.
VALUES_PATH_SQL = {
    RESTCYCLE: "expected: restcycle's values path selects only the serialized columns"
}
PK_READ_BACK_SQL = {RESTCYCLE: "expected: restcycle reads the written tags back as pks only"}

WORKLOADS: tuple[Workload, ...] = (
    Workload(
        "retrieve",
        "GET",
        f"books/{RETRIEVED_BOOK_ID}/",
        200,
        "one book: nested author, tag pks",
    ),
    Workload("list-100", "GET", "books-first100/", 200, "100 books, unpaginated"),
    Workload("list-1000", "GET", "books/", 200, "1000 books, unpaginated"),
    Workload(
        "create",
        "POST",
        "books/",
        201,
        "validated create: author and tag lookups, unique ISBN, validate()",
        body={
            "title": "A Benchmark Of Rivers",
            "isbn": CREATED_ISBN,
            "price": "24.90",
            "published": "2021-06-15",
            "author_id": 7,
            "tags": [3, 11],
        },
        writes=True,
        expected_sql_differences=PK_READ_BACK_SQL,
    ),
    Workload(
        "create-invalid",
        "POST",
        "books/",
        400,
        "create refused with six field errors",
        body={
            "title": "",
            "isbn": "12345",
            "price": "twelve",
            "published": "15/06/2021",
            "author_id": 999999,
            "tags": [999999],
        },
        writes=True,
    ),
    Workload(
        "partial-update",
        "PATCH",
        f"books/{RETRIEVED_BOOK_ID}/",
        200,
        "PATCH title and price",
        body={"title": "Retitled By The Benchmark", "price": "31.25"},
        writes=True,
        expected_sql_differences=PK_READ_BACK_SQL,
    ),
    Workload(
        "list-paginated",
        "GET",
        "catalog/",
        200,
        "page 2 of 20, search on title/author, ordered by -price",
        query="search=river&ordering=-price&page=2",
    ),
    Workload(
        "retrieve-token",
        "GET",
        f"private/books/{RETRIEVED_BOOK_ID}/",
        200,
        "one book, TokenAuthentication + IsAuthenticated (stages 2-3)",
        headers={"Authorization": f"Token {TOKEN_KEY}"},
    ),
)

# Issue 10 (query planning): the same endpoints through a serializer that can take the
# values() path, and through a naive queryset that only automatic prefetching saves.
NAIVE_QUERYSET_NOTE = {DRF: "expected: DRF naive"}  # 2N+1 queries: one per author, one per tags
QUERY_PLANNING_WORKLOADS: tuple[Workload, ...] = (
    Workload(
        "retrieve-projected",
        "GET",
        f"books-projected/{RETRIEVED_BOOK_ID}/",
        200,
        "retrieve's output through a serializer without a to_representation override",
        expected_sql_differences=VALUES_PATH_SQL,
    ),
    Workload(
        "list-100-projected",
        "GET",
        "books-projected-first100/",
        200,
        "list-100's output through a serializer without a to_representation override",
        expected_sql_differences=VALUES_PATH_SQL,
    ),
    Workload(
        "list-1000-projected",
        "GET",
        "books-projected/",
        200,
        "list-1000's output through a serializer without a to_representation override",
        expected_sql_differences=VALUES_PATH_SQL,
    ),
    Workload(
        "list-100-naive",
        "GET",
        "books-naive-first100/",
        200,
        "list-100 from Book.objects.all(): no select_related/prefetch_related",
        expected_query_differences=NAIVE_QUERYSET_NOTE,
    ),
    Workload(
        "list-1000-naive",
        "GET",
        "books-naive/",
        200,
        "list-1000 from Book.objects.all(): no select_related/prefetch_related",
        expected_query_differences=NAIVE_QUERYSET_NOTE,
    ),
)

# Issue 17: the shapes DRF users write every day beside the bookstore's viewsets.
ECHO_PAYLOAD = {
    # Every value already in the form the serializer writes it back in, in declared
    # order, so a view that only parses the JSON (the floor) returns the same bytes.
    "count": 42,
    "name": "Benchmark reader",
    "ratio": 0.25,
    "active": True,
    "labels": ["fiction", "translated", "paperback"],
    "when": "2024-05-01T12:30:00Z",
    "email": "reader@example.com",
    "price": "24.90",
    "kind": "paper",
    "note": None,
}
NESTED_AUTHOR = {"name": "Nadia Benchmark", "born": "1970-02-03", "bio": "Written by the bench."}
SLICED_NAIVE_NOTE = {
    RESTCYCLE: "issue 17: automatic prefetching does not apply to a sliced queryset yet"
}
EVERYDAY_WORKLOADS: tuple[Workload, ...] = (
    Workload(
        "hello",
        "GET",
        "hello/",
        200,
        'an APIView returning Response({"message": "hello"}); no database',
        implementations=(*FRAMEWORK_SIDES, NINJA),
    ),
    Workload(
        "echo",
        "POST",
        "echo/",
        200,
        "a 10-field plain Serializer validated and its .data returned (floor: json.loads only)",
        body=ECHO_PAYLOAD,
        implementations=(*FRAMEWORK_SIDES, NINJA),
    ),
    Workload(
        "plain-list-100",
        "GET",
        "books-plain-first100/",
        200,
        "100 books through a plain Serializer (declared fields, nested plain Serializer)",
        expected_sql_differences=VALUES_PATH_SQL,
    ),
    Workload(
        "create-invalid-7",
        "POST",
        "books/",
        400,
        "create refused with seven field errors",
        body={
            "title": "",
            "isbn": "12345",
            "price": "twelve",
            "published": "15/06/2021",
            "author_id": 999999,
            "tags": [999999],
            "stock": "plenty",
        },
        writes=True,
    ),
    Workload(
        "nested-create",
        "POST",
        "books-with-author/",
        201,
        "a book and its new author in one body: a nested serializer whose create() writes both",
        body={
            "title": "Rivers Of Ink",
            "isbn": CREATED_ISBN,
            "price": "19.50",
            "published": "2022-03-01",
            "author": NESTED_AUTHOR,
            "tags": [3, 11],
        },
        writes=True,
        expected_sql_differences=PK_READ_BACK_SQL,
    ),
    Workload(
        "list-100-sliced",
        "GET",
        "books-sliced/",
        200,
        "get_queryset() returns the tuned queryset sliced [:100]; CatalogBookSerializer",
    ),
    Workload(
        "list-100-sliced-naive",
        "GET",
        "books-sliced-naive/",
        200,
        "get_queryset() returns Book.objects.all()[:100]; CatalogBookSerializer",
        expected_query_differences=NAIVE_QUERYSET_NOTE,
        known_differences=SLICED_NAIVE_NOTE,
    ),
    Workload(
        "hyperlinked-list-100",
        "GET",
        "books-linked/",
        200,
        "100 books through a HyperlinkedModelSerializer: url, title, author and tag links",
    ),
    Workload(
        "filtered-paginated",
        "GET",
        "books-filtered/",
        200,
        "django-filter (price range, date) + SearchFilter + OrderingFilter, page 2 of 20",
        query="price__gte=10&price__lte=40&published__gte=2000-01-01&search=river"
        "&ordering=-price,id&page=2",
        expected_sql_differences=VALUES_PATH_SQL,
    ),
)
# A timed run without --workloads measures the main set (the query-planning set adds
# minutes: DRF's naive list-1000 makes 2001 queries); --check covers every workload.
MAIN_WORKLOADS = tuple(workload.name for workload in WORKLOADS + EVERYDAY_WORKLOADS)
# --query-planning: the new workloads beside the instance-path ones they compare with.
QUERY_PLANNING_COMPARISON = ("list-100", "list-1000", "retrieve") + tuple(
    workload.name for workload in QUERY_PLANNING_WORKLOADS
)
WORKLOADS += EVERYDAY_WORKLOADS + QUERY_PLANNING_WORKLOADS

WORKLOADS_BY_NAME = {workload.name: workload for workload in WORKLOADS}


def normalise_body(body: bytes, implementation: str) -> bytes:
    """The body with the floor's (or ninja's) mount point written as the API's, so links
    compare equal."""
    if implementation not in (FLOOR, NINJA):
        return body
    return body.replace(
        f"//testserver{PREFIX[implementation]}".encode(), f"//testserver{API_PREFIX}".encode()
    )
