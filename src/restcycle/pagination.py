"""Paginators: split a list view's queryset into pages and describe the links between them.

`GenericAPIView.paginate_queryset()` hands the filtered queryset to the view's
`pagination_class` (default `DEFAULT_PAGINATION_CLASS`); a paginator returns the
page's items (or None to leave the list unpaginated) and later wraps the
serialized page in `get_paginated_response(data)`. Bad page parameters never
500: an unknown page or a tampered cursor is a 404, bad sizes fall back to the
default.
"""

from __future__ import annotations

import contextlib
from base64 import b64decode, b64encode
from collections import namedtuple
from typing import Any
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from django.template import loader
from django.utils.translation import gettext_lazy as _

from ._openapi_parameter import optional_query_parameter
from ._setting_defaults import SettingDefault
from .exceptions import NotFound
from .response import Response
from .utils.urls import remove_query_param, replace_query_param

PageLink = namedtuple("PageLink", ["url", "number", "is_active", "is_break"])
PAGE_BREAK = PageLink(url=None, number=None, is_active=False, is_break=True)
Cursor = namedtuple("Cursor", ["offset", "reverse", "position"])

# More rows than any table holds, and still a valid LIMIT on every database.
_LARGEST_PAGE = 2**62


def _positive_int(integer_string: Any, strict: bool = False, cutoff: int | None = None) -> int:
    """Parse a query parameter as a non-negative int (positive when strict), capped at cutoff.

    Raises ValueError (or TypeError) for anything else, so callers can fall back.
    """
    value = int(integer_string)
    if value < 0 or (strict and value == 0):
        raise ValueError(f"{integer_string!r} is not a positive integer")
    if cutoff:
        return min(value, cutoff)
    return value


def _divide_with_ceil(a: int, b: int) -> int:
    """a / b rounded up, for counting partial pages."""
    return -(-a // b)


def _get_displayed_page_numbers(current: int, final: int) -> list[int | None]:
    """The page numbers a page control shows, None where a run of pages is elided.

    Always the first and last page and the neighbours of the current one; a gap
    of a single page is shown rather than elided. current=14, final=16 gives
    [1, None, 13, 14, 15, 16].
    """
    assert current >= 1
    assert final >= current
    if final <= 5:
        return list(range(1, final + 1))

    shown = {1, current - 1, current, current + 1, final}
    if current <= 4:
        shown.update((2, 3))
    if current >= final - 3:
        shown.update((final - 1, final - 2))
    numbers: list[int | None] = [n for n in sorted(shown) if 0 < n <= final]

    if current > 4:
        numbers.insert(1, None)
    if current < final - 3:
        numbers.insert(len(numbers) - 1, None)
    return numbers


def _get_page_links(page_numbers: list[int | None], current: int, url_func: Any) -> list[PageLink]:
    """PageLinks for the displayed page numbers (PAGE_BREAK where a number is None)."""
    links = []
    for number in page_numbers:
        if number is None:
            links.append(PAGE_BREAK)
        else:
            links.append(PageLink(url_func(number), number, number == current, False))
    return links


def _numbered_html_context(paginator: Any, current: int, final: int, url_func: Any) -> dict:
    """What the numbered page controls template shows: previous, next and the page links."""
    page_links = _get_page_links(_get_displayed_page_numbers(current, final), current, url_func)
    return {
        "previous_url": paginator.get_previous_link(),
        "next_url": paginator.get_next_link(),
        "page_links": page_links,
    }


def _reverse_ordering(ordering: tuple[str, ...]) -> tuple[str, ...]:
    """Flip the direction of each field of an `order_by` tuple."""
    return tuple(field[1:] if field.startswith("-") else "-" + field for field in ordering)


class BasePagination:
    """The paginator contract; subclasses implement the paging and the response."""

    display_page_controls = False

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        raise NotImplementedError("paginate_queryset() must be implemented.")

    def get_paginated_response(self, data: Any) -> Response:
        raise NotImplementedError("get_paginated_response() must be implemented.")

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return schema

    def to_html(self) -> str:
        raise NotImplementedError("to_html() must be implemented to display page controls.")

    def get_results(self, data: dict) -> Any:
        return data["results"]

    def get_schema_fields(self, view: Any) -> list:
        return []

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return []


def _size_from_query(request: Any, param: str | None, cutoff: int | None, default: Any) -> Any:
    """The positive size asked for in the `param` query parameter, capped at `cutoff`.

    `default` when there is no such parameter, or it is missing or not a positive integer.
    """
    if param:
        with contextlib.suppress(KeyError, ValueError, TypeError):
            return _positive_int(request.query_params[param], strict=True, cutoff=cutoff)
    return default


def _requested_page_size(paginator: Any, request: Any) -> int | None:
    """The client's page size (when the paginator lets it choose), else the paginator's own."""
    return _size_from_query(
        request, paginator.page_size_query_param, paginator.max_page_size, paginator.page_size
    )


def _link_schema(example: str) -> dict:
    return {"type": "string", "nullable": True, "format": "uri", "example": example}


def _counted_page_response(paginator: Any, count: int, data: Any) -> Response:
    """A page that tells the total `count`, with links to its neighbours and the `results`."""
    return Response(
        {
            "count": count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": data,
        }
    )


def _counted_page_schema(results: dict, next_example: str, previous_example: str) -> dict:
    """The OpenAPI schema of what `_counted_page_response` returns."""
    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer", "example": 123},
            "next": _link_schema(next_example),
            "previous": _link_schema(previous_example),
            "results": results,
        },
    }


class PageNumberPagination(BasePagination):
    """Pages by number: `?page=4`, with `?page_size=` when `page_size_query_param` is set."""

    page_size = SettingDefault("PAGE_SIZE")
    django_paginator_class = DjangoPaginator
    page_query_param = "page"
    page_query_description = _("A page number within the paginated result set.")
    page_size_query_param: str | None = None
    page_size_query_description = _("Number of results to return per page.")
    max_page_size: int | None = None
    last_page_strings: tuple[str, ...] = ("last",)
    template = "rest_framework/pagination/numbers.html"
    invalid_page_message = _("Invalid page.")

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None  # no page size given and no default: not paginated
        self.page = self._requested_page(request, self.django_paginator_class(queryset, page_size))
        self.display_page_controls = self.template is not None and self.page.paginator.num_pages > 1
        return list(self.page)

    def _requested_page(self, request: Any, paginator: Any) -> Any:
        """The page `?page=` names; a number out of range, or not a number, is a 404."""
        page_number = self.get_page_number(request, paginator)
        try:
            return paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(exc))
            )

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        page_number = request.query_params.get(self.page_query_param) or 1
        if page_number in self.last_page_strings:
            return paginator.num_pages
        return page_number

    def get_page_size(self, request: Any) -> int | None:
        return _requested_page_size(self, request)

    def get_paginated_response(self, data: Any) -> Response:
        return _counted_page_response(self, self.page.paginator.count, data)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        example = "http://api.example.org/accounts/?" + self.page_query_param + "={}"
        return _counted_page_schema(schema, example.format(4), example.format(2))

    def _page_url(self, url: str, page_number: int) -> str:
        # Page 1 is the bare URL, so the first page has a single canonical address.
        if page_number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, page_number)

    def get_next_link(self) -> str | None:
        if not self.page.has_next():
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page.next_page_number())

    def get_previous_link(self) -> str | None:
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        return self._page_url(url, self.page.previous_page_number())

    def get_html_context(self) -> dict:
        base_url = self.request.build_absolute_uri()
        current = self.page.number
        final = self.page.paginator.num_pages
        return _numbered_html_context(
            self, current, final, lambda number: self._page_url(base_url, number)
        )

    def to_html(self) -> str:
        return loader.get_template(self.template).render(self.get_html_context())

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        parameters = [
            optional_query_parameter(self.page_query_param, self.page_query_description, "integer")
        ]
        if self.page_size_query_param is not None:
            parameters.append(
                optional_query_parameter(
                    self.page_size_query_param, self.page_size_query_description, "integer"
                )
            )
        return parameters


class LimitOffsetPagination(BasePagination):
    """Pages by position: `?limit=100&offset=400`.

    A missing, zero or malformed limit falls back to `default_limit` (capped by
    `max_limit`); a malformed offset is 0; an offset past the end is an empty page.
    """

    default_limit = SettingDefault("PAGE_SIZE")
    limit_query_param = "limit"
    limit_query_description = _("Number of results to return per page.")
    offset_query_param = "offset"
    offset_query_description = _("The initial index from which to return the results.")
    max_limit: int | None = None
    template = "rest_framework/pagination/numbers.html"

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None  # no limit given and no default: not paginated
        self.count, self.offset = self.get_count(queryset), self.get_offset(request)
        self.display_page_controls = self.template is not None and self.count > self.limit
        # Stop at the count: an absurd ?limit= must not overflow the database's LIMIT.
        stop = min(self.offset + self.limit, self.count)
        return list(queryset[self.offset : stop]) if self.offset < stop else []

    def get_paginated_response(self, data: Any) -> Response:
        return _counted_page_response(self, self.count, data)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        example = (
            "http://api.example.org/accounts/?"
            f"{self.offset_query_param}={{}}&{self.limit_query_param}=100"
        )
        return _counted_page_schema(schema, example.format(400), example.format(200))

    def get_limit(self, request: Any) -> int | None:
        return _size_from_query(request, self.limit_query_param, self.max_limit, self.default_limit)

    def get_offset(self, request: Any) -> int:
        try:
            return _positive_int(request.query_params[self.offset_query_param])
        except (KeyError, ValueError, TypeError):
            return 0

    def get_count(self, queryset: Any) -> int:
        """`.count()` for querysets (one COUNT query), `len()` for plain sequences."""
        try:
            return queryset.count()
        except (AttributeError, TypeError):
            return len(queryset)

    def get_next_link(self) -> str | None:
        if self.offset + self.limit >= self.count:
            return None
        url = replace_query_param(
            self.request.build_absolute_uri(), self.limit_query_param, self.limit
        )
        return replace_query_param(url, self.offset_query_param, self.offset + self.limit)

    def get_previous_link(self) -> str | None:
        if self.offset <= 0:
            return None
        url = replace_query_param(
            self.request.build_absolute_uri(), self.limit_query_param, self.limit
        )
        if self.offset - self.limit <= 0:
            return remove_query_param(url, self.offset_query_param)
        return replace_query_param(url, self.offset_query_param, self.offset - self.limit)

    def get_html_context(self) -> dict:
        base_url = self.request.build_absolute_uri()
        if self.limit:
            current = _divide_with_ceil(self.offset, self.limit) + 1
            # Pages before the offset plus pages from it to the end: an offset
            # that is not a multiple of the limit adds a partial page in front.
            final = _divide_with_ceil(self.count - self.offset, self.limit) + _divide_with_ceil(
                self.offset, self.limit
            )
            final = max(final, 1)
        else:
            current = final = 1
        current = min(current, final)

        def page_number_to_url(number: int) -> str:
            if number == 1:
                return remove_query_param(base_url, self.offset_query_param)
            offset = self.offset + (number - current) * self.limit
            return replace_query_param(base_url, self.offset_query_param, offset)

        return _numbered_html_context(self, current, final, page_number_to_url)

    def to_html(self) -> str:
        return loader.get_template(self.template).render(self.get_html_context())

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            optional_query_parameter(
                self.limit_query_param, self.limit_query_description, "integer"
            ),
            optional_query_parameter(
                self.offset_query_param, self.offset_query_description, "integer"
            ),
        ]


class CursorPagination(BasePagination):
    """Pages by an opaque cursor over a fixed ordering: stable while rows are inserted.

    The cursor (`?cursor=`) is base64 of a query string: `o` an offset, `r` "1"
    when paging backwards, `p` the ordering value of the row the page starts
    after. A cursor that does not decode, or whose position does not fit the
    ordering field, is a 404 "Invalid cursor".
    """

    cursor_query_param = "cursor"
    cursor_query_description = _("The pagination cursor value.")
    page_size = SettingDefault("PAGE_SIZE")
    invalid_cursor_message = _("Invalid cursor")
    ordering: Any = "-created"
    template = "rest_framework/pagination/previous_and_next.html"
    page_size_query_param: str | None = None
    page_size_query_description = _("Number of results to return per page.")
    max_page_size: int | None = None
    # Offsets only break ties between rows sharing a position; a huge one is an attack.
    offset_cutoff = 1000

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        self.request = request
        self.page_size = self.get_page_size(request)
        if not self.page_size:
            return None

        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        offset, reverse, current_position = self.cursor or (0, False, None)

        queryset = queryset.order_by(
            *(_reverse_ordering(self.ordering) if reverse else self.ordering)
        )
        if current_position is not None:
            queryset = self._after_position(queryset, current_position, reverse)

        # One row more than a page tells whether another page follows. The cap keeps
        # an absurd client page size within every database's LIMIT.
        rows = list(queryset[offset : offset + min(self.page_size, _LARGEST_PAGE) + 1])
        self.page = rows[: self.page_size]
        following_position = None
        if len(rows) > len(self.page):
            following_position = self._get_position_from_instance(rows[-1], self.ordering)
        at_start = current_position is None and offset == 0

        self.next_position = self.previous_position = None
        if reverse:
            # The query ran backwards; show the page in the ordering's own direction.
            self.page.reverse()
            self.has_next = not at_start
            self.has_previous = following_position is not None
            self.next_position = current_position
            self.previous_position = following_position
        else:
            self.has_next = following_position is not None
            self.has_previous = not at_start
            self.next_position = following_position
            self.previous_position = current_position

        if (self.has_previous or self.has_next) and self.template is not None:
            self.display_page_controls = True
        return self.page

    def _after_position(self, queryset: Any, position: str, reverse: bool) -> Any:
        """Rows strictly beyond `position` in the direction being paged."""
        order = self.ordering[0]
        descending = order.startswith("-")
        lookup = "lt" if reverse != descending else "gt"
        try:
            return queryset.filter(**{f"{order.lstrip('-')}__{lookup}": position})
        except (ValueError, TypeError, DjangoValidationError):
            # A position that is not a value of the ordering field: a forged cursor.
            raise NotFound(self.invalid_cursor_message)

    def get_page_size(self, request: Any) -> int | None:
        return _requested_page_size(self, request)

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        return self.encode_cursor(self._link_cursor(forward=True))

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        return self.encode_cursor(self._link_cursor(forward=False))

    def _link_cursor(self, forward: bool) -> Cursor:
        """The cursor of the page after (forward) or before this one.

        Its position is the last distinct ordering value at that edge of this
        page; rows at the edge that share it are counted into the offset.
        """
        page, cursor = self.page, self.cursor
        position_of = self._get_position_from_instance
        own_position = self.next_position if forward else self.previous_position
        other_position = self.previous_position if forward else self.next_position
        has_other = self.has_previous if forward else self.has_next
        # Paging back the way the current cursor came turns direction.
        turning = cursor is not None and cursor.reverse == forward
        if not page:
            return Cursor(offset=0, reverse=not forward, position=own_position)

        if turning and cursor.offset != 0:
            # An offset cursor's own position is not a row of this page: start
            # from the page's edge row instead.
            compare = position_of(page[-1] if forward else page[0], self.ordering)
        else:
            compare = own_position

        # Walk in from the edge to the first row whose position differs from its
        # neighbour beyond the edge: that position marks the boundary, and the
        # rows walked over become the offset.
        rows_from_edge = page[::-1] if forward else page
        offset = next(
            (
                index
                for index, item in enumerate(rows_from_edge)
                if position_of(item, self.ordering) != compare
            ),
            None,
        )
        if offset is not None:
            position = position_of(rows_from_edge[offset], self.ordering)
        elif not has_other:
            # Every row of the page shares one position: move by offset alone.
            offset, position = self.page_size, None
        elif turning:
            offset, position = 0, other_position
        else:
            offset, position = cursor.offset + self.page_size, other_position

        return Cursor(offset=offset, reverse=not forward, position=position)

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        """The pagination's `ordering`, unless an ordering filter on the view picks one."""
        ordering = self.ordering
        ordering_filters = [
            backend
            for backend in getattr(view, "filter_backends", None) or ()
            if hasattr(backend, "get_ordering")
        ]
        if ordering_filters:
            chosen = ordering_filters[0]().get_ordering(request, queryset, view)
            if chosen:
                ordering = chosen

        assert ordering is not None, (
            "Using cursor pagination, but no ordering attribute was declared on the "
            "pagination class."
        )
        assert isinstance(ordering, (str, list, tuple)), (
            f"Invalid ordering. Expected string or tuple, but got {type(ordering).__name__}"
        )
        if isinstance(ordering, str):
            ordering = (ordering,)
        assert "__" not in ordering[0], (
            "Cursor pagination does not support double underscore lookups for orderings. "
            "Orderings should be an unchanging, unique or nearly-unique field on the model, "
            'such as "-created" or "pk".'
        )
        return tuple(ordering)

    def decode_cursor(self, request: Any) -> Cursor | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            querystring = b64decode(encoded.encode("ascii")).decode("ascii")
            tokens = parse.parse_qs(querystring, keep_blank_values=True)
            offset = _positive_int(tokens.get("o", ["0"])[0], cutoff=self.offset_cutoff)
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
        except (TypeError, ValueError):
            raise NotFound(self.invalid_cursor_message)
        return Cursor(offset=offset, reverse=reverse, position=position)

    def encode_cursor(self, cursor: Cursor) -> str:
        """This page's URL with `cursor`: its non-default parts, base64 of a query string."""
        parts = (
            ("o", str(cursor.offset), cursor.offset != 0),
            ("r", "1", cursor.reverse),
            ("p", cursor.position, cursor.position is not None),
        )
        present = [(key, value) for key, value, given in parts if given]
        token = b64encode(parse.urlencode(present, doseq=True).encode("ascii"))
        return replace_query_param(self.base_url, self.cursor_query_param, token.decode("ascii"))

    def _get_position_from_instance(self, instance: Any, ordering: tuple[str, ...]) -> str | None:
        field_name = ordering[0].lstrip("-")
        value = (
            instance[field_name] if isinstance(instance, dict) else getattr(instance, field_name)
        )
        return None if value is None else str(value)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        example = f"http://api.example.org/accounts/?{self.cursor_query_param}={{}}"
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                # The stray quote is DRF's; kept so generated schemas match byte for byte.
                "next": _link_schema(example.format('cD00ODY%3D"')),
                "previous": _link_schema(example.format("cj0xJnA9NDg3")),
                "results": schema,
            },
        }

    def get_html_context(self) -> dict:
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link()}

    def to_html(self) -> str:
        return loader.get_template(self.template).render(self.get_html_context())

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        parameters = [
            optional_query_parameter(
                self.cursor_query_param, self.cursor_query_description, "string"
            )
        ]
        if self.page_size_query_param is not None:
            parameters.append(
                optional_query_parameter(
                    self.page_size_query_param, self.page_size_query_description, "integer"
                )
            )
        return parameters
