"""Parsers: turn a request body of one media type into `request.data` (and files).

    class ExampleView(APIView):
        parser_classes = [JSONParser]

The negotiator picks the first parser whose `media_type` matches the request's
Content-Type, and calls `parse(stream, media_type, parser_context)`; the context holds
the `request`, `view`, `args`, `kwargs` and the body's `encoding`. A malformed body
is a ParseError (400). Django's upload limits apply: DATA_UPLOAD_MAX_MEMORY_SIZE to
JSON and form bodies, and Django's field, file and size limits to multipart bodies;
exceeding one is a 413 (`exceptions.RequestTooLarge`, whose message names no setting)
that is also Django's own exception (RequestDataTooBig, ...).
"""

from __future__ import annotations

import codecs
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import StopFutureHandlers
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import ChunkIter, MultiPartParserError
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext_lazy as _

from . import renderers
from ._render.json_output import SettingFlag, parse_json
from .exceptions import ParseError, RequestTooLarge

_UNSUPPORTED_CHARSET = 'Unsupported charset "{charset}" in request Content-Type header.'


class DataAndFiles:
    """What a parser of form bodies returns: `.data` (a QueryDict) and `.files`."""

    def __init__(self, data: Any, files: Any):
        self.data = data
        self.files = files


class _DjangosLimitError(RequestTooLarge):
    """A 413 whose response detail names no setting, while the exception itself reads as
    Django's own (`str()`), for code that catches Django's class and checks its text."""

    django_message = ""

    def __str__(self) -> str:
        return self.django_message


class RequestBodyTooLarge(RequestDataTooBig, _DjangosLimitError):
    """The body is over DATA_UPLOAD_MAX_MEMORY_SIZE: a 413, and Django's error."""

    django_message = "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."


class TooManyFormFields(TooManyFieldsSent, _DjangosLimitError):
    """More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: a 413, and Django's error."""

    default_detail = _("Request body has too many fields.")
    default_code = "too_many_fields"
    django_message = (
        "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
    )


class TooManyFormFiles(TooManyFilesSent, _DjangosLimitError):
    """More files than DATA_UPLOAD_MAX_NUMBER_FILES: a 413, and Django's error."""

    default_detail = _("Request body has too many files.")
    default_code = "too_many_files"
    django_message = "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."


def _limit_error(exc: Exception) -> RequestTooLarge:
    """Django's upload-limit exception as the matching 413.

    Django's own message names the setting; a client has no use for it, and it tells
    a stranger how the server is configured, so the default message stands instead.
    """
    if isinstance(exc, TooManyFilesSent):
        return TooManyFormFiles()
    if isinstance(exc, TooManyFieldsSent):
        return TooManyFormFields()
    return RequestBodyTooLarge()


def get_encoding(parser_context: dict | None) -> str:
    """The body's text encoding (the Content-Type charset, else DEFAULT_CHARSET).

    A charset that is not a text encoding (`base64`, `zlib`, an unknown name) is a
    ParseError: decoding with it could expand a small body into a huge one.
    """
    encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
    if encoding in _TEXT_ENCODINGS:
        return encoding
    try:
        codec = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        codec = None
    if codec is None or not codec._is_text_encoding or codec.name == "undefined":
        raise ParseError(_UNSUPPORTED_CHARSET.format(charset=encoding))
    if len(_TEXT_ENCODINGS) < 32:  # names come from clients: remember a few only
        _TEXT_ENCODINGS.add(encoding)
    return encoding


# Encoding names get_encoding has accepted (a codec lookup each time is measurable).
_TEXT_ENCODINGS: set[str] = set()


def _is_utf8(encoding: str) -> bool:
    return encoding == "utf-8" or codecs.lookup(encoding).name == "utf-8"


def read_body(stream: Any, parser_context: dict | None) -> bytes | str:
    """The whole body, refusing one over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestBodyTooLarge)."""
    request = (parser_context or {}).get("request")
    http_request = getattr(request, "_request", request)
    if isinstance(http_request, HttpRequest) and stream is http_request:
        # Django checks the limit and keeps the body, so the request can be parsed again.
        try:
            return http_request.body
        except RequestDataTooBig as exc:
            raise _limit_error(exc) from exc
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise RequestBodyTooLarge()
    return body


def reads_body_within_limit(parser: Any) -> bool:
    """True when `parser.parse` reads the HttpRequest itself through `read_body`.

    Such a parser gets the request as its stream: the body is read once, limit checked.
    """
    return getattr(type(parser), "parse", None) in _BODY_LIMITED_PARSES


class BaseParser:
    """All parsers subclass this, set `media_type` and implement `parse()`."""

    media_type: str | None = None

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> Any:
        """Return the parsed data, or a DataAndFiles for bodies that carry files."""
        raise NotImplementedError(".parse() must be overridden.")


class JSONParser(BaseParser):
    """JSON bodies. With STRICT_JSON on (the default) NaN and Infinity are refused."""

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer
    strict = SettingFlag("STRICT_JSON")

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> Any:
        parser_context = parser_context or {}
        encoding = get_encoding(parser_context)
        body = read_body(stream, parser_context)
        return parse_json(body, encoding, strict=self.strict, is_utf8=_is_utf8(encoding))


class FormParser(BaseParser):
    """URL-encoded form bodies, parsed into a QueryDict."""

    media_type = "application/x-www-form-urlencoded"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> QueryDict:
        parser_context = parser_context or {}
        encoding = get_encoding(parser_context)
        body = read_body(stream, parser_context)
        try:
            return QueryDict(body, encoding=encoding)
        except TooManyFieldsSent as exc:
            raise _limit_error(exc) from exc


class MultiPartParser(BaseParser):
    """multipart/form-data bodies, by Django's parser: DataAndFiles(QueryDict, MultiValueDict)."""

    media_type = "multipart/form-data"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> DataAndFiles:
        parser_context = parser_context or {}
        request = parser_context["request"]
        # Django's parser takes the boundary from META's content type: the negotiated one here.
        meta = {**request.META, "CONTENT_TYPE": media_type}
        arguments = (meta, stream, request.upload_handlers, get_encoding(parser_context))
        try:
            data, files = DjangoMultiPartParser(*arguments).parse()
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as exc:
            raise _limit_error(exc) from exc
        return DataAndFiles(data, files)


class FileUploadParser(BaseParser):
    """A raw body that is one file: `request.data['file']`.

    The filename comes from the URL keyword argument `filename`, else from the
    Content-Disposition header's `filename*` or `filename` parameter. The body goes
    through Django's upload handlers (FILE_UPLOAD_HANDLERS) as a form upload would.
    """

    media_type = "*/*"
    errors = {
        "unhandled": "FileUpload parse error - none of upload handlers can handle the stream",
        "no_filename": "Missing filename. Request should include a Content-Disposition header "
        "with a filename parameter.",
    }

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> DataAndFiles:
        parser_context = parser_context or {}
        request = parser_context["request"]
        filename = self.get_filename(stream, media_type, parser_context)
        if not filename:
            raise ParseError(self.errors["no_filename"])
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        file_obj = _handled_upload(
            stream, request.upload_handlers, request.META, filename, encoding
        )
        if file_obj is None:
            raise ParseError(self.errors["unhandled"])
        return DataAndFiles({}, {"file": file_obj})

    def get_filename(self, stream: Any, media_type: str | None, parser_context: dict) -> str | None:
        """The upload's filename: the URL's `filename` kwarg, else Content-Disposition's."""
        try:
            return parser_context["kwargs"]["filename"]
        except KeyError:
            pass
        try:
            meta = parser_context["request"].META
            _disposition, params = parse_header_parameters(meta["HTTP_CONTENT_DISPOSITION"])
        except (AttributeError, KeyError, ValueError):
            return None
        # Django decodes RFC 2231/8187 `filename*` into `filename`, preferring it.
        return params.get("filename*") or params.get("filename")


def _handled_upload(stream: Any, handlers: list, meta: dict, filename: str, encoding: str) -> Any:
    """The file Django's upload handlers make of the body `stream`; None if none of them did.

    A handler may take the whole stream at once (handle_raw_input); otherwise the body is
    streamed through them in chunks, as Django does for a multipart file.
    """
    try:
        content_length = int(meta.get("HTTP_CONTENT_LENGTH", meta.get("CONTENT_LENGTH", 0)))
    except (ValueError, TypeError):
        content_length = None
    whole = (
        handler.handle_raw_input(stream, meta, content_length, None, encoding)
        for handler in handlers
    )
    taken = next((result for result in whole if result is not None), None)
    if taken is not None:
        return taken[1]

    content_type = meta.get("HTTP_CONTENT_TYPE", meta.get("CONTENT_TYPE", ""))
    receivers = _opened_handlers(handlers, filename, content_type, content_length, encoding)
    chunk_size = min([2**31 - 4, *(h.chunk_size for h in handlers if h.chunk_size)])
    received = _feed(receivers, ChunkIter(stream, chunk_size))
    completed = (handler.file_complete(size) for handler, size in zip(receivers, received))
    return next((file_obj for file_obj in completed if file_obj is not None), None)


def _opened_handlers(handlers: list, *new_file_args: Any) -> list:
    """The handlers told of the new file: up to the first that stops those after it."""
    opened = []
    for handler in handlers:
        opened.append(handler)
        try:
            handler.new_file(None, *new_file_args)
        except StopFutureHandlers:
            break
    return opened


def _feed(handlers: list, chunks: Any) -> list[int]:
    """Pass each chunk down the handlers until one keeps it; the bytes each one was given."""
    received = [0] * len(handlers)
    for chunk in chunks:
        index = 0
        while chunk is not None and index < len(handlers):
            size = len(chunk)
            chunk = handlers[index].receive_data_chunk(chunk, received[index])
            received[index] += size
            index += 1
    return received


# Parsers whose own parse() reads the body with read_body (see reads_body_within_limit).
_BODY_LIMITED_PARSES = (JSONParser.parse, FormParser.parse)
