"""Opt-in RFC 9457 problem details for API errors (restcycle; DRF has none).

    REST_FRAMEWORK = {"EXCEPTION_HANDLER": "restcycle.problem_details.exception_handler"}

Every error the default handler answers is then answered as a problem object,

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "Invalid input.", "instance": "/books/", "code": "invalid",
     "errors": {"isbn": ["This field is required."]}}

with Content-Type `application/problem+json` when the negotiated renderer writes
JSON; any other renderer (the browsable API, say) renders the same data under its
own media type. The status, the headers (WWW-Authenticate, Retry-After, Allow) and
the rollback of atomic requests are the default handler's. See docs/errors.md.
"""

from __future__ import annotations

from http.client import responses
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.encoding import force_str

from . import exceptions
from .response import Response

PROBLEM_JSON = "application/problem+json"
# `about:blank` says "the status code is all there is to know" (RFC 9457 §4.2.1); the
# `title` is then the status code's reason phrase.
DEFAULT_TYPE = "about:blank"


class ProblemDetailsResponse(Response):
    """A Response whose JSON rendering is labelled `application/problem+json`.

    Only JSON: RFC 9457 defines the media type for a JSON body, so an HTML or YAML
    rendering keeps its renderer's media type.
    """

    @property
    def rendered_content(self) -> bytes:
        renderer = getattr(self, "accepted_renderer", None)
        if self.content_type is None and _writes_json(renderer):
            self.content_type = PROBLEM_JSON
        return super().rendered_content


def _writes_json(renderer: Any) -> bool:
    media_type = getattr(renderer, "media_type", "") or ""
    return media_type == "application/json" or media_type.endswith("+json")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """EXCEPTION_HANDLER answering RFC 9457 problem details; None for non-API errors.

    The default handler decides status, headers and rollback; this one reshapes its
    body. Field errors (a list or dict detail) go in the `errors` extension member,
    in DRF's shape, and the error code in `code`.
    """
    from .views import exception_handler as default_exception_handler

    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = default_exception_handler(exc, context)
    if response is None:
        return None
    problem = problem_for(exc, response.status_code, context.get("request"))
    return _problem_response(problem, response)


def problem_for(exc: exceptions.APIException, status: int, request: Any) -> dict[str, Any]:
    """The problem object (a dict) for an API exception answered with `status`."""
    problem: dict[str, Any] = {
        "type": DEFAULT_TYPE,
        "title": responses.get(status, "Error"),
        "status": status,
    }
    detail = exc.detail
    if isinstance(detail, (list, dict)):
        problem["detail"] = _summary(detail, exc)
        codes = exc.get_codes()
        single_code = codes[0] if isinstance(codes, list) and len(codes) == 1 else None
        problem["code"] = single_code if isinstance(single_code, str) else exc.default_code
        problem["errors"] = detail
    else:
        problem["detail"] = detail
        problem["code"] = getattr(detail, "code", None) or exc.default_code
    if request is not None:
        problem["instance"] = request.path
    return problem


def _summary(detail: list | dict, exc: exceptions.APIException) -> str:
    """One sentence for a structured detail: its only message, else the exception's default."""
    if isinstance(detail, list) and len(detail) == 1 and isinstance(detail[0], str):
        return detail[0]
    return force_str(exc.default_detail)


def _problem_response(problem: dict[str, Any], response: Response) -> ProblemDetailsResponse:
    answer = ProblemDetailsResponse(problem, status=response.status_code)
    for name, value in response.items():
        if name.lower() != "content-type":
            answer[name] = value
    return answer
