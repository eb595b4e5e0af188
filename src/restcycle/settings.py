"""`api_settings`: the `REST_FRAMEWORK` setting, with DRF's keys and defaults.

    from restcycle.settings import api_settings
    api_settings.DEFAULT_RENDERER_CLASSES   # classes, imported on first access

Values named in `IMPORT_STRINGS` are dotted paths imported lazily; a path that
does not import raises ImproperlyConfigured naming the setting. The cache is
dropped on Django's `setting_changed`, so `override_settings` works in tests.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from . import ISO_8601

DEFAULTS: dict[str, Any] = {
    # Components of the cycle
    "DEFAULT_RENDERER_CLASSES": [
        "restcycle.renderers.JSONRenderer",
        "restcycle.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "restcycle.parsers.JSONParser",
        "restcycle.parsers.FormParser",
        "restcycle.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "restcycle.authentication.SessionAuthentication",
        "restcycle.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "restcycle.permissions.AllowAny",
    ],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "restcycle.negotiation.DefaultContentNegotiation",
    "DEFAULT_METADATA_CLASS": "restcycle.metadata.SimpleMetadata",
    "DEFAULT_VERSIONING_CLASS": None,
    # Generic views
    "DEFAULT_PAGINATION_CLASS": None,
    "DEFAULT_FILTER_BACKENDS": [],
    # Schemas
    "DEFAULT_SCHEMA_CLASS": "restcycle.schemas.openapi.AutoSchema",
    # Throttling
    "DEFAULT_THROTTLE_RATES": {
        "user": None,
        "anon": None,
    },
    "NUM_PROXIES": None,
    # Pagination
    "PAGE_SIZE": None,
    # Filtering
    "SEARCH_PARAM": "search",
    "ORDERING_PARAM": "ordering",
    # Versioning
    "DEFAULT_VERSION": None,
    "ALLOWED_VERSIONS": None,
    "VERSION_PARAM": "version",
    # Authentication
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "UNAUTHENTICATED_TOKEN": None,
    # View configuration
    "VIEW_NAME_FUNCTION": "restcycle.views.get_view_name",
    "VIEW_DESCRIPTION_FUNCTION": "restcycle.views.get_view_description",
    # Exception handling
    "EXCEPTION_HANDLER": "restcycle.views.exception_handler",
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    # ListSerializer errors as {index: errors} (DRF 3.18); False gives the deprecated list form.
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
    # Testing
    "TEST_REQUEST_RENDERER_CLASSES": [
        "restcycle.renderers.MultiPartRenderer",
        "restcycle.renderers.JSONRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "multipart",
    # Hyperlink settings
    "URL_FORMAT_OVERRIDE": "format",
    "FORMAT_SUFFIX_KWARG": "format",
    "URL_FIELD_NAME": "url",
    # Input and output formats
    "DATE_FORMAT": ISO_8601,
    "DATE_INPUT_FORMATS": [ISO_8601],
    "DATETIME_FORMAT": ISO_8601,
    "DATETIME_INPUT_FORMATS": [ISO_8601],
    "TIME_FORMAT": ISO_8601,
    "TIME_INPUT_FORMATS": [ISO_8601],
    "DURATION_FORMAT": "django",
    # Encoding
    "UNICODE_JSON": True,
    "COMPACT_JSON": True,
    "STRICT_JSON": True,
    "COERCE_DECIMAL_TO_STRING": True,
    "COERCE_BIGINT_TO_STRING": False,
    "UPLOADED_FILES_USE_URL": True,
    # Browsable API
    "HTML_SELECT_CUTOFF": 1000,
    "HTML_SELECT_CUTOFF_TEXT": "More than {count} items...",
    # Schemas
    "SCHEMA_COERCE_PATH_PK": True,
    "SCHEMA_COERCE_METHOD_NAMES": {
        "retrieve": "read",
        "destroy": "delete",
    },
    # restcycle: the cycle tracer. None means "on when settings.DEBUG".
    "TRACE": None,
    # restcycle: query planning (docs/query-planning.md): add the select/prefetch a response
    # reads, and read rows with values() when no field needs a model instance.
    "AUTO_PREFETCH": True,
    "PROJECTION": True,
    # restcycle: run the framework's own lookups (a detail view's object, a related field's
    # pk, a uniqueness check) from SQL compiled once per shape (docs/query-planning.md).
    "PREPARED_LOOKUPS": True,
    # restcycle: run the reference path beside every fast path and raise on any difference
    # (docs/shadow-mode.md); for test suites, never for production traffic.
    "SHADOW": os.environ.get("RESTCYCLE_SHADOW", "") == "1",
    # restcycle: authtoken stores a digest of each new key, never the key
    # (docs/migrating-from-drf.md#tokens-stored-hashed).
    "HASHED_TOKENS": False,
}

# Settings whose values are dotted import paths (or lists of them).
IMPORT_STRINGS = {
    "DEFAULT_RENDERER_CLASSES",
    "DEFAULT_PARSER_CLASSES",
    "DEFAULT_AUTHENTICATION_CLASSES",
    "DEFAULT_PERMISSION_CLASSES",
    "DEFAULT_THROTTLE_CLASSES",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS",
    "DEFAULT_METADATA_CLASS",
    "DEFAULT_VERSIONING_CLASS",
    "DEFAULT_PAGINATION_CLASS",
    "DEFAULT_FILTER_BACKENDS",
    "DEFAULT_SCHEMA_CLASS",
    "EXCEPTION_HANDLER",
    "TEST_REQUEST_RENDERER_CLASSES",
    "UNAUTHENTICATED_USER",
    "UNAUTHENTICATED_TOKEN",
    "VIEW_NAME_FUNCTION",
    "VIEW_DESCRIPTION_FUNCTION",
}

# Settings DRF removed; naming one is a mistake worth an error.
REMOVED_SETTINGS = {
    "PAGINATE_BY",
    "PAGINATE_BY_PARAM",
    "MAX_PAGINATE_BY",
}


class SettingImportError(ImproperlyConfigured, ImportError):
    """A setting names a dotted path that does not import (both kinds, as code catches either)."""


def _importable_path(path: str) -> str:
    """DRF-style `rest_framework.X` paths work without the alias too."""
    import sys

    if path.startswith("rest_framework.") and "rest_framework" not in sys.modules:
        return "restcycle." + path[len("rest_framework.") :]
    return path


def import_from_string(value: str, setting_name: str) -> Any:
    """Import a dotted path, or raise ImproperlyConfigured naming the setting."""
    try:
        module_path, _, attribute = _importable_path(value).rpartition(".")
        if not module_path:
            raise ImportError(f"{value!r} is not a dotted path")
        module = import_module(module_path)
        return getattr(module, attribute)
    except (ImportError, AttributeError) as exc:
        raise SettingImportError(
            f"Could not import '{value}' for API setting '{setting_name}'. "
            f"{exc.__class__.__name__}: {exc}."
        ) from exc


def perform_import(value: Any, setting_name: str) -> Any:
    """Resolve a setting value: a dotted path, a list of them, or already an object."""
    if value is None:
        return None
    if isinstance(value, str):
        return import_from_string(value, setting_name)
    if isinstance(value, (list, tuple)):
        return [perform_import(item, setting_name) for item in value]
    return value


class APISettings:
    """Attribute access to API settings, user values over defaults, imports resolved."""

    def __init__(
        self,
        user_settings: dict[str, Any] | None = None,
        defaults: dict[str, Any] | None = None,
        import_strings: set[str] | None = None,
    ):
        if user_settings:
            self._user_settings = self._check_user_settings(user_settings)
        self.defaults = defaults or DEFAULTS
        self.import_strings = import_strings or IMPORT_STRINGS
        self._cached_attrs: set[str] = set()

    @property
    def user_settings(self) -> dict[str, Any]:
        if not hasattr(self, "_user_settings"):
            self._user_settings = self._check_user_settings(
                getattr(settings, "REST_FRAMEWORK", {}) or {}
            )
        return self._user_settings

    def __getattr__(self, attr: str) -> Any:
        """A setting read once (the project's value, else the default), then kept.

        Import strings become the objects they name. reload() forgets the kept values.
        """
        if attr not in self.defaults:
            raise AttributeError(f"Invalid API setting: '{attr}'")
        user_settings = self.user_settings
        value = user_settings[attr] if attr in user_settings else self.defaults[attr]
        if attr in self.import_strings:
            value = perform_import(value, attr)
        self.__dict__[attr] = value
        self._cached_attrs.add(attr)
        return value

    def _check_user_settings(self, user_settings: dict[str, Any]) -> dict[str, Any]:
        for setting in REMOVED_SETTINGS:
            if setting in user_settings:
                raise RuntimeError(
                    f"The '{setting}' setting has been removed. Please refer to the "
                    "pagination documentation for the available settings."
                )
        return user_settings

    def reload(self) -> None:
        for attr in self._cached_attrs:
            delattr(self, attr)
        self._cached_attrs.clear()
        if hasattr(self, "_user_settings"):
            delattr(self, "_user_settings")
        if self is api_settings:
            # What was derived from the settings goes too, however the reload was asked for.
            for callback in _reload_callbacks:
                callback()


api_settings = APISettings(None, DEFAULTS, IMPORT_STRINGS)

_reload_callbacks: list = []


def on_reload(callback) -> Any:
    """Register `callback()` to run whenever REST_FRAMEWORK changes (caches that depend on it)."""
    _reload_callbacks.append(callback)
    return callback


def reload_api_settings(*args: Any, setting: str, **kwargs: Any) -> None:
    if setting in ("REST_FRAMEWORK", "DEBUG"):
        api_settings.reload()


setting_changed.connect(reload_api_settings)
