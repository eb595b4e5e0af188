"""scripts/serve, as a newcomer runs it: every link its banner suggests answers 200.

The script runs for real (migrate, seed, runserver) on a free port against a fresh SQLite
file, so the example's own example/db.sqlite3 is left alone.
"""

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests._example_server import ROOT, free_port

# Runs the script (migrations, a server) once per suite run.
pytestmark = pytest.mark.sqlite_only

BANNER_END = "scripts/manage spectacular"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The banner scripts/serve printed and its base URL, the server still running."""
    port = free_port()
    database = tmp_path_factory.mktemp("serve") / "db.sqlite3"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(PORT=str(port), DATABASE_URL=f"sqlite:///{database}")
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "serve")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # runserver's autoreloader starts a child: stop the group
    )
    try:
        lines = []
        deadline = time.monotonic() + 180
        while not any(BANNER_END in line for line in lines):
            line = server.stdout.readline()
            if not line or time.monotonic() > deadline:
                pytest.fail("scripts/serve printed no banner:\n" + "".join(lines))
            lines.append(line)
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base + "/api/")
        yield "".join(lines), base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wait_until_serving(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def status_of(url: str, token: str | None = None) -> int:
    # What a browser sends: HTML first, anything else (the schema's YAML) accepted.
    headers = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30):
            return 200
    except urllib.error.HTTPError as error:
        return error.code


def test_every_url_and_query_the_banner_suggests_answers_200(served):
    banner, base = served
    urls = set(re.findall(re.escape(base) + r"/[^\s)]*", banner))
    for line in banner.splitlines():
        queries = re.findall(r"\?[\w=,-]+", line.split(")")[0]) if "(?" in line else []
        urls.update(re.search(re.escape(base) + r"/\S*", line)[0] + q for q in queries)
    assert f"{base}/api/books/?ordering=-price" in urls
    token = re.search(r"Token: (\w+)", banner)[1]
    statuses = {url: status_of(url, token) for url in sorted(urls) if "{" not in url}
    assert {url: code for url, code in statuses.items() if code != 200} == {}


def test_banner_says_how_throttling_works_and_how_to_run_management_commands(served):
    text = " ".join(served[0].split())
    assert "anonymous requests are limited to 120/minute" in text
    assert "user's to 1200/minute" in text
    assert "Retry-After" in text
    assert "log in as demo" in text
    assert "scripts/manage explain /api/books/" in text
