"""Optional dependencies and small shims, under the names third-party code imports.

Each optional package (`yaml`, `uritemplate`, `inflection`, `requests`, `markdown`,
`pygments`, `postgres_fields`) is the imported module or None, so callers test
`if yaml is not None:`. They are imported on first access, not with this module.
CoreAPI support is gone (as in DRF 3.18): `coreapi` and `coreschema` are always None.
"""

from __future__ import annotations

import importlib.util
import re
from importlib import import_module
from typing import Any

from django.conf import settings

coreapi = None
coreschema = None

# JSON separators: compact, human-readable, and for indented output.
SHORT_SEPARATORS = (",", ":")
LONG_SEPARATORS = (", ", ": ")
INDENT_SEPARATORS = (",", ": ")

_OPTIONAL_MODULES = {
    "uritemplate": "uritemplate",
    "yaml": "yaml",
    "inflection": "inflection",
    "requests": "requests",
    "markdown": "markdown",
    "pygments": "pygments",
    "postgres_fields": "django.contrib.postgres.fields",
}


def _optional(module_name: str) -> Any:
    try:
        return import_module(module_name)
    except ImportError:
        return None


def _installed(module_name: str) -> bool:
    return importlib.util.find_spec(module_name) is not None


def __getattr__(name: str) -> Any:
    # PEP 562: optional packages are imported (and remembered) when first asked for.
    if name in _OPTIONAL_MODULES:
        value = _optional(_OPTIONAL_MODULES[name])
    elif name == "apply_markdown":
        value = _apply_markdown if _installed("markdown") else None
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def unicode_http_header(value: Any) -> str:
    """A header value as text (WSGI gives latin-1 bytes on some servers)."""
    if isinstance(value, bytes):
        return value.decode("iso-8859-1")
    return value


def distinct(queryset: Any, base: Any) -> Any:
    """`queryset.distinct()`, or a primary-key filter on Oracle (no DISTINCT on LOBs)."""
    if settings.DATABASES[queryset.db]["ENGINE"] == "django.db.backends.oracle":
        return base.filter(pk__in=set(queryset.values_list("pk", flat=True)))
    return queryset.distinct()


def pygments_highlight(text: str, lang: str, style: str) -> str:
    """`text` highlighted as HTML spans for language `lang`; unchanged without Pygments."""
    pygments = _optional("pygments")
    if pygments is None:
        return text
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    lexer = get_lexer_by_name(lang, stripall=False)
    return pygments.highlight(text, lexer, HtmlFormatter(nowrap=True, style=style))


def pygments_css(style: str) -> str | None:
    """The stylesheet for `pygments_highlight` output, or None without Pygments."""
    if not _installed("pygments"):
        return None
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=style).get_style_defs(".highlight")


_FENCED_CODE = re.compile(r"^\s*``` *([^\n]+)\n(.+?)^\s*```", re.MULTILINE | re.DOTALL)


def _highlighter_class() -> Any:
    """A Markdown preprocessor turning ```lang fenced blocks into highlighted HTML."""
    import pygments
    from markdown.preprocessors import Preprocessor
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name

    formatter = HtmlFormatter()

    def highlight(match: re.Match) -> str:
        try:
            lexer = get_lexer_by_name(match.group(1))
        except (ValueError, NameError):
            lexer = TextLexer()
        code = pygments.highlight(match.group(2).replace("\t", "    "), lexer, formatter)
        # Line breaks as <br /> keep the block one paragraph for Markdown.
        code = code.replace("\n\n", "\n&nbsp;\n").replace("\n", "<br />").replace("\\@", "@")
        return f"\n\n{code}\n\n"

    class HighlightFencedCode(Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            return _FENCED_CODE.sub(highlight, "\n".join(lines)).split("\n")

    return HighlightFencedCode


def md_filter_add_syntax_highlight(md: Any) -> bool:
    """Highlight fenced code in `md` (a Markdown instance); False without Pygments."""
    if not _installed("pygments"):
        return False
    md.preprocessors.register(_highlighter_class()(), "highlight", 40)
    return True


def _apply_markdown(text: str) -> str:
    """Markdown to HTML; `=` headers become <h2> and `-` headers <h3>, with ids."""
    import markdown

    md = markdown.Markdown(
        extensions=["markdown.extensions.toc"],
        extension_configs={"markdown.extensions.toc": {"baselevel": "2"}},
    )
    md_filter_add_syntax_highlight(md)
    return md.convert(text)
