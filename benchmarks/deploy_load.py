"""Load and faults through nginx: the deploy/stack layout under a multi-user workload.

    ./scripts/bench --deploy            full run (2 minutes of load), results committed under
                                        benchmarks/results/deploy-load.json
    ./scripts/bench --deploy --quick    the shortened run tests/test_deploy.py makes

Several virtual users (threads, each with its own token and keep-alive connection to nginx)
mix reads, creates, updates and deletes of books. Meanwhile a gunicorn worker is killed
with SIGKILL, gunicorn reloads its workers (SIGHUP), and the uvicorn host is restarted.
Afterwards the database is compared with what each client saw acknowledged, every 5xx is
checked to be nginx's own during a fault, and, in a second phase with small rates, the
anonymous and user throttles are counted across both hosts. Each write carries a unique
marker in its title, so its rows are found by marker. Everything runs on loopback; every
loop and wait is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.stack import DEPLOY, Stack  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
NGINX_UPSTREAM_ERROR = (DEPLOY / "nginx" / "errors" / "upstream.json").read_bytes()
# A fault's window stays open this long after it ends (nginx's fail_timeout, and slack).
FAULT_GRACE_SECONDS = 6.0
# After a 5xx or a failed connection a client waits this long, as a real one backs off.
BACKOFF_SECONDS = 0.2
# The load phase's throttle rates: high enough never to refuse a request of the workload.
UNTHROTTLED = "1000000/hour"
# Read, create, update, delete: the workload's mix.
MIX = (("list", 35), ("retrieve", 20), ("create", 20), ("update", 15), ("delete", 10))


@dataclass
class Outcome:
    """One request as the client saw it; status None when the connection failed."""

    kind: str
    method: str
    started: float
    ended: float
    status: int | None
    from_nginx: bool = False  # the body is nginx's own upstream-error document
    error: str = ""


@dataclass
class BookLedger:
    """What one client did to one book, in order: each write and whether it was acknowledged."""

    marker: str
    created: tuple  # (price, tags) sent
    create_acknowledged: bool
    book_id: int | None = None
    # (state sent, acknowledged) per PATCH; state = (price, tags)
    updates: list[tuple[tuple, bool]] = field(default_factory=list)
    delete: str = ""  # "", "acknowledged", "unacknowledged"


def isbn13(twelve_digits: str) -> str:
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(twelve_digits))
    return twelve_digits + str((10 - total % 10) % 10)


def state(price: str | Decimal, tags) -> tuple:
    return (Decimal(price), tuple(sorted(tags)))


class VirtualUser(threading.Thread):
    """One client: its own token and keep-alive connection, a random mix until `stop_at`."""

    def __init__(self, number, base, token, tag_ids, stop_at, seed, outcomes, lock) -> None:
        super().__init__(name=f"user-{number}", daemon=True)
        self.number = number
        self.address, port = base.removeprefix("http://").rsplit(":", 1)
        self.port = int(port)
        self.token = token
        self.tag_ids = tag_ids
        self.stop_at = stop_at
        self.random = random.Random(seed)
        self.outcomes = outcomes
        self.lock = lock
        self.books: list[BookLedger] = []
        self.sequence = 0
        self.connection: http.client.HTTPConnection | None = None

    def request(self, kind, method, path, body=None, anonymous=False):
        """(status, parsed body); records the outcome. Never retries: a write is sent once."""
        headers = {"Accept": "application/json", "Host": f"{self.address}:{self.port}"}
        if not anonymous:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.address, self.port, timeout=40)
        started = time.monotonic()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = None
            outcome = Outcome(kind, method, started, time.monotonic(), None, error=repr(error))
            with self.lock:
                self.outcomes.append(outcome)
            time.sleep(BACKOFF_SECONDS)
            return None, None
        outcome = Outcome(
            kind, method, started, time.monotonic(), status, content == NGINX_UPSTREAM_ERROR
        )
        with self.lock:
            self.outcomes.append(outcome)
        if status >= 500:
            time.sleep(BACKOFF_SECONDS)
        try:
            parsed = json.loads(content) if content else None
        except ValueError:
            parsed = None
        return status, parsed

    def run(self) -> None:
        kinds, weights = zip(*MIX, strict=True)
        while time.monotonic() < self.stop_at:
            kind = self.random.choices(kinds, weights)[0]
            live = [book for book in self.books if book.book_id and not book.delete]
            if kind in ("update", "delete") and not live:
                kind = "create"
            getattr(self, kind)(live)
        if self.connection is not None:
            self.connection.close()

    def list(self, live) -> None:
        page = self.random.choice(
            ("?page=1", "?search=load", "?search=le+guin", "?ordering=-price")
        )
        self.request("list", "GET", f"/api/books/{page}", anonymous=self.random.random() < 0.3)

    def retrieve(self, live) -> None:
        book_id = self.random.choice(live).book_id if live else self.random.randint(1, 7)
        self.request("retrieve", "GET", f"/api/books/{book_id}/")

    def create(self, live) -> None:
        self.sequence += 1
        marker = f"u{self.number:02d}-{self.sequence:07d}"
        tags = self.random.sample(self.tag_ids, 2)
        body = {
            "title": f"load {marker}",
            "isbn": isbn13(f"979{self.number:02d}{self.sequence:07d}"),
            "price": "10.00",
            "published": "2001-01-01",
            "author_id": 1,
            "tags": tags,
        }
        status, created = self.request("create", "POST", "/api/books/", body)
        ledger = BookLedger(marker, state("10.00", tags), status == 201)
        if status == 201:
            ledger.book_id = created["id"]
        self.books.append(ledger)

    def update(self, live) -> None:
        book = self.random.choice(live)
        self.sequence += 1
        price = f"{self.sequence % 100000}.{self.number:02d}"
        tags = self.random.sample(self.tag_ids, self.random.randint(1, 3))
        status, _ = self.request(
            "update", "PATCH", f"/api/books/{book.book_id}/", {"price": price, "tags": tags}
        )
        book.updates.append((state(price, tags), status == 200))

    def delete(self, live) -> None:
        book = self.random.choice(live)
        status, _ = self.request("delete", "DELETE", f"/api/books/{book.book_id}/")
        book.delete = "acknowledged" if status == 204 else "unacknowledged"


def create_users(stack: Stack, count: int, prefix: str) -> list[str]:
    """`count` users named prefix-N, each with a token; their token keys."""
    code = (
        "from django.contrib.auth.models import User\n"
        "from rest_framework.authtoken.models import Token\n"
        f"for n in range({count}):\n"
        f"    user, _ = User.objects.get_or_create(username=f'{prefix}-{{n}}')\n"
        "    print(Token.objects.get_or_create(user=user)[0].key)\n"
    )
    # The shell may print more (Django 5.2 tells what it imported): keep the keys only.
    tokens = re.findall(r"^[0-9a-f]{40}$", stack.manage("shell", "-c", code), re.MULTILINE)
    if len(tokens) != count:
        raise RuntimeError(f"expected {count} tokens from manage.py shell, got {tokens}")
    return tokens


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_faults(stack: Stack, started: float, duration: float, cycles: int, faults: list) -> None:
    """Each cycle: SIGKILL a gunicorn worker, SIGHUP gunicorn, restart the uvicorn host."""
    for cycle in range(cycles):
        offset = started + duration * cycle / cycles
        span = duration / cycles
        for at, name, action in (
            (0.2, "kill -9 a gunicorn worker", lambda: stack.kill_worker("gunicorn")),
            (0.4, "HUP gunicorn (graceful reload)", lambda: stack.reload("gunicorn")),
            (0.6, "restart the uvicorn host", lambda: stack.restart("uvicorn")),
        ):
            time.sleep(max(0.0, offset + span * at - time.monotonic()))
            begin = time.monotonic()
            action()
            faults.append({"fault": name, "start": begin, "end": time.monotonic()})


def in_fault_window(outcome: Outcome, faults: list) -> bool:
    return any(
        outcome.started <= fault["end"] + FAULT_GRACE_SECONDS and outcome.ended >= fault["start"]
        for fault in faults
    )


def database_books(stack: Stack) -> dict[str, list[tuple]]:
    """marker -> [(id, state)] of every book the load wrote, read straight from PostgreSQL."""
    import psycopg

    with psycopg.connect(stack.layout.database_url) as connection:
        rows = connection.execute(
            "SELECT b.id, b.title, b.price, "
            "COALESCE(array_agg(t.tag_id) FILTER (WHERE t.tag_id IS NOT NULL), '{}') "
            "FROM books_book b LEFT JOIN books_book_tags t ON t.book_id = b.id "
            "WHERE b.title LIKE 'load %%' GROUP BY b.id"
        ).fetchall()
    found: dict[str, list[tuple]] = {}
    for book_id, title, price, tags in rows:
        found.setdefault(title.removeprefix("load "), []).append((book_id, state(price, tags)))
    return found


def verify_writes(ledgers: list[BookLedger], found: dict[str, list[tuple]]) -> dict:
    """Compare the database with what the clients saw; every mismatch is listed in "problems"."""
    problems = []
    figures = Counter()
    for book in ledgers:
        figures["updates acknowledged"] += sum(ack for _, ack in book.updates)
        figures["updates unacknowledged"] += sum(not ack for _, ack in book.updates)
        figures["deletes unacknowledged"] += book.delete == "unacknowledged"
        rows = found.pop(book.marker, [])
        if len(rows) > 1:
            problems.append(f"{book.marker}: stored {len(rows)} times")
            continue
        if not book.create_acknowledged:
            figures["creates unacknowledged"] += 1
            if rows:
                figures["unacknowledged creates stored whole"] += 1
                if rows[0][1] != book.created:
                    problems.append(f"{book.marker}: unacknowledged create half-written {rows}")
            continue
        figures["creates acknowledged"] += 1
        if book.delete == "acknowledged":
            figures["deletes acknowledged"] += 1
            if rows:
                problems.append(f"{book.marker}: acknowledged delete, still stored")
            continue
        if not rows:
            if book.delete == "unacknowledged":
                figures["unacknowledged deletes applied"] += 1
            else:
                problems.append(f"{book.marker}: acknowledged create not stored")
            continue
        # The last acknowledged state, or one of the unacknowledged updates sent after it.
        allowed = [book.created]
        for sent, acknowledged in book.updates:
            allowed = [sent] if acknowledged else [*allowed, sent]
        if rows[0][1] not in allowed:
            problems.append(f"{book.marker}: stored {rows[0][1]}, expected one of {allowed}")
    for marker, rows in found.items():
        problems.append(f"{marker}: stored {rows} but never sent")
    return {"figures": {k: n for k, n in figures.items() if n}, "problems": problems}


def load_phase(stack: Stack, *, users: int, duration: float, fault_cycles: int, seed: int = 20):
    """The mixed workload with faults; the figures and every problem found."""
    tokens = create_users(stack, users, "load")
    tag_page = json.loads(_get(stack, "/api/tags/")[1])
    tag_ids = [tag["id"] for tag in tag_page["results"]]
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + duration
    clients = [
        VirtualUser(n, stack.layout.base_url, token, tag_ids, stop_at, seed + n, outcomes, lock)
        for n, token in enumerate(tokens)
    ]
    for client in clients:
        client.start()
    faults: list[dict] = []
    try:
        run_faults(stack, started, duration, fault_cycles, faults)
    finally:
        for client in clients:
            client.join(timeout=duration + 60)
    elapsed = time.monotonic() - started
    for host in ("gunicorn", "uvicorn"):
        stack.wait_for_host(host)
    writes = verify_writes([b for c in clients for b in c.books], database_books(stack))

    problems = list(writes["problems"])
    errors: Counter = Counter()
    for outcome in outcomes:
        if outcome.status is None:
            # An upstream killed while nginx relays its answer cuts the client's response
            # short: an unacknowledged request, allowed only while a fault is under way.
            errors[f"connection error on {outcome.method}"] += 1
            if not in_fault_window(outcome, faults):
                problems.append(f"the client's connection to nginx failed: {outcome.error}")
        elif outcome.status >= 500:
            source = "nginx" if outcome.from_nginx else "application"
            errors[f"{outcome.status} from {source} on {outcome.method}"] += 1
            if not outcome.from_nginx:
                problems.append(f"{outcome.status} from the application on {outcome.method}")
            elif not in_fault_window(outcome, faults):
                problems.append(f"nginx {outcome.status} on {outcome.method} outside any fault")
        elif outcome.status == 404 and outcome.method == "DELETE":
            # nginx resends a DELETE (idempotent) when a worker dies under it: the first one
            # may have deleted the book already.
            errors["404 on a DELETE resent by nginx"] += 1
            if not in_fault_window(outcome, faults):
                problems.append("DELETE answered 404 outside any fault")
        elif outcome.status >= 400:
            errors[f"{outcome.status} on {outcome.method}"] += 1
            problems.append(f"unexpected {outcome.status} on {outcome.kind}")
    latencies = [(o.ended - o.started) * 1000 for o in outcomes if o.status is not None]
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(outcomes),
        "requests_per_second": round(len(outcomes) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "by_kind": {
            kind: {
                "requests": len(times),
                "p50_ms": round(percentile(times, 0.50), 1),
                "p99_ms": round(percentile(times, 0.99), 1),
            }
            for kind in dict(MIX)
            for times in [
                [(o.ended - o.started) * 1000 for o in outcomes if o.kind == kind and o.status]
            ]
        },
        "statuses": dict(sorted(Counter(str(o.status) for o in outcomes).items())),
        "errors": dict(errors),
        "faults": [
            {
                "fault": f["fault"],
                "at_s": round(f["start"] - started, 1),
                "took_s": round(f["end"] - f["start"], 1),
            }
            for f in faults
        ],
        "writes": writes["figures"],
        "problems": problems,
    }


def _get(stack: Stack, path: str, headers: dict | None = None, source: str | None = None):
    """One GET to nginx: (status, body bytes)."""
    address, port = stack.layout.listen.rsplit(":", 1)
    connection = http.client.HTTPConnection(
        address, int(port), timeout=40, source_address=(source, 0) if source else None
    )
    try:
        connection.request("GET", path, headers={"Accept": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def throttle_phase(stack: Stack, *, anon_rate: int, user_rate: int, users: int) -> dict:
    """Both hosts restarted with small rates; count what each throttle admits through nginx.

    Anonymous: from 127.0.0.1 with a different forged X-Forwarded-For on every request (it
    must not buy a fresh budget), then from 127.0.0.4 (a real other address gets its own).
    Users: each token its own budget. Every request goes through nginx to either host.
    """
    environment = {
        "ANON_THROTTLE_RATE": f"{anon_rate}/hour",
        "USER_THROTTLE_RATE": f"{user_rate}/hour",
        # Fresh counters: the load phase counted under the stack's own prefix.
        "CACHE_KEY_PREFIX": f"{stack.layout.database}:throttle-phase",
    }
    for host in ("gunicorn", "uvicorn"):
        stack.restart(host, environment)
    tokens = create_users(stack, users, "throttled")
    access_log = stack.logs / "nginx-access.log"
    _until_nginx_uses_both_hosts(stack, access_log)
    log_offset = access_log.stat().st_size

    def admitted(attempts: int, headers_for, source: str | None = None) -> Counter:
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = pool.map(
                lambda n: _get(stack, "/api/hello/", headers_for(n), source)[0], range(attempts)
            )
            return Counter(statuses)

    forged = admitted(anon_rate * 3, lambda n: {"X-Forwarded-For": f"203.0.113.{n % 250}"})
    other_address = admitted(anon_rate * 3, lambda n: {}, source="127.0.0.4")
    per_user = [
        admitted(user_rate * 3, lambda n, token=token: {"Authorization": f"Token {token}"})
        for token in tokens
    ]
    hosts = Counter(
        line.split("upstream=", 1)[1].split()[0]
        for line in access_log.read_text()[log_offset:].splitlines()
        if "/api/hello/" in line
    )
    served_by = {
        host: hosts.get(getattr(stack.layout, host), 0) for host in ("gunicorn", "uvicorn")
    }
    return {
        "anon_rate_per_hour": anon_rate,
        "user_rate_per_hour": user_rate,
        "anon_forged_forwarded_for": {"attempts": anon_rate * 3, **_statuses(forged)},
        "anon_from_127.0.0.4": {"attempts": anon_rate * 3, **_statuses(other_address)},
        "users": [{"attempts": user_rate * 3, **_statuses(c)} for c in per_user],
        "served_by": served_by,
    }


def _until_nginx_uses_both_hosts(stack: Stack, access_log: Path, seconds: float = 30.0) -> None:
    """Unthrottled pages through nginx until both hosts have answered one: nginx leaves a
    host out for `fail_timeout` after a restart refused it, and the phase must cross both."""
    offset = access_log.stat().st_size
    wanted = {stack.layout.gunicorn, stack.layout.uvicorn}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _get(stack, "/admin/login/", {}, None)
        served = {
            line.split("upstream=", 1)[1].split()[0]
            for line in access_log.read_text()[offset:].splitlines()
            if "upstream=" in line
        }
        if wanted <= served:
            return
        time.sleep(0.2)


def _statuses(counts: Counter) -> dict:
    return {"admitted": counts.get(200, 0), "refused": counts.get(429, 0), "other": {
        str(status): n for status, n in counts.items() if status not in (200, 429)
    }}  # fmt: skip


def report(load: dict | None, throttles: dict | None) -> str:
    """The figures of either phase or both, as printed."""
    lines = []
    if load is not None:
        lines += [
            f"load through nginx: {load['users']} users, {load['seconds']} s, "
            f"{load['requests']} requests, {load['requests_per_second']} requests/s, "
            f"p50 {load['p50_ms']} ms, p99 {load['p99_ms']} ms",
            "  by kind: "
            + ", ".join(
                f"{kind} {f['requests']} (p50 {f['p50_ms']}, p99 {f['p99_ms']} ms)"
                for kind, f in load["by_kind"].items()
            ),
            "  statuses: " + ", ".join(f"{s}: {n}" for s, n in load["statuses"].items()),
            "  errors by kind: "
            + (", ".join(f"{kind}: {n}" for kind, n in load["errors"].items()) or "none"),
            "  faults: "
            + "; ".join(f"{f['fault']} at {f['at_s']} s ({f['took_s']} s)" for f in load["faults"]),
            "  writes: " + ", ".join(f"{k}: {n}" for k, n in load["writes"].items()),
            "  problems: " + ("; ".join(load["problems"][:20]) or "none"),
        ]
    if throttles is not None:
        anon, user = throttles["anon_rate_per_hour"], throttles["user_rate_per_hour"]
        lines += [
            f"throttles across both hosts (requests served: {throttles['served_by']}):",
            f"  anon {anon}/hour, forged X-Forwarded-For: {throttles['anon_forged_forwarded_for']}",
            f"  anon {anon}/hour, from 127.0.0.4: {throttles['anon_from_127.0.0.4']}",
            f"  user {user}/hour, per user: {throttles['users']}",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the shortened run of the tests")
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the stack's logs in results/deploy-load-logs"
    )
    args = parser.parse_args(argv)
    users, duration, cycles = (6, 12.0, 1) if args.quick else (8, 120.0, 4)
    load_average_before = os.getloadavg()
    stack = Stack.create(
        state_dir=Path(f"/tmp/restcycle-stack-deploy-load-{os.getpid()}"),
        database=f"restcycle_deploy_load_{os.getpid()}",
        environment={"ANON_THROTTLE_RATE": UNTHROTTLED, "USER_THROTTLE_RATE": UNTHROTTLED},
    )
    with stack.running(keep_logs=RESULTS / "deploy-load-logs" if args.keep_logs else None):
        load = load_phase(stack, users=users, duration=duration, fault_cycles=cycles)
        throttles = throttle_phase(stack, anon_rate=6, user_rate=10, users=3)
    print(report(load, throttles))
    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        result = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": f"{os.cpu_count()} cores, shared with the other work on the machine",
            # The 1/5/15-minute load averages before and after: the figures depend on them.
            "load_average": {"before": load_average_before, "after": os.getloadavg()},
            "python": sys.version.split()[0],
            "load": load,
            "throttles": throttles,
        }
        (RESULTS / "deploy-load.json").write_text(json.dumps(result, indent=2) + "\n")
        print(f"results: {RESULTS / 'deploy-load.json'}")
    return 1 if load["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
