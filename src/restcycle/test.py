"""Test helpers: a request factory and a client that speak API formats.

    client = APIClient()
    client.force_authenticate(user=user)
    response = client.post("/items/", {"name": "x"}, format="json")
    assert response.data == {...}

`format` picks a renderer from TEST_REQUEST_RENDERER_CLASSES to encode `data`
(default TEST_REQUEST_DEFAULT_FORMAT); an explicit `content_type` sends `data` as
given instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
from importlib import import_module
from typing import Any

from django.conf import settings
from django.test import override_settings, testcases
from django.test.client import Client as DjangoClient
from django.test.client import ClientHandler
from django.test.client import RequestFactory as DjangoRequestFactory
from django.utils.encoding import force_bytes
from django.utils.http import urlencode

from ._setting_defaults import SettingDefault


def force_authenticate(request: Any, user: Any = None, token: Any = None) -> None:
    """Make the API cycle treat this HttpRequest as authenticated by `user` and `token`."""
    request._force_auth_user = user
    request._force_auth_token = token


class APIRequestFactory(DjangoRequestFactory):
    """Builds HttpRequests with bodies encoded by the API's renderers (`format=`)."""

    renderer_classes_list = SettingDefault("TEST_REQUEST_RENDERER_CLASSES")
    default_format = SettingDefault("TEST_REQUEST_DEFAULT_FORMAT")

    def __init__(self, enforce_csrf_checks: bool = False, **defaults: Any):
        self.enforce_csrf_checks = enforce_csrf_checks
        self.renderer_classes = {
            renderer.format: renderer for renderer in self.renderer_classes_list
        }
        super().__init__(**defaults)

    def _encode_data(
        self, data: Any, format: str | None = None, content_type: str | None = None
    ) -> tuple[Any, str | None]:
        """(body bytes, content type) for `data`."""
        if data is None:
            return ("", content_type)

        assert format is None or content_type is None, (
            "You may not set both `format` and `content_type`."
        )

        if content_type:
            # Given explicitly: the body is `data` itself (JSON-encoded for JSON types).
            with contextlib.suppress(AttributeError):
                data = self._encode_json(data, content_type)
            return (force_bytes(data, settings.DEFAULT_CHARSET), content_type)

        format = format or self.default_format
        assert format in self.renderer_classes, (
            f"Invalid format '{format}'. Available formats are "
            f"{', '.join(repr(fmt) for fmt in self.renderer_classes)}. Set "
            "TEST_REQUEST_RENDERER_CLASSES to enable extra request formats."
        )
        renderer = self.renderer_classes[format]()
        body = renderer.render(data)
        content_type = renderer.media_type
        if renderer.charset:
            content_type = f"{content_type}; charset={renderer.charset}"
        if isinstance(body, str):
            body = body.encode(renderer.charset or settings.DEFAULT_CHARSET)
        return (body, content_type)

    def get(self, path: str, data: Any = None, **extra: Any) -> Any:
        """`data` (a dict, a MultiValueDict, or pairs) is the query string; without it, the
        query string of `path` is used."""
        environ = {"QUERY_STRING": urlencode(data or {}, doseq=True)}
        environ.update(extra)
        return self.generic("GET", path, **environ)

    def post(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Any:
        return self._generic_encoded("POST", path, data, format, content_type, extra)

    def put(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Any:
        return self._generic_encoded("PUT", path, data, format, content_type, extra)

    def patch(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Any:
        return self._generic_encoded("PATCH", path, data, format, content_type, extra)

    def delete(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Any:
        return self._generic_encoded("DELETE", path, data, format, content_type, extra)

    def options(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Any:
        return self._generic_encoded("OPTIONS", path, data, format, content_type, extra)

    def _generic_encoded(
        self, method: str, path: str, data: Any, format: str | None, content_type: Any, extra: dict
    ) -> Any:
        data, content_type = self._encode_data(data, format, content_type)
        return self.generic(method, path, data, content_type, **extra)

    def generic(
        self,
        method: str,
        path: str,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        **extra: Any,
    ) -> Any:
        # Django only sends a Content-Type with a body; an empty body may declare one too.
        if content_type is not None:
            extra["CONTENT_TYPE"] = str(content_type)
        return super().generic(method, path, data, content_type, secure, **extra)

    def request(self, **kwargs: Any) -> Any:
        request = super().request(**kwargs)
        request._dont_enforce_csrf_checks = not self.enforce_csrf_checks
        return request


class ForceAuthClientHandler(ClientHandler):
    """The test client's handler, forcing authentication on each request it handles."""

    def __init__(self, *args: Any, **kwargs: Any):
        self._force_user = None
        self._force_token = None
        super().__init__(*args, **kwargs)

    def get_response(self, request: Any) -> Any:
        # Applied at the last moment, as the handler makes the HttpRequest.
        force_authenticate(request, self._force_user, self._force_token)
        return super().get_response(request)


class APIClient(APIRequestFactory, DjangoClient):
    """Django's test client with API formats, `credentials()` and `force_authenticate()`."""

    def __init__(self, enforce_csrf_checks: bool = False, **defaults: Any):
        super().__init__(**defaults)
        self.handler = ForceAuthClientHandler(enforce_csrf_checks)
        self._credentials: dict[str, Any] = {}

    def credentials(self, **kwargs: Any) -> None:
        """Send these headers (as WSGI environ keys, e.g. HTTP_AUTHORIZATION) from now on."""
        self._credentials = kwargs

    def force_authenticate(self, user: Any = None, token: Any = None) -> None:
        """Authenticate every following request as `user`/`token`; both None undoes it."""
        self.handler._force_user = user
        self.handler._force_token = token
        if user is None and token is None:
            self.logout()

    def request(self, **kwargs: Any) -> Any:
        kwargs.update(self._credentials)
        return super().request(**kwargs)

    def get(self, path: str, data: Any = None, follow: bool = False, **extra: Any) -> Any:
        return self._send_and_follow(super().get, path, follow, data=data, **extra)

    def _send_and_follow(self, send: Any, path: str, follow: bool, **kwargs: Any) -> Any:
        # With follow=True, redirects are requested again with the same arguments.
        response = send(path, **kwargs)
        if follow:
            response = self._handle_redirects(response, **kwargs)
        return response

    def post(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        follow: bool = False,
        **extra: Any,
    ) -> Any:
        return self._send_and_follow(
            super().post, path, follow, data=data, format=format, content_type=content_type, **extra
        )

    def put(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        follow: bool = False,
        **extra: Any,
    ) -> Any:
        return self._send_and_follow(
            super().put, path, follow, data=data, format=format, content_type=content_type, **extra
        )

    def patch(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        follow: bool = False,
        **extra: Any,
    ) -> Any:
        return self._send_and_follow(
            super().patch,
            path,
            follow,
            data=data,
            format=format,
            content_type=content_type,
            **extra,
        )

    def delete(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        follow: bool = False,
        **extra: Any,
    ) -> Any:
        return self._send_and_follow(
            super().delete,
            path,
            follow,
            data=data,
            format=format,
            content_type=content_type,
            **extra,
        )

    def options(
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        follow: bool = False,
        **extra: Any,
    ) -> Any:
        return self._send_and_follow(
            super().options,
            path,
            follow,
            data=data,
            format=format,
            content_type=content_type,
            **extra,
        )

    def logout(self) -> None:
        """Forget credentials, forced authentication and the session."""
        self._credentials = {}
        self.handler._force_user = self.handler._force_token = None
        if self.session:  # Django's logout() would start a session only to end it
            super().logout()


class APITransactionTestCase(testcases.TransactionTestCase):
    client_class = APIClient


class APITestCase(testcases.TestCase):
    client_class = APIClient


class APISimpleTestCase(testcases.SimpleTestCase):
    client_class = APIClient


class APILiveServerTestCase(testcases.LiveServerTestCase):
    client_class = APIClient


_MISSING = object()


class URLPatternsTestCase(testcases.SimpleTestCase):
    """Runs its tests with its own `urlpatterns` class attribute as the URLconf.

    class ItemTests(URLPatternsTestCase):
        urlpatterns = [path("items/", ItemView.as_view())]
    """

    @classmethod
    def setUpClass(cls) -> None:
        # The test's module serves as the URLconf, holding the class's patterns meanwhile.
        module = import_module(cls.__module__)
        previous = getattr(module, "urlpatterns", _MISSING)
        module.urlpatterns = cls.urlpatterns

        def restore() -> None:
            if previous is _MISSING:
                del module.urlpatterns
            else:
                module.urlpatterns = previous

        urlconf = override_settings(ROOT_URLCONF=cls.__module__)
        urlconf.enable()
        cls.addClassCleanup(urlconf.disable)
        cls.addClassCleanup(restore)
        super().setUpClass()


__all__ = [
    "APIClient",
    "APILiveServerTestCase",
    "APIRequestFactory",
    "APISimpleTestCase",
    "APITestCase",
    "APITransactionTestCase",
    "ForceAuthClientHandler",
    "URLPatternsTestCase",
    "force_authenticate",
]


def __getattr__(name: str) -> Any:
    # `RequestsClient` exists only where `requests` is installed; imported on first use.
    if name in ("RequestsClient", "DjangoTestAdapter") and importlib.util.find_spec("requests"):
        from . import _requests_client

        return getattr(_requests_client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
