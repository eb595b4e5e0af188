"""Text helpers for view names and descriptions (browsable API, OPTIONS, schemas)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..compat import apply_markdown

_LEADING_WHITESPACE = re.compile(r"[ \t]*")
# A capital that starts a word: after a lowercase letter ("fooBar"), or before one
# ("HTTPResponse": the R).
_WORD_START = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=.)(?=[A-Z][a-z])")


def remove_trailing_string(content: str, trailing: str) -> str:
    """`content` without `trailing` at its end, unless that would leave nothing."""
    if content.endswith(trailing) and content != trailing:
        return content[: -len(trailing)]
    return content


def dedent(content: Any) -> str:
    """Remove the indentation shared by the lines after the first (docstring style), strip.

    Unlike `textwrap.dedent`, an unindented first line does not stop the rest of a
    docstring from being dedented.
    """
    content = str(content)
    lines = content.splitlines()
    margin: str | None = None
    for line in lines[1:]:
        if not line.strip():
            continue
        indent = _LEADING_WHITESPACE.match(line).group()
        if margin is None:
            margin = indent
        else:
            common = 0
            for a, b in zip(margin, indent):
                if a != b:
                    break
                common += 1
            margin = margin[:common]
    if margin:
        lines = [line[len(margin) :] if line.startswith(margin) else line for line in lines]
        content = "\n".join(lines)
    return content.strip()


def camelcase_to_spaces(content: str) -> str:
    """`"NestedResourceRoot"` → `"Nested Resource Root"`; underscores become spaces too."""
    spaced = _WORD_START.sub(" ", content).strip()
    return " ".join(spaced.split("_")).title()


def markup_description(description: str) -> SafeString:
    """A view description as HTML: Markdown when installed, else escaped text in a `<p>`."""
    if apply_markdown:
        html = apply_markdown(description)
    else:
        html = "<p>" + escape(description).replace("\n", "<br />") + "</p>"
    return mark_safe(html)


class lazy_format(Promise):
    """`format_string.format(*args, **kwargs)`, computed on first use and then kept.

    For messages built at import time from translatable strings.
    """

    def __init__(self, format_string: Any, *args: Any, **kwargs: Any):
        self.format_string = format_string
        self.args = args
        self.kwargs = kwargs
        self.result: str | None = None

    def __str__(self) -> str:
        if self.result is None:
            self.result = self.format_string.format(*self.args, **self.kwargs)
            # Drop the inputs: the result is all that is needed from now on.
            self.format_string = self.args = self.kwargs = None
        return self.result

    def __mod__(self, value: Any) -> str:
        return str(self) % value
