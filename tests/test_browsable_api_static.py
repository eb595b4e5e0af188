"""The static files DRF's templates link, under DRF's paths, and templates extending base.html.

A project template written for DRF links `rest_framework/css/...` and `rest_framework/js/...`
with `{% static %}`; each path resolves to restcycle's own file (docs/browsable-api.md).
"""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import engines
from django.test import override_settings
from django.urls import path

from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)

PACKAGE_STATIC = Path(__file__).resolve().parent.parent / "src" / "restcycle" / "static"
DRF_ASSET_PATHS = [
    "rest_framework/css/bootstrap.min.css",
    "rest_framework/css/bootstrap-theme.min.css",
    "rest_framework/css/default.css",
    "rest_framework/css/prettify.css",
    "rest_framework/js/bootstrap.min.js",
    "rest_framework/js/default.js",
    "rest_framework/js/csrf.js",
    "rest_framework/js/prettify-min.js",
]

PROJECT_TEMPLATE = """{% extends "rest_framework/base.html" %}{% load static %}
{% block style %}
<link rel="stylesheet" href="{% static 'rest_framework/css/bootstrap.min.css' %}">
<link rel="stylesheet" href="{% static 'rest_framework/css/bootstrap-theme.min.css' %}">
<link rel="stylesheet" href="{% static 'rest_framework/css/prettify.css' %}">
<link rel="stylesheet" href="{% static 'rest_framework/css/default.css' %}">
{% endblock %}
{% block branding %}<a class="navbar-brand" href="/">Acme API</a>{% endblock %}
{% block script %}
<script src="{% static 'rest_framework/js/bootstrap.min.js' %}"></script>
<script src="{% static 'rest_framework/js/csrf.js' %}"></script>
<script src="{% static 'rest_framework/js/prettify-min.js' %}"></script>
<script src="{% static 'rest_framework/js/default.js' %}"></script>
{% endblock %}
"""


class Greeting(APIView):
    def get(self, request):
        return Response({"hello": "<world>"})


urlpatterns = [path("greeting/", Greeting.as_view())]


@pytest.mark.parametrize("asset", DRF_ASSET_PATHS)
def test_each_asset_path_drf_templates_link_is_found_among_restcycles_static_files(asset):
    found = finders.find(asset)
    assert found, f"{asset} is not found by the staticfiles finders"
    assert Path(found).resolve().is_relative_to(PACKAGE_STATIC)
    assert Path(found).stat().st_size > 0


def test_default_css_brings_the_browsable_api_styles():
    default = Path(finders.find("rest_framework/css/default.css")).read_text()
    assert '@import url("restcycle.css")' in default
    assert finders.find("rest_framework/css/restcycle.css")


def test_a_project_template_extending_base_html_renders_with_drfs_asset_paths(tmp_path):
    (tmp_path / "rest_framework").mkdir()
    (tmp_path / "rest_framework" / "api.html").write_text(PROJECT_TEMPLATE)
    templates = [{**engines.templates["django"], "DIRS": [str(tmp_path)]}]
    with override_settings(TEMPLATES=templates):
        response = APIClient().get("/greeting/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acme API" in page
    assert "&lt;world&gt;" in page and "<world>" not in page
    for asset in DRF_ASSET_PATHS:
        assert f'"/static/{asset}"' in page
    assert (
        "restcycle.js" not in page
    )  # the project's script block replaced ours; default.js loads it
