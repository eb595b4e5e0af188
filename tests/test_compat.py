"""compat: optional packages appear as modules or None, imported on first use; the shims."""

import importlib.util

import pytest
from django.contrib.auth.models import User

from restcycle import compat


def test_optional_packages_are_modules_or_none():
    for name in ("yaml", "uritemplate", "inflection", "requests", "markdown", "pygments"):
        value = getattr(compat, name)
        installed = importlib.util.find_spec(name) is not None
        assert (value is not None) is installed, name
    assert compat.coreapi is None
    assert compat.coreschema is None


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError):
        compat.not_a_thing  # noqa: B018


def test_unicode_http_header():
    assert compat.unicode_http_header(b"caf\xe9") == "café"
    assert compat.unicode_http_header("plain") == "plain"


@pytest.mark.django_db
def test_distinct_removes_duplicates():
    User.objects.create_user("ada")
    queryset = User.objects.filter(username__in=["ada", "ada"]) | User.objects.filter(pk__gt=0)
    assert list(compat.distinct(queryset, User.objects.all())) == list(User.objects.all())


def test_pygments_highlight_and_css():
    if compat.pygments is None:
        assert compat.pygments_highlight("x = 1", "python", "default") == "x = 1"
        assert compat.pygments_css("default") is None
    else:
        assert "<span" in compat.pygments_highlight("x = 1", "python", "default")
        assert ".highlight" in compat.pygments_css("default")


def test_apply_markdown_only_with_markdown_installed():
    if compat.markdown is None:
        assert compat.apply_markdown is None
    else:
        html = compat.apply_markdown("Title\n=====\n\ntext")
        assert html.startswith('<h2 id="title">Title</h2>')
