"""Class attributes whose default comes from `api_settings`, read when accessed.

DRF copies settings into class attributes at import time, so `override_settings`
in a test never reaches them. A `SettingDefault` reads the setting on each
access instead; a subclass attribute or an instance assignment still wins,
exactly as with a plain class attribute.
"""

from __future__ import annotations

from typing import Any

from .settings import api_settings, on_reload


class SettingDefault:
    """Non-data descriptor: `attr = SettingDefault("PAGE_SIZE")` reads api_settings.PAGE_SIZE."""

    def __init__(self, setting_name: str):
        self.setting_name = setting_name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return getattr(api_settings, self.setting_name)

    def __repr__(self) -> str:
        return f"SettingDefault({self.setting_name!r})"


class RememberedSettingDefault(SettingDefault):
    """A `SettingDefault` read on every request (APIView's component classes).

    The first read stores the setting's value on the defining class as a plain
    attribute, so later reads are ordinary lookups; a settings change (REST_FRAMEWORK,
    through `setting_changed`, or `api_settings.reload()`) puts the descriptor back, so
    the value is never staler than `api_settings` itself.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.owner = owner
        self.name = name
        _remembered.append(self)

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        reloads = _reloads
        value = getattr(api_settings, self.setting_name)
        if reloads == _reloads:  # no reload ran meanwhile (another thread's): not stale
            type.__setattr__(self.owner, self.name, value)
        return value

    def reset(self) -> None:
        type.__setattr__(self.owner, self.name, self)


_remembered: list[RememberedSettingDefault] = []
_reloads = 0


@on_reload
def _forget_remembered() -> None:
    global _reloads
    _reloads += 1
    for default in _remembered:
        default.reset()
