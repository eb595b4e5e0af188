"""API versioning schemes: where a request says which version of the API it wants.

`APIView.determine_version()` calls the view's `versioning_class().determine_version()`
and stores the result as `request.version` (and the scheme as
`request.versioning_scheme`). A version outside `allowed_versions` ends the
cycle: 404 for schemes that read the URL, host or query string, 406 for the
Accept header. Each scheme's `reverse()` builds URLs that keep the version.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import exceptions
from ._setting_defaults import SettingDefault
from .reverse import _reverse
from .utils.mediatypes import _MediaType
from .utils.urls import replace_query_param


class BaseVersioning:
    """The contract of a versioning scheme, with the settings every scheme shares."""

    default_version = SettingDefault("DEFAULT_VERSION")
    allowed_versions = SettingDefault("ALLOWED_VERSIONS")
    version_param = SettingDefault("VERSION_PARAM")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        msg = "{cls}.determine_version() must be implemented."
        raise NotImplementedError(msg.format(cls=self.__class__.__name__))

    def reverse(
        self,
        viewname: str,
        args: Any = None,
        kwargs: dict | None = None,
        request: Any = None,
        format: str | None = None,
        **extra: Any,
    ) -> str:
        return _reverse(viewname, args, kwargs, request, format, **extra)

    def is_allowed_version(self, version: Any) -> bool:
        """Any version when `allowed_versions` is empty; else the default or a listed one."""
        allowed = self.allowed_versions
        if not allowed:
            return True
        if version is not None and version == self.default_version:
            return True
        return version in allowed


class AcceptHeaderVersioning(BaseVersioning):
    """The version is a parameter of the negotiated media type.

    GET /something/ HTTP/1.1
    Accept: application/json; version=1.0
    """

    invalid_version_message = _('Invalid version in "Accept" header.')

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        accepted = getattr(request, "accepted_media_type", None)
        version = self.default_version
        if accepted:
            version = _MediaType(accepted).params.get(self.version_param, version)
        if isinstance(version, bytes):
            version = version.decode("iso-8859-1")
        if not self.is_allowed_version(version):
            raise exceptions.NotAcceptable(self.invalid_version_message)
        return version

    # The version travels in the Accept header, so URLs need no change: the
    # base class's reverse() is right as it is.


class URLPathVersioning(BaseVersioning):
    """The version is a keyword argument captured by the URL pattern.

    path("<str:version>/users/", users_list, name="users-list")
    """

    invalid_version_message = _("Invalid version in URL path.")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        version = kwargs.get(self.version_param)
        if version is None:
            version = self.default_version
        if not self.is_allowed_version(version):
            raise exceptions.NotFound(self.invalid_version_message)
        return version

    def reverse(
        self,
        viewname: str,
        args: Any = None,
        kwargs: dict | None = None,
        request: Any = None,
        format: str | None = None,
        **extra: Any,
    ) -> str:
        version = getattr(request, "version", None)
        if version is not None:
            # A copy: reverse() retries with the caller's kwargs when this fails.
            kwargs = {**(kwargs or {}), self.version_param: version}
        return super().reverse(viewname, args, kwargs, request, format, **extra)


class NamespaceVersioning(BaseVersioning):
    """The version is the URL namespace the request was resolved in.

    path("v1/", include("users.urls", namespace="v1"))
    """

    invalid_version_message = _(
        "Invalid version in URL path. Does not match any version namespace."
    )

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        resolver_match = getattr(request, "resolver_match", None)
        if resolver_match is None or not resolver_match.namespace:
            return self.default_version
        # Nested namespaces ("v1:users"): the first that is an allowed version wins.
        for candidate in resolver_match.namespace.split(":"):
            if self.is_allowed_version(candidate):
                return candidate
        raise exceptions.NotFound(self.invalid_version_message)

    def reverse(
        self,
        viewname: str,
        args: Any = None,
        kwargs: dict | None = None,
        request: Any = None,
        format: str | None = None,
        **extra: Any,
    ) -> str:
        if getattr(request, "version", None) is not None:
            viewname = self.get_versioned_viewname(viewname, request)
        return super().reverse(viewname, args, kwargs, request, format, **extra)

    def get_versioned_viewname(self, viewname: str, request: Any) -> str:
        return f"{request.version}:{viewname}"


class HostNameVersioning(BaseVersioning):
    """The version is the first label of a three-label host name.

    GET /something/ HTTP/1.1
    Host: v1.example.com
    """

    hostname_regex = re.compile(r"^([a-zA-Z0-9]+)\.[a-zA-Z0-9]+\.[a-zA-Z0-9]+$")
    invalid_version_message = _("Invalid version in hostname.")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        match = self.hostname_regex.match(request.get_host().partition(":")[0])
        version = match.group(1) if match else self.default_version
        # A host that names a version must name an allowed one; no version is the default.
        if match and not self.is_allowed_version(version):
            raise exceptions.NotFound(self.invalid_version_message)
        return version

    # The version travels in the host name, which reversed URLs keep when built
    # from the request: the base class's reverse() is right as it is.


class QueryParameterVersioning(BaseVersioning):
    """The version is a query parameter: GET /something/?version=0.1"""

    invalid_version_message = _("Invalid version in query parameter.")

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        version = request.query_params.get(self.version_param, self.default_version)
        if not self.is_allowed_version(version):
            raise exceptions.NotFound(self.invalid_version_message)
        return version

    def reverse(
        self,
        viewname: str,
        args: Any = None,
        kwargs: dict | None = None,
        request: Any = None,
        format: str | None = None,
        **extra: Any,
    ) -> str:
        url = super().reverse(viewname, args, kwargs, request, format, **extra)
        version = getattr(request, "version", None)
        if version is not None:
            return replace_query_param(url, self.version_param, version)
        return url
