"""Media types as content negotiation compares them (DRF's `rest_framework.utils.mediatypes`).

    media_type_matches("application/json", "application/*")   # True
    _MediaType("application/json; indent=4").precedence          # 3

A renderer's or parser's media type (`lhs`) matches a client's (`rhs`) when the main
and sub types agree or either is `*`, and every parameter of `lhs` other than `q` has
the same value in `rhs`. Precedence orders the client's types from most specific
(parameters) to least (`*/*`); `q` values take no part in it, as in DRF.
"""

from __future__ import annotations

from django.utils.http import parse_header_parameters

__all__ = [
    "media_type_matches",
    "order_by_precedence",
    "order_parsed_by_precedence",
    "parse_header_parameters",
]

# Buckets of precedence, most specific first: parameters, full type, type/*, */*.
_PRECEDENCE_LEVELS = (3, 2, 1, 0)


class _MediaType:
    """One parsed media type: `main_type`, `sub_type`, `params`, `precedence`, `match()`.

    A value that does not parse becomes the empty media type (it matches nothing specific).
    """

    __slots__ = ("orig", "full_type", "params", "main_type", "sub_type")

    def __init__(self, media_type_str: str | None):
        self.orig = "" if media_type_str is None else media_type_str
        try:
            full_type, params = parse_header_parameters(self.orig)
        except ValueError:
            full_type, params = "", {}
        self.full_type: str = full_type
        self.params: dict[str, str] = params
        self.main_type, _sep, self.sub_type = full_type.partition("/")

    def match(self, other: _MediaType) -> bool:
        """True if `other` (what a client asked for) is satisfied by this media type."""
        for key, value in self.params.items():
            if key != "q" and other.params.get(key) != value:
                return False
        if self.sub_type != "*" and other.sub_type != "*" and other.sub_type != self.sub_type:
            return False
        return not (
            self.main_type != "*" and other.main_type != "*" and other.main_type != self.main_type
        )

    @property
    def precedence(self) -> int:
        """3 with parameters (besides q), 2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`."""
        if self.main_type == "*":
            return 0
        if self.sub_type == "*":
            return 1
        params = self.params
        if not params or (len(params) == 1 and "q" in params):
            return 2
        return 3

    def _identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return (self.full_type, tuple(sorted(self.params.items())))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _MediaType):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __str__(self) -> str:
        text = f"{self.main_type}/{self.sub_type}"
        for key, value in self.params.items():
            text += f"; {key}={value}"
        return text

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} {str(self)!r}>"


def media_type_matches(lhs: str, rhs: str) -> bool:
    """True if the media type `lhs` (a renderer's or parser's) satisfies `rhs` (a client's).

    `'application/json'` matches `'application/*'` and `'*/*'`; `'text/*'` does not
    match `'application/json'`.
    """
    return _MediaType(lhs).match(_MediaType(rhs))


def order_parsed_by_precedence(media_types: list[_MediaType]) -> list[set[_MediaType]]:
    """Group parsed media types into sets of equal precedence, most specific set first."""
    buckets: dict[int, set[_MediaType]] = {level: set() for level in _PRECEDENCE_LEVELS}
    for media_type in media_types:
        buckets[media_type.precedence].add(media_type)
    return [buckets[level] for level in _PRECEDENCE_LEVELS if buckets[level]]


def order_by_precedence(media_type_lst: list[str]) -> list[set[str]]:
    """Group media type strings into sets of equal precedence, most specific set first.

    `['*/*', 'application/json', 'application/json; indent=4']` gives
    `[{'application/json; indent=4'}, {'application/json'}, {'*/*'}]`.
    """
    buckets: dict[int, set[str]] = {level: set() for level in _PRECEDENCE_LEVELS}
    for media_type in media_type_lst:
        buckets[_MediaType(media_type).precedence].add(media_type)
    return [buckets[level] for level in _PRECEDENCE_LEVELS if buckets[level]]


def _ordered_by_precedence(media_types: list[_MediaType]) -> list[list[_MediaType]]:
    """Like `order_parsed_by_precedence`, but keeping header order inside each group.

    Negotiation uses this so that equally specific types are tried in the order the
    client listed them, which makes the outcome deterministic.
    """
    buckets: dict[int, list[_MediaType]] = {level: [] for level in _PRECEDENCE_LEVELS}
    for media_type in media_types:
        buckets[media_type.precedence].append(media_type)
    return [buckets[level] for level in _PRECEDENCE_LEVELS if buckets[level]]
