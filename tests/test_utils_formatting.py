"""View names and descriptions: dedenting docstrings, words from class names, HTML markup."""

from unittest import mock

import pytest
from django.utils.safestring import SafeString

from restcycle.compat import apply_markdown
from restcycle.utils import formatting
from restcycle.utils.formatting import (
    camelcase_to_spaces,
    dedent,
    lazy_format,
    markup_description,
    remove_trailing_string,
)


def test_remove_trailing_string_keeps_a_string_that_is_only_the_suffix():
    assert remove_trailing_string("UserView", "View") == "User"
    assert remove_trailing_string("View", "View") == "View"
    assert remove_trailing_string("Viewer", "View") == "Viewer"


def test_dedent_ignores_an_unindented_first_line():
    assert dedent("Summary.\n\n    Details\n      more\n    ") == "Summary.\n\nDetails\n  more"
    assert dedent("    first\n\n    second") == "first\n\nsecond"
    assert dedent("\tfirst\n\n\tsecond") == "first\n\nsecond"
    assert dedent("first\n\n\tsecond") == "first\n\nsecond"


def test_camelcase_to_spaces():
    assert camelcase_to_spaces("NestedResourceRoot") == "Nested Resource Root"
    assert camelcase_to_spaces("APIRoot") == "Api Root"
    assert camelcase_to_spaces("user_list") == "User List"
    assert camelcase_to_spaces("Mock") == "Mock"


def test_markup_description_without_markdown_escapes_text(monkeypatch):
    monkeypatch.setattr(formatting, "apply_markdown", None)
    html = markup_description("Some <b>text</b> & more\nlines")
    assert isinstance(html, SafeString)
    assert html == "<p>Some &lt;b&gt;text&lt;/b&gt; &amp; more<br />lines</p>"


@pytest.mark.skipif(not apply_markdown, reason="Markdown is not installed")
def test_markup_description_with_markdown():
    html = markup_description("Some *text* & more")
    assert isinstance(html, SafeString)
    assert html == "<p>Some <em>text</em> &amp; more</p>"


def test_lazy_format_formats_once_and_supports_percent():
    message = mock.Mock(wraps="Hello {}")
    formatted = lazy_format(message, "you")
    assert message.format.call_count == 0
    assert str(formatted) == "Hello you"
    assert str(formatted) == "Hello you"
    assert message.format.call_count == 1
    assert lazy_format("{} %s", "a") % "b" == "a b"
