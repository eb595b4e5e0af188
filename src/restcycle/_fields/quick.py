"""Quick checks: fields settle common input, and common mistakes, without raising.

A field class may define `_quick(data)`, returning the validated value, a `Rejected`
(the errors `run_validation` would raise) or UNDECIDED (run the general path). It is
used only while the field validates exactly as that class does (`quick_check`) and
while its validators are the ones its class installed (`own_validators_intact`), so
the answer is always the general path's.
"""

from __future__ import annotations

from typing import Any

from .._engine import ClassCache
from .errors import field_error

_VALIDATION_STEPS = ("to_internal_value", "validate_empty_values", "run_validators", "fail")
_plain_steps_cache = ClassCache("plain_steps_cache")


def uses_base_validation_steps(cls: type, base: type) -> bool:
    """Whether `cls` converts and validates exactly as `base` does (no step overridden).

    Fields take their shortcuts (valid input settled inline, `_quick`) only then: what a
    shortcut answers is what the general path would give.
    """
    key = (cls, base)
    try:
        return _plain_steps_cache[key]
    except KeyError:
        plain = all(getattr(cls, name) is getattr(base, name) for name in _VALIDATION_STEPS)
        _plain_steps_cache[key] = plain
        return plain


def mark_own_validators(
    field: Any, eligible: bool, count_before: int, user_validators: Any
) -> None:
    """Record whether `field.validators` holds only what the field's class installed.

    The shortcuts check it with `own_validators_intact`: by count and last validator,
    not list identity, so that a field copied with its own list keeps them.
    """
    validators = field.validators
    if eligible and not count_before and not user_validators:
        field._fast_count = len(validators)
        field._fast_last = validators[-1] if validators else None
    else:
        field._fast_count = -1
        field._fast_last = None


def own_validators_intact(field: Any) -> bool:
    """Whether the validators recorded by `mark_own_validators` are still all there are."""
    validators = field.__dict__.get("_validators")
    count = field._fast_count
    return (
        validators is not None
        and len(validators) == count
        and (not count or validators[-1] is field._fast_last)
    )


class Rejected:
    """What a field's quick check returns for input the general path would reject.

    `detail` is the list of ErrorDetail that `run_validation` would raise.
    """

    __slots__ = ("detail",)

    def __init__(self, detail: list):
        self.detail = detail


class _Undecided:
    def __repr__(self) -> str:
        return "UNDECIDED"


# A quick check's answer when it cannot decide: run the general path.
UNDECIDED: Any = _Undecided()

_QUICK_STEPS = ("run_validation", "_quick", *_VALIDATION_STEPS)
_quick_cache = ClassCache("quick_cache")


def quick_check(field: Any) -> Any:
    """The field's `_quick(data)` when its class validates exactly as the class defining it.

    `_quick` returns the validated value, a `Rejected`, or UNDECIDED; the serializer's
    field loop calls it to settle common input without raising. Overriding any
    validation step (`run_validation`, `to_internal_value`, `fail`...) turns it off.
    """
    cls = type(field)
    try:
        usable = _quick_cache[cls]
    except KeyError:
        owner = next((klass for klass in cls.__mro__ if "_quick" in klass.__dict__), None)
        usable = owner is not None and all(
            getattr(cls, name) is getattr(owner, name) for name in _QUICK_STEPS
        )
        _quick_cache[cls] = usable
    return field._quick if usable and not field.read_only else None


def reject_null(field: Any) -> Any:
    """Quick answer for None: the "null" error unless the field allows null."""
    return UNDECIDED if field.allow_null else Rejected([field_error(field, "null")])
