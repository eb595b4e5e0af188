"""The drop-in alias: `rest_framework` imports resolve to restcycle, executed under DRF's names.

Each test runs in a fresh interpreter, since the alias must be installed before
anything imports restcycle's modules (this test process imports them natively).
"""

import importlib.metadata
import json
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from tests._services import skip_unless_required

# Runs once per suite run: it starts its own interpreters and servers.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parent.parent


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def drf_version_tested_against() -> str:
    """The DRF release whose suite restcycle runs (the dev extra pins it)."""
    for requirement in PYPROJECT["project"]["optional-dependencies"]["dev"]:
        match = re.fullmatch(r"djangorestframework==([\d.]+)", requirement)
        if match:
            return match.group(1)
    raise AssertionError("pyproject.toml's dev extra pins no djangorestframework version")


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
        assert rest_framework.__path__ == restcycle.__path__
        assert rest_framework.exceptions is exceptions
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


def test_under_the_alias_rest_framework_reports_the_drf_version_restcycle_implements():
    drf_version = drf_version_tested_against()
    output = assert_runs(
        """
        import restcycle
        restcycle.install_as_rest_framework()
        import rest_framework
        from rest_framework import VERSION, status
        import restcycle.status
        # How ecosystem packages gate behaviour (drf-spectacular, drf-standardized-errors):
        drf = tuple(int(part) for part in rest_framework.VERSION.split(".")[:2])
        assert drf >= (3, 17), drf
        assert rest_framework.status is status is restcycle.status
        assert rest_framework.ISO_8601 == "iso-8601"
        print(VERSION, rest_framework.__version__, restcycle.__version__, restcycle.VERSION)
        """
    )
    ours = PYPROJECT["project"]["version"]
    assert output.split() == [drf_version, drf_version, ours, ours]


def test_without_the_alias_restcycle_reports_its_own_version():
    output = assert_runs(
        """
        import restcycle
        print(restcycle.__version__, restcycle.VERSION, restcycle.DRF_API_VERSION)
        """
    )
    ours = PYPROJECT["project"]["version"]
    assert output.split() == [ours, ours, drf_version_tested_against()]


# Another meta-path finder that maps `rest_framework` names, as an environment's alias
# layer does: it answers for `rest_framework.X` with the file `restcycle.X` is found at,
# asking every finder (importlib.util.find_spec) where that is.
ALIAS_LAYER = """
import importlib.abc, importlib.util, sys

class AliasLayer(importlib.abc.MetaPathFinder):
    asked = 0

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("rest_framework."):
            return None
        AliasLayer.asked += 1
        found = importlib.util.find_spec("restcycle" + fullname[len("rest_framework"):])
        if found is None or found.origin is None:
            return None
        return importlib.util.spec_from_file_location(
            fullname, found.origin, submodule_search_locations=found.submodule_search_locations
        )
"""


@pytest.mark.parametrize("position", ["before", "after"])
def test_the_import_hook_does_not_loop_with_another_finder_mapping_rest_framework_names(position):
    output = assert_runs(
        ALIAS_LAYER
        + f"""
import restcycle
restcycle.install_as_rest_framework()
layer = AliasLayer()
sys.meta_path.insert({0 if position == "before" else 1}, layer)

import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth",
                    "rest_framework", "rest_framework.authtoken"],
    DATABASES={{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}}},
)
django.setup()
from rest_framework import serializers
import restcycle.serializers, restcycle.utils.encoders
from rest_framework.utils import encoders
assert restcycle.serializers is serializers, (restcycle.serializers, serializers)
assert restcycle.utils.encoders is encoders
assert serializers.__name__ == "rest_framework.serializers"
print(AliasLayer.asked > 0, serializers.CharField(max_length=3).run_validation("abc"))
"""
    )
    assert output.split() == ["True", "abc"]


# With the real DRF installed beside restcycle: the alias answers, and no file of DRF's
# installation is ever opened (an audit hook sees every file Python or Django opens).
DRF_BESIDE = """
import json, pathlib, sys, types
drf_dir = pathlib.Path(sys.argv[1]).resolve()
opened = []

def watch(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, pathlib.Path)):
        path = pathlib.Path(args[0].decode() if isinstance(args[0], bytes) else args[0])
        if path.resolve().is_relative_to(drf_dir):
            opened.append(str(path))

sys.addaudithook(watch)

import restcycle
restcycle.install_as_rest_framework()

import django
from django.conf import settings
settings.configure(
    DEBUG=True,
    SECRET_KEY="x",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF="beside_urls",
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth",
                    "django.contrib.sessions", "django.contrib.staticfiles",
                    "rest_framework", "rest_framework.authtoken"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}],
    STATIC_URL="/static/",
    REST_FRAMEWORK={"DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication"]},
)
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)

from django.contrib.auth.models import User
from django.urls import path
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


urls = types.ModuleType("beside_urls")
urls.urlpatterns = [path("users/", generics.ListAPIView.as_view(
    queryset=User.objects.order_by("id"), serializer_class=UserSerializer))]
sys.modules["beside_urls"] = urls

user = User.objects.create_user("ann")
token = Token.objects.create(user=user)
client = APIClient()
client.credentials(HTTP_AUTHORIZATION="Token " + token.key)
as_json = client.get("/users/").json()
as_html = client.get("/users/", HTTP_ACCEPT="text/html")
import rest_framework
print(json.dumps({
    "json": as_json,
    "html_status": as_html.status_code,
    "html_has_data": "ann" in as_html.content.decode(),
    "version": rest_framework.VERSION,
    "opened": opened,
    "modules": {name: getattr(module, "__file__", None) for name, module in sys.modules.items()
                if name == "rest_framework" or name.startswith("rest_framework.")},
}))
"""


def test_with_the_real_drf_installed_beside_the_alias_wins_and_drfs_code_never_runs():
    try:
        drf = importlib.metadata.distribution("djangorestframework")
    except importlib.metadata.PackageNotFoundError:
        skip_unless_required("djangorestframework is not installed (pip install -e '.[dev]')")
    drf_dir = Path(drf.locate_file("rest_framework")).resolve()
    assert (drf_dir / "__init__.py").exists()
    # The interpreter's own site-packages is on the path: `import rest_framework` without
    # the alias would be DRF's.
    result = subprocess.run(
        [sys.executable, "-c", DRF_BESIDE, str(drf_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["json"] == [{"id": 1, "username": "ann"}]
    assert report["html_status"] == 200 and report["html_has_data"]
    assert report["version"] == drf_version_tested_against()
    assert report["opened"] == []
    package = (ROOT / "src" / "restcycle").resolve()
    assert len(report["modules"]) > 20
    foreign = {
        name: file
        for name, file in report["modules"].items()
        if file is None or not Path(file).resolve().is_relative_to(package)
    }
    assert foreign == {}
