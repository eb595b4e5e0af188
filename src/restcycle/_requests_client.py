"""`RequestsClient`: a `requests.Session` whose requests Django serves in-process.

Only imported when `requests` is installed (`restcycle.test` re-exports it then).
Tests written against it read like tests of a deployed API, but need no server.
"""

from __future__ import annotations

import http.client
import io
from typing import Any

import requests
from django.test.client import ClientHandler
from django.test.client import RequestFactory as DjangoRequestFactory
from urllib3 import HTTPResponse

# Headers that the WSGI environ carries under their own names, or not at all.
_NOT_HTTP_HEADERS = {"CONNECTION", "CONTENT-LENGTH", "CONTENT-TYPE"}


class _HeaderSource:
    """What `requests` reads cookies from: the raw response's `_original_response.msg`."""

    def __init__(self, headers: list[tuple[str, str]]):
        self.msg = http.client.HTTPMessage()
        for name, value in headers:
            self.msg[name] = value
        self.closed = False

    def isclosed(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


class DjangoTestAdapter(requests.adapters.HTTPAdapter):
    """A transport adapter that hands each request to Django instead of the network.

    CSRF checks are enforced, as they would be by a real server.
    """

    def __init__(self) -> None:
        super().__init__()
        self.factory = DjangoRequestFactory()
        self.handler = ClientHandler(enforce_csrf_checks=True)

    def get_environ(self, request: requests.PreparedRequest) -> dict[str, Any]:
        """The WSGI environ for a prepared `requests` request."""
        kwargs: dict[str, Any] = {}
        body = request.body
        if body is not None:
            kwargs["data"] = body.read() if hasattr(body, "read") else body
        if "content-type" in request.headers:
            kwargs["content_type"] = request.headers["content-type"]
        for name, value in request.headers.items():
            upper = name.upper()
            if upper not in _NOT_HTTP_HEADERS:
                kwargs["HTTP_" + upper.replace("-", "_")] = value
        secure = request.url.startswith("https:")
        return self.factory.generic(request.method, request.url, secure=secure, **kwargs).environ

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        response = self.handler(self.get_environ(request))
        if response.streaming:
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        headers = [*response.items()]
        headers += [
            ("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()
        ]
        raw = HTTPResponse(
            body=io.BytesIO(body),
            headers=headers,
            status=response.status_code,
            reason=response.reason_phrase,
            version=11,
            preload_content=False,
            original_response=_HeaderSource(headers),
        )
        return self.build_response(request, raw)

    def close(self) -> None:
        pass


class RequestsClient(requests.Session):
    """A `requests` session against the Django project under test (`http://testserver/...`)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        adapter = DjangoTestAdapter()
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if not url.startswith("http"):
            raise ValueError(
                'Missing "http:" or "https:". Use a fully qualified URL, eg '
                f'"http://testserver{url}"'
            )
        return super().request(method, url, *args, **kwargs)
