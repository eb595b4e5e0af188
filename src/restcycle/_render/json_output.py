"""JSON for JSONRenderer and JSONParser: orjson's speed with Python json's exact results.

`render_json()` writes the bytes DRF's JSONRenderer writes (json.dumps with DRF's
encoder), and `parse_json()` returns what DRF's JSONParser returns, or raises the
ParseError DRF raises. orjson does the work whenever its result is provably the same;
where it is not (ASCII escaping, long separators, indents other than 2, big integers,
non-string keys, small floats, NaN/Infinity, encoder classes that change more than
`default()`), Python's json module does it, so the output never differs.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from itertools import chain
from typing import Any

import orjson
from django.utils.datastructures import MultiValueDict

from ..exceptions import ParseError
from ..settings import api_settings, on_reload
from ..utils.encoders import JSONEncoder, encode_default
from ..utils.json import strict_constant

SHORT_SEPARATORS = (",", ":")
LONG_SEPARATORS = (", ", ": ")
INDENT_SEPARATORS = (",", ": ")

# Dates and times go to `default` (DRF writes them differently from orjson); so do
# dataclasses (DRF's encoder does not know them).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_ORJSON_INDENT_OPTIONS = _ORJSON_OPTIONS | orjson.OPT_INDENT_2

_UTF8_LINE_SEPARATOR = "\u2028".encode()
_UTF8_PARAGRAPH_SEPARATOR = "\u2029".encode()
_PROBE_UUID = uuid.UUID(int=0x12345678123456781234567812345678)
_NOT_APPLICABLE = object()

# encoder class -> the `default` callable to hand orjson, or None for Python's json.
_fast_defaults: dict[type, Any] = {}


@on_reload
def _clear_caches() -> None:
    _fast_defaults.clear()
    for flag in _setting_flags:
        flag.reset()


class SettingFlag:
    """A class attribute that follows a boolean API setting (JSON's STRICT_JSON and friends).

    Assigning on a subclass or an instance overrides it, as with a plain attribute. The
    first read stores the setting's value on the defining class as a plain attribute, so
    the hot path is an ordinary lookup; a settings change puts the descriptor back.
    """

    def __init__(self, setting: str, negate: bool = False):
        self.setting = setting
        self.negate = negate

    def __set_name__(self, owner: type, name: str) -> None:
        self.owner = owner
        self.name = name
        _setting_flags.append(self)

    def __get__(self, instance: Any, owner: type | None = None) -> bool:
        value = bool(getattr(api_settings, self.setting))
        if self.negate:
            value = not value
        setattr(self.owner, self.name, value)
        return value

    def reset(self) -> None:
        setattr(self.owner, self.name, self)


_setting_flags: list[SettingFlag] = []


def _orjson_default_for(encoder_class: type) -> Any:
    """The conversion orjson should call for `encoder_class`, or None if it cannot be used.

    orjson can stand in for an encoder class only if the class changes nothing but
    `default()`, and writes UUIDs as `str(uuid)` (orjson writes them itself).
    """
    try:
        return _fast_defaults[encoder_class]
    except KeyError:
        pass
    default = None
    if encoder_class is JSONEncoder:
        default = encode_default
    elif isinstance(encoder_class, type) and issubclass(encoder_class, json.JSONEncoder):
        base = json.JSONEncoder
        untouched = all(
            getattr(encoder_class, name) is getattr(base, name)
            for name in ("__init__", "encode", "iterencode")
        )
        if untouched:
            candidate = encoder_class().default
            try:
                probe = candidate(_PROBE_UUID)
            except Exception:
                probe = None
            if probe == str(_PROBE_UUID):
                default = candidate
    _fast_defaults[encoder_class] = default
    return default


def render_json(
    data: Any,
    *,
    encoder_class: type,
    ensure_ascii: bool,
    compact: bool,
    strict: bool,
    indent: Any = None,
) -> bytes:
    """`data` as JSON bytes, byte for byte as DRF's JSONRenderer writes them."""
    if data is None:
        return b""
    if (
        type(data) is dict
        and compact
        and indent is None
        and not ensure_ascii
        and _PLAIN_TYPES.issuperset(map(type, data.values()))
        and _fast_defaults.get(encoder_class) is not None
    ):
        # A flat object of strings, integers, booleans and nulls (a small endpoint's
        # answer, an error body): no float, so neither NaN nor a float form to look for,
        # and no value for `default`; keys that are not strings make orjson refuse.
        try:
            output = orjson.dumps(data)
        except orjson.JSONEncodeError:
            pass
        else:
            if output.find(b"\xe2") != -1:
                output = output.replace(_UTF8_LINE_SEPARATOR, b"\\u2028").replace(
                    _UTF8_PARAGRAPH_SEPARATOR, b"\\u2029"
                )
            return output
    base_default = None
    if not ensure_ascii and (compact or indent is not None):
        if indent is None:
            options = _ORJSON_OPTIONS
        elif type(indent) is int and indent == 2:
            options = _ORJSON_INDENT_OPTIONS
        else:
            options = None
        if options is not None:
            base_default = _orjson_default_for(encoder_class)
    if base_default is None:
        return _render_with_json(data, encoder_class, ensure_ascii, compact, strict, indent)
    data = _with_multi_value_dicts_flattened(data)

    conversions: list[tuple[Any, Any]] = []

    def default(obj: Any) -> Any:
        # Python's json writes float and tuple subclasses itself; orjson asks.
        if isinstance(obj, float):
            return float(obj)
        if isinstance(obj, tuple):
            return list(obj)
        converted = base_default(obj)
        conversions.append((obj, converted))
        return converted

    try:
        output = orjson.dumps(data, default=default, option=options)
    except orjson.JSONEncodeError:
        # Big integers, non-string keys, cycles, deep nesting, or a failing conversion:
        # Python's json gives DRF's result, or DRF's error.
        return _render_with_json(
            data, encoder_class, ensure_ascii, compact, strict, indent, conversions
        )
    if (
        b"null" in output and _contains_non_finite(data, conversions)
    ) or _has_orjson_only_float_form(output):
        return _render_with_json(
            data, encoder_class, ensure_ascii, compact, strict, indent, conversions
        )
    if output.find(b"\xe2") != -1:
        output = output.replace(_UTF8_LINE_SEPARATOR, b"\\u2028").replace(
            _UTF8_PARAGRAPH_SEPARATOR, b"\\u2029"
        )
    return output


def _with_multi_value_dicts_flattened(data: Any) -> Any:
    """A QueryDict renders each key's last value, as Python's json (through `.items()`) does.

    orjson reads a dict subclass's storage, where a MultiValueDict keeps lists. The data
    and, for a dict, its values are looked at, which is where a view echoes `request.data`
    or `query_params` back; one nested deeper keeps its lists (docs/compatibility.md).
    """
    if isinstance(data, MultiValueDict):
        return dict(data.items())
    if type(data) is dict or isinstance(data, dict):
        values = data.values()
        if not _PLAIN_TYPES.issuperset(map(type, values)) and any(
            isinstance(value, MultiValueDict) for value in values
        ):
            return {
                key: dict(value.items()) if isinstance(value, MultiValueDict) else value
                for key, value in data.items()
            }
    return data


def _render_with_json(
    data: Any,
    encoder_class: type,
    ensure_ascii: bool,
    compact: bool,
    strict: bool,
    indent: Any,
    conversions: list[tuple[Any, Any]] | None = None,
) -> bytes:
    """DRF's own way: json.dumps with the encoder class, then U+2028/U+2029 escaped."""
    if indent is None:
        separators = SHORT_SEPARATORS if compact else LONG_SEPARATORS
    else:
        separators = INDENT_SEPARATORS
    options: dict[str, Any] = {}
    if conversions:
        # Reuse what the orjson attempt converted: an iterator can be read only once.
        converted_by_id = {id(obj): converted for obj, converted in conversions}
        encoder_default = encoder_class().default

        def default(obj: Any) -> Any:
            found = converted_by_id.get(id(obj), _NOT_APPLICABLE)
            return encoder_default(obj) if found is _NOT_APPLICABLE else found

        options["default"] = default
    text = json.dumps(
        data,
        cls=encoder_class,
        indent=indent,
        ensure_ascii=ensure_ascii,
        allow_nan=not strict,
        separators=separators,
        **options,
    )
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text.encode()


def _contains_non_finite(data: Any, conversions: list[tuple[Any, Any]]) -> bool:
    """True if a NaN or infinite float is somewhere in `data` (orjson wrote it as null)."""
    isfinite = math.isfinite
    only_plain = _PLAIN_TYPES.issuperset
    only_dicts = _DICT_TYPE.issuperset
    stack = [data]
    if conversions:
        stack.extend(converted for _obj, converted in conversions)
    pop = stack.pop
    push = stack.append
    while stack:
        node = pop()
        node_type = type(node)
        if node_type is dict or isinstance(node, dict):
            values: Any = node.values()
        elif node_type is list or node_type is tuple or isinstance(node, (list, tuple)):
            values = node
            if only_dicts(map(type, node)):
                # A list of rows: all their values in one C-level pass.
                values = list(chain.from_iterable(map(dict.values, node)))
        elif isinstance(node, float):
            if not isfinite(node):
                return True
            continue
        else:
            continue
        # Most containers hold only strings, integers, booleans and None: one C-level pass.
        if only_plain(map(type, values)):
            continue
        for value in values:
            value_type = type(value)
            if value_type is float:
                if not isfinite(value):
                    return True
            elif value_type not in _PLAIN_TYPES:
                push(value)
    return False


_PLAIN_TYPES = frozenset({str, int, bool, type(None)})
_DICT_TYPE = frozenset({dict})


def _has_orjson_only_float_form(output: bytes) -> bool:
    """True if `output` may hold a float that orjson writes unlike Python's repr.

    They differ only below 1e-4: orjson writes `0.00001` and `1e-7` where Python writes
    `1e-05` and `1e-07`. A match inside a string is a false alarm; it only costs speed.
    """
    if _ORJSON_DECIMAL_FORM.search(output) is not None:
        return True
    for match in _NEGATIVE_EXPONENT.finditer(output):
        start, end = match.span()
        # Python always writes two exponent digits (`1e-07`); orjson may write one (`1e-7`).
        if start and output[start - 1] in _DIGITS and output[end : end + 1] not in _DIGIT_BYTES:
            return True
    return False


# Python never writes `0.0000<digit>`: below 1e-4 it switches to exponent form.
_ORJSON_DECIMAL_FORM = re.compile(rb"0\.0000[1-9]")
_NEGATIVE_EXPONENT = re.compile(rb"e-[1-9]")
_DIGITS = frozenset(b"0123456789")
_DIGIT_BYTES = frozenset(bytes([digit]) for digit in b"0123456789")


# ---------------------------------------------------------------------------- parsing

_DIGITS_TO_ZERO = bytes(48 if 48 <= code <= 57 else 32 for code in range(256))
# orjson reads integers beyond 64 bits as floats; Python's json keeps them exact.
_LONG_DIGIT_RUN = b"0" * 19


def _may_hold_big_integer(raw: bytes | str) -> bool:
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return raw.translate(_DIGITS_TO_ZERO).find(_LONG_DIGIT_RUN) != -1


def parse_json(body: bytes | str, encoding: str, strict: bool, is_utf8: bool) -> Any:
    """The value of a JSON body, as Python's json reads it; ParseError if it is not JSON.

    `strict` refuses the NaN/Infinity literals. `is_utf8` says `encoding` is UTF-8, so
    the bytes can go to orjson undecoded.
    """
    text: str | None = body if isinstance(body, str) else None
    if text is None and not is_utf8:
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
    source = body if text is None else text
    if not _may_hold_big_integer(source):
        try:
            return orjson.loads(source)
        except orjson.JSONDecodeError:
            pass  # Python's json decides, and words the error as DRF does.
    try:
        if text is None:
            text = body.decode(encoding)
        return json.loads(text, parse_constant=strict_constant if strict else None)
    except RecursionError:
        raise ParseError("JSON parse error - maximum nesting depth exceeded") from None
    except ValueError as exc:
        raise ParseError(f"JSON parse error - {exc}") from exc
