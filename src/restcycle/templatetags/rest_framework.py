"""The `{% load rest_framework %}` tag library: forms, login links, value formatting.

Every helper here escapes what it is given unless it is already marked safe; the
browsable API shows data users typed, so nothing user-supplied reaches HTML raw.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import escape, format_html
from django.utils.html import smart_urlquote as smart_urlquote
from django.utils.html import urlize as django_urlize
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

from ..compat import apply_markdown, pygments_highlight
from ..utils.urls import replace_query_param

register = template.Library()

_WHITESPACE = re.compile(r"\s")


class _CodeNode(template.Node):
    """The body of `{% code lang %}...{% endcode %}`, syntax-highlighted when pygments is there."""

    style = "emacs"

    def __init__(self, lang: str, nodelist: template.NodeList):
        self.lang = lang
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        text = self.nodelist.render(context)
        return pygments_highlight(text, self.lang, self.style)


@register.tag(name="code")
def highlight_code(parser: Any, token: Any) -> _CodeNode:
    """`{% code python %}...{% endcode %}`: the enclosed text, highlighted for `lang`."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% code %} takes exactly one argument: the language")
    nodelist = parser.parse(("endcode",))
    parser.delete_first_token()
    return _CodeNode(bits[1], nodelist)


@register.filter
def render_markdown(markdown_text: str) -> str:
    """Markdown as HTML when `markdown` is installed, else the text unchanged."""
    if apply_markdown is None:
        return markdown_text
    return mark_safe(apply_markdown(markdown_text))


@register.simple_tag
def get_pagination_html(pager: Any) -> str:
    """The paginator's page controls (`pager.to_html()`)."""
    return pager.to_html()


@register.simple_tag
def render_form(serializer: Any, template_pack: str | None = None) -> str:
    """A serializer's fields as a form, in `template_pack` (default: horizontal)."""
    style = {"template_pack": template_pack} if template_pack else {}
    renderer = _form_renderer()
    return renderer.render(serializer.data, None, {"style": style})


@register.simple_tag
def render_field(field: Any, style: dict) -> str:
    """One bound field, rendered by the form renderer in `style` (or a fresh one)."""
    renderer = style.get("renderer") or _form_renderer()
    return renderer.render_field(field, style)


def _form_renderer() -> Any:
    from .._render.html_form import HTMLFormRenderer

    return HTMLFormRenderer()


def _path(request: Any) -> str:
    # base.html is also rendered without a real request (templates that extend it).
    return getattr(request, "path", "")


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.simple_tag
def optional_login(request: Any) -> str:
    """A "Log in" link back to this page, when `rest_framework:login` is routed."""
    login_url = _reverse_or_none("rest_framework:login")
    if login_url is None:
        return ""
    return format_html(
        '<li class="nav-item"><a href="{}?next={}">{}</a></li>',
        login_url,
        _path(request),
        gettext("Log in"),
    )


@register.simple_tag
def optional_docs_login(request: Any) -> str:
    """A "Log in" link for the API docs page, or plain text when no login is routed."""
    login_url = _reverse_or_none("rest_framework:login")
    if login_url is None:
        return "log in"
    return format_html('<a href="{}?next={}">log in</a>', login_url, _path(request))


@register.simple_tag
def optional_logout(request: Any, user: Any, csrf_token: Any) -> str:
    """The user's name with a POST "Log out" form (Django's LogoutView takes POST only).

    Without `rest_framework:logout` routed, only the name.
    """
    logout_url = _reverse_or_none("rest_framework:logout")
    if logout_url is None:
        return format_html('<li class="nav-item navbar-text">{}</li>', user)
    return format_html(
        '<li class="dropdown"><details class="user-menu"><summary class="dropdown-toggle">'
        "{user}</summary>"
        '<form id="logoutForm" method="post" action="{url}?next={next}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<button type="submit" class="link-button">{log_out}</button></form>'
        "</details></li>",
        user=user,
        url=logout_url,
        next=_path(request),
        csrf=csrf_token,
        log_out=gettext("Log out"),
    )


@register.simple_tag
def add_query_param(request: Any, key: str, val: Any) -> str:
    """This request's full path with `key` set to `val` in its query string."""
    iri = request.get_full_path()
    uri = iri_to_uri(iri)
    return escape(replace_query_param(uri, key, val))


@register.filter
def as_string(value: Any) -> str:
    """`value` as text; None is the empty string."""
    if value is None:
        return ""
    return f"{value}"


@register.filter
def as_list_of_strings(value: Any) -> list[str]:
    """Each item as text (None as ''), for comparing choices with submitted values."""
    return ["" if item is None else f"{item}" for item in value]


@register.filter
def add_class(value: Any, css_class: str) -> str:
    """Add `css_class` to the first tag's `class` attribute in an HTML snippet.

    For Django form widgets rendered as strings (the raw data form).
    """
    html = str(value)
    match = re.search(r"""class=(["'])(.*?)\1""", html)
    if match:
        classes = match.group(2).split()
        if css_class not in classes:
            classes.append(css_class)
            start, end = match.span(2)
            html = html[:start] + " ".join(classes) + html[end:]
    else:
        html = re.sub(r"^(\s*<\w+)", rf'\1 class="{css_class}"', html, count=1)
    return mark_safe(html)


@register.filter
def format_value(value: Any) -> str:
    """A value of a response shown in the admin renderer's tables, as safe HTML."""
    if getattr(value, "is_hyperlink", False):
        return format_html("<a href={}>{}</a>", value, str(value.obj))
    if value is None or isinstance(value, bool):
        literal = {True: "true", False: "false", None: "null"}[value]
        return mark_safe(f"<code>{literal}</code>")
    if isinstance(value, list):
        nested = any(isinstance(item, (list, dict)) for item in value)
        name = "list_value.html" if nested else "simple_list_value.html"
        return loader.get_template("rest_framework/admin/" + name).render({"value": value})
    if isinstance(value, dict):
        return loader.get_template("rest_framework/admin/dict_value.html").render({"value": value})
    if isinstance(value, str):
        if _WHITESPACE.search(value) is None:
            if value.startswith(("http:", "https:", "/")):
                return format_html('<a href="{0}">{0}</a>', value)
            if "@" in value:
                return format_html('<a href="mailto:{0}">{0}</a>', value)
        elif "\n" in value:
            return format_html("<pre>{}</pre>", value)
    return str(value)


@register.filter
def items(value: Any) -> Any:
    """`dict.items()` for templates, where `value.items` would find a key named "items"."""
    if value is None:
        return []
    return value.items()


@register.filter
def data(value: Any) -> Any:
    """`value.data`, for templates where a key named "data" would shadow the attribute."""
    return value.data


@register.filter
def add_nested_class(value: Any) -> str:
    """`class=nested` for a dict, or a list holding dicts or lists; else ''."""
    if isinstance(value, dict):
        return "class=nested"
    if isinstance(value, list) and any(isinstance(item, (list, dict)) for item in value):
        return "class=nested"
    return ""


def smart_urlquote_wrapper(matched_url: str) -> str | None:
    """`smart_urlquote`, or None for a URL it cannot quote (e.g. an invalid IPv6 host)."""
    try:
        return smart_urlquote(matched_url)
    except ValueError:
        return None


@register.filter(needs_autoescape=True)
def urlize(
    text: Any, trim_url_limit: int | None = None, nofollow: bool = True, autoescape: bool = False
) -> str:
    """Links for the URLs and e-mail addresses in `text` (pretty-printed JSON included).

    With autoescaping on, everything that is not a link is escaped; a string already
    marked safe is not escaped twice.
    """
    safe_input = isinstance(text, SafeData)
    result = django_urlize(
        str(text),
        trim_url_limit=trim_url_limit,
        nofollow=nofollow,
        autoescape=autoescape and not safe_input,
    )
    return mark_safe(result)


@register.filter
def error_messages(errors: Any) -> list[str]:
    """A field's errors as a flat list of messages; nested ones prefixed by their key/index.

    For list and dict fields, whose errors are `{index: [...]}` mappings.
    """
    messages: list[str] = []

    def collect(value: Any, prefix: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                collect(item, f"{prefix}{key}: ")
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item, prefix)
        elif value is not None:
            messages.append(f"{prefix}{value}")

    collect(errors, "")
    return messages


@register.filter
def non_field_errors(errors: Any) -> list:
    """A nested serializer's errors that belong to none of its fields."""
    from ..settings import api_settings

    if isinstance(errors, dict):
        found = errors.get(api_settings.NON_FIELD_ERRORS_KEY) or []
        return list(found) if isinstance(found, (list, tuple)) else [found]
    return []


@register.filter
def break_long_headers(header: str) -> str:
    """A long comma-separated header value (e.g. `Allow`, `Vary`) split over lines."""
    if len(header) > 160 and "," in header:
        return mark_safe("<br> " + ", <br>".join(escape(part) for part in header.split(",")))
    return header
