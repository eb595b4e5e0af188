"""Serializer fields: each converts one value between Python objects and primitives.

    from restcycle import fields   # or: from rest_framework import fields
    fields.CharField(max_length=100)

The implementation lives in private `_field_*` modules grouped by kind; this
module is the public surface, and every field class is named here (its
`__module__` is this module), so reprs, pickles and docs read `fields.X`.
"""

from django.core.exceptions import ObjectDoesNotExist  # noqa: F401
from django.core.exceptions import ValidationError as DjangoValidationError  # noqa: F401
from django.core.validators import (  # noqa: F401  (DRF's fields module exposes these)
    EmailValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
    URLValidator,
    ip_address_validators,
)
from django.forms import FilePathField as DjangoFilePathField  # noqa: F401
from django.forms import ImageField as DjangoImageField  # noqa: F401

from . import ISO_8601  # noqa: F401
from ._fields.base import (
    MISSING_ERROR_MESSAGE,
    NOT_READ_ONLY_REQUIRED,
    NOT_READ_ONLY_WRITE_ONLY,
    NOT_REQUIRED_DEFAULT,
    REGEX_TYPE,
    USE_READONLYFIELD,
    BuiltinSignatureError,
    CreateOnlyDefault,
    CurrentUserDefault,
    EndOptionGroup,
    Field,
    Option,
    SkipField,
    StartOptionGroup,
    empty,
    flatten_choices_dict,
    get_attribute,
    get_error_detail,
    is_simple_callable,
    iter_options,
    lazy_format,
    set_value,
    to_choices_dict,
)
from ._fields.choice import ChoiceField, FilePathField, MultipleChoiceField
from ._fields.composite import DictField, HStoreField, JSONField, ListField, _UnvalidatedField
from ._fields.misc import (
    FileField,
    HiddenField,
    ImageField,
    ModelField,
    ReadOnlyField,
    SerializerMethodField,
)
from ._fields.numeric import BigIntegerField, DecimalField, FloatField, IntegerField
from ._fields.temporal import DateField, DateTimeField, DurationField, TimeField
from ._fields.text import (
    BooleanField,
    CharField,
    EmailField,
    IPAddressField,
    RegexField,
    SlugField,
    URLField,
    UUIDField,
)
from .exceptions import ErrorDetail, ValidationError  # noqa: F401
from .settings import api_settings  # noqa: F401
from .utils import html, humanize_datetime, representation  # noqa: F401
from .validators import ProhibitSurrogateCharactersValidator  # noqa: F401

for _public in (
    empty, SkipField, BuiltinSignatureError, CreateOnlyDefault, CurrentUserDefault,
    StartOptionGroup, EndOptionGroup, Option, Field, BooleanField, CharField, EmailField,
    RegexField, SlugField, URLField, UUIDField, IPAddressField, IntegerField, FloatField,
    DecimalField, BigIntegerField, DateTimeField, DateField, TimeField, DurationField, ChoiceField,
    MultipleChoiceField, FilePathField, FileField, ImageField, ListField, DictField,
    HStoreField, JSONField, ReadOnlyField, HiddenField, SerializerMethodField, ModelField,
    _UnvalidatedField,
):  # fmt: skip
    _public.__module__ = __name__
del _public

__all__ = [
    "MISSING_ERROR_MESSAGE",
    "NOT_READ_ONLY_REQUIRED",
    "NOT_READ_ONLY_WRITE_ONLY",
    "NOT_REQUIRED_DEFAULT",
    "REGEX_TYPE",
    "USE_READONLYFIELD",
    "BigIntegerField",
    "BooleanField",
    "BuiltinSignatureError",
    "CharField",
    "ChoiceField",
    "CreateOnlyDefault",
    "CurrentUserDefault",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DictField",
    "DurationField",
    "EmailField",
    "EndOptionGroup",
    "Field",
    "FileField",
    "FilePathField",
    "FloatField",
    "HStoreField",
    "HiddenField",
    "IPAddressField",
    "ImageField",
    "IntegerField",
    "JSONField",
    "ListField",
    "ModelField",
    "MultipleChoiceField",
    "Option",
    "ReadOnlyField",
    "RegexField",
    "SerializerMethodField",
    "SkipField",
    "SlugField",
    "StartOptionGroup",
    "TimeField",
    "URLField",
    "UUIDField",
    "empty",
    "flatten_choices_dict",
    "get_attribute",
    "get_error_detail",
    "is_simple_callable",
    "iter_options",
    "lazy_format",
    "set_value",
    "to_choices_dict",
]
