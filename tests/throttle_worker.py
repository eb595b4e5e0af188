"""One worker process for test_throttling's Redis concurrency test (not a test module).

Usage: throttle_worker.py REDIS_URL KEY_PREFIX RATE_PER_HOUR REQUESTS
Sets Django up against the shared Redis, prints "ready", waits for a line on stdin,
then sends REQUESTS anonymous requests from one address to a throttled view and
prints {"200": n, "429": m} as JSON.
"""

import json
import sys

import django
from django.conf import settings
from django.urls import path

redis_url, key_prefix, rate, requests = sys.argv[1:5]

settings.configure(
    SECRET_KEY="throttle-worker",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "restcycle"],
    MIDDLEWARE=[],
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": key_prefix,
        }
    },
    REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": f"{rate}/hour"}},
)
django.setup()

from django.test import Client  # noqa: E402

from restcycle.response import Response  # noqa: E402
from restcycle.throttling import AnonRateThrottle  # noqa: E402
from restcycle.views import APIView  # noqa: E402


class Ping(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = [AnonRateThrottle]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("ping/", Ping.as_view())]

client = Client(REMOTE_ADDR="198.51.100.42")
client.get("/ping/", HTTP_X_FORWARDED_FOR="warm-up")  # imports and URL resolution, elsewhere
print("ready", flush=True)
sys.stdin.readline()
counts = {"200": 0, "429": 0}
for _ in range(int(requests)):
    status = client.get("/ping/").status_code
    counts[str(status)] = counts.get(str(status), 0) + 1
print(json.dumps(counts), flush=True)
