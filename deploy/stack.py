"""Bring up, and tear down, the bookstore example behind nginx on this one machine.

    deploy/stack up [--listen 127.0.0.1:8080]   nginx -> gunicorn on 127.0.0.2, uvicorn on 127.0.0.3
    deploy/stack status | down
    deploy/stack restart HOST | reload HOST | kill-worker HOST     (HOST: gunicorn or uvicorn)

Both application hosts serve example/ with 2 workers each, share one PostgreSQL database
made for the stack and one Redis, and trust nginx as their one proxy (NUM_PROXIES=1).
Everything listens on loopback addresses only. What is running is recorded in the state
directory (--state-dir, default /tmp/restcycle-stack), so `down` finds it from another
shell; `up` tears down whatever it started when a step fails. docs/deploy.md walks through it.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
EXAMPLE = ROOT / "example"
SRC = ROOT / "src"
NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
DEFAULT_STATE_DIR = Path(os.environ.get("RESTCYCLE_STACK_DIR", "/tmp/restcycle-stack"))
START_SECONDS = 60
STOP_SECONDS = 20
HOSTS = ("gunicorn", "uvicorn")


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)


class StackError(RuntimeError):
    """A step of bringing the stack up or changing it failed; the message says which."""


def nginx_available() -> bool:
    return Path(NGINX).exists()


def free_port(address: str) -> int:
    """A TCP port free on `address` right now."""
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def http_status(address: str, port: int, path: str, timeout: float = 5) -> int:
    """The status of one GET (Host: 127.0.0.1), or OSError when nothing answers."""
    connection = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@dataclass
class Layout:
    """Where everything runs; saved in the state directory as state.json."""

    state_dir: str
    listen: str  # nginx, address:port
    gunicorn: str  # address:port
    uvicorn: str  # address:port
    database: str
    admin_database_url: str  # a database of the server to CREATE/DROP the stack's one from
    redis_url: str
    secret_key: str
    environment: dict[str, str] = field(default_factory=dict)  # extra settings for the hosts
    pids: dict[str, int] = field(default_factory=dict)
    token: str = ""

    @property
    def base_url(self) -> str:
        return f"http://{self.listen}"

    @property
    def database_url(self) -> str:
        return self.admin_database_url.rsplit("/", 1)[0] + "/" + self.database

    @property
    def static_root(self) -> Path:
        return Path(self.state_dir) / "static"

    def host_address(self, host: str) -> tuple[str, int]:
        address, port = getattr(self, host).rsplit(":", 1)
        return address, int(port)

    def app_environment(self) -> dict[str, str]:
        """The environment both application hosts (and manage.py) run with."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bookstore.settings",
            "PYTHONPATH": str(SRC),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CACHE_KEY_PREFIX": self.database,
            "SECRET_KEY": self.secret_key,
            "DEBUG": "0",
            "NUM_PROXIES": "1",
            "STATIC_ROOT": str(self.static_root),
            # Production serving: shadow mode (a test-suite tool) stays off even when the
            # suite that starts the stack runs in it.
            "RESTCYCLE_SHADOW": "0",
            **self.environment,
        }


class Stack:
    """The running stack: nginx and the two application hosts, by their recorded pids."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.state_dir = Path(layout.state_dir)
        self.logs = self.state_dir / "logs"
        # The processes this object started, to reap them (pid -> Popen).
        self._children: dict[int, subprocess.Popen] = {}

    # -- life cycle --------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        state_dir: Path = DEFAULT_STATE_DIR,
        listen: str | None = None,
        gunicorn: str | None = None,
        uvicorn: str | None = None,
        database: str = "restcycle_stack",
        postgres_url: str | None = None,
        redis_url: str | None = None,
        environment: dict[str, str] | None = None,
    ) -> Stack:
        """A stack not yet started; unset addresses get a free port on their loopback address."""
        postgres_url = (
            postgres_url
            or os.environ.get("RESTCYCLE_POSTGRES_URL")
            or os.environ.get("DATABASE_URL")
            or "postgres://postgres@127.0.0.1:5432/postgres"
        )
        layout = Layout(
            state_dir=str(state_dir),
            listen=listen or f"127.0.0.1:{free_port('127.0.0.1')}",
            gunicorn=gunicorn or f"127.0.0.2:{free_port('127.0.0.2')}",
            uvicorn=uvicorn or f"127.0.0.3:{free_port('127.0.0.3')}",
            database=database,
            admin_database_url=postgres_url,
            redis_url=redis_url or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            secret_key=secrets.token_urlsafe(40),
            environment=dict(environment or {}),
        )
        for address in (layout.listen, layout.gunicorn, layout.uvicorn):
            if not address.startswith("127."):
                raise StackError(f"{address}: the stack listens on loopback addresses only")
        return cls(layout)

    @classmethod
    def load(cls, state_dir: Path = DEFAULT_STATE_DIR) -> Stack:
        """The stack recorded in `state_dir` by `up`; StackError when there is none."""
        try:
            data = json.loads((Path(state_dir) / "state.json").read_text())
        except FileNotFoundError:
            raise StackError(f"no stack is recorded in {state_dir}") from None
        return cls(Layout(**data))

    def up(self) -> Stack:
        """Database, static files, both hosts, nginx; everything started is stopped on failure."""
        if (self.state_dir / "state.json").exists():
            raise StackError(f"a stack is already recorded in {self.state_dir}: `down` it first")
        if not nginx_available():
            raise StackError(f"nginx not found ({NGINX}): install Debian's `nginx` package")
        self.logs.mkdir(parents=True, exist_ok=True)
        # nginx's workers run as another user (nobody, when started as root): they read the
        # static files under here.
        self.state_dir.chmod(0o755)
        (self.state_dir / "nginx-temp").mkdir(exist_ok=True)
        self.save()
        try:
            self.create_database()
            self.manage("migrate", "--noinput")
            seeded = self.manage("seed_demo").splitlines()
            self.layout.token = next(
                line.removeprefix("Token: ") for line in seeded if line.startswith("Token: ")
            )
            self.manage("collectstatic", "--noinput")
            self.render_nginx_configuration()
            for host in HOSTS:
                self.start_host(host)
            for host in HOSTS:
                self.wait_for_host(host)
            self.start_nginx()
            self.save()
        except BaseException:
            self.down()
            raise
        return self

    @contextlib.contextmanager
    def running(self, keep_logs: Path | None = None) -> Iterator[Stack]:
        """`up` for the block, `down` after it, also when the block fails or SIGTERM comes.

        SIGTERM is turned into SystemExit while the block runs (in the main thread), so a
        test run or benchmark that is stopped still stops everything it started.
        """
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            self.up()  # stops what it started when it fails; never touches another stack
            try:
                yield self
            finally:
                self.down(keep_logs=keep_logs)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def down(self, keep_logs: Path | None = None) -> None:
        """Stop every process (their whole process groups), drop the database, clear the state.

        Safe to run again, and on a stack only partly up. `keep_logs`: copy logs/ there first.
        """
        for name in ("nginx", *HOSTS):
            self.stop(name)
        if keep_logs is not None and self.logs.exists():
            shutil.copytree(self.logs, keep_logs, dirs_exist_ok=True)
        try:
            self.drop_database()
            self.forget_cache_keys()
        finally:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def save(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        (self.state_dir / "state.json").write_text(json.dumps(asdict(self.layout), indent=2))

    # -- the database, the cache and the example's manage.py -----------------------------

    def manage(self, *args: str) -> str:
        """`example/manage.py args` with the hosts' environment; its stdout."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=EXAMPLE,
            env=self.layout.app_environment(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def _admin_sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.layout.admin_database_url, autocommit=True) as connection:
            connection.execute(statement)

    def create_database(self) -> None:
        self._admin_sql(f'DROP DATABASE IF EXISTS "{self.layout.database}" WITH (FORCE)')
        self._admin_sql(f'CREATE DATABASE "{self.layout.database}"')

    def drop_database(self) -> None:
        self._admin_sql(f'DROP DATABASE IF EXISTS "{self.layout.database}" WITH (FORCE)')

    def forget_cache_keys(self) -> None:
        """Delete the stack's keys (its CACHE_KEY_PREFIX) from Redis, and no others."""
        import redis

        client = redis.Redis.from_url(self.layout.redis_url)
        try:
            for key in client.scan_iter(match=f"{self.layout.database}:*", count=500):
                client.delete(key)
        finally:
            client.close()

    # -- nginx -----------------------------------------------------------------------------

    def render_nginx_configuration(self) -> None:
        """Fill deploy/nginx/*.conf in for this stack: addresses, paths, Django's body limit."""
        body_limit = self.manage(
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)",
        ).split()[-1]
        values = {
            "STATE_DIR": str(self.state_dir),
            "LISTEN": self.layout.listen,
            "SERVER_NAME": self.layout.listen.rsplit(":", 1)[0],
            "GUNICORN_HOST": self.layout.gunicorn,
            "UVICORN_HOST": self.layout.uvicorn,
            "CLIENT_MAX_BODY_SIZE": body_limit,
            "STATIC_ROOT": str(self.layout.static_root),
            "ERRORS_DIR": str(DEPLOY / "nginx" / "errors"),
        }
        for name in ("nginx.conf", "bookstore.conf"):
            text = (DEPLOY / "nginx" / name).read_text()
            for key, value in values.items():
                text = text.replace(f"@{key}@", value)
            leftover = re.findall(r"@[A-Z_]+@", text)
            if leftover:
                raise StackError(f"{name}: placeholders left unfilled: {leftover}")
            (self.state_dir / name).write_text(text)
        checked = subprocess.run(
            self._nginx_command("-t"), capture_output=True, text=True, timeout=30
        )
        if checked.returncode != 0:
            raise StackError(f"nginx rejects the configuration:\n{checked.stderr}")

    def _nginx_command(self, *extra: str) -> list[str]:
        return [
            NGINX,
            "-p", str(self.state_dir),
            "-e", str(self.logs / "nginx-error.log"),
            "-c", str(self.state_dir / "nginx.conf"),
            *extra,
        ]  # fmt: skip

    def start_nginx(self) -> None:
        self._spawn("nginx", self._nginx_command(), cwd=self.state_dir)
        address, port = self.layout.listen.rsplit(":", 1)
        self._wait_until("nginx", lambda: http_status(address, int(port), "/static/") > 0)

    # -- application hosts -----------------------------------------------------------------

    def host_command(self, host: str) -> list[str]:
        """How each host runs: 2 workers, bound to its own loopback address."""
        address, port = self.layout.host_address(host)
        if host == "gunicorn":
            return [
                sys.executable, "-m", "gunicorn", "bookstore.wsgi",
                "--workers", "2", "--bind", f"{address}:{port}",
                # nginx's proxy_read_timeout (35 s) is longer, so this limit fires first.
                "--timeout", "30", "--graceful-timeout", "20", "--log-level", "warning",
            ]  # fmt: skip
        if host == "uvicorn":
            return [
                sys.executable, "-m", "uvicorn", "bookstore.asgi:application",
                "--workers", "2", "--host", address, "--port", str(port),
                # Longer than nginx's upstream keepalive_timeout (4 s): nginx closes first.
                "--timeout-keep-alive", "10", "--timeout-graceful-shutdown", "20",
                "--log-level", "warning", "--no-access-log",
            ]  # fmt: skip
        raise StackError(f"unknown host {host!r}: one of {', '.join(HOSTS)}")

    def start_host(self, host: str) -> None:
        self._spawn(host, self.host_command(host), cwd=EXAMPLE, env=self.layout.app_environment())

    def wait_for_host(self, host: str) -> None:
        """Until the host answers a page that is Django's (not a throttled API view)."""
        address, port = self.layout.host_address(host)
        self._wait_until(host, lambda: http_status(address, port, "/admin/login/") == 200)

    def restart(self, host: str, environment: dict[str, str] | None = None) -> None:
        """Stop `host` gracefully, start it again (`environment` added), wait until it answers."""
        self.stop(host)
        if environment:
            self.layout.environment.update(environment)
        self.start_host(host)
        self.wait_for_host(host)
        self.save()

    def reload(self, host: str) -> None:
        """SIGHUP to the host's main process: both servers replace their workers gracefully."""
        os.kill(self.layout.pids[host], signal.SIGHUP)

    def worker_pids(self, host: str) -> list[int]:
        """The pids of the host's worker processes (its main process's children)."""
        parent = self.layout.pids[host]
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                children.append(int(stat.parent.name))
        return sorted(children)

    def kill_worker(self, host: str) -> int:
        """SIGKILL one worker of `host` (its main process starts another); the pid killed."""
        workers = self.worker_pids(host)
        if not workers:
            raise StackError(f"{host} has no worker to kill")
        os.kill(workers[0], signal.SIGKILL)
        return workers[0]

    # -- processes ---------------------------------------------------------------------------

    def _spawn(self, name: str, command: list[str], **kwargs: object) -> None:
        """Start `name` in a session of its own (so its workers die with it), logging to logs/."""
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **kwargs,
            )
        self.layout.pids[name] = process.pid
        self._children[process.pid] = process
        self.save()

    def _alive(self, pid: int) -> bool:
        child = self._children.get(pid)
        if child is not None:
            return child.poll() is None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        # A zombie (exited, parent gone or not waiting) counts as gone.
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    def _wait_until(self, name: str, answers) -> None:
        deadline = time.monotonic() + START_SECONDS
        pid = self.layout.pids[name]
        while True:
            try:
                if answers():
                    return
            except OSError:
                pass
            if not self._alive(pid):
                raise StackError(f"{name} exited while starting; see {self.logs / name}.log")
            if time.monotonic() > deadline:
                raise StackError(f"{name} did not answer within {START_SECONDS} s")
            time.sleep(0.2)

    def stop(self, name: str) -> None:
        """SIGTERM `name` (graceful), SIGKILL its whole process group after STOP_SECONDS."""
        pid = self.layout.pids.pop(name, None)
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while self._alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        # The group is the process's session (start_new_session): its workers too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        child = self._children.pop(pid, None)
        if child is not None:
            child.wait()
        if self.state_dir.exists():
            self.save()

    def status(self) -> dict[str, str]:
        """Each process: "up (pid N)" or "down"."""
        return {
            name: (f"up (pid {pid})" if self._alive(pid) else "down")
            for name, pid in self.layout.pids.items()
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start nginx and both application hosts")
    up.add_argument("--listen", default="127.0.0.1:8080", help="nginx's address:port")
    up.add_argument("--gunicorn", default="127.0.0.2:8000")
    up.add_argument("--uvicorn", default="127.0.0.3:8000")
    up.add_argument("--database", default="restcycle_stack")
    commands.add_parser("down", help="stop everything, drop the database")
    commands.add_parser("status")
    for name, help_text in (
        ("restart", "stop a host gracefully and start it again"),
        ("reload", "SIGHUP a host: graceful worker reload"),
        ("kill-worker", "SIGKILL one worker of a host"),
    ):
        commands.add_parser(name, help=help_text).add_argument("host", choices=HOSTS)
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            stack = Stack.create(
                state_dir=args.state_dir,
                listen=args.listen,
                gunicorn=args.gunicorn,
                uvicorn=args.uvicorn,
                database=args.database,
            ).up()
            print(f"nginx      http://{stack.layout.listen}/  (static files from nginx)")
            print(f"gunicorn   http://{stack.layout.gunicorn}/  (2 sync workers)")
            print(f"uvicorn    http://{stack.layout.uvicorn}/  (2 workers)")
            print(f"database   {stack.layout.database_url}; cache {stack.layout.redis_url}")
            print(f"Token: {stack.layout.token}")
            print(
                f"Try: curl -H 'Authorization: Token {stack.layout.token}' "
                f"{stack.layout.base_url}/api/books/"
            )
            print(f"Logs in {stack.logs}; stop it all with: deploy/stack down")
            return 0
        stack = Stack.load(args.state_dir)
        if args.command == "down":
            stack.down()
        elif args.command == "status":
            for name, state in stack.status().items():
                print(f"{name:10} {state}")
        elif args.command == "restart":
            stack.restart(args.host)
        elif args.command == "reload":
            stack.reload(args.host)
        elif args.command == "kill-worker":
            print(f"killed worker {stack.kill_worker(args.host)} of {args.host}")
        return 0
    except StackError as error:
        print(f"deploy/stack: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
