"""scripts/manage: the example's manage.py in the repository's .venv, from any directory."""

import os
import subprocess
from pathlib import Path

import pytest
import yaml

# Runs the script (its own interpreter) once per suite run.
pytestmark = pytest.mark.sqlite_only

MANAGE = Path(__file__).resolve().parent.parent / "scripts" / "manage"


def run_manage(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(MANAGE), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_spectacular_writes_the_examples_valid_schema_relative_to_the_callers_directory(
    tmp_path,
):
    result = run_manage("spectacular", "--file", "schema.yaml", "--validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    assert schema["info"]["title"] == "Bookstore API"
    assert "/api/books/{id}/" in schema["paths"]


def test_explain_describes_an_example_endpoint(tmp_path):
    result = run_manage("explain", "/api/books/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("GET /api/books/\n")
    assert "books.views.BookViewSet" in result.stdout
