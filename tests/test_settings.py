import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from restcycle.settings import APISettings, api_settings


def test_defaults_are_drf_defaults():
    assert api_settings.NON_FIELD_ERRORS_KEY == "non_field_errors"
    assert api_settings.URL_FORMAT_OVERRIDE == "format"
    assert api_settings.PAGE_SIZE is None


def test_override_settings_reloads_api_settings():
    with override_settings(REST_FRAMEWORK={"PAGE_SIZE": 7}):
        assert api_settings.PAGE_SIZE == 7
    assert api_settings.PAGE_SIZE is None


def test_bad_import_string_names_the_setting():
    settings = APISettings({"DEFAULT_RENDERER_CLASSES": ["tests.nowhere.Renderer"]})
    with pytest.raises(ImproperlyConfigured, match="DEFAULT_RENDERER_CLASSES"):
        getattr(settings, "DEFAULT_RENDERER_CLASSES")  # noqa: B009
    with pytest.raises(ImportError):
        getattr(settings, "DEFAULT_RENDERER_CLASSES")  # noqa: B009


def test_unknown_setting_is_an_attribute_error():
    with pytest.raises(AttributeError, match="Invalid API setting"):
        getattr(api_settings, "NOT_A_SETTING")  # noqa: B009


def test_removed_setting_is_refused():
    with pytest.raises(RuntimeError, match="PAGINATE_BY"):
        APISettings({"PAGINATE_BY": 10})


def test_drf_style_dotted_paths_work_without_the_alias():
    settings = APISettings({"EXCEPTION_HANDLER": "rest_framework.exceptions.server_error"})
    from restcycle.exceptions import server_error

    assert settings.EXCEPTION_HANDLER is server_error
