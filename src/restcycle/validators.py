"""Validators that need the database or the serializer: uniqueness, and surrogate text.

Field-level validators are called `validator(value, serializer_field)` and
serializer-level ones `validator(attrs, serializer)`; both mark themselves with
`requires_context = True`. Django's own validators (plain `validator(value)`)
work unchanged in any field's `validators=[...]`.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import Exists, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from . import _engine
from .exceptions import ValidationError
from .utils.representation import smart_repr

# Values the column cannot even hold (a bad UUID, text in an int column) match no row.
_QUERY_INPUT_ERRORS = (TypeError, ValueError, OverflowError, DataError, DjangoValidationError)


def qs_exists(queryset: Any) -> bool:
    """queryset.exists(), with input the database cannot even compare treated as "no match"."""
    try:
        return queryset.exists()
    except _QUERY_INPUT_ERRORS:
        return False


def qs_filter(queryset: Any, **kwargs: Any) -> Any:
    """queryset.filter(**kwargs), or an empty queryset when the values cannot be filtered on."""
    try:
        return queryset.filter(**kwargs)
    except _QUERY_INPUT_ERRORS:
        return queryset.none()


def qs_exists_with_condition(queryset: Any, condition: Any, condition_kwargs: dict) -> bool:
    """Whether a clash exists among rows matching `condition`, when the new values match it too.

    This is how a conditional UniqueConstraint decides: the constraint only binds rows
    (new and existing) for which the condition holds.
    """
    if condition is None:
        return qs_exists(queryset)
    try:
        return (condition & Exists(queryset.filter(condition))).check(condition_kwargs)
    except _QUERY_INPUT_ERRORS:
        return False


def _single_instance(validator: Any, instance: Any) -> Any:
    """The instance being updated; a whole list of them means nothing can be excluded."""
    if isinstance(instance, (QuerySet, list, tuple)):
        raise RuntimeError(
            f"`{type(validator).__name__}` cannot determine the current instance during a "
            "multiple update. Override `ListSerializer.run_child_validation()` to set "
            "`child.instance` before validation."
        )
    return instance


def _exclude_instance(queryset: Any, instance: Any) -> Any:
    """On update, the row being updated does not clash with itself."""
    if instance is not None:
        return queryset.exclude(pk=instance.pk)
    return queryset


class _ComparedByAttributes:
    """Equal when of the same class with equal `_compared_attributes`; hashed by identity."""

    _compared_attributes: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, self.__class__):
            return NotImplemented
        return all(
            getattr(self, name) == getattr(other, name) for name in self._compared_attributes
        )

    __hash__ = object.__hash__


class UniqueValidator(_ComparedByAttributes):
    """The field's value must not already exist in `queryset` (`lookup` chooses the match)."""

    message = _("This field must be unique.")
    requires_context = True

    def __init__(self, queryset: Any, message: Any = None, lookup: str = "exact"):
        self.queryset = queryset
        self.message = message or self.message
        self.lookup = lookup

    def filter_queryset(self, value: Any, queryset: Any, field_name: str) -> Any:
        return qs_filter(queryset, **{f"{field_name}__{self.lookup}": value})

    def exclude_current_instance(self, queryset: Any, instance: Any) -> Any:
        return _exclude_instance(queryset, instance)

    def __call__(self, value: Any, serializer_field: Any) -> None:
        # The model field is the last part of the source, not the serializer field's name.
        field_name = serializer_field.source_attrs[-1]
        instance = _single_instance(self, getattr(serializer_field.parent, "instance", None))
        clash = None
        pk = None if instance is None else instance.pk
        if self._preparable and (instance is None or pk is not None):
            # The query the steps below build, from prepared SQL once it is (same answer).
            lookup = f"{field_name}__{self.lookup}"
            try:
                clash = _engine.prepared_exists(self.queryset, {lookup: value}, exclude_pk=pk)
            except _QUERY_INPUT_ERRORS:
                clash = False
        if clash is None:
            queryset = self.filter_queryset(value, self.queryset, field_name)
            queryset = self.exclude_current_instance(queryset, instance)
            clash = qs_exists(queryset)
        if clash:
            raise ValidationError(self.message, code="unique")

    @property
    def _preparable(self) -> bool:
        """The default steps on an exact match in a plain queryset: prepared SQL can answer."""
        cls = type(self)
        return (
            self.lookup == "exact"
            and _engine.stable_source(self.queryset)
            and cls.filter_queryset is UniqueValidator.filter_queryset
            and cls.exclude_current_instance is UniqueValidator.exclude_current_instance
        )

    _compared_attributes = ("message", "requires_context", "queryset", "lookup")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}(queryset={smart_repr(self.queryset)})>"


class UniqueTogetherValidator(_ComparedByAttributes):
    """The combination of `fields` must not already exist in `queryset`.

    On create every one of the fields is required (the check is meaningless without
    them); on update, missing ones are taken from the instance. `condition` (a Q)
    limits the check to rows it matches, as a conditional UniqueConstraint does.
    """

    message = _("The fields {field_names} must make a unique set.")
    missing_message = _("This field is required.")
    code = "unique"
    requires_context = True

    def __init__(
        self,
        queryset: Any,
        fields: Any,
        message: Any = None,
        condition_fields: Any = None,
        condition: Q | None = None,
        code: str | None = None,
        nulls_distinct: bool | None = None,
    ):
        self.queryset = queryset
        self.fields = fields
        self.message = message or self.message
        self.condition_fields = [] if condition_fields is None else condition_fields
        self.condition = condition
        self.code = code or self.code
        # False: NULLs clash with each other (UniqueConstraint(nulls_distinct=False)).
        self.nulls_distinct = nulls_distinct

    def enforce_required_fields(self, attrs: dict, serializer: Any) -> None:
        """On create, every field of the set (and of its condition) is required."""
        if serializer.instance is not None:
            return  # an update keeps the instance's values for fields not sent
        absent = [
            name
            for name in (*self.fields, *self.condition_fields)
            if serializer.fields[name].source not in attrs
        ]
        if absent:
            raise ValidationError(dict.fromkeys(absent, self.missing_message), code="required")

    def filter_queryset(self, attrs: dict, queryset: Any, serializer: Any) -> Any:
        sources = [serializer.fields[name].source for name in self.fields]
        if serializer.instance is not None:
            for source in sources:
                if source not in attrs:
                    attrs[source] = getattr(serializer.instance, source)
        return qs_filter(queryset, **{source: attrs[source] for source in sources})

    def exclude_current_instance(self, attrs: dict, queryset: Any, instance: Any) -> Any:
        return _exclude_instance(queryset, instance)

    def __call__(self, attrs: dict, serializer: Any) -> None:
        _single_instance(self, serializer.instance)
        self.enforce_required_fields(attrs, serializer)
        queryset = self.filter_queryset(attrs, self.queryset, serializer)
        queryset = self.exclude_current_instance(attrs, queryset, serializer.instance)

        instance = serializer.instance
        sources = [serializer.fields[name].source for name in self.fields]
        condition_sources = [serializer.fields[name].source for name in self.condition_fields]
        condition_kwargs = {
            source: attrs[source] if source in attrs else getattr(instance, source)
            for source in condition_sources
        }
        values = [attrs[source] for source in sources]
        if instance is None:
            checked_values = values
        else:
            # Values left as they were cannot have created a clash, unless the change
            # of a condition field brings the row under the constraint.
            checked_values = [
                value
                for source, value in zip(sources, values)
                if value != getattr(instance, source)
            ]
            if not checked_values and any(
                condition_kwargs[source] != getattr(instance, source)
                for source in condition_sources
            ):
                checked_values = values
        if not checked_values:
            return
        # A NULL never clashes in SQL, unless the constraint says NULLs are not distinct.
        if self.nulls_distinct is not False and None in checked_values:
            return
        if qs_exists_with_condition(queryset, self.condition, condition_kwargs):
            message = str(self.message).format(field_names=", ".join(self.fields))
            raise ValidationError(message, code=self.code)

    _compared_attributes = (
        "message",
        "requires_context",
        "missing_message",
        "queryset",
        "fields",
        "condition_fields",
        "condition",
        "code",
        "nulls_distinct",
    )

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={smart_repr(getattr(self, name))}"
            for name in ("queryset", "fields", "condition")
            if getattr(self, name) is not None
        )
        return f"<{type(self).__name__}({shown})>"


class ProhibitSurrogateCharactersValidator(_ComparedByAttributes):
    """Text may not contain UTF-16 surrogates: they cannot be encoded or stored."""

    message = _("Surrogate characters are not allowed: U+{code_point:X}.")
    code = "surrogate_characters_not_allowed"
    _surrogate = re.compile("[\ud800-\udfff]")

    def __call__(self, value: Any) -> None:
        match = self._surrogate.search(str(value))
        if match is not None:
            message = str(self.message).format(code_point=ord(match.group()))
            raise ValidationError(message, code=self.code)

    _compared_attributes = ("message", "code")


class BaseUniqueForValidator(_ComparedByAttributes):
    """`field` must be unique among rows whose `date_field` falls in the same period."""

    message: Any = None
    missing_message = _("This field is required.")
    requires_context = True

    def __init__(self, queryset: Any, field: str, date_field: str, message: Any = None):
        self.queryset = queryset
        self.field = field
        self.date_field = date_field
        self.message = message or self.message

    def enforce_required_fields(self, attrs: dict) -> None:
        missing = {
            name: self.missing_message
            for name in (self.field, self.date_field)
            if name not in attrs
        }
        if missing:
            raise ValidationError(missing, code="required")

    def filter_queryset(
        self, attrs: dict, queryset: Any, field_name: str, date_field_name: str
    ) -> Any:
        raise NotImplementedError("`filter_queryset` must be implemented.")

    def exclude_current_instance(self, attrs: dict, queryset: Any, instance: Any) -> Any:
        return _exclude_instance(queryset, instance)

    def __call__(self, attrs: dict, serializer: Any) -> None:
        _single_instance(self, serializer.instance)
        field_name = serializer.fields[self.field].source_attrs[-1]
        date_field_name = serializer.fields[self.date_field].source_attrs[-1]
        self.enforce_required_fields(attrs)
        queryset = self.filter_queryset(attrs, self.queryset, field_name, date_field_name)
        queryset = self.exclude_current_instance(attrs, queryset, serializer.instance)
        if qs_exists(queryset):
            message = str(self.message).format(date_field=self.date_field)
            raise ValidationError({self.field: message}, code="unique")

    def _period_filter(self, attrs: dict, field_name: str, date_field_name: str, parts) -> dict:
        date = attrs[self.date_field]
        lookups = {field_name: attrs[self.field]}
        for part in parts:
            lookups[f"{date_field_name}__{part}"] = getattr(date, part)
        return lookups

    _compared_attributes = (
        "message",
        "requires_context",
        "missing_message",
        "queryset",
        "field",
        "date_field",
    )

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}(queryset={smart_repr(self.queryset)}, "
            f"field={smart_repr(self.field)}, date_field={smart_repr(self.date_field)})>"
        )


class UniqueForDateValidator(BaseUniqueForValidator):
    message = _('This field must be unique for the "{date_field}" date.')

    def filter_queryset(self, attrs, queryset, field_name, date_field_name):
        lookups = self._period_filter(attrs, field_name, date_field_name, ("day", "month", "year"))
        return qs_filter(queryset, **lookups)


class UniqueForMonthValidator(BaseUniqueForValidator):
    message = _('This field must be unique for the "{date_field}" month.')

    def filter_queryset(self, attrs, queryset, field_name, date_field_name):
        lookups = self._period_filter(attrs, field_name, date_field_name, ("month",))
        return qs_filter(queryset, **lookups)


class UniqueForYearValidator(BaseUniqueForValidator):
    message = _('This field must be unique for the "{date_field}" year.')

    def filter_queryset(self, attrs, queryset, field_name, date_field_name):
        lookups = self._period_filter(attrs, field_name, date_field_name, ("year",))
        return qs_filter(queryset, **lookups)
