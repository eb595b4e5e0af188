"""Boolean and string-like fields: BooleanField, CharField and its validating variants, UUID."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import (
    EmailValidator,
    MaxLengthValidator,
    MinLengthValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
    URLValidator,
    ip_address_validators,
)
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext_lazy as _

from ..exceptions import ErrorDetail
from ..validators import ProhibitSurrogateCharactersValidator
from .base import Field, empty, lazy_format
from .errors import django_message_text, field_error, validation_error
from .quick import (
    UNDECIDED,
    Rejected,
    mark_own_validators,
    own_validators_intact,
    reject_null,
    uses_base_validation_steps,
)

_SURROGATE = ProhibitSurrogateCharactersValidator._surrogate


def _django_detail(validator: Any, params: dict) -> ErrorDetail:
    """The ErrorDetail of a Django validator's failure (as `get_error_detail` makes it)."""
    text = django_message_text(validator.message, params)
    return ErrorDetail(text, code=validator.code or "invalid")


class BooleanField(Field):
    """True/False from JSON booleans and the usual form/text spellings ('on', 'yes', '1'...)."""

    default_error_messages = {"invalid": _("Must be a valid boolean.")}
    default_empty_html = False  # an unchecked HTML checkbox is simply absent
    initial = False
    # Text is compared in lower case ("tRuE" is true); the other spellings are kept
    # for code that tests membership itself.
    TRUE_VALUES = {"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
                   "on", "On", "ON", "1", 1, True}  # noqa: B033  # fmt: skip
    FALSE_VALUES = {"f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE",
                    "off", "Off", "OFF", "0", 0, 0.0, False}  # noqa: B033  # fmt: skip
    NULL_VALUES = {"null", "Null", "NULL", "", None}
    _output_is_identity_for = (bool,)

    def __init__(self, **kwargs: Any):
        if kwargs.get("allow_null", False):
            self.default_empty_html = None
            self.initial = None
        super().__init__(**kwargs)

    def _quick(self, data: Any) -> Any:
        """JSON booleans and the usual spellings settled inline; anything else UNDECIDED."""
        if data is None:
            return reject_null(self)
        if data is empty:
            return UNDECIDED
        if isinstance(data, str):
            data = data.lower()
        try:
            if data in self.TRUE_VALUES:
                value = True
            elif data in self.FALSE_VALUES:
                value = False
            elif data in self.NULL_VALUES and self.allow_null:
                value = None
            else:
                return Rejected([field_error(self, "invalid", input=data)])
        except TypeError:  # unhashable input (a list, a dict)
            return Rejected([field_error(self, "invalid", input=data)])
        return UNDECIDED if self.validators else value

    def _meaning(self, value: Any) -> Any:
        """True / False (or None, when nullable) for a known spelling of `value`; else _UNKNOWN.

        `value` is compared lower-cased when it is text.
        """
        try:
            for meaning, spellings in ((True, self.TRUE_VALUES), (False, self.FALSE_VALUES)):
                if value in spellings:
                    return meaning
            if self.allow_null and value in self.NULL_VALUES:
                return None
        except TypeError:  # unhashable input (a list, a dict)
            pass
        return _UNKNOWN

    def to_internal_value(self, data: Any) -> bool | None:
        if isinstance(data, str):
            data = data.lower()
        meaning = self._meaning(data)
        if meaning is _UNKNOWN:
            self.fail("invalid", input=data)
        return meaning

    def to_representation(self, value: Any) -> bool | None:
        """A bool; other values through the same spellings, else their truth value."""
        if value is True or value is False:
            return value
        meaning = self._meaning(value.lower() if isinstance(value, str) else value)
        return bool(value) if meaning is _UNKNOWN else meaning


# What BooleanField._meaning() gives for a value that is no spelling of a boolean.
_UNKNOWN = object()


class CharField(Field):
    """Text; numbers are accepted and turned into text, other types are rejected."""

    default_error_messages = {
        "invalid": _("Not a valid string."),
        "blank": _("This field may not be blank."),
        "max_length": _("Ensure this field has no more than {max_length} characters."),
        "min_length": _("Ensure this field has at least {min_length} characters."),
    }
    initial = ""
    _output_is_identity_for = (str,)

    def __init__(self, **kwargs: Any):
        self.allow_blank = kwargs.pop("allow_blank", False)
        self.trim_whitespace = kwargs.pop("trim_whitespace", True)
        self.max_length = kwargs.pop("max_length", None)
        self.min_length = kwargs.pop("min_length", None)
        super().__init__(**kwargs)
        validators = self.validators
        count_before = len(validators)
        self._max_length_validator = self._min_length_validator = None
        if self.max_length is not None:
            message = lazy_format(self.error_messages["max_length"], max_length=self.max_length)
            self._max_length_validator = MaxLengthValidator(self.max_length, message=message)
            validators.append(self._max_length_validator)
        if self.min_length is not None:
            message = lazy_format(self.error_messages["min_length"], min_length=self.min_length)
            self._min_length_validator = MinLengthValidator(self.min_length, message=message)
            validators.append(self._min_length_validator)
        validators.append(ProhibitNullCharactersValidator())
        validators.append(ProhibitSurrogateCharactersValidator())
        plain_limits = all(
            limit is None or type(limit) is int for limit in (self.max_length, self.min_length)
        )
        mark_own_validators(
            self,
            plain_limits and uses_base_validation_steps(type(self), CharField),
            count_before,
            kwargs.get("validators"),
        )
        # A validator a subclass adds for its format (EmailField's, URLField's...).
        self._fast_extra: Any = None

    def _add_format_validator(self, validator: Any) -> None:
        """Append the subclass's own format validator, keeping the shortcut usable."""
        intact = own_validators_intact(self) and self._fast_extra is None
        self.validators.append(validator)
        if intact:
            self._fast_extra = validator
            self._fast_count += 1
            self._fast_last = validator
        else:
            self._fast_count = -1

    def run_validation(self, data: Any = empty) -> Any:
        if data.__class__ is str and not self.read_only:
            result = self._quick(data)
            if result is not UNDECIDED:
                if result.__class__ is Rejected:
                    raise validation_error(result.detail)
                return result
        # Blank input is settled here, so that to_internal_value never sees it.
        if data == "" or (self.trim_whitespace and isinstance(data, str) and data.strip() == ""):
            if not self.allow_blank:
                self.fail("blank")
            return ""
        return super().run_validation(data)

    def _quick(self, data: Any) -> Any:
        """Text checked inline while only the class's own validators are in place.

        Settles valid text, and text failing exactly one check, as the general path
        would; anything else is UNDECIDED.
        """
        if data.__class__ is not str:
            return reject_null(self) if data is None else UNDECIDED
        if not own_validators_intact(self):
            return UNDECIDED
        value = data.strip() if self.trim_whitespace else data
        if not value:
            if self.allow_blank:
                return ""
            return Rejected([field_error(self, "blank")])
        # The limits are the validators' (made at construction): a `max_length` changed
        # later changes nothing, as on the general path.
        shortest = self._min_length_validator
        longest = self._max_length_validator
        if (
            (shortest is not None and len(value) < shortest.limit_value)
            or "\x00" in value
            or (not value.isascii() and _SURROGATE.search(value) is not None)
        ):
            return UNDECIDED
        extra = self._fast_extra
        if longest is not None and len(value) > longest.limit_value:
            return UNDECIDED if extra is not None else Rejected([self._too_long(value)])
        if extra is None:
            return value
        if extra.__class__ is EmailValidator and "@" not in value:
            # Django's EmailValidator rejects such text before anything else.
            return Rejected([_django_detail(extra, {"value": value})])
        try:
            extra(value)
        except DjangoValidationError:
            return UNDECIDED
        return value

    def _too_long(self, value: str) -> ErrorDetail:
        """The error MaxLengthValidator gives for `value` (the only failing check)."""
        validator = self._max_length_validator
        limit = validator.limit_value
        params = {"limit_value": limit, "show_value": len(value), "value": value}
        return _django_detail(validator, params)

    def to_internal_value(self, data: Any) -> str:
        # Numbers read naturally as text; booleans ("true"? "True"?) and containers don't.
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            self.fail("invalid")
        try:
            value = data if type(data) is str else str(data)
        except ValueError:  # an int with more digits than Python will print
            self.fail("invalid")
        return value.strip() if self.trim_whitespace else value

    def to_representation(self, value: Any) -> str:
        """str(value)."""
        return str(value)


class EmailField(CharField):
    default_error_messages = {"invalid": _("Enter a valid email address.")}

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._add_format_validator(EmailValidator(message=self.error_messages["invalid"]))


class RegexField(CharField):
    default_error_messages = {"invalid": _("This value does not match the required pattern.")}

    def __init__(self, regex: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self._add_format_validator(RegexValidator(regex, message=self.error_messages["invalid"]))


class SlugField(CharField):
    default_error_messages = {
        "invalid": _(
            'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'
        ),
        "invalid_unicode": _(
            'Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.'
        ),
    }

    def __init__(self, allow_unicode: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.allow_unicode = allow_unicode
        if allow_unicode:
            validator = RegexValidator(
                re.compile(r"^[-\w]+\Z", re.UNICODE), message=self.error_messages["invalid_unicode"]
            )
        else:
            validator = RegexValidator(
                re.compile(r"^[-a-zA-Z0-9_]+$"), message=self.error_messages["invalid"]
            )
        self._add_format_validator(validator)


class URLField(CharField):
    default_error_messages = {"invalid": _("Enter a valid URL.")}

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._add_format_validator(URLValidator(message=self.error_messages["invalid"]))


class UUIDField(Field):
    """A UUID, read from its text or int form and written as `format` says."""

    valid_formats = ("hex_verbose", "hex", "int", "urn")
    default_error_messages = {"invalid": _("Must be a valid UUID.")}

    def __init__(self, **kwargs: Any):
        self.uuid_format = kwargs.pop("format", "hex_verbose")
        if self.uuid_format not in self.valid_formats:
            raise ValueError(
                'Invalid format for uuid representation. Must be one of "{}"'.format(
                    '", "'.join(self.valid_formats)
                )
            )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> uuid.UUID:
        if isinstance(data, uuid.UUID):
            return data
        try:
            if isinstance(data, int):
                return uuid.UUID(int=data)
            if isinstance(data, str):
                return uuid.UUID(hex=data)
        except ValueError:
            pass
        self.fail("invalid", value=data)

    def to_representation(self, value: Any) -> Any:
        """The UUID in the configured format ('hex_verbose' is the dashed text)."""
        if self.uuid_format == "hex_verbose":
            return str(value)
        return getattr(value, self.uuid_format)


class IPAddressField(CharField):
    """An IPv4 or IPv6 address (`protocol` 'both', 'IPv4' or 'IPv6'); IPv6 is normalised."""

    default_error_messages = {"invalid": _("Enter a valid IPv4 or IPv6 address.")}

    def __init__(self, protocol: str = "both", unpack_ipv4: bool | None = None, **kwargs: Any):
        self.protocol = protocol.lower()
        self.unpack_ipv4 = (self.protocol == "both") if unpack_ipv4 is None else unpack_ipv4
        super().__init__(**kwargs)
        self.validators.extend(ip_address_validators(protocol, self.unpack_ipv4))

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        if ":" not in data or self.protocol not in ("both", "ipv6"):
            return super().to_internal_value(data)
        # An IPv6 address, written in its canonical (compressed) form.
        try:
            return clean_ipv6_address(data, self.unpack_ipv4)
        except DjangoValidationError:
            self.fail("invalid", value=data)
