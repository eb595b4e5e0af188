"""OpenAPI 3.0 schemas: `SchemaGenerator` for the document, `AutoSchema` per view.

`AutoSchema` builds each operation from what the view already declares (serializer,
parsers, renderers, paginator, filter backends, URL parameters); every piece is a
method a subclass overrides, and those names are DRF's, which drf-spectacular and
users' own subclasses call.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin

from django.core import validators as django_validators
from django.db import models

from .. import exceptions, serializers
from ..compat import inflection, uritemplate
from ..fields import _UnvalidatedField, empty
from ..settings import api_settings
from .generators import BaseSchemaGenerator
from .inspectors import ViewInspector
from .utils import get_pk_description, is_list_view

OPENAPI_VERSION = "3.0.2"


class SchemaGenerator(BaseSchemaGenerator):
    """Walks the URLconf and assembles one OpenAPI document from every view's AutoSchema."""

    def get_info(self) -> dict[str, str]:
        info = {"title": self.title or "", "version": self.version or ""}
        if self.description is not None:
            info["description"] = self.description
        return info

    def check_duplicate_operation_id(self, paths: dict) -> None:
        """Warn when two operations share an operationId: client generators need them unique."""
        seen: dict[str, tuple[str, str]] = {}
        for route, operations in paths.items():
            for method, operation in operations.items():
                operation_id = operation.get("operationId")
                if operation_id is None:
                    continue
                if operation_id in seen:
                    first_route, first_method = seen[operation_id]
                    warnings.warn(
                        "You have a duplicated operationId in your OpenAPI schema: "
                        f"{operation_id}\n"
                        f"\tRoute: {first_route}, Method: {first_method}\n"
                        f"\tRoute: {route}, Method: {method}\n"
                        "\tAn operationId has to be unique across your schema. "
                        "Your schema may not work in other tools.",
                        stacklevel=2,
                    )
                else:
                    seen[operation_id] = (route, method)

    def get_schema(self, request: Any = None, public: bool = False) -> dict:
        """The OpenAPI document; with a request and not `public`, only the views it may use."""
        self._initialise_endpoints()
        _, view_endpoints = self._get_paths_and_endpoints(None if public else request)

        paths: dict[str, dict] = {}
        components: dict[str, dict] = {}
        for path, method, view in view_endpoints:
            if not self.has_view_permissions(path, method, view):
                continue
            inspector = view.schema
            operation = inspector.get_operation(path, method)
            for name, component in inspector.get_components(path, method).items():
                if name in components and components[name] != component:
                    warnings.warn(
                        f'Schema component "{name}" has been overridden with a different value.',
                        stacklevel=2,
                    )
                components[name] = component
            route = urljoin(self.url or "/", path.removeprefix("/"))
            paths.setdefault(route, {})[method.lower()] = operation

        self.check_duplicate_operation_id(paths)
        schema: dict[str, Any] = {
            "openapi": OPENAPI_VERSION,
            "info": self.get_info(),
            "paths": paths,
        }
        if components:
            schema["components"] = {"schemas": components}
        return schema


# Field classes whose schema is just a type (exact class match, as subclasses may differ).
_PLAIN_FIELD_TYPES = {
    serializers.BooleanField: "boolean",
    serializers.JSONField: "object",
    serializers.DictField: "object",
    serializers.HStoreField: "object",
}

# String fields with a well-known `format`, checked in this order (subclasses included).
_STRING_FORMATS = (
    (serializers.DateField, "date"),
    (serializers.DateTimeField, "date-time"),
    (serializers.EmailField, "email"),
    (serializers.URLField, "uri"),
    (serializers.UUIDField, "uuid"),
)

# Integers beyond these need `format: int64`.
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def _multiple_of(decimal_places: int) -> float:
    """0.01 for two decimal places: the step a number with that many places moves by."""
    return float(Decimal(1).scaleb(-decimal_places))


def _bound_for_digits(digits: int) -> int:
    """10**digits: the exclusive magnitude bound of a number with `digits` whole digits."""
    return 10**digits


# Python's end-of-string `\Z`, not preceded by an escaping backslash.
_PYTHON_END_OF_STRING = re.compile(r"(?<!\\)((?:\\\\)*)\\Z")


def _ecma_pattern(pattern: str) -> str:
    r"""A Python regex as JSON Schema's (ECMA 262) dialect: `\Z` has no equivalent there
    but `$`, which without the multiline flag matches only at the end of the input."""
    return _PYTHON_END_OF_STRING.sub(r"\1$", pattern)


def _choice_schema(choices: list) -> dict:
    """`{"enum": [...]}` plus the type every choice shares, when they share one."""
    schema: dict[str, Any] = {"enum": choices}
    if all(isinstance(choice, bool) for choice in choices):
        schema["type"] = "boolean"
    elif all(isinstance(choice, int) for choice in choices):
        schema["type"] = "integer"
    elif all(isinstance(choice, (int, float, Decimal)) for choice in choices):
        schema["type"] = "number"
    elif all(isinstance(choice, str) for choice in choices):
        schema["type"] = "string"
    return schema


class AutoSchema(ViewInspector):
    """An OpenAPI operation (and its serializer components) for one view and method.

    `tags`, `operation_id_base` and `component_name` override what would otherwise be
    derived from the path, the model and the serializer's class name.
    """

    request_media_types: list[str] = []
    response_media_types: list[str] = []

    # HTTP method → the action word an operationId starts with.
    method_mapping = {
        "get": "retrieve",
        "post": "create",
        "put": "update",
        "patch": "partialUpdate",
        "delete": "destroy",
    }

    def __init__(
        self,
        tags: list[str] | None = None,
        operation_id_base: str | None = None,
        component_name: str | None = None,
    ):
        if tags and not all(isinstance(tag, str) for tag in tags):
            raise ValueError("tags must be a list or tuple of string.")
        self._tags = tags
        self.operation_id_base = operation_id_base
        self.component_name = component_name
        super().__init__()

    # -- the operation ----------------------------------------------------------------

    def get_operation(self, path: str, method: str) -> dict:
        operation: dict[str, Any] = {
            "operationId": self.get_operation_id(path, method),
            "description": self.get_description(path, method),
            "parameters": (
                self.get_path_parameters(path, method)
                + self.get_pagination_parameters(path, method)
                + self.get_filter_parameters(path, method)
            ),
        }
        request_body = self.get_request_body(path, method)
        if request_body:
            operation["requestBody"] = request_body
        operation["responses"] = self.get_responses(path, method)
        operation["tags"] = self.get_tags(path, method)
        return operation

    def get_tags(self, path: str, method: str) -> list[str]:
        """The given tags, else the path's first segment (`/user_profile/…` → user-profile)."""
        if self._tags:
            return self._tags
        return [path.removeprefix("/").split("/")[0].replace("_", "-")]

    # -- operationId ------------------------------------------------------------------

    def _to_camel_case(self, snake_str: str) -> str:
        first, *rest = snake_str.split("_")
        return first + "".join(part.title() for part in rest)

    def get_operation_id_base(self, path: str, method: str, action: str) -> str:
        """The noun of the operationId: given, else the model's, serializer's or view's name.

        Pluralised for list operations (`listBooks`).
        """
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        if self.operation_id_base is not None:
            name = self.operation_id_base
        elif model is not None:
            name = model.__name__
        elif (serializer := self.get_serializer(path, method)) is not None:
            name = serializer.__class__.__name__
            name = name.removesuffix("Serializer")
        else:
            name = self.view.__class__.__name__
            if name.endswith("APIView"):
                name = name[: -len("APIView")]
            elif name.endswith("View"):
                name = name[: -len("View")]
            if name.endswith(action.title()):
                name = name[: -len(action)]
        if action == "list":
            assert inflection, "`inflection` must be installed for OpenAPI schema support."
            name = inflection.pluralize(name)
        return name

    def get_operation_id(self, path: str, method: str) -> str:
        """`<action><Name>`: listBooks, retrieveBook, partialUpdateBook, setPasswordUser..."""
        method_name = getattr(self.view, "action", method.lower())
        if is_list_view(path, method, self.view):
            action = "list"
        elif method_name not in self.method_mapping:
            action = self._to_camel_case(method_name)
        else:
            action = self.method_mapping[method.lower()]
        return action + self.get_operation_id_base(path, method, action)

    # -- parameters -------------------------------------------------------------------

    def get_path_parameters(self, path: str, method: str) -> list[dict]:
        """One string parameter per URI template variable, described from the model field."""
        assert uritemplate, "`uritemplate` must be installed for OpenAPI schema support."
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        parameters = []
        for variable in uritemplate.variables(path):
            description = ""
            model_field = None
            if model is not None:
                try:
                    model_field = model._meta.get_field(variable)
                except Exception:
                    model_field = None
            if model_field is not None:
                if model_field.help_text:
                    description = str(model_field.help_text)
                elif model_field.primary_key:
                    description = get_pk_description(model, model_field)
            parameters.append(
                {
                    "name": variable,
                    "in": "path",
                    "required": True,
                    "description": description,
                    "schema": {"type": "string"},
                }
            )
        return parameters

    def allows_filters(self, path: str, method: str) -> bool:
        """Filter backends apply to reads, updates and deletes; never to create."""
        if getattr(self.view, "filter_backends", None) is None:
            return False
        if hasattr(self.view, "action"):
            return self.view.action in ("list", "retrieve", "update", "partial_update", "destroy")
        return method.lower() in ("get", "put", "patch", "delete")

    def get_filter_parameters(self, path: str, method: str) -> list[dict]:
        if not self.allows_filters(path, method):
            return []
        parameters: list[dict] = []
        for backend_class in self.view.filter_backends:
            # Backends that say nothing about their parameters (django-filter >= 25) add none.
            describe = getattr(backend_class(), "get_schema_operation_parameters", None)
            if describe is not None:
                parameters += describe(self.view)
        return parameters

    def get_paginator(self) -> Any:
        pagination_class = getattr(self.view, "pagination_class", None)
        return pagination_class() if pagination_class else None

    def get_pagination_parameters(self, path: str, method: str) -> list[dict]:
        if not is_list_view(path, method, self.view):
            return []
        paginator = self.get_paginator()
        if not paginator:
            return []
        return paginator.get_schema_operation_parameters(self.view)

    # -- serializers and fields -------------------------------------------------------

    def get_component_name(self, serializer: Any) -> str:
        """The serializer's components/schemas key: its class name without "Serializer"."""
        if self.component_name is not None:
            return self.component_name
        class_name = serializer.__class__.__name__
        name = re.sub("serializer", "", class_name, flags=re.IGNORECASE)
        if not name:
            raise Exception(
                f'"{class_name}" is an invalid class name for schema generation. '
                "Serializer's class name should be unique and explicit. "
                'e.g. "ItemSerializer"'
            )
        return name

    def get_components(self, path: str, method: str) -> dict[str, dict]:
        """components/schemas entries for the request and response serializers."""
        if method.lower() == "delete":
            return {}
        components: dict[str, dict] = {}
        for serializer in (
            self.get_request_serializer(path, method),
            self.get_response_serializer(path, method),
        ):
            if isinstance(serializer, serializers.Serializer):
                name = self.get_component_name(serializer)
                if name not in components:
                    components[name] = self.map_serializer(serializer)
        return components

    def map_choicefield(self, field: Any) -> dict:
        # dict.fromkeys drops duplicate choices and keeps their order.
        return _choice_schema(list(dict.fromkeys(field.choices)))

    def map_field(self, field: Any) -> dict:
        """The JSON Schema of one serializer field (nested serializers inline)."""
        if isinstance(field, serializers.ListSerializer):
            return {"type": "array", "items": self.map_serializer(field.child)}
        if isinstance(field, serializers.Serializer):
            return {**self.map_serializer(field), "type": "object"}

        if isinstance(field, serializers.ManyRelatedField):
            return {"type": "array", "items": self.map_field(field.child_relation)}
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            if getattr(field, "pk_field", False):
                return self.map_field(field=field.pk_field)
            model = getattr(field.queryset, "model", None)
            if model is not None and isinstance(model._meta.pk, models.AutoField):
                return {"type": "integer"}

        if isinstance(field, serializers.MultipleChoiceField):
            return {"type": "array", "items": self.map_choicefield(field)}
        if isinstance(field, serializers.ChoiceField):
            return self.map_choicefield(field)
        if isinstance(field, serializers.ListField):
            items = (
                {} if isinstance(field.child, _UnvalidatedField) else self.map_field(field.child)
            )
            return {"type": "array", "items": items}

        for field_class, string_format in _STRING_FORMATS:
            if isinstance(field, field_class):
                return {"type": "string", "format": string_format}
        if isinstance(field, serializers.IPAddressField):
            content = {"type": "string"}
            if field.protocol != "both":
                content["format"] = field.protocol
            return content
        if isinstance(field, serializers.DecimalField):
            return self._map_decimal(field)
        if isinstance(field, serializers.FloatField):
            content = {"type": "number"}
            self._map_min_max(field, content)
            return content
        if isinstance(field, serializers.IntegerField):
            content = {"type": "integer"}
            self._map_min_max(field, content)
            bounds = (content.get("maximum", 0), content.get("minimum", 0))
            if any(not _INT32_MIN <= int(bound) <= _INT32_MAX for bound in bounds):
                content["format"] = "int64"
            return content
        if isinstance(field, serializers.FileField):
            return {"type": "string", "format": "binary"}
        return {"type": _PLAIN_FIELD_TYPES.get(field.__class__, "string")}

    def _map_decimal(self, field: Any) -> dict:
        if getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING):
            content: dict[str, Any] = {"type": "string", "format": "decimal"}
        else:
            content = {"type": "number"}
        if field.decimal_places:
            content["multipleOf"] = _multiple_of(field.decimal_places)
        if field.max_whole_digits:
            content["maximum"] = _bound_for_digits(field.max_whole_digits)
            content["minimum"] = -content["maximum"]
        self._map_min_max(field, content)
        return content

    def _map_min_max(self, field: Any, content: dict) -> None:
        if field.max_value is not None:
            content["maximum"] = field.max_value
        if field.min_value is not None:
            content["minimum"] = field.min_value

    def get_field_name(self, field: Any) -> str:
        return field.field_name

    def map_serializer(self, serializer: Any) -> dict:
        """An object schema: a property per field (hidden fields left out) and `required`."""
        required = []
        properties = {}
        for field in serializer.fields.values():
            if isinstance(field, serializers.HiddenField):
                continue
            name = self.get_field_name(field)
            if field.required and not serializer.partial:
                required.append(name)
            schema = self.map_field(field)
            if field.read_only:
                schema["readOnly"] = True
            if field.write_only:
                schema["writeOnly"] = True
            if field.allow_null:
                schema["nullable"] = True
            default = field.default
            if default is not None and default is not empty and not callable(default):
                schema["default"] = default
            if field.help_text:
                schema["description"] = str(field.help_text)
            self.map_field_validators(field, schema)
            properties[name] = schema
        result: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            result["required"] = required
        return result

    def map_field_validators(self, field: Any, schema: dict) -> None:
        """Add the constraints Django's validators on `field` imply (lengths, bounds, pattern)."""
        is_list = isinstance(field, serializers.ListField)
        as_number = not getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        for validator in field.validators:
            if isinstance(validator, django_validators.EmailValidator):
                schema["format"] = "email"
            if isinstance(validator, django_validators.URLValidator):
                schema["format"] = "uri"
            if isinstance(validator, django_validators.RegexValidator):
                schema["pattern"] = _ecma_pattern(validator.regex.pattern)
            elif isinstance(validator, django_validators.MaxLengthValidator):
                schema["maxItems" if is_list else "maxLength"] = validator.limit_value
            elif isinstance(validator, django_validators.MinLengthValidator):
                schema["minItems" if is_list else "minLength"] = validator.limit_value
            elif isinstance(validator, django_validators.MaxValueValidator):
                schema["maximum"] = validator.limit_value
            elif isinstance(validator, django_validators.MinValueValidator):
                schema["minimum"] = validator.limit_value
            elif isinstance(validator, django_validators.DecimalValidator) and as_number:
                if validator.decimal_places:
                    schema["multipleOf"] = _multiple_of(validator.decimal_places)
                if validator.max_digits:
                    whole_digits = validator.max_digits
                    if validator.decimal_places is not None and validator.decimal_places > 0:
                        whole_digits -= validator.decimal_places
                    schema["maximum"] = _bound_for_digits(whole_digits)
                    schema["minimum"] = -schema["maximum"]

    # -- request and response bodies --------------------------------------------------

    def map_parsers(self, path: str, method: str) -> list[str]:
        return [parser.media_type for parser in self.view.parser_classes]

    def map_renderers(self, path: str, method: str) -> list[str]:
        """The response media types; the browsable API's HTML is not part of the API."""
        from .. import renderers

        browsable = getattr(renderers, "BrowsableAPIRenderer", None)
        return [
            renderer.media_type
            for renderer in self.view.renderer_classes
            if browsable is None or not issubclass(renderer, browsable)
        ]

    def get_serializer(self, path: str, method: str) -> Any:
        """The view's serializer instance, or None when it has none or cannot make one."""
        view = self.view
        if not hasattr(view, "get_serializer"):
            return None
        try:
            return view.get_serializer()
        except exceptions.APIException:
            warnings.warn(
                f"{view.__class__.__name__}.get_serializer() raised an exception during "
                f"schema generation. Serializer fields will not be generated for "
                f"{method} {path}.",
                stacklevel=2,
            )
            return None

    def get_request_serializer(self, path: str, method: str) -> Any:
        return self.get_serializer(path, method)

    def get_response_serializer(self, path: str, method: str) -> Any:
        return self.get_serializer(path, method)

    def get_reference(self, serializer: Any) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{self.get_component_name(serializer)}"}

    def _body_schema(self, serializer: Any) -> dict:
        if isinstance(serializer, serializers.Serializer):
            return self.get_reference(serializer)
        return {}

    def get_request_body(self, path: str, method: str) -> dict:
        if method not in ("PUT", "PATCH", "POST"):
            return {}
        self.request_media_types = self.map_parsers(path, method)
        item_schema = self._body_schema(self.get_request_serializer(path, method))
        return {"content": _content(self.request_media_types, item_schema)}

    def get_responses(self, path: str, method: str) -> dict:
        if method == "DELETE":
            return {"204": {"description": ""}}
        self.response_media_types = self.map_renderers(path, method)
        schema = self._body_schema(self.get_response_serializer(path, method))
        if is_list_view(path, method, self.view):
            schema = self._list_of(schema)
        status_code = "201" if method == "POST" else "200"
        # OpenAPI requires a description on every response.
        return {
            status_code: {"content": _content(self.response_media_types, schema), "description": ""}
        }

    def _list_of(self, item_schema: dict) -> dict:
        """An array of `item_schema`, wrapped as the paginator (if any) wraps its pages."""
        array = {"type": "array", "items": item_schema}
        paginator = self.get_paginator()
        return paginator.get_paginated_response_schema(array) if paginator else array


def _content(media_types: list, schema: dict) -> dict:
    """An OpenAPI `content` map: the same schema under each media type."""
    return {media_type: {"schema": schema} for media_type in media_types}


__all__ = ["AutoSchema", "SchemaGenerator"]
