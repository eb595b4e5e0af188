"""The bookstore example's own settings, for fuzzing its views in-process (pytest --ds).

Used only by test_fuzz_example.py, which runs _fuzz_example_cases.py in a separate
interpreter: the example is a DRF project on the drop-in alias, which the main suite's
process must not install. The database is the run's (SQLite in memory, or
DATABASE_URL's server under a name of its own); the cache is local, and only the
ping view's scoped throttle is left, so the fuzzer is never throttled.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "example"))

from bookstore.settings import *  # noqa: E402, F403
from bookstore.settings import DATABASES  # noqa: E402
from bookstore.settings import REST_FRAMEWORK as _EXAMPLE_API_SETTINGS  # noqa: E402

DEBUG = False
if os.environ.get("DATABASE_URL"):
    DATABASES["default"]["TEST"] = {"NAME": f"test_bookstore_fuzz_{os.getpid()}"}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {**_EXAMPLE_API_SETTINGS, "DEFAULT_THROTTLE_CLASSES": []}
