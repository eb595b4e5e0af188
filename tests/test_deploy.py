"""The deploy/ layout for real: nginx in front of a gunicorn host and a uvicorn host.

deploy/stack brings the example up on loopback addresses (nginx on 127.0.0.1, the hosts on
127.0.0.2 and 127.0.0.3) with its own PostgreSQL database and Redis key prefix; these tests
talk to nginx only, as a client would, except where they show what a host trusts. The
load-and-faults run (benchmarks/deploy_load.py, shortened) prints its figures (pytest -s).
"""

import http.client
import json
import os
from pathlib import Path

import pytest

from benchmarks.deploy_load import UNTHROTTLED, load_phase, report, throttle_phase
from deploy.stack import DEPLOY, Stack, nginx_available
from tests._services import skip_unless_required

# Once per suite run: it brings its own servers and database.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def stack():
    if not nginx_available():
        skip_unless_required(
            "nginx is not installed: the deploy tests need Debian's `nginx` package "
            "(apt-get install nginx; .ci/run installs it)"
        )
    postgres_url = os.environ.get("RESTCYCLE_POSTGRES_URL") or os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    if not (postgres_url and postgres_url.startswith("postgres") and redis_url):
        skip_unless_required("the deploy tests need PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    name = f"restcycle_stack_test_{os.getpid()}"
    stack = Stack.create(
        state_dir=Path(f"/tmp/{name}"),
        database=name,
        postgres_url=postgres_url,
        redis_url=redis_url,
        environment={"ANON_THROTTLE_RATE": UNTHROTTLED, "USER_THROTTLE_RATE": UNTHROTTLED},
    )
    with stack.running():
        yield stack


def call(address: str, method: str, path: str, body: bytes | None = None, headers=None):
    """One request to address ("host:port"); (status, headers, body bytes)."""
    host, port = address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_static_files_come_from_nginx_and_not_from_the_app_hosts(stack):
    path = "/static/rest_framework/css/restcycle.css"
    status, headers, body = call(stack.layout.listen, "GET", path)
    assert status == 200
    assert headers["Content-Type"] == "text/css"
    assert body == (stack.layout.static_root / "rest_framework/css/restcycle.css").read_bytes()
    # DEBUG is off: Django itself does not serve them.
    assert call(stack.layout.gunicorn, "GET", path, headers={"Host": "127.0.0.1"})[0] == 404


def test_nginx_overwrites_forwarded_proto_and_host_so_a_client_cannot_forge_them(stack):
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    status, _, body = call(stack.layout.listen, "GET", "/api/", headers=forged)
    assert status == 200
    assert json.loads(body)["books"] == f"http://{stack.layout.listen}/api/books/"
    # The hosts do trust both headers (SECURE_PROXY_SSL_HEADER, USE_X_FORWARDED_HOST): from
    # nginx they are the truth, which is why only nginx may reach the hosts.
    direct = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost"}
    status, _, body = call(stack.layout.gunicorn, "GET", "/api/", headers=direct)
    assert status == 200
    assert json.loads(body)["books"] == "https://localhost/api/books/"


def test_a_body_over_djangos_upload_limit_is_refused_by_nginx_with_json_413(stack):
    limit = int(
        stack.manage(
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)",
        ).split()[-1]
    )
    headers = {"Content-Type": "application/json", "Authorization": f"Token {stack.layout.token}"}
    status, response_headers, body = call(
        stack.layout.listen, "POST", "/api/books/", b"x" * (limit + 1), headers
    )
    assert status == 413
    assert response_headers["Content-Type"] == "application/json"
    assert body == (DEPLOY / "nginx/errors/413.json").read_bytes()
    # At the limit exactly, the body reaches Django, whose parser refuses it as JSON.
    status, _, body = call(stack.layout.listen, "POST", "/api/books/", b"x" * limit, headers)
    assert status == 400
    assert json.loads(body)["detail"].startswith("JSON parse error")


def test_load_with_faults_keeps_every_acknowledged_write_once_and_no_app_5xx(stack):
    figures = load_phase(stack, users=6, duration=12.0, fault_cycles=1)
    print(report(figures, None))
    assert figures["problems"] == []
    assert [f["fault"] for f in figures["faults"]] == [
        "kill -9 a gunicorn worker",
        "HUP gunicorn (graceful reload)",
        "restart the uvicorn host",
    ]
    assert all(kind["requests"] > 0 for kind in figures["by_kind"].values())
    assert figures["writes"]["creates acknowledged"] > 0


def test_throttles_count_the_real_client_address_and_admit_their_rate_across_hosts(stack):
    # Restarts both hosts with small rates: it runs after the load test.
    figures = throttle_phase(stack, anon_rate=6, user_rate=10, users=3)
    print(report(None, figures))
    # 18 anonymous requests from 127.0.0.1, each with another forged X-Forwarded-For.
    forged = figures["anon_forged_forwarded_for"]
    assert (forged["admitted"], forged["refused"], forged["other"]) == (6, 12, {})
    # A client that really has another address has a budget of its own.
    other = figures["anon_from_127.0.0.4"]
    assert (other["admitted"], other["refused"], other["other"]) == (6, 12, {})
    for user in figures["users"]:
        assert (user["admitted"], user["refused"], user["other"]) == (10, 20, {})
    assert figures["served_by"]["gunicorn"] > 0 and figures["served_by"]["uvicorn"] > 0


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_down_stops_every_process_and_drops_the_database(stack):
    import psycopg

    pids = list(stack.layout.pids.values())
    workers = stack.worker_pids("gunicorn") + stack.worker_pids("uvicorn")
    assert len(pids) == 3 and len(workers) >= 4
    stack.down()
    assert [pid for pid in pids + workers if running(pid)] == []
    assert not stack.state_dir.exists()
    with psycopg.connect(stack.layout.admin_database_url) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [stack.layout.database]
        ).fetchall()
    assert found == []
