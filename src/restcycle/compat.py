"""Optional dependencies and small shims, under the names third-party code imports.

Each optional package is either the imported module or None, so callers test
`if yaml is not None:`. CoreAPI support is gone (as in DRF 3.18): `coreapi` and
`coreschema` are always None.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

coreapi = None
coreschema = None

try:
    import uritemplate
except ImportError:
    uritemplate = None

try:
    import yaml
except ImportError:
    yaml = None

try:
    import inflection
except ImportError:
    inflection = None

try:
    import requests
except ImportError:
    requests = None

try:
    from django.contrib.postgres import fields as postgres_fields
except ImportError:
    postgres_fields = None

try:
    import markdown
except ImportError:
    markdown = None

try:
    import pygments
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
except ImportError:
    pygments = None

# JSON separators: compact, human-readable, and for indented output.
SHORT_SEPARATORS = (",", ":")
LONG_SEPARATORS = (", ", ": ")
INDENT_SEPARATORS = (",", ": ")


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


if pygments is not None:

    def pygments_highlight(text: str, lang: str, style: str) -> str:
        lexer = get_lexer_by_name(lang, stripall=False)
        return pygments.highlight(text, lexer, HtmlFormatter(nowrap=True, style=style))

    def pygments_css(style: str) -> str | None:
        return HtmlFormatter(style=style).get_style_defs(".highlight")

else:

    def pygments_highlight(text: str, lang: str, style: str) -> str:
        return text

    def pygments_css(style: str) -> str | None:
        return None


if markdown is not None and pygments is not None:
    from markdown.preprocessors import Preprocessor

    _FENCED_CODE = re.compile(r"^\s*``` *([^\n]+)\n(.+?)^\s*```", re.MULTILINE | re.DOTALL)

    class _HighlightFencedCode(Preprocessor):
        """Turns ```lang fenced blocks of a description into highlighted HTML."""

        formatter = HtmlFormatter()

        def _highlight(self, match: re.Match) -> str:
            try:
                lexer = get_lexer_by_name(match.group(1))
            except (ValueError, NameError):
                lexer = TextLexer()
            code = pygments.highlight(match.group(2).replace("\t", "    "), lexer, self.formatter)
            # Line breaks as <br /> keep the block one paragraph for Markdown.
            code = code.replace("\n\n", "\n&nbsp;\n").replace("\n", "<br />").replace("\\@", "@")
            return f"\n\n{code}\n\n"

        def run(self, lines: list[str]) -> list[str]:
            return _FENCED_CODE.sub(self._highlight, "\n".join(lines)).split("\n")

    def md_filter_add_syntax_highlight(md: Any) -> bool:
        md.preprocessors.register(_HighlightFencedCode(), "highlight", 40)
        return True

else:

    def md_filter_add_syntax_highlight(md: Any) -> bool:
        return False


if markdown is not None:

    def apply_markdown(text: str) -> str:
        """Markdown to HTML; `=` headers become <h2> and `-` headers <h3>, with ids."""
        md = markdown.Markdown(
            extensions=["markdown.extensions.toc"],
            extension_configs={"markdown.extensions.toc": {"baselevel": "2"}},
        )
        md_filter_add_syntax_highlight(md)
        return md.convert(text)

else:
    apply_markdown = None
