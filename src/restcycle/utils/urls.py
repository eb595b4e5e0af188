"""Query-string edits on URLs (pagination links, the browsable API's format links)."""

from __future__ import annotations

from typing import Any
from urllib import parse


def _edit_query(url: Any, edit: Any) -> str:
    scheme, netloc, path, query, fragment = parse.urlsplit(str(url))
    params = parse.parse_qs(query, keep_blank_values=True)
    edit(params)
    # Sorted, so that a URL built twice reads the same (pagination links are compared).
    query = parse.urlencode(sorted(params.items()), doseq=True)
    return parse.urlunsplit((scheme, netloc, path, query, fragment))


def replace_query_param(url: Any, key: Any, val: Any) -> str:
    """`url` with the query parameter `key` set to the single value `val`."""

    def edit(params: dict) -> None:
        params[str(key)] = [str(val)]

    return _edit_query(url, edit)


def remove_query_param(url: Any, key: Any) -> str:
    """`url` without any value of the query parameter `key`."""

    def edit(params: dict) -> None:
        params.pop(str(key), None)

    return _edit_query(url, edit)
