"""`manage.py explain <path-or-url-name>`: what the REST framework will do with a request.

    python manage.py explain /api/books/ --method POST
    python manage.py explain book-detail --method PUT --format json

Stage by stage: the view, the component classes and where each came from, the handler,
the serializer and its fields, and every override point with the class that defines it.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from ..._observe.explain import HTTP_METHODS, ExplainError, explain
from ..._observe.explain_text import render_text


class Command(BaseCommand):
    help = (
        "Explain how a request to a path or URL name goes through the REST framework cycle: "
        "view, components and their origin, handler, serializer, and overridden methods."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "target",
            help="A path (/api/books/1/) or a URL name (book-detail, or namespace:name).",
        )
        parser.add_argument(
            "--method",
            default="GET",
            type=str.upper,
            choices=HTTP_METHODS,
            help="The HTTP method of the request (default GET).",
        )
        parser.add_argument(
            "--format",
            default="text",
            choices=("text", "json"),
            help="text for people, json for tools (schema: docs/explain.md).",
        )
        parser.add_argument("--urlconf", default=None, help="Use this URLconf module.")

    def handle(self, *args, **options):
        try:
            report = explain(options["target"], options["method"], urlconf=options["urlconf"])
        except ExplainError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render_text(report), ending="")
