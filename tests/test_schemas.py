"""OpenAPI schema generation on restcycle's own views: the schema view, AutoSchema, generateschema.

Every schema here is produced by `get_schema_view()` served through the test client
(or by the management command), from real viewsets, generic views and APIViews.
"""

import io
import json
import warnings

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.urls import include, path, re_path
from openapi_spec_validator import validate

from restcycle import filters, generics, pagination, permissions, serializers, viewsets
from restcycle.decorators import action, api_view
from restcycle.response import Response
from restcycle.routers import DefaultRouter
from restcycle.schemas import get_schema_view
from restcycle.schemas.openapi import AutoSchema
from restcycle.test import APIClient
from restcycle.urlpatterns import format_suffix_patterns
from restcycle.views import APIView
from tests.models import GenericUUIDItem, SerBook

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class SchemaBookSerializer(serializers.ModelSerializer):
    title = serializers.CharField(max_length=100, help_text="The title on the cover.")
    shelf = serializers.HiddenField(default="main")

    class Meta:
        model = SerBook
        fields = ["id", "title", "isbn", "pages", "price", "genre", "published", "in_print"]
        fields += ["shelf"]


class PageOfFive(pagination.PageNumberPagination):
    page_size = 5


class BookViewSet(viewsets.ModelViewSet):
    """Books of the catalogue.

    list: Every book, five a page.
    retrieve: One book.
    """

    queryset = SerBook.objects.all()
    serializer_class = SchemaBookSerializer
    pagination_class = PageOfFive
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["title"]
    ordering_fields = ["title"]

    @action(detail=True, methods=["post"])
    def mark_out_of_print(self, request, pk=None):
        """Take the book off the shelves."""
        return Response({})


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenericUUIDItem
        fields = ["id", "name"]


class ItemDetail(generics.RetrieveDestroyAPIView):
    queryset = GenericUUIDItem.objects.all()
    serializer_class = ItemSerializer


class EchoView(APIView):
    """Echoes what it is sent.

    get: Say what would be echoed.
    post: Echo the body back.
    """

    def get(self, request):
        return Response({})

    def post(self, request):
        return Response(request.data)


class StaffOnlyView(APIView):
    permission_classes = [permissions.IsAdminUser]

    def get(self, request):
        return Response({})


class HiddenView(APIView):
    schema = None

    def get(self, request):
        return Response({})


class TaggedView(generics.ListCreateAPIView):
    queryset = SerBook.objects.all()
    serializer_class = SchemaBookSerializer
    pagination_class = None
    schema = AutoSchema(tags=["catalogue"], operation_id_base="Volume", component_name="Volume")


class GadgetPartSerializer(serializers.Serializer):
    label = serializers.CharField()


class GadgetSerializer(serializers.Serializer):
    """One of each kind of field, to see what each maps to."""

    sizes = serializers.MultipleChoiceField(choices=[1, 2, 3])
    mode = serializers.ChoiceField(choices=[("a", "A"), (1, "One")])
    flags = serializers.ListField(child=serializers.BooleanField(), max_length=4)
    anything = serializers.ListField()
    address = serializers.IPAddressField(protocol="IPv4")
    homepage = serializers.URLField()
    contact = serializers.EmailField(required=False)
    token = serializers.UUIDField()
    seen = serializers.DateTimeField(read_only=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    ratio = serializers.FloatField(min_value=0.0, max_value=1.0)
    big = serializers.IntegerField(max_value=2**40)
    code = serializers.RegexField(r"^[A-Z]{3}\Z")
    photo = serializers.FileField(required=False)
    extra = serializers.DictField()
    level = serializers.IntegerField(default=3)
    secret = serializers.CharField(write_only=True)
    parts = GadgetPartSerializer(many=True)
    main_part = GadgetPartSerializer()
    tags = serializers.PrimaryKeyRelatedField(many=True, queryset=SerBook.objects.all())


class GadgetView(generics.CreateAPIView):
    serializer_class = GadgetSerializer


@api_view(["GET"])
def export(request, format):
    """A report in the format the path names: a real parameter, not a format suffix."""
    return Response({"format": format})


@api_view(["GET"])
def ping(request):
    """Answers pong."""
    return Response({"pong": True})


router = DefaultRouter()
router.register("books", BookViewSet)

api_patterns = [
    path("", include(router.urls)),
    path("items/<uuid:pk>/", ItemDetail.as_view()),
    path("echo/", EchoView.as_view()),
    path("staff/", StaffOnlyView.as_view()),
    path("hidden/", HiddenView.as_view()),
    path("volumes/", TaggedView.as_view()),
    path("gadgets/", GadgetView.as_view()),
    *format_suffix_patterns([path("ping/", ping)]),
    path("exports/<str:format>/", export),
    re_path(r"^reports\.(?P<format>[a-z]+)$", export),
]

api_urls = [path("api/", include(api_patterns))]

urlpatterns = [
    *api_urls,
    path(
        "schema/",
        get_schema_view(
            title="Catalogue", description="Books and more.", version="2.1", patterns=api_urls
        ),
    ),
    path(
        "public-schema/",
        get_schema_view(title="Catalogue", url="/api/", patterns=api_patterns, public=True),
    ),
    path(
        "private-schema/",
        get_schema_view(
            title="Catalogue",
            patterns=api_urls,
            permission_classes=[permissions.IsAuthenticated],
        ),
    ),
]


def fetch_schema(client=None, url="/schema/") -> dict:
    response = (client or APIClient()).get(url, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


@pytest.fixture
def schema() -> dict:
    return fetch_schema()


# -- the schema view and its formats -----------------------------------------------------


def test_schema_view_serves_openapi_yaml_by_default():
    response = APIClient().get("/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi"
    document = yaml.safe_load(response.content)
    assert document["openapi"] == "3.0.2"
    assert document["info"] == {
        "title": "Catalogue",
        "version": "2.1",
        "description": "Books and more.",
    }


def test_schema_view_serves_json_by_accept_header_or_format_parameter():
    by_header = fetch_schema()
    response = APIClient().get("/schema/", {"format": "openapi-json"})
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    assert json.loads(response.content) == by_header


def test_generated_schema_is_a_valid_openapi_document(schema):
    validate(schema)


def test_yaml_and_json_renderings_describe_the_same_document(schema):
    assert yaml.safe_load(APIClient().get("/schema/").content) == schema


def test_schema_view_errors_render_with_the_default_renderers():
    response = APIClient().get("/private-schema/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


# -- which endpoints are listed ----------------------------------------------------------


def test_paths_use_uri_templates_with_pk_named_after_the_model_key(schema):
    assert "/api/books/" in schema["paths"]
    assert "/api/books/{id}/" in schema["paths"]
    assert "/api/books/{id}/mark_out_of_print/" in schema["paths"]
    assert "/api/items/{id}/" in schema["paths"]


def test_views_with_schema_none_and_format_suffix_duplicates_are_left_out(schema):
    paths = schema["paths"]
    assert "/api/hidden/" not in paths
    assert "/api/ping/" in paths
    assert not any(
        route.startswith(("/api/ping", "/api/reports")) for route in paths if route != "/api/ping/"
    )


def test_a_path_parameter_named_format_is_not_taken_for_a_format_suffix(schema):
    # DRF leaves out only `.{format}` suffixes; a route whose last segment is `{format}` stays.
    operation = schema["paths"]["/api/exports/{format}/"]["get"]
    assert [parameter["name"] for parameter in operation["parameters"]] == ["format"]


def test_only_documented_methods_are_listed(schema):
    assert set(schema["paths"]["/api/books/{id}/"]) == {"get", "put", "patch", "delete"}
    assert set(schema["paths"]["/api/items/{id}/"]) == {"get", "delete"}
    assert set(schema["paths"]["/api/echo/"]) == {"get", "post"}


def test_non_public_schema_lists_only_what_the_requesting_user_may_use(schema):
    assert "/api/staff/" not in schema["paths"]
    admin = User.objects.create_superuser("admin", "admin@example.com", "pw")
    client = APIClient()
    client.force_authenticate(admin)
    assert "/api/staff/" in fetch_schema(client)["paths"]


def test_public_schema_lists_every_endpoint_under_its_base_url():
    paths = fetch_schema(url="/public-schema/")["paths"]
    assert "/api/staff/" in paths
    assert "/api/books/" in paths


# -- operations ---------------------------------------------------------------------------


def test_operation_ids_combine_action_and_model_name(schema):
    paths = schema["paths"]
    assert paths["/api/books/"]["get"]["operationId"] == "listSerBooks"
    assert paths["/api/books/"]["post"]["operationId"] == "createSerBook"
    assert paths["/api/books/{id}/"]["get"]["operationId"] == "retrieveSerBook"
    assert paths["/api/books/{id}/"]["patch"]["operationId"] == "partialUpdateSerBook"
    assert paths["/api/books/{id}/"]["delete"]["operationId"] == "destroySerBook"
    action_operation = paths["/api/books/{id}/mark_out_of_print/"]["post"]
    assert action_operation["operationId"] == "markOutOfPrintSerBook"
    assert paths["/api/echo/"]["post"]["operationId"] == "createEcho"
    # A function view's class is named after the function.
    assert paths["/api/ping/"]["get"]["operationId"] == "listpings"


def test_descriptions_come_from_docstring_sections_per_action_or_method(schema):
    paths = schema["paths"]
    assert paths["/api/books/"]["get"]["description"] == "Every book, five a page."
    assert paths["/api/books/{id}/"]["get"]["description"] == "One book."
    # No section for update: the text before the sections.
    assert paths["/api/books/{id}/"]["put"]["description"] == "Books of the catalogue."
    action_description = paths["/api/books/{id}/mark_out_of_print/"]["post"]["description"]
    assert action_description == "Take the book off the shelves."
    assert paths["/api/echo/"]["post"]["description"] == "Echo the body back."
    assert paths["/api/ping/"]["get"]["description"] == "Answers pong."


def test_path_parameters_are_described_from_the_model(schema):
    parameter = schema["paths"]["/api/books/{id}/"]["get"]["parameters"][0]
    assert parameter == {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "A unique integer value identifying this ser book.",
        "schema": {"type": "string"},
    }
    [uuid_parameter] = schema["paths"]["/api/items/{id}/"]["get"]["parameters"]
    assert uuid_parameter["description"] == ("A UUID string identifying this generic uuid item.")


def test_list_operations_carry_pagination_and_filter_parameters(schema):
    names = [p["name"] for p in schema["paths"]["/api/books/"]["get"]["parameters"]]
    assert names == ["page", "search", "ordering"]
    # Filters apply to detail reads too; never to create.
    detail_names = [p["name"] for p in schema["paths"]["/api/books/{id}/"]["get"]["parameters"]]
    assert detail_names == ["id", "search", "ordering"]
    assert schema["paths"]["/api/books/"]["post"]["parameters"] == []


def test_paginated_list_response_wraps_items_in_the_page_envelope(schema):
    response = schema["paths"]["/api/books/"]["get"]["responses"]["200"]
    body = response["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"count", "next", "previous", "results"}
    assert body["properties"]["results"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/SchemaBook"},
    }


def test_request_bodies_follow_the_parsers_and_responses_the_renderers(schema):
    create = schema["paths"]["/api/books/"]["post"]
    assert set(create["requestBody"]["content"]) == {
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }
    assert list(create["responses"]) == ["201"]
    assert "requestBody" not in schema["paths"]["/api/books/{id}/"]["get"]
    assert schema["paths"]["/api/books/{id}/"]["delete"]["responses"] == {
        "204": {"description": ""}
    }


def test_tags_default_to_the_first_path_segment(schema):
    assert schema["paths"]["/api/books/"]["get"]["tags"] == ["api"]


def test_autoschema_arguments_override_tags_operation_ids_and_component_names(schema):
    volumes = schema["paths"]["/api/volumes/"]
    assert volumes["get"]["tags"] == ["catalogue"]
    assert volumes["get"]["operationId"] == "listVolumes"
    assert volumes["post"]["operationId"] == "createVolume"
    assert volumes["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Volume"
    }
    assert "Volume" in schema["components"]["schemas"]


def test_autoschema_refuses_tags_that_are_not_strings():
    with pytest.raises(ValueError):
        AutoSchema(tags=[1])


# -- components ---------------------------------------------------------------------------


def test_serializer_component_maps_fields_to_json_schema(schema):
    book = schema["components"]["schemas"]["SchemaBook"]
    properties = book["properties"]
    assert properties["id"] == {"type": "integer", "readOnly": True}
    assert properties["title"] == {
        "type": "string",
        "description": "The title on the cover.",
        "maxLength": 100,
    }
    assert properties["genre"]["enum"] == ["fic", "doc"]
    assert properties["genre"]["type"] == "string"
    assert properties["price"]["type"] == "string"
    assert properties["price"]["format"] == "decimal"
    assert properties["price"]["nullable"] is True
    assert properties["published"]["format"] == "date"
    assert properties["in_print"]["type"] == "boolean"
    assert properties["pages"]["type"] == "integer"
    assert "shelf" not in properties  # hidden fields are not part of the API
    assert book["required"] == ["title", "isbn"]


def test_each_kind_of_field_maps_to_its_json_schema(schema):
    gadget = schema["components"]["schemas"]["Gadget"]
    properties = gadget["properties"]
    assert properties["sizes"] == {"type": "array", "items": {"enum": [1, 2, 3], "type": "integer"}}
    assert properties["mode"] == {"enum": ["a", 1]}  # mixed choices: no single type
    assert properties["flags"] == {"type": "array", "items": {"type": "boolean"}, "maxItems": 4}
    assert properties["anything"] == {"type": "array", "items": {}}
    assert properties["address"] == {"type": "string", "format": "ipv4"}
    assert properties["homepage"]["format"] == "uri"
    assert properties["contact"] == {"type": "string", "format": "email"}
    assert properties["token"] == {"type": "string", "format": "uuid"}
    assert properties["seen"] == {"type": "string", "format": "date-time", "readOnly": True}
    assert properties["weight"] == {
        "type": "number",
        "multipleOf": 0.01,
        "maximum": 1000,
        "minimum": -1000,
    }
    assert properties["ratio"] == {"type": "number", "maximum": 1.0, "minimum": 0.0}
    assert properties["big"] == {"type": "integer", "maximum": 2**40, "format": "int64"}
    # Python's \Z is written `$`, its equivalent in JSON Schema's (ECMA) regexes.
    assert properties["code"] == {"type": "string", "pattern": "^[A-Z]{3}$"}
    assert properties["homepage"]["pattern"].endswith("(?:[/?#][^\\s]*)?$")
    assert properties["photo"] == {"type": "string", "format": "binary"}
    assert properties["extra"] == {"type": "object"}
    assert properties["level"] == {"type": "integer", "default": 3}
    assert properties["secret"] == {"type": "string", "writeOnly": True}
    assert properties["parts"] == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"label": {"type": "string"}},
            "required": ["label"],
        },
    }
    assert properties["main_part"]["type"] == "object"
    assert properties["main_part"]["required"] == ["label"]
    assert properties["tags"] == {"type": "array", "items": {"type": "integer"}}
    assert "contact" not in gadget["required"]
    assert "seen" not in gadget["required"]
    assert "level" not in gadget["required"]


def test_component_without_a_name_left_after_removing_serializer_is_refused():
    class Serializer(serializers.Serializer):
        name = serializers.CharField()

    with pytest.raises(Exception, match="invalid class name"):
        AutoSchema().get_component_name(Serializer())


def test_default_schema_class_setting_chooses_the_inspector():
    class CustomSchema(AutoSchema):
        def get_tags(self, path, method):
            return ["custom"]

    with override_settings(REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": CustomSchema}):
        view = EchoView()
        assert isinstance(view.schema, CustomSchema)
        assert view.schema.view is view
        schema = fetch_schema()
    assert schema["paths"]["/api/echo/"]["get"]["tags"] == ["custom"]


def test_assigning_an_inspector_to_a_view_instance_binds_it_to_that_view_only():
    for view_class in (EchoView, TaggedView):  # the default schema, and a class-level one
        view, other = view_class(), view_class()
        inspector = AutoSchema(tags=["mine"])
        view.schema = inspector
        assert view.schema is inspector
        assert inspector.view is view
        assert other.schema is not inspector


def test_duplicate_operation_ids_warn():
    class Twin(APIView):
        def get(self, request):
            return Response({})

    from restcycle.schemas.openapi import SchemaGenerator

    generator = SchemaGenerator(patterns=[path("a/", Twin.as_view()), path("b/", Twin.as_view())])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        generator.get_schema()
    assert any("duplicated operationId" in str(warning.message) for warning in caught)


# -- generateschema -----------------------------------------------------------------------


def test_generateschema_writes_yaml_to_stdout():
    out = io.StringIO()
    call_command("generateschema", "--title=Catalogue", "--api_version=3", stdout=out)
    document = yaml.safe_load(out.getvalue())
    assert document["info"]["title"] == "Catalogue"
    assert document["info"]["version"] == "3"
    assert "/api/books/" in document["paths"]
    assert "/api/staff/" in document["paths"]  # the command's schema is public


def test_generateschema_writes_json_to_a_file(tmp_path):
    target = tmp_path / "openapi.json"
    out = io.StringIO()
    call_command(
        "generateschema",
        "--format=openapi-json",
        f"--file={target}",
        "--url=/v1/",
        "--description=All the books.",
        stdout=out,
    )
    assert out.getvalue() == ""
    document = json.loads(target.read_text())
    validate(document)
    assert document["info"]["description"] == "All the books."
    assert "/v1/api/books/" in document["paths"]


class FixedGenerator:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def get_schema(self, request=None, public=False):
        return {"openapi": "3.0.2", "info": {"title": self.kwargs["title"]}, "public": public}


def test_generateschema_uses_the_given_generator_class():
    out = io.StringIO()
    call_command(
        "generateschema",
        f"--generator_class={__name__}.FixedGenerator",
        "--format=openapi-json",
        "--title=Fixed",
        stdout=out,
    )
    assert json.loads(out.getvalue()) == {
        "openapi": "3.0.2",
        "info": {"title": "Fixed"},
        "public": True,
    }


def test_generateschema_rejects_an_unknown_format():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generateschema", "--format=xml")
