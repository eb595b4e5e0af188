"""Date/time input formats described for people, for "wrong format" error messages.

datetime_formats(["iso-8601"]) -> "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"
date_formats(["%d/%m/%Y"])     -> "DD/MM/YYYY"
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import ISO_8601

_STRPTIME_DIRECTIVES = {
    "%Y": "YYYY",
    "%y": "YY",
    "%m": "MM",
    "%b": "[Jan-Dec]",
    "%B": "[January-December]",
    "%d": "DD",
    "%H": "hh",
    "%I": "hh",  # told apart from %H by a %p
    "%M": "mm",
    "%S": "ss",
    "%f": "uuuuuu",
    "%a": "[Mon-Sun]",
    "%A": "[Monday-Sunday]",
    "%p": "[AM|PM]",
    "%z": "[+HHMM|-HHMM]",
}


def humanize_strptime(format_string: str) -> str:
    """Replace strptime directives with the placeholders people read (YYYY, MM, hh...)."""
    for directive, shown in _STRPTIME_DIRECTIVES.items():
        format_string = format_string.replace(directive, shown)
    return format_string


def _describe(formats: Iterable[str], iso_8601_shown_as: str) -> str:
    return humanize_strptime(", ".join(formats).replace(ISO_8601, iso_8601_shown_as))


def datetime_formats(formats: Iterable[str]) -> str:
    return _describe(formats, "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]")


def date_formats(formats: Iterable[str]) -> str:
    return _describe(formats, "YYYY-MM-DD")


def time_formats(formats: Iterable[str]) -> str:
    return _describe(formats, "hh:mm[:ss[.uuuuuu]]")
