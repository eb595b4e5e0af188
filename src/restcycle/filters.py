"""Filter backends: narrow or order a list view's queryset from the query string.

`GenericAPIView.filter_queryset()` passes the queryset through each class of
the view's `filter_backends` (default `DEFAULT_FILTER_BACKENDS`) as
`backend().filter_queryset(request, queryset, view)`. `SearchFilter` reads
`?search=`, `OrderingFilter` reads `?ordering=`; a parameter naming a field the
view does not allow is ignored, never passed to the database.
"""

from __future__ import annotations

import contextlib
import operator
import re
from functools import reduce
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import DataError, connections, models, transaction
from django.db.models.constants import LOOKUP_SEP
from django.template import loader
from django.utils.encoding import iri_to_uri
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from ._openapi_parameter import optional_query_parameter
from ._setting_defaults import SettingDefault
from .exceptions import ValidationError
from .utils.urls import replace_query_param


def search_smart_split(search_terms: str) -> list[str]:
    """Split a search string into terms: quoted phrases stay whole, the rest splits on
    whitespace and commas. `a, "b c",d` gives ["a", "b c", "d"].
    """
    terms = []
    for token in smart_split(search_terms):
        token = token.strip(",")
        if len(token) >= 2 and token[0] in "\"'" and token[0] == token[-1]:
            phrase = unescape_string_literal(token)
            if phrase:
                terms.append(phrase)
            continue
        terms.extend(part.strip() for part in token.split(",") if part.strip())
    return terms


def _regex_is_valid(pattern: str, using: str) -> bool:
    """Whether the database `using` accepts `pattern` as a regular expression.

    Django's SQLite REGEXP is Python's `re`; PostgreSQL is asked itself (in a
    savepoint, since a failed statement would abort the transaction).
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        try:
            re.compile(pattern)
        except re.error:
            return False
    elif connection.vendor == "postgresql":
        try:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.execute("SELECT '' ~ %s", [pattern])
        except DataError:
            return False
    return True


def _model_options(queryset_or_options: Any) -> Any:
    """`_meta` of a queryset's model; model Options pass through (Options.model._meta is them)."""
    return queryset_or_options.model._meta


class BaseFilterBackend:
    """The filter backend contract: return the queryset, narrowed or reordered."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        raise NotImplementedError(".filter_queryset() must be overridden.")

    def get_schema_fields(self, view: Any) -> list:
        return []

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return []


class SearchFilter(BaseFilterBackend):
    """`?search=` over the view's `search_fields`: every term must match some field.

    A field name may start with a prefix choosing the lookup: `^` starts-with,
    `=` exact, `@` full-text search (PostgreSQL), `$` regex; without one the
    lookup is case-insensitive containment, unless the name ends in a lookup.
    """

    search_param = SettingDefault("SEARCH_PARAM")
    template = "rest_framework/filters/search.html"
    # A search field's prefix picks its lookup (documented): starts-with, exact, full-text, regex.
    lookup_prefixes = {"^": "istartswith", "=": "iexact", "@": "search", "$": "iregex"}
    default_lookup = "icontains"
    search_title = _("Search")
    search_description = _("A search term.")

    def get_search_fields(self, view: Any, request: Any) -> Any:
        """The fields to search; override to choose them per request."""
        return getattr(view, "search_fields", None)

    def get_search_terms(self, request: Any) -> list[str]:
        """The terms of the search parameter; a NUL character is a 400, as in any text field."""
        value = request.query_params.get(self.search_param, "")
        if "\x00" in value:
            raise ValidationError(
                _("Null characters are not allowed."), code="null_characters_not_allowed"
            )
        return search_smart_split(value)

    def construct_search(self, field_name: str, queryset: Any) -> str:
        """The ORM lookup for one search field (`queryset` may also be a model's `_meta`)."""
        lookup = self.lookup_prefixes.get(field_name[:1])
        if lookup:
            return LOOKUP_SEP.join((field_name[1:], lookup))
        if self._ends_in_lookup(field_name, _model_options(queryset)):
            return field_name
        return LOOKUP_SEP.join((field_name, self.default_lookup))

    @staticmethod
    def _ends_in_lookup(field_name: str, opts: Any) -> bool:
        """Whether the field path already names a lookup, as `name__iendswith` does."""
        previous_field = None
        for part in field_name.split(LOOKUP_SEP):
            if part == "pk":
                part = opts.pk.name
            try:
                field = opts.get_field(part)
            except FieldDoesNotExist:
                return previous_field is not None and bool(previous_field.get_lookup(part))
            previous_field = field
            path_infos = getattr(field, "path_infos", None)
            if path_infos:
                opts = path_infos[-1].to_opts
        return False

    def must_call_distinct(self, queryset: Any, search_fields: Any) -> bool:
        """Whether some search field crosses a to-many relation, so rows could repeat."""
        is_queryset = isinstance(queryset, models.QuerySet)
        for search_field in search_fields:
            search_field = str(search_field)
            if search_field[:1] in self.lookup_prefixes:
                search_field = search_field[1:]
            if is_queryset and search_field in queryset.query.annotations:
                continue
            opts = _model_options(queryset)
            for part in search_field.split(LOOKUP_SEP):
                if part == "pk":
                    part = opts.pk.name
                try:
                    field = opts.get_field(part)
                except FieldDoesNotExist:
                    break
                path_infos = getattr(field, "path_infos", None)
                if not path_infos:
                    # A plain column; the rest of the path is transforms and lookups.
                    break
                if any(path.m2m for path in path_infos):
                    return True
                opts = path_infos[-1].to_opts
        return False

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        search_fields = self.get_search_fields(view, request)
        search_terms = self.get_search_terms(request)
        if not search_fields or not search_terms:
            return queryset

        orm_lookups = [self.construct_search(str(field), queryset) for field in search_fields]
        if any(lookup.endswith("regex") for lookup in orm_lookups):
            self._check_regex_terms(queryset, search_terms)
        # One filter() call, so that all terms match through the same related row.
        condition = reduce(
            operator.and_,
            (
                reduce(operator.or_, (models.Q(**{lookup: term}) for lookup in orm_lookups))
                for term in search_terms
            ),
        )
        base = queryset
        queryset = queryset.filter(condition)
        if self.must_call_distinct(queryset, search_fields):
            # An EXISTS subquery rather than DISTINCT: it keeps the base queryset's
            # ordering and annotations, and works on every database.
            matches = queryset.filter(pk=models.OuterRef("pk"))
            queryset = base.filter(models.Exists(matches))
        return queryset

    def _check_regex_terms(self, queryset: Any, search_terms: list[str]) -> None:
        """A term that is no valid regular expression is a 400, not a database error."""
        using = getattr(queryset, "db", None)
        if using is None:
            return
        for term in search_terms:
            if not _regex_is_valid(term, using):
                raise ValidationError(
                    {self.search_param: [_("Invalid regular expression.")]}, code="invalid"
                )

    def to_html(self, request: Any, queryset: Any, view: Any) -> str:
        if not getattr(view, "search_fields", None):
            return ""
        context = {
            "param": self.search_param,
            "term": request.query_params.get(self.search_param, ""),
        }
        return loader.get_template(self.template).render(context)

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [optional_query_parameter(self.search_param, self.search_description, "string")]


class UnaccentedSearchFilter(SearchFilter):
    """A SearchFilter whose text lookups ignore accents (PostgreSQL's `unaccent` extension)."""

    lookup_prefixes = {
        "^": "unaccent__istartswith",
        "=": "unaccent__iexact",
        "@": "search",
        "$": "unaccent__iregex",
    }
    default_lookup = "unaccent__icontains"


def _serializer_class_of(view: Any) -> Any:
    """The view's serializer class, or None when it has none."""
    if not hasattr(view, "get_serializer_class"):
        return getattr(view, "serializer_class", None)
    # The default get_serializer_class() asserts when there is none.
    with contextlib.suppress(AssertionError):
        return view.get_serializer_class()
    return None


class OrderingFilter(BaseFilterBackend):
    """`?ordering=a,-b` over the fields the view allows; otherwise the view's `ordering`.

    Allowed fields: the view's `ordering_fields`, `"__all__"` for every model
    field and annotation, or by default the serializer's readable fields.
    """

    ordering_param = SettingDefault("ORDERING_PARAM")
    ordering_fields: Any = None
    ordering_title = _("Ordering")
    ordering_description = _("Which field to use when ordering the results.")
    template = "rest_framework/filters/ordering.html"

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        """The requested ordering, keeping only allowed fields; else the default ordering."""
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            ordering = self.remove_invalid_fields(queryset, fields, view, request)
            if ordering:
                return ordering
        return self.get_default_ordering(view)

    def get_default_ordering(self, view: Any) -> Any:
        ordering = getattr(view, "ordering", None)
        if isinstance(ordering, str):
            return (ordering,)
        return ordering

    def get_default_valid_fields(
        self, queryset: Any, view: Any, context: dict | None = None
    ) -> list[tuple[str, Any]]:
        """The serializer's readable, model-backed fields, as (ORM path, label) pairs."""
        serializer_class = _serializer_class_of(view)
        if serializer_class is None:
            raise ImproperlyConfigured(
                f"Cannot use {self.__class__.__name__} on a view which does not have either a "
                "'serializer_class', an overriding 'get_serializer_class' or "
                "'ordering_fields' attribute."
            )

        model_class = queryset.model
        # Properties are computed in Python; the database cannot order by them.
        # `pk` is a property too, but one the ORM understands.
        model_properties = {
            name
            for name in dir(model_class)
            if name != "pk" and isinstance(getattr(model_class, name, None), property)
        }
        return [
            (field.source.replace(".", LOOKUP_SEP) or field_name, field.label)
            for field_name, field in serializer_class(context=context or {}).fields.items()
            if not getattr(field, "write_only", False)
            and field.source != "*"
            and field.source not in model_properties
        ]

    def get_valid_fields(
        self, queryset: Any, view: Any, context: dict | None = None
    ) -> list[tuple[str, Any]]:
        valid_fields = getattr(view, "ordering_fields", self.ordering_fields)
        if valid_fields is None:
            return self.get_default_valid_fields(queryset, view, context)
        if valid_fields == "__all__":
            fields = [(field.name, field.verbose_name) for field in queryset.model._meta.fields]
            fields += [(key, key.title().split(LOOKUP_SEP)) for key in queryset.query.annotations]
            return fields
        return [(item, item) if isinstance(item, str) else item for item in valid_fields]

    def remove_invalid_fields(
        self, queryset: Any, fields: list[str], view: Any, request: Any
    ) -> list[str]:
        valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        return [term for term in fields if term.removeprefix("-") in valid]

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering)
        return queryset

    def get_template_context(self, request: Any, queryset: Any, view: Any) -> dict:
        current = self.get_ordering(request, queryset, view)
        context = {
            "request": request,
            "current": current[0] if current else None,
            "param": self.ordering_param,
        }
        options = []
        for key, label in self.get_valid_fields(queryset, view, context):
            options.append((key, "{} - {}".format(label, _("ascending"))))
            options.append(("-" + key, "{} - {}".format(label, _("descending"))))
        context["options"] = options
        # The same options with the URL choosing each, for templates without tag libraries.
        here = iri_to_uri(request.get_full_path())
        context["choices"] = [
            {
                "key": key,
                "label": label,
                "url": replace_query_param(here, self.ordering_param, key),
                "active": key == context["current"],
            }
            for key, label in options
        ]
        return context

    def to_html(self, request: Any, queryset: Any, view: Any) -> str:
        context = self.get_template_context(request, queryset, view)
        return loader.get_template(self.template).render(context)

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [optional_query_parameter(self.ordering_param, self.ordering_description, "string")]
