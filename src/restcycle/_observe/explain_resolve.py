"""URL resolution for `manage.py explain`: a path or a URL name to the view Django would call.

A path goes through `django.urls.resolve`, as a request would. A URL name (`name` or
`namespace:name`) is reversed; when the route needs arguments, the pattern is found in the
URLconf and its arguments are shown as `<placeholders>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404


class ExplainError(Exception):
    """The target cannot be explained (unknown path or name); the message says why."""


@dataclass
class ResolvedTarget:
    """What Django would dispatch to for the target, and how it was found."""

    target: str
    path: str
    callback: Any
    route: str
    url_name: str | None
    namespaces: list[str]
    kwargs: dict[str, Any]
    args: tuple = ()
    placeholders: list[str] = field(default_factory=list)


def resolve_target(target: str, urlconf: str | None = None) -> ResolvedTarget:
    """Resolve a path (`/api/books/`, a full URL) or a URL name (`book-list`, `ns:name`)."""
    target = target.strip()
    if not target:
        raise ExplainError("Give a path (like /api/books/) or a URL name (like book-list).")
    if "/" in target:
        return _resolve_path(target, target, urlconf)
    try:
        path = reverse(target, urlconf=urlconf)
    except NoReverseMatch:
        return _resolve_name_with_placeholders(target, urlconf)
    return _resolve_path(target, path, urlconf)


def _resolve_path(target: str, path: str, urlconf: str | None) -> ResolvedTarget:
    path = urlsplit(path).path or "/"
    if not path.startswith("/"):
        path = "/" + path
    try:
        match = resolve(path, urlconf=urlconf)
    except Resolver404:
        hint = ""
        if not path.endswith("/"):
            try:
                resolve(path + "/", urlconf=urlconf)
            except Resolver404:
                pass
            else:
                hint = f" (but {path}/ does: with APPEND_SLASH, Django redirects there)"
        raise ExplainError(f"No URL pattern matches the path {path!r}{hint}.") from None
    return ResolvedTarget(
        target=target,
        path=path,
        callback=match.func,
        route=match.route,
        url_name=match.url_name,
        namespaces=list(match.namespaces),
        kwargs=dict(match.kwargs),
        args=tuple(match.args),
    )


def _resolve_name_with_placeholders(target: str, urlconf: str | None) -> ResolvedTarget:
    *namespaces, name = target.split(":")
    found = _find_named_pattern(get_resolver(urlconf).url_patterns, namespaces, name, [], [])
    if found is None:
        where = f" in namespace {':'.join(namespaces)!r}" if namespaces else ""
        raise ExplainError(f"No URL pattern is named {name!r}{where}.")
    pattern, prefixes, matched_namespaces = found
    parts = [*prefixes, str(pattern.pattern)]
    # As Django builds ResolverMatch.route: a regex part's "^" dropped after the first part.
    route = parts[0] + "".join(part.removeprefix("^") for part in parts[1:])
    readable = "/" + "".join(_readable_route(part) for part in parts)
    placeholders = re.findall(r"<(?:\w+:)?(\w+)>", readable)
    return ResolvedTarget(
        target=target,
        path=re.sub(r"<\w+:(\w+)>", r"<\1>", readable),
        callback=pattern.callback,
        route=route,
        url_name=name,
        namespaces=matched_namespaces,
        kwargs={key: f"<{key}>" for key in placeholders},
        placeholders=placeholders,
    )


def _find_named_pattern(
    patterns: list, namespaces: list[str], name: str, prefixes: list[str], seen: list[str]
) -> tuple[URLPattern, list[str], list[str]] | None:
    """Depth-first, in URLconf order, as `reverse` prefers the first definition."""
    for entry in patterns:
        if isinstance(entry, URLPattern):
            if not namespaces and entry.name == name:
                return entry, prefixes, seen
        elif isinstance(entry, URLResolver):
            entry_namespace = entry.namespace
            if entry_namespace:
                if not namespaces or namespaces[0] not in (entry_namespace, entry.app_name):
                    continue
                remaining, chain = namespaces[1:], [*seen, entry_namespace]
            else:
                remaining, chain = namespaces, seen
            found = _find_named_pattern(
                entry.url_patterns, remaining, name, [*prefixes, str(entry.pattern)], chain
            )
            if found is not None:
                return found
    return None


def _readable_route(pattern: str) -> str:
    """A regex route as a path with `<name>` for each named group (`^books/(?P<pk>[^/.]+)/$`)."""
    if not pattern.startswith("^") and not pattern.endswith("$"):
        return pattern
    text = pattern.removeprefix("^").removesuffix("\\Z").removesuffix("$")
    out, i = [], 0
    while i < len(text):
        if text.startswith("(?P<", i):
            end_name = text.index(">", i)
            out.append(f"<{text[i + 4 : end_name]}>")
            i = _closing_paren(text, i) + 1
        elif text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _closing_paren(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text) - 1
