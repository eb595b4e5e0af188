"""The bookstore example's OpenAPI schema (drf-spectacular on restcycle) against the running API.

The example runs under gunicorn on 127.0.0.1 against a fresh SQLite file. The schema at
/api/schema/ must be valid OpenAPI; with the real DRF installed beside restcycle, every
`rest_framework` module the example loads must be restcycle's; and schemathesis, fuzzing
every operation anonymously and with a token under a bounded budget, must find no 5xx
and no response that contradicts the schema.
"""

import importlib.util
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from tests._example_server import EXAMPLE, SRC, free_port, migrate_and_seed, serving

# Per identity: 25 s covers every operation and leaves some fuzzing (scripts/test stays
# quick); .ci/run sets 45.
FUZZ_SECONDS = int(os.environ.get("SCHEMATHESIS_SECONDS", "25"))
FUZZ_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(
        importlib.util.find_spec("drf_spectacular") is None, reason="needs drf-spectacular"
    ),
]


def get(url: str, accept: str = "application/json") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


SETTINGS_WITH_ERROR_LOG = """
from bookstore.settings import *  # noqa: F403

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}
"""


@pytest.fixture(scope="module")
def example_env(tmp_path_factory):
    """The example's environment: a migrated, seeded SQLite file; throttles out of the way."""
    workdir = tmp_path_factory.mktemp("bookstore")
    database = workdir / "db.sqlite3"
    # The example's settings, plus tracebacks of any 500 on stderr (DEBUG is off).
    (workdir / "example_test_settings.py").write_text(SETTINGS_WITH_ERROR_LOG)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "0",
        "ANON_THROTTLE_RATE": "1000000/minute",
        "USER_THROTTLE_RATE": "1000000/minute",
        "PING_THROTTLE_RATE": "1000000/minute",
        "PYTHONPATH": f"{SRC}{os.pathsep}{workdir}",
        "DJANGO_SETTINGS_MODULE": "example_test_settings",
        "SERVER_LOG": str(workdir / "gunicorn.log"),
    }
    env.pop("REDIS_URL", None)
    env["DEMO_TOKEN"] = migrate_and_seed(env)
    return env


@pytest.fixture(scope="module")
def bookstore(example_env):
    """The example served by gunicorn (two workers); yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = ["gunicorn", "bookstore.wsgi", "--workers", "2"]
    gunicorn += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server_log = Path(example_env["SERVER_LOG"])
    with (
        server_log.open("ab") as log,
        serving(
            gunicorn,
            example_env,
            lambda: get(base + "/api/hello/")[0] == 200,
            why_not=server_log.read_text,
            stdout=subprocess.DEVNULL,
            stderr=log,
        ),
    ):
        yield base


def test_schema_at_api_schema_is_a_valid_openapi_document(bookstore):
    status, content_type, body = get(bookstore + "/api/schema/?format=json")
    assert status == 200
    assert content_type.split(";")[0] in ("application/json", "application/vnd.oai.openapi+json")
    schema = json.loads(body)
    validate(schema)
    assert schema["info"]["title"] == "Bookstore API"
    for route in ("/api/books/", "/api/books/{id}/", "/api/books/{id}/reviews/", "/api/stats/"):
        assert route in schema["paths"]
    book_list = schema["paths"]["/api/books/"]["get"]
    assert {p["name"] for p in book_list["parameters"]} >= {"page", "search", "ordering", "tags"}
    assert {"tokenAuth": []} in book_list["security"]


def test_schema_is_served_as_yaml_by_default(bookstore):
    status, content_type, body = get(bookstore + "/api/schema/", accept="*/*")
    assert status == 200
    assert content_type.startswith("application/vnd.oai.openapi")
    assert body.startswith(b"openapi: 3.0.3")


def test_docs_page_is_swagger_ui_from_the_sidecar(bookstore):
    status, content_type, body = get(bookstore + "/api/docs/", accept="text/html")
    assert status == 200
    assert content_type.startswith("text/html")
    page = body.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "/api/schema/" in page


def send(base: str, method: str, path: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path,
        method=method,
        headers={"Accept": "application/json", "Authorization": f"Token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_deleting_an_author_who_still_has_books_is_a_conflict(bookstore, example_env):
    # Found by fuzzing: the books' on_delete=PROTECT raised ProtectedError, a 500.
    status, body = send(bookstore, "GET", "/api/books/1/", example_env["DEMO_TOKEN"])
    author_id = body["author"]["id"]
    status, body = send(
        bookstore, "DELETE", f"/api/authors/{author_id}/", example_env["DEMO_TOKEN"]
    )
    assert status == 409
    assert "still has books" in body["detail"]


def test_a_tag_id_too_large_for_the_database_is_a_bad_request(bookstore, example_env):
    # Found by fuzzing: SQLite cannot bind it (OverflowError, a 500).
    huge = str(2**70)
    for path in (f"/api/books/?tags={huge}", f"/api/books/1/reviews/?tags={huge}"):
        status, body = send(bookstore, "GET", path, example_env["DEMO_TOKEN"])
        assert status in (400, 404), (path, status, body)
    status, body = send(bookstore, "GET", f"/api/books/?tags={huge}", example_env["DEMO_TOKEN"])
    assert status == 400
    assert "tags" in body


PROVE_ALIAS = """
import importlib.metadata, json, sys
import django
django.setup()
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
get_resolver().url_patterns  # import every view module of the URLconf
SchemaGenerator().get_schema(request=None, public=True)  # and everything schema generation uses
modules = {
    name: getattr(module, "__file__", None)
    for name, module in sys.modules.items()
    if name == "rest_framework" or name.startswith("rest_framework.")
}
print(json.dumps({"drf": importlib.metadata.version("djangorestframework"), "modules": modules}))
"""


def test_every_rest_framework_module_in_the_example_is_restcycles_though_drf_is_installed(
    example_env,
):
    result = subprocess.run(
        [sys.executable, "-c", PROVE_ALIAS],
        cwd=EXAMPLE,
        env=example_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["drf"].startswith("3.")  # the real DRF is installed...
    modules = report["modules"]
    for name in ("rest_framework", "rest_framework.serializers", "rest_framework.schemas"):
        assert name in modules
    package = SRC / "restcycle"
    foreign = {
        name: path
        for name, path in modules.items()
        if path is None or not Path(path).resolve().is_relative_to(package)
    }
    assert foreign == {}  # ...and none of its modules was imported


# Progress worth showing while a fuzzing run goes on (the rest is kept for the failure report).
PROGRESS_LINES = (
    "Loaded specification",
    "Operations:",
    "Coverage (",
    "Fuzzing (",
    "passed",
    "Tested: ",
)


@pytest.fixture
def say(capsys):
    """Print a progress line now, past pytest's capture (shown without -n; with -n, the
    other workers' tests keep the run moving)."""

    def say(text: str) -> None:
        with capsys.disabled():
            print(text, flush=True)

    return say


def run_reporting_progress(command: list[str], cwd: Path, timeout: float, say) -> tuple[int, str]:
    """Run `command`, echo its progress lines through `say`; (exit status, whole output).

    Killed after `timeout` seconds (the output so far is returned, with a nonzero status).
    """
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    output = []
    try:
        for line in process.stdout:
            output.append(line)
            if any(marker in line for marker in PROGRESS_LINES):
                say(f"    schemathesis: {line.strip()}")
        status = process.wait()
    finally:
        killer.cancel()
    return status, "".join(output)


@pytest.mark.parametrize("identity", ["anonymous", "token"])
def test_schemathesis_finds_no_server_error_and_no_response_contradicting_the_schema(
    bookstore, example_env, identity, tmp_path, say
):
    if not SCHEMATHESIS.exists():
        pytest.skip("schemathesis is not installed")
    command = [
        str(SCHEMATHESIS),
        "run",
        bookstore + "/api/schema/?format=json",
        "--checks",
        "not_a_server_error,response_schema_conformance,content_type_conformance",
        "--phases",
        "coverage,fuzzing",
        "--max-examples",
        str(FUZZ_EXAMPLES),
        "--max-time",
        str(FUZZ_SECONDS),
        # One worker: hypothesis in several threads trips CPython 3.11's AST recursion check.
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--report-dir",
        str(tmp_path),
        "--no-color",
    ]
    if identity == "token":
        command += ["--header", f"Authorization: Token {example_env['DEMO_TOKEN']}"]
    say(f"\n    schemathesis ({identity}): fuzzing every operation for at most {FUZZ_SECONDS} s")
    returncode, output = run_reporting_progress(command, tmp_path, FUZZ_SECONDS + 120, say)
    # The failures (each with a curl line reproducing it) come before the summary.
    failures_at = output.find("= FAILURES =")
    report = output[failures_at:][:12000] if failures_at >= 0 else output
    server_log = Path(example_env["SERVER_LOG"]).read_text()[-8000:]
    assert returncode == 0, f"{report}\n--- server log ---\n{server_log}"
    assert "Tested: " in output
