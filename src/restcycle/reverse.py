"""`reverse()`: Django's reverse, made absolute with a request, keeping the API version.

With a request whose versioning scheme builds URLs (`request.versioning_scheme`),
that scheme reverses, so links stay in the client's API version; the `?format=`
override of the current request is carried along too.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.urls import NoReverseMatch
from django.urls import reverse as django_reverse
from django.utils.functional import lazy

from .settings import api_settings
from .utils.urls import replace_query_param


def preserve_builtin_query_params(url: str, request: Any = None) -> str:
    """Carry the request's URL_FORMAT_OVERRIDE query parameter (`?format=`) over to `url`."""
    if request is None:
        return url
    param = api_settings.URL_FORMAT_OVERRIDE
    if param and param in request.GET:
        url = replace_query_param(url, param, request.GET[param])
    return url


def reverse(
    viewname: str,
    args: Any = None,
    kwargs: dict | None = None,
    request: Any = None,
    format: str | None = None,
    **extra: Any,
) -> str:
    """The URL of `viewname`: absolute when `request` is given, versioned by its scheme."""
    arguments = (viewname, args, kwargs, request, format)
    scheme = getattr(request, "versioning_scheme", None)
    url = None
    if scheme is not None:
        # The scheme may have no versioned route for it: then the plain URL.
        with contextlib.suppress(NoReverseMatch):
            url = scheme.reverse(*arguments, **extra)
    if url is None:
        url = _reverse(*arguments, **extra)
    return preserve_builtin_query_params(url, request)


def _reverse(
    viewname: str,
    args: Any = None,
    kwargs: dict | None = None,
    request: Any = None,
    format: str | None = None,
    **extra: Any,
) -> str:
    """Reverse without versioning: Django's reverse plus the format suffix, made absolute."""
    if format is not None:
        kwargs = {**(kwargs or {}), "format": format}
    url = django_reverse(viewname, args=args, kwargs=kwargs, **extra)
    if request:
        return request.build_absolute_uri(url)
    return url


reverse_lazy = lazy(reverse, str)
