"""Python's json module with spec-compliant defaults (DRF's `rest_framework.utils.json`).

`dump`/`dumps` refuse NaN and Infinity unless `allow_nan=True` is passed; `load`/`loads`
refuse the `NaN`/`Infinity` literals unless another `parse_constant` is passed.
Non-standard JSON belongs to a renderer or parser, never to this module's defaults.
"""

from __future__ import annotations

import functools
import json
from json import JSONDecodeError, JSONDecoder, JSONEncoder  # noqa: F401  (re-exported)
from typing import Any


def strict_constant(o: str) -> Any:
    """`parse_constant` hook that rejects the NaN/Infinity literals."""
    raise ValueError("Out of range float values are not JSON compliant: " + repr(o))


@functools.wraps(json.dump)
def dump(*args: Any, **kwargs: Any) -> None:
    kwargs.setdefault("allow_nan", False)
    return json.dump(*args, **kwargs)


@functools.wraps(json.dumps)
def dumps(*args: Any, **kwargs: Any) -> str:
    kwargs.setdefault("allow_nan", False)
    return json.dumps(*args, **kwargs)


@functools.wraps(json.load)
def load(*args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("parse_constant", strict_constant)
    return json.load(*args, **kwargs)


@functools.wraps(json.loads)
def loads(*args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("parse_constant", strict_constant)
    return json.loads(*args, **kwargs)
