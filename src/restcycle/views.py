"""`APIView`: the request-response cycle, and the default exception handler.

`dispatch()` runs the stages in order, each a method a subclass may override:
wrap the request (`initialize_request`), negotiate and version, authenticate,
check permissions and throttles (`initial`), call the handler for the method,
and on the way out `finalize_response`; any exception goes through
`handle_exception` and the EXCEPTION_HANDLER setting.
"""

from __future__ import annotations

from operator import call
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import connections, models
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils.cache import cc_delim_re
from django.utils.encoding import smart_str
from django.views.generic import View

from . import _engine, exceptions, status
from ._observe import trace as _trace
from ._setting_defaults import RememberedSettingDefault
from .request import Request
from .response import Response, set_header
from .settings import api_settings, on_reload
from .utils import formatting


def get_view_name(view: Any) -> str:
    """The VIEW_NAME_FUNCTION default: `name`, else the class name as words, plus `suffix`.

    `UserListView` → "User List"; `UserViewSet` with suffix "Instance" → "User Instance".
    """
    given = getattr(view, "name", None)
    if given is not None:
        return given
    stem = view.__class__.__name__
    for ending in ("View", "ViewSet"):
        stem = formatting.remove_trailing_string(stem, ending)
    words = formatting.camelcase_to_spaces(stem)
    suffix = getattr(view, "suffix", None)
    return f"{words} {suffix}" if suffix else words


def get_view_description(view: Any, html: bool = False) -> str:
    """The VIEW_DESCRIPTION_FUNCTION default: `description`, else the dedented docstring."""
    description = getattr(view, "description", None)
    if description is None:
        description = view.__class__.__doc__ or ""
    description = formatting.dedent(smart_str(description))
    if html:
        return formatting.markup_description(description)
    return description


def set_rollback() -> None:
    """Mark every atomic request's transaction for rollback (an error response is returned)."""
    for db in connections.all(initialized_only=True):
        if db.settings_dict["ATOMIC_REQUESTS"] and db.in_atomic_block:
            db.set_rollback(True)


def exception_handler(exc: Exception, context: dict) -> Any:
    """The EXCEPTION_HANDLER default: a Response for API exceptions, None for the rest.

    Django's Http404 and PermissionDenied are treated as NotFound and PermissionDenied.
    Returning None lets the exception propagate to Django (a 500).
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))

    if isinstance(exc.detail, (list, dict)):
        data = exc.detail
    else:
        data = {"detail": exc.detail}

    set_rollback()
    return Response(data, status=exc.status_code, headers=headers)


def _merge_vary(response: Any, vary: str) -> None:
    """Add the view's Vary names to the response's own: each once, trimmed, in order."""
    names: list[str] = []
    seen: set[str] = set()
    existing = response.headers.get("Vary", "")
    for name in (*cc_delim_re.split(existing), *cc_delim_re.split(vary)):
        name = name.strip()
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    response.headers["Vary"] = "*" if "*" in names else ", ".join(names)


_NO_HANDLER = object()


def _refuse_evaluation() -> None:
    raise RuntimeError(
        "Do not evaluate the `.queryset` attribute directly, as the result will be cached "
        "and reused between requests. Use `.all()` or call `.get_queryset()` instead."
    )


class _DefaultSchema:
    """`APIView.schema` unless set: an instance of DEFAULT_SCHEMA_CLASS, bound to the view.

    Resolved on access (schemas are only needed when generating one), through the
    schemas package's own `DefaultSchema` once it is importable.
    """

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is not None and "schema" in instance.__dict__:
            return instance.__dict__["schema"]
        try:
            from .schemas import DefaultSchema
        except ImportError:
            return None
        return DefaultSchema().__get__(instance, owner)

    def __set__(self, instance: Any, inspector: Any) -> None:
        # `view.schema = inspector` (drf-spectacular does it) binds the inspector to that view.
        instance.__dict__["schema"] = inspector
        if inspector is not None:
            inspector.view = instance


class _ClassPlan:
    """What dispatch needs to know about a view class, worked out on its first request.

    `allow` is the `Allow` header of an instance with only the class's handlers (and
    the `head` that Django's `setup()` adds); `unhandled` are the method names an
    instance attribute would have to add to change it.
    """

    __slots__ = (
        "method_names",
        "allow",
        "unhandled",
        "unhandled_set",
        "default_allowed",
        "handled",
        "allow_with",
    )

    def __init__(self, cls: type):
        self.method_names = cls.http_method_names
        has_get = hasattr(cls, "get")
        handled = [
            name for name in self.method_names if hasattr(cls, name) or (name == "head" and has_get)
        ]
        self.handled = frozenset(handled)
        self.allow = ", ".join(name.upper() for name in handled)
        self.unhandled = tuple(name for name in self.method_names if name not in handled)
        self.unhandled_set = frozenset(self.unhandled)
        # instance-added handler names (a viewset's actions) -> that instance's Allow header
        self.allow_with: dict[tuple, str] = {}
        # Subclasses overriding how allowed methods are found get the slow path.
        self.default_allowed = (
            cls.allowed_methods is APIView.__dict__["allowed_methods"]
            and cls._allowed_methods is View._allowed_methods
        )

    def allow_for(self, added: tuple) -> str:
        """The Allow header of an instance that also has the handlers named in `added`."""
        allow = self.allow_with.get(added)
        if allow is None:
            allow = ", ".join(
                name.upper() for name in self.method_names if name in self.handled or name in added
            )
            self.allow_with[added] = allow
        return allow


# Each view class keeps its plan in its own __dict__ (it goes with the class), tagged with
# the generation it was made in: a settings reload starts a new generation.
_PLAN_ATTRIBUTE = "_restcycle_view_plan"
_plan_generation = 0


def _class_plan(cls: type) -> _ClassPlan:
    found = cls.__dict__.get(_PLAN_ATTRIBUTE)
    if found is not None and found[0] == _plan_generation:
        return found[1]
    plan = _ClassPlan(cls)
    type.__setattr__(cls, _PLAN_ATTRIBUTE, (_plan_generation, plan))
    return plan


@on_reload
def _forget_class_plans() -> None:
    global _plan_generation
    _plan_generation += 1


class APIView(View):
    """A class-based view running REST framework's request-response cycle.

    Component classes come from these attributes, which default to the matching
    `REST_FRAMEWORK` setting (read when used, so `override_settings` reaches them).
    """

    renderer_classes = RememberedSettingDefault("DEFAULT_RENDERER_CLASSES")
    parser_classes = RememberedSettingDefault("DEFAULT_PARSER_CLASSES")
    authentication_classes = RememberedSettingDefault("DEFAULT_AUTHENTICATION_CLASSES")
    throttle_classes = RememberedSettingDefault("DEFAULT_THROTTLE_CLASSES")
    permission_classes = RememberedSettingDefault("DEFAULT_PERMISSION_CLASSES")
    content_negotiation_class = RememberedSettingDefault("DEFAULT_CONTENT_NEGOTIATION_CLASS")
    metadata_class = RememberedSettingDefault("DEFAULT_METADATA_CLASS")
    versioning_class = RememberedSettingDefault("DEFAULT_VERSIONING_CLASS")

    # Changed on a view to give it settings of its own (EXCEPTION_HANDLER, view names...).
    settings = api_settings

    schema = _DefaultSchema()

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        """The view function for URLconfs: CSRF-exempt (SessionAuthentication checks CSRF
        itself) and exempt from LoginRequiredMiddleware (permissions decide access)."""
        queryset = getattr(cls, "queryset", None)
        if isinstance(queryset, models.query.QuerySet):
            # A class-level queryset evaluated once would be cached for every request.
            queryset._fetch_all = _refuse_evaluation

        view = super().as_view(**initkwargs)
        view.cls = cls
        view.initkwargs = initkwargs
        view.csrf_exempt = True
        view.login_required = False
        return view

    @property
    def allowed_methods(self) -> list[str]:
        """The HTTP methods this view has a handler for, upper-case (the `Allow` header)."""
        return self._allowed_methods()

    @property
    def default_response_headers(self) -> dict[str, str]:
        found = type(self).__dict__.get(_PLAN_ATTRIBUTE)
        if found is not None and found[0] == _plan_generation:
            plan = found[1]
        else:
            plan = _class_plan(type(self))
        instance_attributes = self.__dict__
        if plan.default_allowed and self.http_method_names is plan.method_names:
            if plan.unhandled_set.isdisjoint(instance_attributes):
                allow = plan.allow
            else:
                added = tuple(name for name in plan.unhandled if name in instance_attributes)
                allow = plan.allow_for(added)
        else:
            allow = ", ".join(self.allowed_methods)
        headers = {"Allow": allow}
        if len(self.renderer_classes) > 1:
            headers["Vary"] = "Accept"
        return headers

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        raise exceptions.MethodNotAllowed(request.method)

    def permission_denied(self, request: Any, message: Any = None, code: str | None = None) -> None:
        """Refuse the request: 401/403 NotAuthenticated if the client could log in, else 403."""
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated()
        raise exceptions.PermissionDenied(detail=message, code=code)

    def throttled(self, request: Any, wait: float | None) -> None:
        raise exceptions.Throttled(wait)

    def get_authenticate_header(self, request: Any) -> str | None:
        """`WWW-Authenticate` for a 401, from the first authenticator; None means use 403."""
        authenticators = self.get_authenticators()
        if authenticators:
            return authenticators[0].authenticate_header(request)
        return None

    def get_parser_context(self, http_request: Any) -> dict[str, Any]:
        """Passed to `Parser.parse()` as `parser_context`."""
        return {
            "view": self,
            "args": getattr(self, "args", ()),
            "kwargs": getattr(self, "kwargs", {}),
        }

    def get_renderer_context(self) -> dict[str, Any]:
        """Passed to `Renderer.render()` as `renderer_context`."""
        return {
            "view": self,
            "args": getattr(self, "args", ()),
            "kwargs": getattr(self, "kwargs", {}),
            "request": getattr(self, "request", None),
        }

    def get_exception_handler_context(self) -> dict[str, Any]:
        """Passed to the exception handler as `context`."""
        return {
            "view": self,
            "args": getattr(self, "args", ()),
            "kwargs": getattr(self, "kwargs", {}),
            "request": getattr(self, "request", None),
        }

    def get_view_name(self) -> str:
        """The name shown in the browsable API and OPTIONS (VIEW_NAME_FUNCTION)."""
        return self.settings.VIEW_NAME_FUNCTION(self)

    def get_view_description(self, html: bool = False) -> str:
        """The description shown in the browsable API and OPTIONS (VIEW_DESCRIPTION_FUNCTION)."""
        return self.settings.VIEW_DESCRIPTION_FUNCTION(self, html)

    # -- instantiating the components ------------------------------------------------------

    def get_format_suffix(self, **kwargs: Any) -> str | None:
        """The format given by a URL suffix (`format_suffix_patterns`), if any."""
        suffix_kwarg = self.settings.FORMAT_SUFFIX_KWARG
        if suffix_kwarg:
            return kwargs.get(suffix_kwarg)
        return None

    def get_renderers(self) -> list:
        return list(map(call, self.renderer_classes))

    def get_parsers(self) -> list:
        return list(map(call, self.parser_classes))

    def get_authenticators(self) -> list:
        return list(map(call, self.authentication_classes))

    def get_permissions(self) -> list:
        return list(map(call, self.permission_classes))

    def get_throttles(self) -> list:
        return list(map(call, self.throttle_classes))

    def get_content_negotiator(self) -> Any:
        negotiator = self.__dict__.get("_negotiator")
        if negotiator is None:
            negotiator = self._negotiator = self.content_negotiation_class()
        return negotiator

    def get_exception_handler(self) -> Any:
        return self.settings.EXCEPTION_HANDLER

    # -- the stages -------------------------------------------------------------------------

    def perform_content_negotiation(self, request: Any, force: bool = False) -> tuple[Any, str]:
        """Choose the renderer: (renderer, media type). With `force`, fall back to the first."""
        renderers, negotiator = self.get_renderers(), self.get_content_negotiator()
        try:
            return negotiator.select_renderer(request, renderers, self.format_kwarg)
        except Exception:
            if not force:
                raise
        first = renderers[0]  # forced: an error response must still be rendered somehow
        return (first, first.media_type)

    def perform_authentication(self, request: Any) -> None:
        """Authenticate now rather than lazily, so failures end the cycle here."""
        request.user  # noqa: B018

    def check_permissions(self, request: Any) -> None:
        for permission in self.get_permissions():
            if not permission.has_permission(request, self):
                self._denied_by = (permission, "has_permission")  # for the cycle trace
                self.permission_denied(
                    request,
                    message=getattr(permission, "message", None),
                    code=getattr(permission, "code", None),
                )

    def check_object_permissions(self, request: Any, obj: Any) -> None:
        for permission in self.get_permissions():
            if not permission.has_object_permission(request, self, obj):
                self._denied_by = (permission, "has_object_permission")  # for the cycle trace
                self.permission_denied(
                    request,
                    message=getattr(permission, "message", None),
                    code=getattr(permission, "code", None),
                )

    def check_throttles(self, request: Any) -> None:
        """Ask every throttle (each records the request); throttled if any refuses."""
        throttles = self.get_throttles()
        if not throttles:
            return
        refusals = []
        for throttle in throttles:
            if not throttle.allow_request(request, self):
                refusals.append((throttle, throttle.wait()))
        if refusals:
            self._throttled_by = [throttle for throttle, _wait in refusals]  # for the cycle trace
            known = [wait for _throttle, wait in refusals if wait is not None]
            self.throttled(request, max(known, default=None))

    def determine_version(self, request: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
        """(version, scheme) from the versioning class, or (None, None) without one."""
        if self.versioning_class is None:
            return (None, None)
        scheme = self.versioning_class()
        return (scheme.determine_version(request, *args, **kwargs), scheme)

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        """Wrap the HttpRequest; nothing is parsed or authenticated yet."""
        return Request(
            request,
            parsers=self.get_parsers(),
            authenticators=self.get_authenticators(),
            negotiator=self.get_content_negotiator(),
            parser_context=self.get_parser_context(request),
        )

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        """Everything that runs before the handler: negotiate, version, authenticate, permit."""
        self.format_kwarg = self.get_format_suffix(**kwargs)

        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
            request
        )
        request.version, request.versioning_scheme = self.determine_version(
            request, *args, **kwargs
        )

        self.perform_authentication(request)
        self.check_permissions(request)
        self.check_throttles(request)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Give a Response its renderer and context, and add the view's headers."""
        assert isinstance(response, HttpResponseBase), (
            "Expected a `Response`, `HttpResponse` or `StreamingHttpResponse` to be returned "
            f"from the view, but received a `{type(response)}`"
        )
        if isinstance(response, Response):
            if not getattr(request, "accepted_renderer", None):
                request.accepted_renderer, request.accepted_media_type = (
                    self.perform_content_negotiation(request, force=True)
                )
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()

        headers = self.headers
        vary = headers.pop("Vary", None)
        if vary is not None:
            _merge_vary(response, vary)
        for key, value in headers.items():
            set_header(response, key, value)
        return response

    def handle_exception(self, exc: Exception) -> Any:
        """Turn an exception into a response through the exception handler, or re-raise."""
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            auth_header = self.get_authenticate_header(self.request)
            if auth_header:
                exc.auth_header = auth_header
            else:
                # No way to authenticate by a header: 401 would be a lie, so 403.
                exc.status_code = status.HTTP_403_FORBIDDEN

        handler = self.get_exception_handler()
        response = handler(exc, self.get_exception_handler_context())
        if response is None:
            self.raise_uncaught_exception(exc)
        response.exception = True
        return response

    def raise_uncaught_exception(self, exc: Exception) -> None:
        """Hand an exception no handler answered to Django (its 500 page, or the test client)."""
        if django_settings.DEBUG:
            request = self.request
            force_plaintext_errors = getattr(request, "force_plaintext_errors", None)
            if force_plaintext_errors is not None:
                renderer = getattr(request, "accepted_renderer", None)
                force_plaintext_errors(
                    getattr(renderer, "format", None) not in ("html", "api", "admin")
                )
        raise exc

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """The cycle. Stage methods are called through `self`, so overrides take part."""
        self.args = args
        self.kwargs = kwargs
        if _trace.hook is not None:
            _trace.hook(self)
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers

        if api_settings.SHADOW and _engine.shadow_enabled():  # docs/shadow-mode.md
            self.response = _engine.shadow_dispatch(self, request, args, kwargs)
            return self.response
        try:
            self.initial(request, *args, **kwargs)
            method = request.method.lower()
            if method in self.http_method_names:
                handler = getattr(self, method, _NO_HANDLER)
                if handler is _NO_HANDLER:
                    handler = self.http_method_not_allowed
            else:
                handler = self.http_method_not_allowed
            response = handler(request, *args, **kwargs)
        except Exception as exc:
            response = self.handle_exception(exc)

        self.response = self.finalize_response(request, response, *args, **kwargs)
        return self.response

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Describe the view with the metadata class; 405 when `metadata_class` is None."""
        if self.metadata_class is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        data = self.metadata_class().determine_metadata(request, self)
        return Response(data, status=status.HTTP_200_OK)
