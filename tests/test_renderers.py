"""HTML and multipart renderers, and the renderer contract, through real views.
(The JSON renderer's bytes are proved in test_json_output.py.)"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.test import override_settings
from django.urls import path

from restcycle import exceptions
from restcycle.renderers import (
    BaseRenderer,
    JSONRenderer,
    MultiPartRenderer,
    StaticHTMLRenderer,
    TemplateHTMLRenderer,
)
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)

TEMPLATES = {
    "item.html": "<h1>{{ name }}</h1>",
    "view_default.html": "<p>view {{ name }}</p>",
    "chosen.html": "<p>chosen {{ name }}</p>",
    "404.html": "<p>missing: {{ detail }} ({{ status_code }})</p>",
    "api_exception.html": "<p>error {{ status_code }}: {{ detail }}{{ details.0 }}</p>",
}
MEMORY_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
    }
]
ONLY_ITEM_TEMPLATE = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [("django.template.loaders.locmem.Loader", {"item.html": "{{ name }}"})]
        },
    }
]


class HTMLBase(APIView):
    authentication_classes = []
    permission_classes = []
    renderer_classes = [TemplateHTMLRenderer]


class ResponseTemplateView(HTMLBase):
    def get(self, request):
        return Response({"name": "Ada"}, template_name="item.html")


class ViewTemplateView(HTMLBase):
    template_name = "view_default.html"

    def get(self, request):
        return Response({"name": "Bob"})


class TemplateNamesView(HTMLBase):
    def get_template_names(self):
        return ["does-not-exist.html", "chosen.html"]

    def get(self, request):
        return Response({"name": "Cy"})


class NotFoundView(HTMLBase):
    def get(self, request):
        raise Http404


class InvalidView(HTMLBase):
    def get(self, request):
        raise exceptions.ValidationError("bad input")


class ForbiddenView(HTMLBase):
    def get(self, request):
        raise exceptions.PermissionDenied()


class StaticView(APIView):
    authentication_classes = []
    permission_classes = []
    renderer_classes = [StaticHTMLRenderer]

    def get(self, request):
        if request.query_params.get("fail"):
            raise exceptions.NotFound()
        return Response("<html><body>static</body></html>")


class CharsetRenderer(BaseRenderer):
    media_type = "text/x-custom"
    format = "custom"
    charset = "iso-8859-1"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return f"caf\xe9 {data}"


class CustomView(APIView):
    authentication_classes = []
    permission_classes = []
    renderer_classes = [CharsetRenderer]

    def get(self, request):
        return Response("ok")


urlpatterns = [
    path("response-template", ResponseTemplateView.as_view()),
    path("view-template", ViewTemplateView.as_view()),
    path("template-names", TemplateNamesView.as_view()),
    path("not-found", NotFoundView.as_view()),
    path("invalid", InvalidView.as_view()),
    path("forbidden", ForbiddenView.as_view()),
    path("static", StaticView.as_view()),
    path("custom", CustomView.as_view()),
]


class TestTemplateHTMLRenderer:
    @pytest.fixture(autouse=True)
    def memory_templates(self, settings):
        settings.TEMPLATES = MEMORY_TEMPLATES

    def test_response_template_name_renders_the_data(self):
        response = APIClient().get("/response-template")
        assert response.status_code == 200
        assert response.content == b"<h1>Ada</h1>"
        assert response["Content-Type"] == "text/html; charset=utf-8"

    def test_view_template_name_is_the_fallback(self):
        assert APIClient().get("/view-template").content == b"<p>view Bob</p>"

    def test_view_get_template_names_is_used(self):
        assert APIClient().get("/template-names").content == b"<p>chosen Cy</p>"

    def test_exception_uses_status_template_with_status_code(self):
        response = APIClient().get("/not-found")
        assert response.status_code == 404
        assert response.content == b"<p>missing: Not found. (404)</p>"

    def test_exception_without_status_template_uses_api_exception_template(self):
        response = APIClient().get("/forbidden")
        assert response.status_code == 403
        assert response.content == (
            b"<p>error 403: You do not have permission to perform this action.</p>"
        )

    def test_validation_error_list_is_given_as_details(self):
        response = APIClient().get("/invalid")
        assert response.status_code == 400
        assert response.content == b"<p>error 400: bad input</p>"

    def test_renderer_without_any_template_name_is_improperly_configured(self):
        class Bare:
            template_name = None

        with pytest.raises(ImproperlyConfigured):
            TemplateHTMLRenderer().get_template_names(Bare(), view=object())

    def test_renderer_template_name_comes_before_the_view(self):
        renderer = TemplateHTMLRenderer()
        renderer.template_name = "own.html"

        class Bare:
            template_name = None

        assert renderer.get_template_names(Bare(), view=ViewTemplateView()) == ["own.html"]


@override_settings(TEMPLATES=ONLY_ITEM_TEMPLATE)
def test_exception_without_any_template_renders_status_text():
    response = APIClient().get("/not-found")
    assert response.status_code == 404
    assert response.content == b"404 Not Found"
    assert response["Content-Type"] == "text/html; charset=utf-8"


class TestStaticHTMLRenderer:
    def test_data_is_returned_as_it_is(self):
        response = APIClient().get("/static")
        assert response.content == b"<html><body>static</body></html>"
        assert response["Content-Type"] == "text/html; charset=utf-8"

    @override_settings(TEMPLATES=ONLY_ITEM_TEMPLATE)
    def test_exception_renders_status_text(self):
        response = APIClient().get("/static?fail=1")
        assert response.status_code == 404
        assert response.content == b"404 Not Found"

    def test_render_without_context_returns_data(self):
        assert StaticHTMLRenderer().render("<p>x</p>") == "<p>x</p>"


class TestMultiPartRenderer:
    def test_encodes_fields_with_its_boundary(self):
        body = MultiPartRenderer().render({"name": "ada", "tags": ["a", "b"]})
        assert body.startswith(b"--BoUnDaRyStRiNg\r\n")
        assert b'name="name"\r\n\r\nada\r\n' in body
        assert body.count(b'name="tags"') == 2
        assert MultiPartRenderer.media_type == "multipart/form-data; boundary=BoUnDaRyStRiNg"

    def test_nested_dictionaries_are_refused(self):
        with pytest.raises(AssertionError, match="format='json'"):
            MultiPartRenderer().render({"nested": {"a": 1}})


class TestRendererContract:
    def test_base_renderer_render_must_be_implemented(self):
        with pytest.raises(NotImplementedError):
            BaseRenderer().render({})

    def test_declared_charset_encodes_text_and_names_it(self):
        response = APIClient().get("/custom")
        assert response["Content-Type"] == "text/x-custom; charset=iso-8859-1"
        assert response.content == "café ok".encode("iso-8859-1")

    def test_json_renderer_declares_no_charset(self):
        assert JSONRenderer.charset is None
        assert (JSONRenderer.media_type, JSONRenderer.format) == ("application/json", "json")
