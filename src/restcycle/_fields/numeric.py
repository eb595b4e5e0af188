"""Number fields: IntegerField, FloatField, DecimalField."""

from __future__ import annotations

import decimal
import functools
import math
import re
import warnings
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.encoding import smart_str
from django.utils.formats import localize_input, sanitize_separators
from django.utils.translation import gettext_lazy as _

from ..settings import api_settings
from .base import Field, empty, lazy_format
from .errors import field_error
from .quick import (
    UNDECIDED,
    Rejected,
    mark_own_validators,
    own_validators_intact,
    reject_null,
    uses_base_validation_steps,
)

_VALUE_MESSAGES = {
    "max_value": _("Ensure this value is less than or equal to {max_value}."),
    "min_value": _("Ensure this value is greater than or equal to {min_value}."),
}


_PLAIN_LIMIT_TYPES = (int, float, decimal.Decimal)
_DIGIT = re.compile(r"\d")  # a Unicode decimal digit, as int() and float() accept


def _add_range_validators(field: Field, base: type, user_validators: Any = None) -> None:
    """max_value / min_value as Django validators carrying this field's messages.

    Also prepares the shortcut of `_within_limits`: usable while the validators are just
    these two and the limits are plain numbers (a limit may also be a callable).
    """
    count_before = len(field.validators)
    if field.max_value is not None:
        message = lazy_format(field.error_messages["max_value"], max_value=field.max_value)
        field.validators.append(MaxValueValidator(field.max_value, message=message))
    if field.min_value is not None:
        message = lazy_format(field.error_messages["min_value"], min_value=field.min_value)
        field.validators.append(MinValueValidator(field.min_value, message=message))
    plain_limits = all(
        limit is None or isinstance(limit, _PLAIN_LIMIT_TYPES)
        for limit in (field.max_value, field.min_value)
    )
    # The validators' limits: a max_value/min_value changed later changes nothing.
    field._fast_limits = (field.max_value, field.min_value)
    mark_own_validators(
        field,
        plain_limits and uses_base_validation_steps(type(field), base),
        count_before,
        user_validators,
    )


def _within_limits(field: Any, value: Any) -> bool:
    """Whether the shortcut applies and `value` passes the range checks it stands for."""
    if not own_validators_intact(field) or field.read_only:
        return False
    max_value, min_value = field._fast_limits
    return (max_value is None or value <= max_value) and (min_value is None or value >= min_value)


class IntegerField(Field):
    """An int; integral floats and text like "3" or "3.0" are accepted, "3.5" is not."""

    default_error_messages = {
        "invalid": _("A valid integer is required."),
        **_VALUE_MESSAGES,
        "max_string_length": _("String value too large."),
    }
    MAX_STRING_LENGTH = 1000  # parsing huge digit strings is quadratic: refuse them early
    re_decimal = re.compile(r"\.0*\s*$")  # "1.0" / "1.00 " read as 1
    _output_is_identity_for = (int,)

    def __init__(self, **kwargs: Any):
        self.max_value = kwargs.pop("max_value", None)
        self.min_value = kwargs.pop("min_value", None)
        super().__init__(**kwargs)
        _add_range_validators(self, IntegerField, kwargs.get("validators"))

    def run_validation(self, data: Any = empty) -> Any:
        if data.__class__ is int and _within_limits(self, data):
            return data
        return super().run_validation(data)

    def _quick(self, data: Any) -> Any:
        """Ints and numeric text settled inline; UNDECIDED when the range checks would run."""
        cls = data.__class__
        if cls is int:
            return data if _within_limits(self, data) else UNDECIDED
        if cls is str and len(data) <= self.MAX_STRING_LENGTH:
            if _DIGIT.search(data) is None:  # int() fails on text without a digit
                return Rejected([field_error(self, "invalid")])
            try:
                value = int(self.re_decimal.sub("", data))
            except ValueError:
                return Rejected([field_error(self, "invalid")])
            return value if _within_limits(self, value) else UNDECIDED
        if data is None:
            return reject_null(self)
        return UNDECIDED

    def to_internal_value(self, data: Any) -> int:
        if type(data) is int:
            return data
        if isinstance(data, str) and len(data) > self.MAX_STRING_LENGTH:
            self.fail("max_string_length")
        try:
            return int(self.re_decimal.sub("", str(data)))
        except (ValueError, TypeError):
            self.fail("invalid")

    def to_representation(self, value: Any) -> int:
        """int(value)."""
        return int(value)


class FloatField(Field):
    """A finite float; NaN and infinities are not numbers a client can rely on."""

    default_error_messages = {
        "invalid": _("A valid number is required."),
        **_VALUE_MESSAGES,
        "max_string_length": _("String value too large."),
        "overflow": _("Integer value too large to convert to float"),
    }
    MAX_STRING_LENGTH = 1000
    _output_is_identity_for = (float,)

    def __init__(self, **kwargs: Any):
        self.max_value = kwargs.pop("max_value", None)
        self.min_value = kwargs.pop("min_value", None)
        super().__init__(**kwargs)
        _add_range_validators(self, FloatField, kwargs.get("validators"))

    def run_validation(self, data: Any = empty) -> Any:
        if data.__class__ is float and math.isfinite(data) and _within_limits(self, data):
            return data
        return super().run_validation(data)

    def _quick(self, data: Any) -> Any:
        """Floats and numeric text settled inline; UNDECIDED when the range checks would run."""
        cls = data.__class__
        if cls is float or cls is int or (cls is str and len(data) <= self.MAX_STRING_LENGTH):
            if cls is str and _DIGIT.search(data) is None:
                # Without a digit, float() fails or gives nan/inf: invalid either way.
                return Rejected([field_error(self, "invalid")])
            try:
                value = float(data)
            except ValueError:
                return Rejected([field_error(self, "invalid")])
            except OverflowError:
                return UNDECIDED
            if not math.isfinite(value):
                return Rejected([field_error(self, "invalid")])
            return value if _within_limits(self, value) else UNDECIDED
        if data is None:
            return reject_null(self)
        return UNDECIDED

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, str) and len(data) > self.MAX_STRING_LENGTH:
            self.fail("max_string_length")
        try:
            value = float(data)
        except OverflowError:  # an int too large for a float
            self.fail("overflow")
        except (TypeError, ValueError):
            value = math.nan  # not a number: refused below, as NaN and infinities are
        if not math.isfinite(value):
            self.fail("invalid")
        return value

    def to_representation(self, value: Any) -> float:
        """float(value)."""
        return float(value)


@functools.lru_cache(maxsize=64)
def _quantum(decimal_places: int) -> decimal.Decimal:
    """Decimal('0.01') for 2 places: the exponent quantize() rounds to."""
    return decimal.Decimal(1).scaleb(-decimal_places)


_ROUNDING_MODES = [value for name, value in vars(decimal).items() if name.startswith("ROUND_")]


class DecimalField(Field):
    """A Decimal within `max_digits` / `decimal_places`; output as text unless told otherwise.

    `coerce_to_string` (default: the COERCE_DECIMAL_TO_STRING setting) chooses text or a
    Decimal in the output; `rounding` is the decimal module's rounding mode for
    quantizing; `normalize_output` strips trailing zeros from the output.
    """

    default_error_messages = {
        "invalid": _("A valid number is required."),
        **_VALUE_MESSAGES,
        "max_digits": _("Ensure that there are no more than {max_digits} digits in total."),
        "max_decimal_places": _(
            "Ensure that there are no more than {max_decimal_places} decimal places."
        ),
        "max_whole_digits": _(
            "Ensure that there are no more than {max_whole_digits} digits before the decimal point."
        ),
        "max_string_length": _("String value too large."),
    }
    MAX_STRING_LENGTH = 1000

    def __init__(
        self,
        max_digits: int | None,
        decimal_places: int | None,
        coerce_to_string: bool | None = None,
        max_value: Any = None,
        min_value: Any = None,
        localize: bool = False,
        rounding: str | None = None,
        normalize_output: bool = False,
        **kwargs: Any,
    ):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        self.localize, self.normalize_output = localize, normalize_output
        # Localized output is always text; else an explicit choice beats the setting.
        if localize or coerce_to_string is not None:
            self.coerce_to_string = True if localize else coerce_to_string
        self.max_value, self.min_value = max_value, min_value
        for name, limit in (("max_value", max_value), ("min_value", min_value)):
            if limit is not None and not isinstance(limit, (int, decimal.Decimal)):
                warnings.warn(f"{name} should be an integer or Decimal instance.", stacklevel=2)
        unbounded = max_digits is None or decimal_places is None
        self.max_whole_digits = None if unbounded else max_digits - decimal_places
        super().__init__(**kwargs)
        _add_range_validators(self, DecimalField, kwargs.get("validators"))
        if rounding is not None:
            assert rounding in _ROUNDING_MODES, (
                f"Invalid rounding option {rounding}. Valid values for rounding are: "
                f"{_ROUNDING_MODES}"
            )
        self.rounding = rounding

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if self.allow_null and isinstance(data, str) and data.strip() == "":
            return (True, None)
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> decimal.Decimal:
        if isinstance(data, (list, dict, tuple, set, bool)):
            self.fail("invalid")
        try:
            text = smart_str(data).strip()
        except ValueError:  # an int with more digits than Python will print
            self.fail("max_string_length")
        if self.localize:
            text = sanitize_separators(text)
        if len(text) > self.MAX_STRING_LENGTH:
            self.fail("max_string_length")
        try:
            value = decimal.Decimal(text)
        except (decimal.DecimalException, ValueError, TypeError):
            self.fail("invalid")
        if not value.is_finite():  # NaN, sNaN, Infinity
            self.fail("invalid")
        value = self.validate_precision(value)
        try:
            return self.quantize(value)
        except decimal.InvalidOperation:
            # More digits than the context's precision: only reachable without max_digits.
            self.fail("invalid")

    def validate_precision(self, value: decimal.Decimal) -> decimal.Decimal:
        """Fail when the number has more digits, places or whole digits than allowed."""
        _sign, digits, exponent = value.as_tuple()
        # 1234500 (exponent 2): 7 whole digits; 123.45: 3 + 2 places; 0.001234: 0 + 6 places.
        places = max(0, -exponent)
        whole = max(0, len(digits) + exponent)
        limits = (
            ("max_digits", self.max_digits, whole + places),
            ("max_decimal_places", self.decimal_places, places),
            ("max_whole_digits", self.max_whole_digits, whole),
        )
        for code, limit, found in limits:
            if limit is not None and found > limit:
                self.fail(code, **{code: limit})
        return value

    def to_representation(self, value: Any) -> Any:
        """Quantized to `decimal_places`; text ('{:f}', or localized) unless coercion is off."""
        as_text = getattr(self, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        if value is None:
            return "" if as_text else None
        number = (
            value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value).strip())
        )
        rounded = self.quantize(number)
        shown = rounded.normalize() if self.normalize_output else rounded
        if not as_text:
            return shown
        return localize_input(shown) if self.localize else f"{shown:f}"

    def quantize(self, value: decimal.Decimal) -> decimal.Decimal:
        """Round to `decimal_places` (with `rounding`), in a context of `max_digits` precision."""
        if self.decimal_places is None:
            return value
        context = decimal.getcontext().copy()
        if self.max_digits is not None:
            context.prec = self.max_digits
        quantum = _quantum(self.decimal_places)
        return value.quantize(quantum, rounding=self.rounding, context=context)


class BigIntegerField(IntegerField):
    """An IntegerField that can output text (`coerce_to_string`, default COERCE_BIGINT_TO_STRING).

    Integers beyond 2**53 lose precision in JavaScript clients; text keeps them exact.
    """

    default_error_messages = {"invalid": _("A valid biginteger is required.")}
    _output_is_identity_for = ()  # may output text

    def __init__(self, coerce_to_string: bool | None = None, **kwargs: Any):
        if coerce_to_string is not None:
            self.coerce_to_string = coerce_to_string
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        """int(value), as text when coercion is on."""
        if getattr(self, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING):
            return str(int(value))
        return int(value)
