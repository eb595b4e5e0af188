"""Breadcrumbs for the browsable API: the REST framework views above a URL."""

from __future__ import annotations

from typing import Any

from django.urls import get_script_prefix, resolve


def _parent_urls(url: str):
    """`url`, then each shorter prefix ending at a path segment, down to ''."""
    while True:
        yield url
        if not url:
            return
        if url.endswith("/"):
            url = url.rstrip("/")
        else:
            url = url[: url.rfind("/") + 1]


def get_breadcrumbs(url: str, request: Any = None) -> list[tuple[str, str]]:
    """`[(view name, url), ...]` from the root down to `url`, for the views that resolve."""
    from ..reverse import preserve_builtin_query_params
    from ..views import APIView

    prefix = get_script_prefix().rstrip("/")
    url = url[len(prefix) :]
    crumbs: list[tuple[str, str]] = []
    last_view = None
    for candidate in _parent_urls(url):
        try:
            view = resolve(candidate).func
        except Exception:
            continue
        cls = getattr(view, "cls", None)
        if cls is None or not issubclass(cls, APIView):
            continue
        # The same view twice in a row is an optional trailing slash: list it once.
        if view is last_view:
            continue
        last_view = view
        name = cls(**getattr(view, "initkwargs", {})).get_view_name()
        crumbs.append((name, preserve_builtin_query_params(prefix + candidate, request)))
    crumbs.reverse()
    return crumbs
