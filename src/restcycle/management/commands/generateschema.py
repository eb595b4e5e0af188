"""`manage.py generateschema`: the project's OpenAPI schema, as YAML or JSON.

    python manage.py generateschema --title "Bookstore" --file openapi.yaml
    python manage.py generateschema --format openapi-json --urlconf bookstore.urls

The schema is public: every endpoint is listed, whatever the permissions.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

RENDERER_CLASS_NAMES = {
    "openapi": "OpenAPIRenderer",
    "openapi-json": "JSONOpenAPIRenderer",
}


class Command(BaseCommand):
    help = "Generates configured API schema for project."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--title", dest="title", default="", type=str)
        parser.add_argument("--url", dest="url", default=None, type=str)
        parser.add_argument("--description", dest="description", default=None, type=str)
        parser.add_argument(
            "--format",
            dest="format",
            choices=list(RENDERER_CLASS_NAMES),
            default="openapi",
            type=str,
        )
        parser.add_argument("--urlconf", dest="urlconf", default=None, type=str)
        parser.add_argument("--generator_class", dest="generator_class", default=None, type=str)
        parser.add_argument("--file", dest="file", default=None, type=str)
        parser.add_argument("--api_version", dest="api_version", default="", type=str)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generator_class"]:
            generator_class = import_string(options["generator_class"])
        else:
            generator_class = self.get_generator_class()
        generator = generator_class(
            url=options["url"],
            title=options["title"],
            description=options["description"],
            urlconf=options["urlconf"],
            version=options["api_version"],
        )
        schema = generator.get_schema(request=None, public=True)
        output = self.get_renderer(options["format"]).render(schema, renderer_context={})
        if options["file"]:
            with open(options["file"], "wb") as schema_file:
                schema_file.write(output)
        else:
            self.stdout.write(output.decode())

    def get_generator_class(self) -> type:
        from ...schemas.openapi import SchemaGenerator

        return SchemaGenerator

    def get_renderer(self, format: str) -> Any:
        from ... import renderers

        return getattr(renderers, RENDERER_CLASS_NAMES[format])()
