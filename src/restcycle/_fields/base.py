"""The `Field` base class and the helpers every field and serializer shares.

Public names here are re-exported by `fields.py`, which is what users import.
A field converts one value in two directions: `to_representation` (object →
primitive, for output) and `to_internal_value` (primitive → Python, for input),
plus the surrounding protocol — binding to a parent, reading its value out of
the input data or the instance, defaults, empty values, validators, errors.
"""

from __future__ import annotations

import copy
import functools
import inspect
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from .._engine import ClassCache
from ..exceptions import ErrorDetail, ValidationError
from ..utils import html, representation
from .errors import (  # noqa: F401  re-exported: fields.py and DRF's names
    MISSING_ERROR_MESSAGE,
    field_error,
    get_error_detail,
    lazy_format,
    validation_error,
)


class empty:
    """Marks "no value given": distinct from None, which is a value."""


class SkipField(Exception):
    """Raised to leave a field out of the output or of validated data."""


class BuiltinSignatureError(Exception):
    """A builtin was reached through `source`; its signature cannot be inspected."""


REGEX_TYPE = type(re.compile(""))

NOT_READ_ONLY_WRITE_ONLY = "May not set both `read_only` and `write_only`"
NOT_READ_ONLY_REQUIRED = "May not set both `read_only` and `required`"
NOT_REQUIRED_DEFAULT = "May not set both `required` and `default`"
USE_READONLYFIELD = "Field(read_only=True) should be ReadOnlyField"

# Field arguments that say how a field is used rather than what it accepts: a `many=True`
# wrapper (ListSerializer, ManyRelatedField) takes them over from its child.
WRAPPER_FIELD_ARGUMENTS = (
    "read_only",
    "write_only",
    "required",
    "default",
    "initial",
    "source",
    "label",
    "help_text",
    "style",
    "error_messages",
)

# --- attribute access ------------------------------------------------------------------

# Whether a function needs no arguments depends only on its code and defaults, so the
# answer is cached per function object (bound methods are keyed by their function).
_no_argument_cache: dict[Any, bool] = {}


def _takes_no_required_arguments(func: Any) -> bool:
    for param in inspect.signature(func).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.default is param.empty:
            return False
    return True


def is_simple_callable(obj: Any) -> bool:
    """True for a function or method that can be called with no arguments."""
    if not callable(obj):
        return False
    if inspect.isbuiltin(obj):
        raise BuiltinSignatureError(
            "Built-in function signatures are not inspectable. "
            "Wrap the function call in a simple, pure Python function."
        )
    if inspect.ismethod(obj):
        key = (obj.__func__, True)
    elif inspect.isfunction(obj):
        key = (obj, False)
    elif isinstance(obj, functools.partial):
        return _takes_no_required_arguments(obj)
    else:
        return False
    try:
        return _no_argument_cache[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable function object: rare, just compute
        return _takes_no_required_arguments(obj)
    result = _takes_no_required_arguments(obj)
    if len(_no_argument_cache) < 4096:
        _no_argument_cache[key] = result
    return result


def get_attribute(instance: Any, attrs: list[str]) -> Any:
    """Follow `attrs` from `instance` (keys of mappings, attributes otherwise).

    No-argument callables met on the way are called. A missing related object gives
    None; None part-way along the chain is a missing attribute (AttributeError), so
    that the field's default / allow_null / required decide, as for any missing value.
    """
    for attr in attrs:
        try:
            instance = instance[attr] if isinstance(instance, Mapping) else getattr(instance, attr)
        except ObjectDoesNotExist:
            return None
        if is_simple_callable(instance):
            instance = _call_source(instance, attr)
    return instance


def _call_source(method: Any, attr: str) -> Any:
    """Call a no-argument method met on a source path.

    Its AttributeError/KeyError is re-raised as ValueError, so that it is not taken for a
    missing attribute (which would quietly make the field absent).
    """
    try:
        return method()
    except (AttributeError, KeyError) as exc:
        raise ValueError(
            f'Exception raised in callable attribute "{attr}"; original exception was: {exc}'
        ) from exc


def set_value(dictionary: dict, keys: list[str], value: Any) -> None:
    """Set `value` at the nested path `keys`, creating dicts on the way; [] merges."""
    if not keys:
        dictionary.update(value)
        return
    *parents, last = keys
    target = functools.reduce(lambda node, key: node.setdefault(key, {}), parents, dictionary)
    target[last] = value


# --- choices ---------------------------------------------------------------------------


def to_choices_dict(choices: Any) -> dict:
    """Choices (values, (value, label) pairs, or named groups of pairs) as a nested dict."""
    result: dict = {}
    for choice in choices:
        if not isinstance(choice, (list, tuple)):
            result[choice] = choice
            continue
        key, value = choice
        result[key] = to_choices_dict(value) if isinstance(value, (list, tuple)) else value
    return result


def flatten_choices_dict(choices: dict) -> dict:
    """Groups dissolved: one `{value: label}` level."""
    result: dict = {}
    for key, value in choices.items():
        if isinstance(value, dict):
            result.update(value)
        else:
            result[key] = value
    return result


class StartOptionGroup:
    start_option_group = True
    end_option_group = False

    def __init__(self, label: Any):
        self.label = label


class EndOptionGroup:
    start_option_group = False
    end_option_group = True


class Option:
    start_option_group = False
    end_option_group = False

    def __init__(self, value: Any, display_text: Any, disabled: bool = False):
        self.value = value
        self.display_text = display_text
        self.disabled = disabled


def _option_events(grouped_choices: dict):
    """Every choice in order, a named group bracketed by its start and end markers."""
    for key, value in grouped_choices.items():
        if not isinstance(value, dict):
            yield Option(value=key, display_text=value)
            continue
        yield StartOptionGroup(label=key)
        yield from (Option(value=sub_key, display_text=label) for sub_key, label in value.items())
        yield EndOptionGroup()


def iter_options(grouped_choices: dict, cutoff: int | None = None, cutoff_text: Any = None):
    """Options for an HTML select, group markers included, at most `cutoff` of them.

    Once `cutoff` options are out, the open group (if any) is still closed, then the
    disabled `cutoff_text` option ends the list.
    """
    shown = 0
    for event in _option_events(grouped_choices):
        full = bool(cutoff) and shown >= cutoff
        if isinstance(event, Option):
            if full:
                continue  # skip to the end of the open group (or of the list)
            shown += 1
        elif full and event.start_option_group:
            break
        yield event
        if full and event.end_option_group:
            break
    if cutoff and shown >= cutoff and cutoff_text:
        yield Option(value="n/a", display_text=cutoff_text.format(count=cutoff), disabled=True)


# --- defaults --------------------------------------------------------------------------


class CreateOnlyDefault:
    """A default used on create only; on update the field is left out."""

    requires_context = True

    def __init__(self, default: Any):
        self.default = default

    def __call__(self, serializer_field: Field) -> Any:
        if serializer_field.parent.instance is not None:
            raise SkipField()
        if callable(self.default):
            if getattr(self.default, "requires_context", False):
                return self.default(serializer_field)
            return self.default()
        return self.default

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.default!r})"


class CurrentUserDefault:
    """The requesting user (`context['request'].user`), e.g. for HiddenField owners."""

    requires_context = True

    def __call__(self, serializer_field: Field) -> Any:
        return serializer_field.context["request"].user

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# --- fast validation paths --------------------------------------------------------------

_empty_steps_cache = ClassCache("empty_steps_cache")


def reads_key_outside_forms(get_value: Any) -> Any:
    """Mark a `get_value` that, for input other than form data, is `data.get(name, empty)`.

    Compiled validation then reads the key itself, without the serializer's bound fields.
    A subclass overriding `get_value` drops the mark, and so the shortcut.
    """
    get_value._reads_key_outside_forms = True
    return get_value


def _empty_steps_are_base(cls: type) -> bool:
    try:
        return _empty_steps_cache[cls]
    except KeyError:
        plain = (
            cls.validate_empty_values is Field.validate_empty_values
            and cls.run_validators is Field.run_validators
        )
        _empty_steps_cache[cls] = plain
        return plain


# --- Field -----------------------------------------------------------------------------


def _class_error_messages(cls: type) -> dict:
    """`default_error_messages` of the class and its bases merged (subclasses win), cached."""
    cached = cls.__dict__.get("_merged_error_messages")
    if cached is not None:
        return cached
    merged: dict = {}
    for klass in reversed(cls.__mro__):
        merged.update(klass.__dict__.get("default_error_messages", {}))
    cls._merged_error_messages = merged
    return merged


_default_states = ClassCache("default_states")
_field_init_cache = ClassCache("field_init_cache")


def field_init_follows(cls: type, caller: type) -> bool:
    """Whether `super().__init__` from `caller` (a base of `cls`) just runs `Field.__init__`.

    Then `init_with_defaults` may stand in for it (attributes set without `__setattr__`).
    """
    key = (cls, caller)
    try:
        return _field_init_cache[key]
    except KeyError:
        mro = cls.__mro__
        after = mro[mro.index(caller) + 1 :]
        owner = next(klass for klass in after if "__init__" in klass.__dict__)
        follows = owner is Field and cls.__setattr__ is object.__setattr__
        _field_init_cache[key] = follows
        return follows


def init_with_defaults(field: Field) -> None:
    """Do what `Field.__init__(field)` with no arguments does, from a per-class template.

    Serializers are built once per request with no field options; copying the
    resulting state is much cheaper than running the checks of `__init__` again.
    """
    cls = type(field)
    template = _default_states.get(cls)
    if template is None:
        probe = object.__new__(cls)
        Field.__init__(probe)
        template = dict(probe.__dict__)
        del template["_creation_counter"]
        _default_states[cls] = template
    field._creation_counter = Field._creation_counter
    Field._creation_counter += 1
    field.__dict__.update(template)
    field.style = {}
    field.error_messages = dict(template["error_messages"])


def _errors_of(validator: Any, value: Any, field: Any) -> Any:
    """The errors `validator` finds in `value` (none when it passes).

    A dict of errors is structured already (a nested serializer's) and propagates as is.
    """
    args = (value, field) if getattr(validator, "requires_context", False) else (value,)
    try:
        validator(*args)
    except ValidationError as exc:
        if isinstance(exc.detail, dict):
            raise
        return exc.detail
    except DjangoValidationError as exc:
        return get_error_detail(exc)
    return ()


class Field:
    """Base of every serializer field (and of serializers themselves).

    Subclasses implement `to_representation` and `to_internal_value`, and may add
    `default_error_messages`; everything else (binding, empty values, defaults,
    validators, errors) is handled here.
    """

    _creation_counter = 0

    default_error_messages = {
        "required": _("This field is required."),
        "null": _("This field may not be null."),
    }
    default_validators: list = []
    default_empty_html: Any = empty
    initial: Any = None
    # Exact types for which to_representation returns its input unchanged; serializer
    # plans skip the call for such values (only if the subclass keeps the method).
    _output_is_identity_for: tuple[type, ...] = ()

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        return cls

    def __new__(cls, *args: Any, **kwargs: Any) -> Field:
        # The constructor arguments are kept for __deepcopy__ and for repr().
        instance = super().__new__(cls)
        instance._args = args
        instance._kwargs = kwargs
        return instance

    def __init__(
        self,
        *,
        read_only: bool = False,
        write_only: bool = False,
        required: bool | None = None,
        default: Any = empty,
        initial: Any = empty,
        source: str | None = None,
        label: str | None = None,
        help_text: str | None = None,
        style: dict | None = None,
        error_messages: dict | None = None,
        validators: list | None = None,
        allow_null: bool = False,
    ):
        self._creation_counter = Field._creation_counter
        Field._creation_counter += 1

        if required is None:
            required = default is empty and not read_only
        assert not (read_only and write_only), NOT_READ_ONLY_WRITE_ONLY
        assert not (read_only and required), NOT_READ_ONLY_REQUIRED
        assert not (required and default is not empty), NOT_REQUIRED_DEFAULT
        assert not (read_only and type(self) is Field), USE_READONLYFIELD

        self.read_only = read_only
        self.write_only = write_only
        self.required = required
        self.default = default
        self.source = source
        self.initial = self.initial if initial is empty else initial
        self.label = label
        self.help_text = help_text
        self.style = {} if style is None else style
        self.allow_null = allow_null

        # Fields with an HTML-specific meaning for "absent" (an unchecked checkbox is
        # False) use their default instead, when one is given.
        if self.default_empty_html is not empty and default is not empty:
            self.default_empty_html = default

        if validators is not None:
            self.validators = list(validators)

        self.field_name: str | None = None
        self.parent: Any = None

        messages = _class_error_messages(type(self))
        if error_messages:
            messages = {**messages, **error_messages}
        else:
            messages = dict(messages)
        self.error_messages = messages

    # -- binding ------------------------------------------------------------------------

    def bind(self, field_name: str, parent: Any) -> None:
        """Attach the field to its parent under `field_name`; derive label and source."""
        assert self.source != field_name, (
            f"It is redundant to specify `source='{field_name}'` on field "
            f"'{type(self).__name__}' in serializer '{type(parent).__name__}', because it "
            "is the same as the field name. Remove the `source` keyword argument."
        )
        self.field_name = field_name
        self.parent = parent
        if self.label is None:
            self.label = field_name.replace("_", " ").capitalize()
        if self.source is None:
            self.source = field_name
        self.source_attrs = [] if self.source == "*" else self.source.split(".")

    @property
    def root(self) -> Any:
        """The top-level serializer this field belongs to (itself when unbound)."""
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def context(self) -> dict:
        """The context passed to the root serializer."""
        return getattr(self.root, "_context", {})

    # -- validators ---------------------------------------------------------------------

    @property
    def validators(self) -> list:
        try:
            return self._validators
        except AttributeError:
            self._validators = self.get_validators()
            return self._validators

    @validators.setter
    def validators(self, validators: list) -> None:
        self._validators = validators

    def get_validators(self) -> list:
        return list(self.default_validators)

    # -- reading values -----------------------------------------------------------------

    def get_initial(self) -> Any:
        """The value an empty form shows for this field."""
        if callable(self.initial):
            return self.initial()
        return self.initial

    @reads_key_outside_forms
    def get_value(self, dictionary: Any) -> Any:
        """This field's raw input from the incoming data, or `empty` when absent."""
        if not html.is_html_input(dictionary):
            return dictionary.get(self.field_name, empty)
        # A form cannot send "absent" or null: a missing input is the HTML default (or
        # absent, in a partial update), and a blank one may stand for null or absent.
        if self.field_name not in dictionary:
            return empty if getattr(self.root, "partial", False) else self.default_empty_html
        value = dictionary[self.field_name]
        if value != "" or getattr(self, "allow_blank", False):
            return value
        if self.allow_null:
            return None
        return "" if self.required else empty

    def get_attribute(self, instance: Any) -> Any:
        """This field's value on the object being serialized (following `source`)."""
        try:
            return get_attribute(instance, self.source_attrs)
        except BuiltinSignatureError as exc:
            raise type(exc)(
                f"Field source for `{type(self.parent).__name__}.{self.field_name}` maps to a "
                "built-in function type and is invalid. Define a property or method on the "
                f"`{type(instance).__name__}` instance that wraps the call to the built-in "
                "function."
            )
        except (KeyError, AttributeError) as exc:
            return self._value_for_missing_attribute(instance, exc)

    def _value_for_missing_attribute(self, instance: Any, exc: Exception) -> Any:
        """The default (or None, or SkipField) when `source` is missing; else a clear error."""
        if self.default is not empty:
            return self.get_default()
        if self.allow_null:
            return None
        if not self.required:
            raise SkipField()
        raise type(exc)(
            f"Got {type(exc).__name__} when attempting to get a value for field "
            f"`{self.field_name}` on serializer `{type(self.parent).__name__}`.\n"
            "The serializer field might be named incorrectly and not match any "
            f"attribute or key on the `{type(instance).__name__}` instance.\n"
            f"Original exception text was: {exc}."
        )

    def get_default(self) -> Any:
        """The default for a missing value; SkipField when there is none (or on partial)."""
        if self.default is empty or getattr(self.root, "partial", False):
            raise SkipField()
        if callable(self.default):
            if getattr(self.default, "requires_context", False):
                return self.default(self)
            return self.default()
        return self.default

    # -- validation ---------------------------------------------------------------------

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        """(True, value) when `data` is empty/None and validation stops here, else (False, data)."""
        if self.read_only:
            return (True, self.get_default())
        if data is None:
            if not self.allow_null:
                self.fail("null")
            # A nullable `source='*'` field still runs, so that it can map None itself.
            return (self.source != "*", None)
        if data is not empty:
            return (False, data)
        # Omitted: a partial update leaves it out, a required one is an error, else its default.
        if getattr(self.root, "partial", False):
            raise SkipField()
        if self.required:
            self.fail("required")
        return (True, self.get_default())

    def run_validation(self, data: Any = empty) -> Any:
        """Convert and validate one incoming value; raises ValidationError or SkipField."""
        if (
            data is not None
            and data is not empty
            and not self.read_only
            and _empty_steps_are_base(type(self))
        ):
            # What validate_empty_values would conclude for a present, non-null value.
            value = self.to_internal_value(data)
            if self.validators:
                self.run_validators(value)
            return value
        is_empty_value, data = self.validate_empty_values(data)
        if is_empty_value:
            return data
        value = self.to_internal_value(data)
        self.run_validators(value)
        return value

    def run_validators(self, value: Any) -> None:
        """Run every validator, collecting all their errors into one ValidationError."""
        validators = self.validators
        if not validators:
            return
        errors = [error for validator in validators for error in _errors_of(validator, value, self)]
        if errors:
            if all(error.__class__ is ErrorDetail for error in errors):
                raise validation_error(errors)
            raise ValidationError(errors)

    def to_internal_value(self, data: Any) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__}.to_internal_value() must be implemented for field "
            f"{self.field_name}. If you do not need to support write operations you probably "
            "want to subclass `ReadOnlyField` instead."
        )

    def to_representation(self, value: Any) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__}.to_representation() must be implemented for field "
            f"{self.field_name}."
        )

    def fail(self, key: str, **kwargs: Any) -> None:
        """Raise the ValidationError for error `key`, its message formatted with kwargs."""
        detail = field_error(self, key, **kwargs)
        raise validation_error([detail], str(detail))

    # -- copying and display ------------------------------------------------------------

    def __deepcopy__(self, memo: dict) -> Field:
        """A fresh, unbound field built from the same arguments (validators/regex shared)."""
        args = [
            arg if isinstance(arg, REGEX_TYPE) else copy.deepcopy(arg, memo) for arg in self._args
        ]
        kwargs = {
            key: value if key in ("validators", "regex") else copy.deepcopy(value, memo)
            for key, value in self._kwargs.items()
        }
        return type(self)(*args, **kwargs)

    def __repr__(self) -> str:
        return representation.field_repr(self)
