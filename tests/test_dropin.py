"""The drop-in alias: `rest_framework` imports resolve to restcycle, executed under DRF's names.

Each test runs in a fresh interpreter, since the alias must be installed before
anything imports restcycle's modules (this test process imports them natively).
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# Runs once per suite run: it starts its own interpreters and servers.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def assert_runs(code: str) -> str:
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_rest_framework_modules_are_restcycle_modules_named_as_drf():
    assert_runs(
        """
        import restcycle
        restcycle.install_as_rest_framework()
        import rest_framework
        from rest_framework import exceptions, status
        import restcycle.exceptions
        assert rest_framework is restcycle
        assert exceptions.__name__ == "rest_framework.exceptions", exceptions.__name__
        assert restcycle.exceptions is exceptions
        assert exceptions.ValidationError.__module__ == "rest_framework.exceptions"
        assert status.HTTP_418_IM_A_TEAPOT == 418
        """
    )


def test_installing_twice_is_harmless():
    assert_runs(
        """
        import restcycle
        restcycle.install_as_rest_framework()
        restcycle.install_as_rest_framework()
        import rest_framework.status
        """
    )


def test_installing_after_the_real_drf_was_imported_is_a_clear_error():
    output = assert_runs(
        """
        import sys, types
        sys.modules["rest_framework"] = types.ModuleType("rest_framework")
        import restcycle
        from restcycle._alias import AliasInstallError
        try:
            restcycle.install_as_rest_framework()
        except AliasInstallError as error:
            print(error)
        else:
            raise SystemExit("no error")
        """
    )
    assert "after Django REST framework itself was imported" in output


def test_installing_after_restcycle_modules_were_imported_is_a_clear_error():
    output = assert_runs(
        """
        import restcycle.status
        import restcycle
        from restcycle._alias import AliasInstallError
        try:
            restcycle.install_as_rest_framework()
        except AliasInstallError as error:
            print(error)
        """
    )
    assert "already imported: restcycle.status" in output


@pytest.mark.parametrize("setting", ["rest_framework.exceptions.server_error"])
def test_settings_strings_name_drf_modules_under_the_alias(setting):
    assert_runs(
        f"""
        import restcycle
        restcycle.install_as_rest_framework()
        from django.conf import settings
        settings.configure(REST_FRAMEWORK={{"EXCEPTION_HANDLER": "{setting}"}})
        from rest_framework.settings import api_settings
        from rest_framework.exceptions import server_error
        assert api_settings.EXCEPTION_HANDLER is server_error
        """
    )
