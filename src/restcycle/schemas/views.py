"""`SchemaView`: serves the generated schema; made by `get_schema_view()`."""

from __future__ import annotations

from typing import Any

from .. import exceptions
from ..response import Response
from ..settings import api_settings
from ..views import APIView


class SchemaView(APIView):
    """GET returns the schema `schema_generator` builds for the requesting user.

    Renders as OpenAPI YAML or JSON (plus the browsable API when it is a default
    renderer); errors render with the default renderers, which can show them.
    """

    _ignore_model_permissions = True
    schema = None  # the schema view is not part of the API it describes
    renderer_classes: Any = None
    schema_generator: Any = None
    public = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.renderer_classes is None:
            from .. import renderers

            self.renderer_classes = [renderers.OpenAPIRenderer, renderers.JSONOpenAPIRenderer]
            browsable = getattr(renderers, "BrowsableAPIRenderer", None)
            if browsable is not None and browsable in api_settings.DEFAULT_RENDERER_CLASSES:
                self.renderer_classes += [browsable]

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        schema = self.schema_generator.get_schema(request, self.public)
        if schema is None:
            raise exceptions.PermissionDenied()
        return Response(schema)

    def handle_exception(self, exc: Exception) -> Any:
        # The schema renderers cannot render an error body: negotiate again among the defaults.
        self.renderer_classes = api_settings.DEFAULT_RENDERER_CLASSES
        renderer, media_type = self.perform_content_negotiation(self.request)
        self.request.accepted_renderer, self.request.accepted_media_type = renderer, media_type
        return super().handle_exception(exc)
