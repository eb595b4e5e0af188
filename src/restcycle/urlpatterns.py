"""`format_suffix_patterns()`: let URLs end in `.json`, `.api`, ... to choose a renderer.

The suffix is passed to the view as the FORMAT_SUFFIX_KWARG keyword (`format`),
which content negotiation prefers over the Accept header. Works for `path()` and
`re_path()` patterns and recurses into `include()`s.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import URLPattern, URLResolver, path, re_path, register_converter
from django.urls.resolvers import RoutePattern

from .settings import api_settings

_ANY_FORMAT = "[a-z0-9]+"
_registered_converters: set[str] = set()


def _allowed_pattern(allowed: Any) -> str:
    if not allowed:
        return _ANY_FORMAT
    return "(?:" + "|".join(re.escape(fmt) for fmt in allowed) + ")"


def _format_converter(allowed: Any) -> str:
    """Register (once) and name the path converter for `.<format>` with an optional slash."""
    name = "drf_format_suffix"
    if allowed:
        name += "_" + "_".join(re.sub(r"\W", "_", fmt) for fmt in allowed)
    if name not in _registered_converters:

        class FormatSuffixConverter:
            regex = r"\." + _allowed_pattern(allowed) + "/?"

            def to_python(self, value: str) -> str:
                return value.strip("./")

            def to_url(self, value: str) -> str:
                return "." + value

        register_converter(FormatSuffixConverter, name)
        _registered_converters.add(name)
    return name


def _suffixed(pattern: URLPattern, suffix_regex: str, suffix_route: str) -> URLPattern:
    """A copy of `pattern` that also matches the format suffix."""
    if isinstance(pattern.pattern, RoutePattern):
        route = str(pattern.pattern._route).rstrip("/")
        build, new_route = path, route + suffix_route
    else:
        regex = pattern.pattern.regex.pattern.rstrip("$").rstrip("/")
        build, new_route = re_path, regex + suffix_regex
    return build(new_route, pattern.callback, pattern.default_args, pattern.name)


def apply_suffix_patterns(
    urlpatterns: list,
    suffix_pattern: str,
    suffix_required: bool,
    suffix_route: str | None = None,
) -> list:
    """`urlpatterns` with a suffixed twin after each pattern (or instead, if required)."""
    result = []
    for urlpattern in urlpatterns:
        if isinstance(urlpattern, URLResolver):
            patterns = apply_suffix_patterns(
                urlpattern.url_patterns, suffix_pattern, suffix_required, suffix_route
            )
            result.append(
                URLResolver(
                    urlpattern.pattern,
                    patterns,
                    urlpattern.default_kwargs,
                    urlpattern.app_name,
                    urlpattern.namespace,
                )
            )
            continue
        if not suffix_required:
            result.append(urlpattern)
        result.append(_suffixed(urlpattern, suffix_pattern, suffix_route or ""))
    return result


def format_suffix_patterns(
    urlpatterns: list, suffix_required: bool = False, allowed: Any = None
) -> list:
    """Add `.format` variants of `urlpatterns`.

    `suffix_required=True` keeps only the suffixed variants; `allowed` limits the
    formats (e.g. `["json", "api"]`).
    """
    suffix_kwarg = api_settings.FORMAT_SUFFIX_KWARG
    suffix_regex = rf"\.(?P<{suffix_kwarg}>{_allowed_pattern(allowed)})/?$"
    suffix_route = f"<{_format_converter(allowed)}:{suffix_kwarg}>"
    return apply_suffix_patterns(urlpatterns, suffix_regex, suffix_required, suffix_route)
