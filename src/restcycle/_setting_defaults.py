"""Class attributes whose default comes from `api_settings`, read when accessed.

DRF copies settings into class attributes at import time, so `override_settings`
in a test never reaches them. A `SettingDefault` reads the setting on each
access instead; a subclass attribute or an instance assignment still wins,
exactly as with a plain class attribute.
"""

from __future__ import annotations

from typing import Any

from .settings import api_settings


class SettingDefault:
    """Non-data descriptor: `attr = SettingDefault("PAGE_SIZE")` reads api_settings.PAGE_SIZE."""

    def __init__(self, setting_name: str):
        self.setting_name = setting_name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return getattr(api_settings, self.setting_name)

    def __repr__(self) -> str:
        return f"SettingDefault({self.setting_name!r})"
