"""Content negotiation: which parser reads a request body, which renderer writes the response.

    negotiator = DefaultContentNegotiation()
    parser = negotiator.select_parser(request, parsers)          # by Content-Type, or None
    renderer, media_type = negotiator.select_renderer(request, renderers, format_suffix)

A `format` (URL suffix, or the `?format=` query parameter named by URL_FORMAT_OVERRIDE)
narrows the renderers to those of that format (404 if none). Then the Accept header's
media types are tried from most to least specific, and within equal specificity
renderers are tried in the view's order; `q` values are not considered. No match is a
406 NotAcceptable. Oversized Accept headers are cut down before parsing, since every
token costs a parse; the parsed tokens are kept on the request, so negotiating twice
(as an error response does) parses them once.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.http import Http404

from . import exceptions
from .settings import api_settings
from .utils.mediatypes import _MediaType, _ordered_by_precedence

# Media types declared by parsers and renderers: a handful per project, parsed once.
_DECLARED_MEDIA_TYPES: dict[str, _MediaType] = {}
_DECLARED_CACHE_LIMIT = 1024


def _declared_media_type(media_type: str) -> _MediaType:
    """The parsed form of a parser's or renderer's `media_type`, cached per string."""
    parsed = _DECLARED_MEDIA_TYPES.get(media_type)
    if parsed is None:
        if len(_DECLARED_MEDIA_TYPES) >= _DECLARED_CACHE_LIMIT:
            _DECLARED_MEDIA_TYPES.clear()
        parsed = _DECLARED_MEDIA_TYPES[media_type] = _MediaType(media_type)
    return parsed


# Request Content-Types without a multipart boundary (which is new in every request):
# clients send a handful, so each is parsed once. _MediaType is never mutated.
_REQUEST_MEDIA_TYPES: dict[str, _MediaType] = {}
_REQUEST_MEDIA_TYPE_LIMIT = 256


def _request_media_type(content_type: str) -> _MediaType:
    parsed = _REQUEST_MEDIA_TYPES.get(content_type)
    if parsed is None:
        parsed = _MediaType(content_type)
        if "boundary" not in parsed.params:
            if len(_REQUEST_MEDIA_TYPES) >= _REQUEST_MEDIA_TYPE_LIMIT:
                _REQUEST_MEDIA_TYPES.clear()
            _REQUEST_MEDIA_TYPES[content_type] = parsed
    return parsed


# Outcomes of negotiations by Accept header alone, per (negotiator class, header, renderer
# media types). Only headers without parameters are remembered: API clients send a handful
# of those (`application/json`, `*/*`), while parameters (q-values, indent, versions) make
# headers as varied as clients; those are parsed once per request, kept on the request.
_remembered_outcomes: dict[tuple, tuple[Any, Any]] = {}
_REMEMBERED_OUTCOME_LIMIT = 512
_REMEMBERED_HEADER_LENGTH = 256


class BaseContentNegotiation:
    """Interface of a negotiator; set one with DEFAULT_CONTENT_NEGOTIATION_CLASS."""

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        """Return the parser instance for the request body, or None if none can read it."""
        raise NotImplementedError(".select_parser() must be implemented")

    def select_renderer(
        self, request: Any, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        """Return `(renderer instance, accepted media type)`, or raise NotAcceptable."""
        raise NotImplementedError(".select_renderer() must be implemented")


class DefaultContentNegotiation(BaseContentNegotiation):
    """DRF's negotiation: format first, then the Accept header by specificity."""

    settings = api_settings
    # Limits on what a client can make the server parse (characters, characters, tokens).
    max_accept_header_length = 4096
    max_media_type_length = 256
    max_accept_tokens = 64

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        content_type = request.content_type
        if len(content_type) > self.max_media_type_length:
            return None
        requested = _request_media_type(content_type)
        for parser in parsers:
            if _declared_media_type(parser.media_type).match(requested):
                return parser
        return None

    def select_renderer(
        self, request: Any, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        format_query_param = self.settings.URL_FORMAT_OVERRIDE
        requested_format = format_suffix
        if not requested_format and format_query_param:
            # `request.GET` is not built for a URL without a query string; one already
            # built or assigned (by middleware, say) is always consulted.
            attributes = getattr(getattr(request, "_request", None), "__dict__", None)
            if (
                attributes is None
                or "GET" in attributes
                or (meta := attributes.get("META")) is None
                or meta.get("QUERY_STRING")
            ):
                requested_format = request.query_params.get(format_query_param)
        if requested_format:
            renderers = self.filter_renderers(renderers, requested_format)
        elif (
            _default_parsing.get(type(self)) or _parses_accept_as_default(type(self))
        ) and not self.__dict__:
            # The outcome depends only on the header and the renderers' media types.
            header = request.META.get("HTTP_ACCEPT", "*/*")
            if len(header) <= _REMEMBERED_HEADER_LENGTH and ";" not in header:
                key = (type(self), header, *map(_media_type_of, renderers))
                outcome = _remembered_outcomes.get(key)
                if outcome is None:
                    outcome = self._negotiated_outcome(request, renderers)
                    if len(_remembered_outcomes) >= _REMEMBERED_OUTCOME_LIMIT:
                        _remembered_outcomes.clear()
                    _remembered_outcomes[key] = outcome
                if outcome[0] is None:
                    raise exceptions.NotAcceptable(available_renderers=renderers)
                return renderers[outcome[0]], outcome[1]

        index, media_type = self._negotiated_outcome(request, renderers)
        if index is None:
            raise exceptions.NotAcceptable(available_renderers=renderers)
        return renderers[index], media_type

    def _negotiated_outcome(self, request: Any, renderers: list[Any]) -> tuple[Any, Any]:
        """(index of the chosen renderer, accepted media type), or (None, None)."""
        for group in self._accepted_media_types(request):
            for index, renderer in enumerate(renderers):
                declared = _declared_media_type(renderer.media_type)
                for accepted in group:
                    if not declared.match(accepted):
                        continue
                    if declared.precedence > accepted.precedence:
                        # The client asked for '*/*' (say): answer with the renderer's own
                        # type, keeping the client's parameters.
                        params = "".join(
                            f";{key}={value}" for key, value in accepted.params.items()
                        )
                        return index, renderer.media_type + params
                    return index, accepted.orig
        return None, None

    def filter_renderers(self, renderers: list[Any], format: str) -> list[Any]:
        """The renderers whose `format` is `format`; Http404 if there are none."""
        renderers = [renderer for renderer in renderers if renderer.format == format]
        if not renderers:
            raise Http404
        return renderers

    def get_accept_list(self, request: Any) -> list[str]:
        """The Accept header's media types, in order, within the length and count limits."""
        header = request.META.get("HTTP_ACCEPT", "*/*")
        limit = self.max_accept_header_length
        if len(header) > limit:
            kept = header[:limit]
            if header[limit] != ",":
                kept = kept.rpartition(",")[0]  # the last token was cut: drop it
            header = kept
        tokens = [token.strip() for token in header.split(",")]
        tokens = [token for token in tokens if token][: self.max_accept_tokens]
        max_length = self.max_media_type_length
        return [token for token in tokens if len(token) <= max_length]

    def _accepted_media_types(self, request: Any) -> list[list[_MediaType]]:
        """The Accept tokens parsed and grouped by precedence, kept on the request."""
        tokens = tuple(self.get_accept_list(request))
        attributes = getattr(request, "__dict__", None)
        cached = attributes.get("_accepted_media_types") if attributes is not None else None
        if cached is not None and cached[0] == tokens:
            return cached[1]
        groups = _ordered_by_precedence([_MediaType(token) for token in tokens])
        if attributes is not None:
            attributes["_accepted_media_types"] = (tokens, groups)
        return groups


_default_parsing: dict[type, bool] = {}
_media_type_of = attrgetter("media_type")


def _parses_accept_as_default(cls: type) -> bool:
    """Whether negotiator class `cls` reads the Accept header as DefaultContentNegotiation."""
    found = _default_parsing.get(cls)
    if found is not None:
        return found
    base = DefaultContentNegotiation
    result = all(
        getattr(cls, name) is getattr(base, name)
        for name in ("get_accept_list", "_accepted_media_types", "_negotiated_outcome")
    ) and all(
        getattr(cls, name) == getattr(base, name)
        for name in ("max_accept_header_length", "max_media_type_length", "max_accept_tokens")
    )
    _default_parsing[cls] = result
    return result
