"""The floor: the benchmark's endpoints as plain Django views, with no framework at all.

Each view does the queries the framework does for the same request (so query counts
match), builds dicts by hand and encodes them with orjson. The bytes it returns are
the framework's: same keys, same order, same error messages for these endpoints.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import reduce
from operator import and_
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import orjson
from books.models import Author, Book, Tag
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.urls import path
from django.utils.dateparse import parse_date
from django.views.decorators.csrf import csrf_exempt

from ..workloads import FLOOR_PREFIX


def books():
    """A fresh queryset per request (a module-level one would cache its rows)."""
    return Book.objects.select_related("author").prefetch_related("tags")


PAGE_SIZE = 20
ORDERING_FIELDS = {"title", "price", "published"}
NOT_FOUND = {"detail": "No Book matches the given query."}


def json_response(data, status: int = 200, headers: dict | None = None) -> HttpResponse:
    return HttpResponse(
        orjson.dumps(data), status=status, content_type="application/json", headers=headers
    )


def author_dict(author: Author) -> dict:
    return {"id": author.id, "name": author.name, "born": author.born, "bio": author.bio}


def book_dict(book: Book, tag_ids: list[int], with_stock: bool) -> dict:
    data = {
        "id": book.id,
        "title": book.title,
        "isbn": book.isbn,
        "price": format(book.price, "f"),
        "published": book.published,
        "author": author_dict(book.author),
        "tags": tag_ids,
    }
    if with_stock:
        data["stock"] = book.stock
    return data


def prefetched_book_dict(book: Book, with_stock: bool = False) -> dict:
    return book_dict(book, [tag.pk for tag in book.tags.all()], with_stock)


def load_json(request) -> dict | None:
    try:
        data = orjson.loads(request.body)
    except orjson.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


# --- validation of a book's fields, as BookSerializer does it ---------------------------


def isbn_is_valid(isbn: str) -> bool:
    """The ISBN-10 or ISBN-13 check digit holds (written here: the floor imports no framework)."""
    if len(isbn) == 13 and isbn.isdigit():
        return sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(isbn)) % 10 == 0
    if len(isbn) == 10 and isbn[:9].isdigit() and (isbn[9].isdigit() or isbn[9] == "X"):
        values = [int(c) for c in isbn[:9]] + [10 if isbn[9] == "X" else int(isbn[9])]
        return sum(weight * value for weight, value in zip(range(10, 0, -1), values)) % 11 == 0
    return False


def clean_text(value, max_length: int, errors: list[str]) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.append("Not a valid string.")
        return None
    value = str(value).strip()
    if not value:
        errors.append("This field may not be blank.")
    elif len(value) > max_length:
        errors.append(f"Ensure this field has no more than {max_length} characters.")
    return value


def clean_price(value, errors: list[str]) -> Decimal | None:
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append("A valid number is required.")
        return None
    if not price.is_finite():
        errors.append("A valid number is required.")
        return None
    _sign, digits, exponent = price.as_tuple()
    if exponent >= 0:
        whole_digits, decimals = len(digits) + exponent, 0
    else:
        decimals = -exponent
        whole_digits = max(len(digits) - decimals, 0)
    if whole_digits + decimals > 8:
        errors.append("Ensure that there are no more than 8 digits in total.")
    elif decimals > 2:
        errors.append("Ensure that there are no more than 2 decimal places.")
    elif whole_digits > 6:
        errors.append("Ensure that there are no more than 6 digits before the decimal point.")
    else:
        return price.quantize(Decimal("0.01"))
    return None


def clean_date(value, errors: list[str]):
    try:
        parsed = parse_date(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        errors.append("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
    return parsed


def lookup(model, pk, errors: list[str]):
    """One query per pk, like a primary-key related field."""
    try:
        if isinstance(pk, bool):
            raise TypeError
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        errors.append(f'Invalid pk "{pk}" - object does not exist.')
    except (TypeError, ValueError):
        errors.append(f"Incorrect type. Expected pk value, received {type(pk).__name__}.")
    return None


def clean_stock(value, errors: list[str]) -> int | None:
    try:
        stock = int(str(value).strip())
    except ValueError:
        errors.append("A valid integer is required.")
        return None
    if stock < 0:
        errors.append("Ensure this value is greater than or equal to 0.")
    elif stock > 2147483647:
        errors.append("Ensure this value is less than or equal to 2147483647.")
    return stock


def clean_tags(value, field_errors: list[str]):
    if isinstance(value, str) or not isinstance(value, list | tuple):
        field_errors.append(f'Expected a list of items but got type "{type(value).__name__}".')
        return None
    tags = []
    for pk in value:
        tag = lookup(Tag, pk, field_errors)
        if tag is None:
            return None
        tags.append(tag)
    return tags


def clean_fields(data, cleaners: list[tuple[str, object, bool, bool]]) -> tuple[dict, dict]:
    """(values, errors) of `data` by (name, clean, required, allow_null) in declared order."""
    values: dict = {}
    errors: dict = {}
    if not isinstance(data, dict):
        message = f"Invalid data. Expected a dictionary, but got {type(data).__name__}."
        return values, {"non_field_errors": [message]}
    for name, clean, required, allow_null in cleaners:
        if name not in data:
            if required:
                errors[name] = ["This field is required."]
            continue
        if data[name] is None:
            if allow_null:
                values[name] = None
            else:
                errors[name] = ["This field may not be null."]
            continue
        field_errors: list = []
        value = clean(data[name], field_errors)
        if field_errors:
            errors[name] = field_errors[0] if isinstance(field_errors[0], dict) else field_errors
        else:
            values[name] = value
    return values, errors


def validate_book(data: dict, instance: Book | None) -> tuple[dict, dict]:
    """(values, errors) for the fields present; all fields are required unless `instance`."""
    values: dict = {}
    errors: dict = {}

    def field(name: str, clean, required: bool = True) -> None:
        if name not in data:
            if required and instance is None:
                errors[name] = ["This field is required."]
            return
        if data[name] is None:
            errors[name] = ["This field may not be null."]
            return
        field_errors: list[str] = []
        value = clean(data[name], field_errors)
        if field_errors:
            errors[name] = field_errors
        else:
            values[name] = value

    def clean_isbn(value, field_errors: list[str]):
        isbn = clean_text(value, 13, field_errors)
        if isbn is None or not isbn:
            return None
        if Book.objects.filter(isbn=isbn).exists():
            field_errors.insert(0, "book with this ISBN already exists.")
        if field_errors:
            return None
        isbn = isbn.replace("-", "").replace(" ", "").upper()
        if not isbn_is_valid(isbn):
            field_errors.append("Enter a valid ISBN-10 or ISBN-13.")
        return isbn

    field("title", lambda value, errs: clean_text(value, 200, errs))
    field("isbn", clean_isbn)
    field("price", clean_price)
    field("published", clean_date)
    field("author_id", lambda value, errs: lookup(Author, value, errs))
    field("tags", clean_tags, required=False)
    field("stock", clean_stock, required=False)
    if errors:
        return values, errors

    author = values.get("author_id", instance.author if instance else None)
    published = values.get("published", instance.published if instance else None)
    if author and author.born and published and published < author.born:
        errors["published"] = [f"{author.name} was born on {author.born.isoformat()}."]
    return values, errors


# --- views ----------------------------------------------------------------------------------


def apply_values(book: Book, values: dict) -> list | None:
    """Set the scalar fields on `book`; returns the tags to set afterwards, if any."""
    for name in ("title", "isbn", "price", "published", "stock"):
        if name in values:
            setattr(book, name, values[name])
    if "author_id" in values:
        book.author = values["author_id"]
    return values.get("tags")


@csrf_exempt
def book_list(request):
    if request.method == "GET":
        return json_response([prefetched_book_dict(book) for book in books()])
    if request.method != "POST":
        return json_response({"detail": f'Method "{request.method}" not allowed.'}, 405)
    data = load_json(request)
    if data is None:
        return json_response({"detail": "JSON parse error."}, 400)
    values, errors = validate_book(data, None)
    if errors:
        return json_response(errors, 400)
    book = Book()
    tags = apply_values(book, values)
    book.save(force_insert=True)
    if tags is not None:
        book.tags.set(tags)
    return json_response(book_dict(book, [tag.pk for tag in book.tags.all()], False), 201)


@csrf_exempt
def book_detail(request, pk: int):
    try:
        book = books().get(pk=pk)
    except Book.DoesNotExist:
        return json_response(NOT_FOUND, 404)
    if request.method == "GET":
        return json_response(prefetched_book_dict(book))
    if request.method != "PATCH":
        return json_response({"detail": f'Method "{request.method}" not allowed.'}, 405)
    data = load_json(request)
    if data is None:
        return json_response({"detail": "JSON parse error."}, 400)
    values, errors = validate_book(data, book)
    if errors:
        return json_response(errors, 400)
    tags = apply_values(book, values)
    book.save()
    if tags is not None:
        book.tags.set(tags)
    # Forget what was prefetched and read the tags back, as an update view does.
    book._prefetched_objects_cache = {}
    return json_response(book_dict(book, [tag.pk for tag in book.tags.all()], False))


def hello(request):
    return json_response({"message": "hello"})


@csrf_exempt
def echo(request):
    """What echo's target compares with: parse the JSON, write it back, validate nothing."""
    if request.method != "POST":
        return json_response({"detail": f'Method "{request.method}" not allowed.'}, 405)
    try:
        return json_response(orjson.loads(request.body))
    except orjson.JSONDecodeError:
        return json_response({"detail": "JSON parse error."}, 400)


def clean_unique_isbn(value, field_errors: list[str]) -> str | None:
    """The model's ISBN column as a ModelSerializer checks it: length, then uniqueness."""
    isbn = clean_text(value, 13, field_errors)
    if isbn and Book.objects.filter(isbn=isbn).exists():
        field_errors.insert(0, "book with this ISBN already exists.")
    return None if field_errors else isbn


def clean_blank_text(value, field_errors: list[str]) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        field_errors.append("Not a valid string.")
        return None
    return str(value).strip()


def clean_new_author(value, field_errors: list) -> dict | None:
    values, errors = clean_fields(
        value,
        [
            ("name", lambda v, errs: clean_text(v, 200, errs), True, False),
            ("born", clean_date, False, True),
            ("bio", clean_blank_text, False, False),
        ],
    )
    if errors:
        field_errors.append(errors)
        return None
    return values


@csrf_exempt
def book_with_author(request):
    """The nested write: validate the book and its author, create the author, then the book."""
    if request.method != "POST":
        return json_response({"detail": f'Method "{request.method}" not allowed.'}, 405)
    data = load_json(request)
    if data is None:
        return json_response({"detail": "JSON parse error."}, 400)
    values, errors = clean_fields(
        data,
        [
            ("title", lambda v, errs: clean_text(v, 200, errs), True, False),
            ("isbn", clean_unique_isbn, True, False),
            ("price", clean_price, True, False),
            ("published", clean_date, True, False),
            ("author", clean_new_author, True, False),
            ("tags", clean_tags, False, False),
        ],
    )
    if errors:
        return json_response(errors, 400)
    author = Author.objects.create(**values.pop("author"))
    tags = values.pop("tags", [])
    book = Book.objects.create(author=author, **values)
    book.tags.set(tags)
    return json_response(book_dict(book, [tag.pk for tag in book.tags.all()], False), 201)


def first_hundred_sliced(request):
    return json_response([prefetched_book_dict(book) for book in books()[:100]])


def linked_books(request):
    """HyperlinkedModelSerializer's output by hand: absolute links built from one base."""
    base = request.build_absolute_uri(FLOOR_PREFIX)
    return json_response(
        [
            {
                "url": f"{base}books/{book.pk}/",
                "title": book.title,
                "author": f"{base}authors/{book.author_id}/",
                "tags": [f"{base}tags/{tag.pk}/" for tag in book.tags.all()],
            }
            for book in Book.objects.prefetch_related("tags").filter(id__lte=100)
        ]
    )


# django-filter's filters of the filtered catalog, in declared order: (parameter, parse).
CATALOG_FILTERS = (
    ("price__gte", Decimal),
    ("price__lte", Decimal),
    ("published__gte", parse_date),
)


def filtered_catalog(request):
    """The filtered catalog: the filters, then search and ordering, then the page."""
    queryset = books()
    errors = {}
    for name, parse in CATALOG_FILTERS:
        raw = request.GET.get(name, "")
        if not raw:
            continue
        try:
            value = parse(raw)
        except (InvalidOperation, ValueError):
            value = None
        if value is None:
            errors[name] = ["Enter a number." if parse is Decimal else "Enter a valid date."]
        else:
            queryset = queryset.filter(**{name: value})
    if errors:
        return json_response(errors, 400)
    return catalog_page(request, queryset, {"id", *ORDERING_FIELDS})


def first_hundred(request):
    return json_response([prefetched_book_dict(book) for book in books().filter(id__lte=100)])


def with_query_param(url: str, key: str, value) -> str:
    scheme, netloc, url_path, query, fragment = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    if value is None:
        params.pop(key, None)
    else:
        params[key] = [str(value)]
    return urlunsplit((scheme, netloc, url_path, urlencode(sorted(params.items()), True), fragment))


def catalog(request):
    return catalog_page(request, books(), ORDERING_FIELDS)


def catalog_page(request, queryset, ordering_fields):
    """Search, ordering and page 20 by 20, as the catalog's filter backends do it."""
    terms = request.GET.get("search", "").replace("\x00", "").replace(",", " ").split()
    if terms:
        matches = (Q(title__icontains=term) | Q(author__name__icontains=term) for term in terms)
        queryset = queryset.filter(reduce(and_, matches))
    ordering = [
        name.strip()
        for name in request.GET.get("ordering", "").split(",")
        if name.strip().lstrip("-") in ordering_fields
    ]
    if ordering:
        queryset = queryset.order_by(*ordering)
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        return json_response({"detail": "Invalid page."}, 404)
    url = request.build_absolute_uri()
    next_link = with_query_param(url, "page", page.next_page_number()) if page.has_next() else None
    previous_link = None
    if page.has_previous():
        previous = page.previous_page_number()
        previous_link = with_query_param(url, "page", None if previous == 1 else previous)
    return json_response(
        {
            "count": paginator.count,
            "next": next_link,
            "previous": previous_link,
            "results": [prefetched_book_dict(book) for book in page],
        }
    )


def private_book(request, pk: int):
    from rest_framework.authtoken.models import Token

    credentials = request.headers.get("Authorization", "").split()
    if not credentials or credentials[0].lower() != "token":
        detail = "Authentication credentials were not provided."
        return json_response({"detail": detail}, 401, {"WWW-Authenticate": "Token"})
    if len(credentials) != 2:
        detail = "Invalid token header. No credentials provided."
        return json_response({"detail": detail}, 401, {"WWW-Authenticate": "Token"})
    try:
        token = Token.objects.select_related("user").get(key=credentials[1])
    except Token.DoesNotExist:
        return json_response({"detail": "Invalid token."}, 401, {"WWW-Authenticate": "Token"})
    if not token.user.is_active:
        detail = "User inactive or deleted."
        return json_response({"detail": detail}, 401, {"WWW-Authenticate": "Token"})
    try:
        book = books().get(pk=pk)
    except Book.DoesNotExist:
        return json_response(NOT_FOUND, 404)
    return json_response(prefetched_book_dict(book, with_stock=token.user.is_staff))


urlpatterns = [
    path("books/", book_list),
    path("books/<int:pk>/", book_detail),
    path("books-first100/", first_hundred),
    path("catalog/", catalog),
    # The projected and naive workloads' views are the same hand-written, prefetched ones.
    path("books-projected/", book_list),
    path("books-projected/<int:pk>/", book_detail),
    path("books-projected-first100/", first_hundred),
    path("books-naive/", book_list),
    path("books-naive-first100/", first_hundred),
    path("private/books/<int:pk>/", private_book),
    path("hello/", hello),
    path("echo/", echo),
    path("books-plain-first100/", first_hundred),
    path("books-with-author/", book_with_author),
    path("books-sliced/", first_hundred_sliced),
    path("books-sliced-naive/", first_hundred_sliced),
    path("books-linked/", linked_books),
    path("books-filtered/", filtered_catalog),
]
