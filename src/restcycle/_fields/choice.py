"""Choice fields: ChoiceField, MultipleChoiceField, FilePathField."""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.forms import FilePathField as DjangoFilePathField
from django.utils.translation import gettext_lazy as _

from ..utils import html
from .base import (
    Field,
    empty,
    flatten_choices_dict,
    iter_options,
    reads_key_outside_forms,
    to_choices_dict,
)
from .text import _SURROGATE


def _choice_key_string(key: Any) -> str:
    """The text a client sends for a choice; an Enum member is known by its value."""
    if isinstance(key, Enum) and str(key) != str(key.value):
        return str(key.value)
    return str(key)


def _echoable(data: Any) -> Any:
    """The input as it may be quoted back in a message: lone surrogates (which no response
    encoding can carry) are shown as their escape, e.g. \\ud800."""
    if isinstance(data, str) and _SURROGATE.search(data):
        return data.encode("utf-8", "backslashreplace").decode("utf-8")
    return data


def _unique(values: list) -> list:
    """Duplicates dropped, first occurrences kept in order (values may be unhashable)."""
    seen: list = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


class ChoiceField(Field):
    """One of `choices`; input is matched by its text, so 1 and "1" both find choice 1."""

    default_error_messages = {"invalid_choice": _('"{input}" is not a valid choice.')}
    html_cutoff: int | None = None
    html_cutoff_text: Any = _("More than {count} items...")

    def __init__(self, choices: Any, **kwargs: Any):
        self.choices = choices
        self.html_cutoff = kwargs.pop("html_cutoff", self.html_cutoff)
        self.html_cutoff_text = kwargs.pop("html_cutoff_text", self.html_cutoff_text)
        self.allow_blank = kwargs.pop("allow_blank", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[_choice_key_string(data)]
        except KeyError:
            self.fail("invalid_choice", input=_echoable(data))
        except ValueError:  # an int with more digits than Python will print
            self.fail("invalid_choice", input=type(data).__name__)

    def to_representation(self, value: Any) -> Any:
        """The choice's own value (so "1" gives 1 for integer choices); others unchanged."""
        if value in ("", None):
            return value
        return self.choice_strings_to_values.get(_choice_key_string(value), value)

    def iter_options(self):
        """Options for an HTML select (groups marked), cut off after `html_cutoff`."""
        return iter_options(
            self.grouped_choices, cutoff=self.html_cutoff, cutoff_text=self.html_cutoff_text
        )

    def _get_choices(self) -> dict:
        return self._choices

    def _set_choices(self, choices: Any) -> None:
        self.grouped_choices = to_choices_dict(choices)
        self._choices = flatten_choices_dict(self.grouped_choices)
        self.choice_strings_to_values = {_choice_key_string(key): key for key in self._choices}

    choices = property(_get_choices, _set_choices)


class MultipleChoiceField(ChoiceField):
    """A set of choices, from a JSON list or repeated form keys."""

    default_error_messages = {
        "invalid_choice": _('"{input}" is not a valid choice.'),
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "empty": _("This selection may not be empty."),
    }
    default_empty_html: Any = []

    def __init__(self, **kwargs: Any):
        self.allow_empty = kwargs.pop("allow_empty", True)
        super().__init__(**kwargs)

    @reads_key_outside_forms
    def get_value(self, dictionary: Any) -> Any:
        if self.field_name not in dictionary and getattr(self.root, "partial", False):
            return empty
        if html.is_html_input(dictionary):
            return dictionary.getlist(self.field_name)
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> list:
        if isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        choose = super().to_internal_value
        return _unique([choose(item) for item in data])

    def to_representation(self, value: Any) -> list:
        """The choice values, in order, each once."""
        lookup = self.choice_strings_to_values
        return _unique([lookup.get(_choice_key_string(item), item) for item in value])


class FilePathField(ChoiceField):
    """A choice among the files (and/or folders) under `path`, as Django's form field lists them."""

    default_error_messages = {"invalid_choice": _('"{input}" is not a valid path choice.')}

    def __init__(
        self,
        path: str,
        match: str | None = None,
        recursive: bool = False,
        allow_files: bool = True,
        allow_folders: bool = False,
        required: bool | None = None,
        **kwargs: Any,
    ):
        listing = DjangoFilePathField(
            path,
            match=match,
            recursive=recursive,
            allow_files=allow_files,
            allow_folders=allow_folders,
            required=required,
        )
        kwargs["choices"] = listing.choices
        kwargs["required"] = required
        super().__init__(**kwargs)
