"""API schemas: OpenAPI generation (`openapi`), served by the view `get_schema_view()` makes.

    urlpatterns = [path("openapi", get_schema_view(title="Bookstore"), name="openapi-schema")]

`generateschema` writes the same document from the command line.
"""

from __future__ import annotations

from typing import Any

from . import openapi
from .inspectors import DefaultSchema
from .openapi import AutoSchema, SchemaGenerator


def get_schema_view(
    title: str | None = None,
    url: str | None = None,
    description: str | None = None,
    urlconf: Any = None,
    renderer_classes: list | None = None,
    public: bool = False,
    patterns: list | None = None,
    generator_class: type | None = None,
    authentication_classes: Any = None,
    permission_classes: Any = None,
    version: str | None = None,
) -> Any:
    """A view function serving the API's OpenAPI schema.

    Unless `public`, the schema lists only the endpoints the requesting user may use.
    Authentication and permission classes default to the REST_FRAMEWORK settings.
    """
    from ..settings import api_settings
    from .views import SchemaView

    if generator_class is None:
        generator_class = openapi.SchemaGenerator
    if authentication_classes is None:
        authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    if permission_classes is None:
        permission_classes = api_settings.DEFAULT_PERMISSION_CLASSES
    generator = generator_class(
        title=title,
        url=url,
        description=description,
        urlconf=urlconf,
        patterns=patterns,
        version=version,
    )
    return SchemaView.as_view(
        renderer_classes=renderer_classes,
        schema_generator=generator,
        public=public,
        authentication_classes=authentication_classes,
        permission_classes=permission_classes,
    )


__all__ = ["AutoSchema", "DefaultSchema", "SchemaGenerator", "get_schema_view", "openapi"]
