"""The `{% load rest_framework %}` library: each tag and filter, and that it escapes.

Templates are rendered by a real view (TemplateHTMLRenderer) from a template string the
test supplies, so the tags run inside a real request cycle.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.template import engines
from django.test import Client
from django.urls import include, path

from restcycle.relations import Hyperlink
from restcycle.renderers import TemplateHTMLRenderer
from restcycle.response import Response
from restcycle.templatetags import rest_framework as tags
from restcycle.views import APIView

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

TEMPLATES: dict[str, str] = {}


class StringTemplateRenderer(TemplateHTMLRenderer):
    """Renders the template source registered under the response's template_name."""

    def resolve_template(self, template_names):
        return engines["django"].from_string(TEMPLATES[template_names[0]])


class TemplateView(APIView):
    renderer_classes = [StringTemplateRenderer]

    def get(self, request, name):
        value = request.query_params.get("value", "")
        return Response({"value": value, "items": {"a": 1}}, template_name=name)


urlpatterns = [
    path("t/<str:name>/", TemplateView.as_view()),
    path("api-auth/", include("restcycle.urls")),
]


def render(source: str, query: str = "", client=None) -> str:
    TEMPLATES["page"] = "{% load rest_framework %}" + source
    response = (client or Client()).get("/t/page/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_urlize_links_urls_and_escapes_the_rest():
    html = render("{{ value|urlize }}", "?value=%3Cscript%3E%20http://example.com/a")
    assert html == (
        '&lt;script&gt; <a href="http://example.com/a" rel="nofollow">http://example.com/a</a>'
    )


def test_urlize_respects_autoescape_off():
    html = render(
        "{% autoescape off %}{{ value|urlize }}{% endautoescape %}", "?value=%3Cb%3E%20x.com"
    )
    assert html.startswith("<b> ")


def test_add_query_param_keeps_the_query_and_escapes():
    html = render("{% add_query_param request 'format' 'json' %}", "?q=%E6%9F%A5&x=%3C")
    assert "q=%E6%9F%A5" in html
    assert "format=json" in html
    assert "&amp;" in html and "<" not in html


def test_break_long_headers_splits_long_lists_and_escapes():
    long_value = ",".join(["<Accept-Language>"] * 12)
    html = render("{{ value|break_long_headers }}", "?value=" + long_value)
    assert html.startswith("<br> &lt;Accept-Language&gt;, <br>")
    assert render("{{ value|break_long_headers }}", "?value=GET,%20POST") == "GET, POST"


def test_format_value_literals_links_and_text():
    assert tags.format_value(None) == "<code>null</code>"
    assert tags.format_value(True) == "<code>true</code>"
    assert tags.format_value("https://x.org/a") == '<a href="https://x.org/a">https://x.org/a</a>'
    assert tags.format_value("a@b.org") == '<a href="mailto:a@b.org">a@b.org</a>'
    assert tags.format_value("one\n<two>") == "<pre>one\n&lt;two&gt;</pre>"
    assert tags.format_value("/x?a=<b>") == '<a href="/x?a=&lt;b&gt;">/x?a=&lt;b&gt;</a>'
    assert tags.format_value(Hyperlink("/books/1/", "<Book>")) == (
        "<a href=/books/1/>&lt;Book&gt;</a>"
    )


def test_format_value_lists_and_dicts_become_tables():
    assert tags.format_value(["a", "b"]).strip() == "a, b"
    table = tags.format_value({"k": "<v>"})
    assert '<table class="table table-striped">' in table
    assert "<th>k</th>" in table and "<td>&lt;v&gt;</td>" in table
    nested = tags.format_value([{"k": 1}])
    assert "<th>0</th>" in nested


def test_as_string_as_list_of_strings_items_add_nested_class():
    assert tags.as_string(None) == ""
    assert tags.as_string(3) == "3"
    assert tags.as_list_of_strings([1, None, "x"]) == ["1", "", "x"]
    assert list(tags.items({"items": 1})) == [("items", 1)]
    assert tags.add_nested_class({"a": 1}) == "class=nested"
    assert tags.add_nested_class([[1]]) == "class=nested"
    assert tags.add_nested_class([1]) == ""


def test_items_filter_reads_a_key_named_items():
    assert render("{% for k, v in items|items %}{{ k }}={{ v }}{% endfor %}") == "a=1"


def test_add_class_adds_to_existing_or_new_class_attribute():
    assert tags.add_class('<input class="a" name="x">', "b") == '<input class="a b" name="x">'
    assert tags.add_class('<input name="x">', "b") == '<input class="b" name="x">'


def test_code_tag_highlights_with_pygments_and_escapes():
    html = render('{% code python %}print("<hi>"){% endcode %}')
    assert "<span" in html  # highlighted
    assert "&lt;hi&gt;" in html
    assert "<hi>" not in html


def test_optional_login_links_back_to_the_page():
    html = render("{% optional_login request %}")
    assert html == '<li class="nav-item"><a href="/api-auth/login/?next=/t/page/">Log in</a></li>'


def test_optional_logout_is_a_post_form_with_csrf(admin_user):
    client = Client()
    client.force_login(admin_user)
    html = render("{% optional_logout request user csrf_token %}", client=client)
    assert '<form id="logoutForm" method="post" action="/api-auth/logout/?next=/t/page/">' in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert ">Log out<" in html
    assert "admin" in html


class WithoutAuthUrls:
    """A URLconf with no `rest_framework:login`/`logout` routes."""

    urlpatterns = [path("t/<str:name>/", TemplateView.as_view())]


def test_login_and_logout_tags_without_auth_urls(settings, admin_user):
    settings.ROOT_URLCONF = WithoutAuthUrls
    assert render("{% optional_login request %}") == ""
    client = Client()
    client.force_login(admin_user)
    html = render("{% optional_logout request user csrf_token %}", client=client)
    assert html == '<li class="nav-item navbar-text">admin</li>'


def test_render_markdown_filter():
    assert render("{{ value|render_markdown }}", "?value=**x**") == "<p><strong>x</strong></p>"


def test_get_pagination_html_calls_the_paginator():
    class Pager:
        def to_html(self):
            return "<nav>pages</nav>"

    assert tags.get_pagination_html(Pager()) == "<nav>pages</nav>"


ALIASED_RENDER = """
import restcycle
restcycle.install_as_rest_framework()
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
)
django.setup()
from django.template import engines
from rest_framework.templatetags import rest_framework as library
print(library.__name__)
print(engines["django"].from_string("{% load rest_framework %}{{ v|as_string }}").render({"v": 7}))
"""


def test_library_loads_as_rest_framework_under_the_drop_in_alias():
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", ALIASED_RENDER],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["rest_framework.templatetags.rest_framework", "7"]
