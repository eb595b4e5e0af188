"""Relational fields: how a related object (or a set of them) is shown and written.

    PrimaryKeyRelatedField(queryset=Tag.objects.all(), many=True)
    HyperlinkedRelatedField(view_name="author-detail", read_only=True)

`many=True` on any related field gives a `ManyRelatedField` wrapping it.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any
from urllib import parse

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Manager
from django.db.models.query import QuerySet
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve
from django.utils.encoding import smart_str, uri_to_iri
from django.utils.translation import gettext_lazy as _

from . import _engine
from ._fields.base import WRAPPER_FIELD_ARGUMENTS, reads_key_outside_forms
from .fields import (  # noqa: F401  SkipField is importable from here, as in DRF
    Field,
    SkipField,
    empty,
    get_attribute,
    is_simple_callable,
    iter_options,
)
from .settings import api_settings
from .utils import html

__all__ = [
    "MANY_RELATION_KWARGS",
    "Hyperlink",
    "HyperlinkedIdentityField",
    "HyperlinkedRelatedField",
    "ManyRelatedField",
    "ObjectTypeError",
    "ObjectValueError",
    "PKOnlyObject",
    "PrimaryKeyRelatedField",
    "RelatedField",
    "SlugRelatedField",
    "StringRelatedField",
    "method_overridden",
]


def method_overridden(method_name: str, klass: type, instance: Any) -> bool:
    """True when `instance`'s class overrides `klass.method_name`."""
    method = getattr(klass, method_name)
    default_method = getattr(method, "__func__", method)
    return default_method is not getattr(instance, method_name).__func__


class ObjectValueError(ValueError):
    """A lookup value the queryset rejected with ValueError (e.g. a bad pk format)."""


class ObjectTypeError(TypeError):
    """A lookup value the queryset rejected with TypeError."""


class Hyperlink(str):
    """A URL string that also carries the object it links to (`.obj`, `.name`).

    The browsable API shows `.name` as the link text.
    """

    is_hyperlink = True

    def __new__(cls, url: str, obj: Any) -> Hyperlink:
        ret = super().__new__(cls, url)
        ret.obj = obj
        return ret

    def __getnewargs__(self) -> tuple:
        return (str(self), self.name)

    @property
    def name(self) -> str:
        # Computed on access, because str(obj) may cost a query.
        return str(self.obj)


class PKOnlyObject:
    """Stands in for a related object when only its pk is needed (no query for the row)."""

    def __init__(self, pk: Any):
        self.pk = pk

    def __str__(self) -> str:
        return f"{self.pk}"


# Arguments of a related field that belong to the ManyRelatedField that `many=True` makes.
MANY_RELATION_KWARGS = (
    *WRAPPER_FIELD_ARGUMENTS,
    "allow_empty",
    "html_cutoff",
    "html_cutoff_text",
)


def _settings_cutoff() -> int | None:
    cutoff = api_settings.HTML_SELECT_CUTOFF
    return None if cutoff is None else int(cutoff)


class _HTMLSelectOptions:
    """The choices a relation offers an HTML <select>: `get_choices()`, cut at `html_cutoff`."""

    html_cutoff: int | None = None
    html_cutoff_text: Any = None

    def _pop_html_cutoff(self, kwargs: dict) -> None:
        self.html_cutoff = kwargs.pop("html_cutoff", _settings_cutoff())
        self.html_cutoff_text = kwargs.pop(
            "html_cutoff_text", self.html_cutoff_text or _(api_settings.HTML_SELECT_CUTOFF_TEXT)
        )

    @property
    def choices(self) -> dict:
        return self.get_choices()

    @property
    def grouped_choices(self) -> dict:
        return self.choices

    def iter_options(self) -> Any:
        return iter_options(
            self.get_choices(cutoff=self.html_cutoff),
            cutoff=self.html_cutoff,
            cutoff_text=self.html_cutoff_text,
        )


_QUERYSET_NEEDED = (
    "Relational field must provide a `queryset` argument, "
    "override `get_queryset`, or set read_only=`True`."
)
_QUERYSET_UNUSED = (
    "Relational fields should not provide a `queryset` argument, when setting read_only=`True`."
)


class RelatedField(_HTMLSelectOptions, Field):
    """Base of fields that represent a related model instance."""

    queryset: Any = None

    def __init__(self, **kwargs: Any):
        self.queryset = kwargs.pop("queryset", self.queryset)
        self._pop_html_cutoff(kwargs)
        read_only, has_queryset = kwargs.get("read_only"), self.queryset is not None
        # A writable relation needs its choices: a queryset, or a get_queryset() of its own.
        assert has_queryset or read_only or method_overridden("get_queryset", RelatedField, self), (
            _QUERYSET_NEEDED
        )
        assert not (has_queryset and read_only), _QUERYSET_UNUSED
        for list_option in ("many", "allow_empty"):  # ManyRelatedField's, not ours
            kwargs.pop(list_option, None)
        super().__init__(**kwargs)

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # `many=True` gives a ManyRelatedField wrapping an instance of this class.
        if kwargs.pop("many", False):
            return cls.many_init(*args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> ManyRelatedField:
        """Build the ManyRelatedField for `many=True`; override to customise it."""
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return ManyRelatedField(**list_kwargs)

    def run_validation(self, data: Any = empty) -> Any:
        # An empty string from a form means "no related object".
        if data == "":
            data = None
        return super().run_validation(data)

    def get_queryset(self) -> Any:
        queryset = self.queryset
        if isinstance(queryset, (QuerySet, Manager)):
            # A fresh queryset per use, so results are never cached across requests.
            return queryset.all()
        return queryset

    def use_pk_only_optimization(self) -> bool:
        """True when `to_representation` needs only the related pk (no query for the row)."""
        return False

    def get_attribute(self, instance: Any) -> Any:
        if self.use_pk_only_optimization() and self.source_attrs:
            try:
                return PKOnlyObject(pk=self._related_pk(instance))
            except AttributeError:
                pass  # no such column to read: fetch the object as any field would
        return super().get_attribute(instance)

    def _related_pk(self, instance: Any) -> Any:
        """The related object's pk, read from the foreign key column, not fetched."""
        *path, last = self.source_attrs
        value = get_attribute(instance, path).serializable_value(last)
        if is_simple_callable(value):
            value = value()  # `source` names a method that returns the related object
        # `source` may name a property that returns an object rather than a pk.
        return getattr(value, "pk", value)

    def get_choices(self, cutoff: int | None = None) -> dict:
        """{representation: display text} for the selectable objects (at most `cutoff`)."""
        queryset = self.get_queryset()
        if queryset is None:
            # Only a read-only field may lack a queryset; it has no choices.
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {self.to_representation(item): self.display_value(item) for item in queryset}

    def display_value(self, instance: Any) -> str:
        return str(instance)


class StringRelatedField(RelatedField):
    """A read-only field showing the related object's `str()`."""

    def __init__(self, **kwargs: Any):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value)


class PrimaryKeyRelatedField(RelatedField):
    """The related object as its primary key; input is a pk looked up in `queryset`."""

    default_error_messages = {
        "required": _("This field is required."),
        "does_not_exist": _('Invalid pk "{pk_value}" - object does not exist.'),
        "incorrect_type": _("Incorrect type. Expected pk value, received {data_type}."),
    }

    def __init__(self, **kwargs: Any):
        self.pk_field = kwargs.pop("pk_field", None)
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return True

    def to_internal_value(self, data: Any) -> Any:
        if self.pk_field is not None:
            data = self.pk_field.to_internal_value(data)
        if "_batch_lookup" in self.__dict__:
            # A many=True list fetched every pk it mentions in one query beforehand.
            from ._engine import batch_lookup

            found = batch_lookup(self, data)
            if found is not None:
                return found
        queryset = self.get_queryset()
        try:
            if isinstance(data, bool):
                raise TypeError
            return _engine.prepared_get(queryset, {"pk": data})
        except ObjectDoesNotExist:
            self.fail("does_not_exist", pk_value=data)
        except (TypeError, ValueError, OverflowError):
            # OverflowError: a float infinity (JSON's 1e999) has no integer value.
            self.fail("incorrect_type", data_type=type(data).__name__)

    def to_representation(self, value: Any) -> Any:
        if self.pk_field is not None:
            return self.pk_field.to_representation(value.pk)
        return value.pk


class HyperlinkedRelatedField(RelatedField):
    """The related object as the URL of its detail view (`view_name`, `lookup_field`)."""

    lookup_field = "pk"
    view_name: str | None = None

    default_error_messages = {
        "required": _("This field is required."),
        "no_match": _("Invalid hyperlink - No URL match."),
        "incorrect_match": _("Invalid hyperlink - Incorrect URL match."),
        "does_not_exist": _("Invalid hyperlink - Object does not exist."),
        "incorrect_type": _("Incorrect type. Expected URL string, received {data_type}."),
    }

    def __init__(self, view_name: str | None = None, **kwargs: Any):
        self.view_name = self.view_name if view_name is None else view_name
        assert self.view_name is not None, "The `view_name` argument is required."
        # The URL's keyword argument is named after the lookup field unless given.
        lookup_field = kwargs.pop("lookup_field", self.lookup_field)
        self.lookup_field, self.lookup_url_kwarg = (
            lookup_field,
            kwargs.pop("lookup_url_kwarg", lookup_field),
        )
        self.format = kwargs.pop("format", None)
        # Kept on the instance so versioning schemes and tests can substitute it.
        from .reverse import reverse

        self.reverse = reverse
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return self.lookup_field == "pk"

    def get_object(self, view_name: str, view_args: Any, view_kwargs: dict) -> Any:
        """The object a resolved URL points at; override for non-standard lookups."""
        lookup_value = view_kwargs[self.lookup_url_kwarg]
        lookup_kwargs = {self.lookup_field: lookup_value}
        queryset = self.get_queryset()
        try:
            return _engine.prepared_get(queryset, lookup_kwargs)
        except ValueError as exc:
            raise ObjectValueError(str(exc)).with_traceback(exc.__traceback__)
        except TypeError as exc:
            raise ObjectTypeError(str(exc)).with_traceback(exc.__traceback__)

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> Any:
        """The URL of `obj`, or None for an unsaved object; override for custom URLs."""
        if hasattr(obj, "pk") and obj.pk in (None, ""):
            return None
        lookup_value = getattr(obj, self.lookup_field)
        kwargs = {self.lookup_url_kwarg: lookup_value}
        return self.reverse(view_name, kwargs=kwargs, request=request, format=format)

    def to_internal_value(self, data: Any) -> Any:
        """The object a hyperlink (an absolute URL or a path) names, if it is this field's view."""
        match = self._resolve_link(data)
        if match.view_name != self._expected_view_name():
            self.fail("incorrect_match")
        try:
            return self.get_object(match.view_name, match.args, match.kwargs)
        except (ObjectDoesNotExist, ObjectValueError, ObjectTypeError):
            self.fail("does_not_exist")

    def _resolve_link(self, data: Any) -> Any:
        """The URL match of a hyperlink; an absolute URL by its path, less the script prefix."""
        try:
            absolute = data.startswith(("http:", "https:"))
        except AttributeError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            path = parse.urlparse(data).path if absolute else data
        except ValueError:  # "http://[::1": an unclosed IPv6 host
            self.fail("no_match")
        prefix = get_script_prefix()
        if absolute and path.startswith(prefix):
            path = "/" + path.removeprefix(prefix)
        try:
            return resolve(uri_to_iri(parse.unquote(path)))
        except (Resolver404, UnicodeError):  # a lone surrogate (JSON's "\ud800") is no URL
            self.fail("no_match")

    def _expected_view_name(self) -> str:
        """This field's view name as the request's versioning scheme has it (if it has one)."""
        request = self.context.get("request")
        try:
            return request.versioning_scheme.get_versioned_viewname(self.view_name, request)
        except AttributeError:
            return self.view_name

    def to_representation(self, value: Any) -> Any:
        assert "request" in self.context, (
            f"`{self.__class__.__name__}` requires the request in the serializer context. "
            "Add `context={'request': request}` when instantiating the serializer."
        )
        request = self.context["request"]
        asked = self.context.get("format")
        # A field with its own format keeps it when the request asked for another one.
        format = self.format if asked and self.format and self.format != asked else asked
        try:
            url = self.get_url(value, self.view_name, request, format)
        except NoReverseMatch:
            raise _unresolvable(self.view_name, value)
        return None if url is None else Hyperlink(url, value)


_NO_REVERSE_MATCH = (
    "Could not resolve URL for hyperlinked relationship using "
    'view name "{view_name}". You may have failed to include the related '
    "model in your API, or incorrectly configured the "
    "`lookup_field` attribute on this field."
)
_EMPTY_LOOKUP_HINT = (
    " WARNING: The value of the field on the model instance was {value}, which may be why "
    "it didn't match any entries in your URL conf."
)


def _unresolvable(view_name: str, value: Any) -> ImproperlyConfigured:
    """The configuration error for a hyperlink that cannot be reversed."""
    message = _NO_REVERSE_MATCH.format(view_name=view_name)
    if value in ("", None):
        shown = "the empty string" if value == "" else "None"
        message += _EMPTY_LOOKUP_HINT.format(value=shown)
    return ImproperlyConfigured(message)


class HyperlinkedIdentityField(HyperlinkedRelatedField):
    """The URL of the object being serialized itself (read-only, `source='*'`)."""

    def __init__(self, view_name: str | None = None, **kwargs: Any):
        assert view_name is not None, "The `view_name` argument is required."
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(view_name, **kwargs)

    def use_pk_only_optimization(self) -> bool:
        # The whole object is at hand already.
        return False


class SlugRelatedField(RelatedField):
    """The related object as one of its attributes (`slug_field`), unique on the target."""

    default_error_messages = {
        "does_not_exist": _("Object with {slug_name}={value} does not exist."),
        "invalid": _("Invalid value."),
    }

    def __init__(self, slug_field: str | None = None, **kwargs: Any):
        assert slug_field is not None, "The `slug_field` argument is required."
        self.slug_field = slug_field
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        queryset = self.get_queryset()
        try:
            return _engine.prepared_get(queryset, {self.slug_field: data})
        except ObjectDoesNotExist:
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        except (TypeError, ValueError):
            self.fail("invalid")

    def to_representation(self, obj: Any) -> Any:
        # `a__b` follows a relation, as in a queryset lookup.
        return attrgetter(self.slug_field.replace("__", "."))(obj)


class ManyRelatedField(_HTMLSelectOptions, Field):
    """A list of related objects, each handled by `child_relation`.

    Made by `many=True` on a related field; to customise it, override `many_init`
    on the related field class.
    """

    initial: Any = []
    default_empty_html: Any = []
    default_error_messages = {
        "not_a_list": _('Expected a list of items but got type "{input_type}".'),
        "empty": _("This list may not be empty."),
    }

    def __init__(self, child_relation: Any = None, *args: Any, **kwargs: Any):
        self.child_relation = child_relation
        self.allow_empty = kwargs.pop("allow_empty", True)
        self._pop_html_cutoff(kwargs)
        assert child_relation is not None, "`child_relation` is a required argument."
        super().__init__(*args, **kwargs)
        self.child_relation.bind(field_name="", parent=self)

    @reads_key_outside_forms
    def get_value(self, dictionary: Any) -> Any:
        # Form input carries a list as repeated keys.
        if html.is_html_input(dictionary):
            if self.field_name not in dictionary and getattr(self.root, "partial", False):
                return empty
            return dictionary.getlist(self.field_name)
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> list:
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        return [self.child_relation.to_internal_value(item) for item in data]

    def get_attribute(self, instance: Any) -> Any:
        # An unsaved instance has no related objects yet.
        if hasattr(instance, "pk") and instance.pk is None:
            return []
        try:
            relationship = get_attribute(instance, self.source_attrs)
        except (KeyError, AttributeError) as exc:
            return self._value_for_missing_attribute(instance, exc)
        return relationship.all() if hasattr(relationship, "all") else relationship

    def to_representation(self, iterable: Any) -> list:
        to_representation = self.child_relation.to_representation
        return [to_representation(value) for value in iterable]

    def get_choices(self, cutoff: int | None = None) -> dict:
        return self.child_relation.get_choices(cutoff)
