"""The OpenAPI schema renderers, re-exported by `renderers` as DRF has them there.

Import them from `renderers` (which imports this module at its end), never this module
first: it subclasses `renderers.BaseRenderer`.

`OpenAPIRenderer` writes YAML (`application/vnd.oai.openapi`), `JSONOpenAPIRenderer`
indented JSON (`application/vnd.oai.openapi+json`). Both are for `SchemaView` and
`generateschema`, whose data is a plain OpenAPI document.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString

from ..compat import yaml
from ..renderers import BaseRenderer
from ..utils.encoders import JSONEncoder

_yaml_dumper: Any = None


def _schema_yaml_dumper() -> Any:
    """A YAML dumper for schemas: no `&id` aliases, and Django strings and durations as text."""
    global _yaml_dumper
    if _yaml_dumper is None:

        class SchemaDumper(yaml.Dumper):
            def ignore_aliases(self, data: Any) -> bool:
                # Anchors and aliases are legal YAML that many OpenAPI tools misread.
                return True

        def represent_text(dumper: Any, data: Any) -> Any:
            return dumper.represent_str(str(data))

        def represent_duration(dumper: Any, data: datetime.timedelta) -> Any:
            return dumper.represent_scalar("tag:yaml.org,2002:str", str(data.total_seconds()))

        SchemaDumper.add_representer(SafeString, represent_text)
        SchemaDumper.add_multi_representer(Promise, represent_text)
        SchemaDumper.add_representer(datetime.timedelta, represent_duration)
        _yaml_dumper = SchemaDumper
    return _yaml_dumper


class OpenAPIRenderer(BaseRenderer):
    """An OpenAPI document as YAML, keys in the document's own order."""

    media_type = "application/vnd.oai.openapi"
    charset = None
    format = "openapi"

    def __init__(self) -> None:
        assert yaml, "Using OpenAPIRenderer, but `pyyaml` is not installed."

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        text = yaml.dump(
            data, default_flow_style=False, sort_keys=False, Dumper=_schema_yaml_dumper()
        )
        return text.encode("utf-8")


class JSONOpenAPIRenderer(BaseRenderer):
    """An OpenAPI document as indented, UTF-8 JSON."""

    media_type = "application/vnd.oai.openapi+json"
    charset = None
    encoder_class = JSONEncoder
    format = "openapi-json"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return json.dumps(data, cls=self.encoder_class, indent=2, ensure_ascii=False).encode(
            "utf-8"
        )
