"""Throttles through real views: rates and their spellings, the sliding window and
Retry-After, client identification, scopes, and atomic counting under concurrency
(threads on the local cache, processes on a shared Redis)."""

import json
import os
import random
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import path

from restcycle import _throttle_store, throttling
from restcycle.authentication import BasicAuthentication
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)

RATES = {
    "anon": "3/min",
    "user": "4/min",
    "uploads": "2/min",
    "burst": "2/sec",
    "sustained": "3/min",
}


class Clock:
    """The time every throttle in this module sees; each test starts at a fresh day."""

    now = 0.0


class ClockMixin:
    def timer(self):
        return Clock.now


class Anon(ClockMixin, throttling.AnonRateThrottle):
    pass


class PerUser(ClockMixin, throttling.UserRateThrottle):
    pass


class Scoped(ClockMixin, throttling.ScopedRateThrottle):
    pass


class Burst(ClockMixin, throttling.UserRateThrottle):
    scope = "burst"


class Sustained(ClockMixin, throttling.UserRateThrottle):
    scope = "sustained"


class Ping(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response({"ok": True})


def throttled_view(*throttle_classes, **attrs):
    attrs.setdefault("throttle_classes", list(throttle_classes))
    return type("ThrottledPing", (Ping,), attrs).as_view()


class Ident(Ping):
    def get(self, request):
        return Response({"ident": throttling.BaseThrottle().get_ident(request)})


class LegacyListThrottle(ClockMixin, throttling.SimpleRateThrottle):
    """A subclass written the DRF way: it keeps its own timestamp list in the cache."""

    rate = "2/min"
    cache_key = "legacy"

    def get_cache_key(self, request, view):
        return self.cache_key

    def allow_request(self, request, view):
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()


class RecordingThrottle(Anon):
    outcomes: list = []

    def throttle_success(self):
        self.outcomes.append("success")
        return super().throttle_success()

    def throttle_failure(self):
        self.outcomes.append("failure")
        return super().throttle_failure()


class Lowerable(ClockMixin, throttling.AnonRateThrottle):
    rate = "3/min"


urlpatterns = [
    path("anon/", throttled_view(Anon)),
    path("anon-or-user/", throttled_view(Anon, authentication_classes=[BasicAuthentication])),
    path("user/", throttled_view(PerUser, authentication_classes=[BasicAuthentication])),
    path("uploads-a/", throttled_view(Scoped, throttle_scope="uploads")),
    path("uploads-b/", throttled_view(Scoped, throttle_scope="uploads")),
    path("other-scope/", throttled_view(Scoped, throttle_scope="user")),
    path("no-scope/", throttled_view(Scoped)),
    path("burst-sustained/", throttled_view(Burst, Sustained)),
    path("ident/", Ident.as_view()),
    path("legacy/", throttled_view(LegacyListThrottle)),
    path("recording/", throttled_view(RecordingThrottle)),
    path("lowerable/", throttled_view(Lowerable)),
    path("bad-rate/", throttled_view(type("BadRate", (Anon,), {"scope": "badrate"}))),
    path("no-rate/", throttled_view(type("NoRate", (Anon,), {"scope": "nosuch"}))),
]


@pytest.fixture(autouse=True)
def fresh_day():
    """A fresh, slice-aligned moment per test, so counters from other tests never overlap."""
    Clock.now = float(random.randrange(10**5, 10**6) * 86400)
    with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": RATES}):
        yield


def address():
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


@pytest.fixture
def client():
    return APIClient(REMOTE_ADDR=address())


def statuses(client, url, count, **extra):
    return [client.get(url, **extra).status_code for _ in range(count)]


# --- The basic rate ------------------------------------------------------------------


def test_requests_over_the_rate_get_429_with_retry_after(client):
    assert statuses(client, "/anon/", 3) == [200, 200, 200]
    response = client.get("/anon/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json() == {"detail": "Request was throttled. Expected available in 60 seconds."}
    assert response.data["detail"].code == "throttled"


def test_window_slides_requests_free_up_as_they_age(client):
    start = Clock.now
    for offset in (0, 20, 40, 60, 80, 100):
        Clock.now = start + offset
        assert client.get("/anon/").status_code == 200, offset


def test_retry_after_counts_down_to_the_oldest_request_leaving(client):
    assert statuses(client, "/anon/", 3) == [200, 200, 200]
    Clock.now += 30
    response = client.get("/anon/")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    Clock.now += 30
    assert client.get("/anon/").status_code == 200


def test_refused_requests_are_not_counted(client):
    assert statuses(client, "/anon/", 10) == [200] * 3 + [429] * 7
    Clock.now += 60
    assert statuses(client, "/anon/", 4) == [200, 200, 200, 429]


@pytest.mark.parametrize(
    "rate, seconds",
    [
        ("2/s", 1),
        ("2/sec", 1),
        ("2/second", 1),
        ("2/m", 60),
        ("2/min", 60),
        ("2/minute", 60),
        ("2/h", 3600),
        ("2/hour", 3600),
        ("2/d", 86400),
        ("2/day", 86400),
    ],
)
def test_rate_spellings(client, rate, seconds):
    with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": rate}}):
        assert statuses(client, "/anon/", 2) == [200, 200]
        response = client.get("/anon/")
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)


def test_parse_rate_returns_requests_and_seconds():
    throttle = Lowerable()
    assert throttle.parse_rate("100/hour") == (100, 3600)
    assert throttle.parse_rate("5/Minute") == (5, 60)
    assert throttle.parse_rate(None) == (None, None)


@pytest.mark.parametrize("bad_rate", ["2/fortnight", "two/min", "2", "2/", "2/min/h", "-1/min"])
def test_bad_rate_is_improperly_configured_naming_the_scope(client, bad_rate):
    rates = {"DEFAULT_THROTTLE_RATES": {"badrate": bad_rate}}
    with (
        override_settings(REST_FRAMEWORK=rates),
        pytest.raises(ImproperlyConfigured, match="scope 'badrate'") as caught,
    ):
        client.get("/bad-rate/")
    assert isinstance(caught.value, ValueError)


def test_missing_scope_rate_is_improperly_configured(client):
    with pytest.raises(ImproperlyConfigured, match="'nosuch' scope"):
        client.get("/no-rate/")


def test_throttle_without_scope_or_rate_is_improperly_configured():
    class Unscoped(throttling.SimpleRateThrottle):
        pass

    with pytest.raises(ImproperlyConfigured, match="Unscoped"):
        Unscoped()


def test_rate_none_disables_the_throttle(client):
    with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": None}}):
        assert statuses(client, "/anon/", 10) == [200] * 10


def test_lowered_rate_refuses_without_retry_after(client):
    assert statuses(client, "/lowerable/", 3) == [200, 200, 200]
    Lowerable.rate = "1/min"
    try:
        response = client.get("/lowerable/")
    finally:
        Lowerable.rate = "3/min"
    assert response.status_code == 429
    assert "Retry-After" not in response
    assert response.json() == {"detail": "Request was throttled."}


# --- Whom the throttle counts -------------------------------------------------------------


def test_anon_throttle_counts_each_address_separately(client):
    assert statuses(client, "/anon/", 4) == [200, 200, 200, 429]
    other = APIClient(REMOTE_ADDR=address())
    assert other.get("/anon/").status_code == 200


@pytest.mark.django_db
def test_anon_throttle_ignores_authenticated_users(client):
    User.objects.create_user("alice", password="pw")
    alice = "Basic YWxpY2U6cHc="  # alice:pw
    assert statuses(client, "/anon-or-user/", 5, HTTP_AUTHORIZATION=alice) == [200] * 5
    assert statuses(client, "/anon-or-user/", 4) == [200] * 3 + [429]


@pytest.mark.django_db
def test_user_throttle_counts_per_user_not_per_address(client):
    User.objects.create_user("alice", password="pw")
    User.objects.create_user("bob", password="pw")
    alice = "Basic YWxpY2U6cHc="  # alice:pw
    bob = "Basic Ym9iOnB3"  # bob:pw
    assert statuses(client, "/user/", 5, HTTP_AUTHORIZATION=alice) == [200] * 4 + [429]
    assert statuses(client, "/user/", 4, HTTP_AUTHORIZATION=bob) == [200] * 4
    moved = APIClient(REMOTE_ADDR=address())
    assert moved.get("/user/", HTTP_AUTHORIZATION=alice).status_code == 429


def test_user_throttle_counts_anonymous_by_address(client):
    assert statuses(client, "/user/", 5) == [200] * 4 + [429]


def test_scoped_views_share_their_scopes_counter(client):
    assert statuses(client, "/uploads-a/", 2) == [200, 200]
    assert client.get("/uploads-b/").status_code == 429
    assert statuses(client, "/other-scope/", 4) == [200] * 4
    assert statuses(client, "/no-scope/", 10) == [200] * 10


def test_several_throttles_retry_after_is_the_longest_wait(client):
    assert statuses(client, "/burst-sustained/", 2) == [200, 200]
    response = client.get("/burst-sustained/")  # over the burst; the third of the minute
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    Clock.now += 1
    response = client.get("/burst-sustained/")  # burst free again, the minute is full
    assert response.status_code == 429
    assert response["Retry-After"] == "59"


@pytest.mark.parametrize(
    "num_proxies, forwarded_for, expected",
    [
        (None, None, "192.0.2.1"),
        (None, "203.0.113.5, 198.51.100.7", "203.0.113.5,198.51.100.7"),
        (0, "203.0.113.5", "192.0.2.1"),
        (1, "203.0.113.5, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.5, 198.51.100.7", "203.0.113.5"),
        (5, "203.0.113.5, 198.51.100.7", "203.0.113.5"),
        (1, None, "192.0.2.1"),
    ],
)
def test_client_ident_honours_num_proxies(num_proxies, forwarded_for, expected):
    extra = {"REMOTE_ADDR": "192.0.2.1"}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    with override_settings(REST_FRAMEWORK={"NUM_PROXIES": num_proxies}):
        response = APIClient().get("/ident/", **extra)
    assert response.json() == {"ident": expected}


def test_hostile_forwarded_for_is_counted_not_crashed_on(client):
    hostile = "\x01" * 300 + "é"
    assert statuses(client, "/anon/", 4, HTTP_X_FORWARDED_FOR=hostile) == [200] * 3 + [429]


# --- Subclass compatibility --------------------------------------------------------------


def test_subclass_keeping_its_own_history_list_still_throttles(client):
    LegacyListThrottle.cache_key = f"legacy-{uuid.uuid4().hex}"
    assert statuses(client, "/legacy/", 3) == [200, 200, 429]
    assert client.get("/legacy/")["Retry-After"] == "60"


def test_success_and_failure_hooks_are_called(client):
    RecordingThrottle.outcomes = []
    statuses(client, "/recording/", 4)
    assert RecordingThrottle.outcomes == ["success"] * 3 + ["failure"]


def test_history_lists_counted_requests_newest_first():
    class Keyed(ClockMixin, throttling.SimpleRateThrottle):
        rate = "5/min"

        def get_cache_key(self, request, view):
            return key

    key = f"history-{uuid.uuid4().hex}"
    first = Keyed()
    assert first.allow_request(None, None)
    Clock.now += 12
    second = Keyed()
    assert second.allow_request(None, None)
    start = Clock.now - 12
    assert second.history == [start + 12, start]
    assert second.key == key
    assert second.now == Clock.now


# --- Atomic counting -----------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["one entry", "counter per slice"])
def test_concurrent_threads_admit_exactly_the_rate(monkeypatch, layout):
    """Within one process both layouts count atomically (the per-slice counters are what
    Memcached gets; the local-memory cache uses one entry under a lock)."""
    if layout == "counter per slice":
        monkeypatch.setattr(_throttle_store, "_shared_counters", lambda cache: True)
    url = "/anon/"
    ip = address()
    admitted = []
    start = threading.Barrier(8)

    def fire():
        client = Client(REMOTE_ADDR=ip)
        start.wait()
        for _ in range(10):
            admitted.append(client.get(url).status_code)

    threads = [threading.Thread(target=fire) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert admitted.count(200) == 3
    assert admitted.count(429) == 77


WORKER = Path(__file__).with_name("throttle_worker.py")


@pytest.mark.redis
def test_concurrent_processes_on_redis_admit_exactly_the_rate(redis_url):
    processes, requests_each, rate = 4, 25, 20
    prefix = f"restcycle-throttle-{uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(WORKER.parent.parent), "src"])}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), redis_url, prefix, str(rate), str(requests_each)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(processes)
    ]
    # Each worker sets Django up, says "ready", and waits for the word to fire.
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    assert sum(result["200"] for result in results) == rate
    assert sum(result["429"] for result in results) == processes * requests_each - rate
