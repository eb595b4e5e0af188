"""Where a piece of code comes from, for `manage.py explain`: framework, third-party, project.

"framework" is restcycle itself, under either name (`restcycle.X` or, with the drop-in alias,
`rest_framework.X`); "third-party" is any module installed in site-packages; anything else is
the project's own code, which is what explain marks as replacing the framework's default.
"""

from __future__ import annotations

import sys
from typing import Any

FRAMEWORK_PACKAGES = ("restcycle", "rest_framework")
FRAMEWORK, THIRD_PARTY, PROJECT = "framework", "third-party", "project"


def module_origin(module_name: str | None) -> str:
    """`framework`, `third-party` or `project` for a dotted module name."""
    module_name = module_name or ""
    if module_name.partition(".")[0] in FRAMEWORK_PACKAGES:
        return FRAMEWORK
    module = sys.modules.get(module_name)
    filename = getattr(module, "__file__", None) or ""
    if "site-packages" in filename or "dist-packages" in filename or module_name == "builtins":
        return THIRD_PARTY
    return PROJECT


def display_name(obj: Any) -> str:
    """The qualified name, or the plain name for a class made inside a function."""
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if qualname is None:
        return type(obj).__name__
    if "<locals>" in qualname:
        return getattr(obj, "__name__", qualname)
    return qualname


def code_ref(obj: Any) -> dict[str, str] | None:
    """`{"name", "path", "origin"}` for a class or function; None for None."""
    if obj is None:
        return None
    if not (isinstance(obj, type) or callable(obj)):
        obj = type(obj)
    module = getattr(obj, "__module__", None) or ""
    name = display_name(obj)
    return {
        "name": name,
        "path": f"{module}.{name}" if module else name,
        "origin": module_origin(module),
    }


def defining_class(cls: type, name: str) -> type | None:
    """The class in `cls`'s MRO whose body defines `name` (the one Python's lookup finds)."""
    for klass in getattr(cls, "__mro__", ()):
        if name in vars(klass):
            return klass
    return None


def method_point(cls: type, name: str, on: str, stage: str, runs: bool | None) -> dict | None:
    """An override point: which class in the MRO defines `cls.name`; None if nothing does."""
    owner = defining_class(cls, name)
    if owner is None:
        return None
    ref = code_ref(owner)
    return {
        "stage": stage,
        "on": on,
        "class": code_ref(cls)["path"],
        "method": name,
        "defined_by": ref,
        "overridden": ref["origin"] != FRAMEWORK,
        "runs": runs,
    }


def same_setting_value(value: Any, setting_value: Any) -> bool:
    """True when a view attribute holds what the setting holds (lists compared item by item)."""
    if isinstance(value, (list, tuple)) and isinstance(setting_value, (list, tuple)):
        return len(value) == len(setting_value) and all(
            a is b or a == b for a, b in zip(value, setting_value)
        )
    return value is setting_value or value == setting_value
