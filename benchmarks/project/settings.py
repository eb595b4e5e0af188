"""Settings of the benchmark project: a small DRF project on SQLite in memory.

BENCH_IMPL=restcycle installs restcycle as `rest_framework` before anything imports
it (exactly what a DRF project does to switch); BENCH_IMPL=drf runs the real DRF,
which must then be importable and restcycle must not be.
"""

import os
from pathlib import Path

IMPL = os.environ.get("BENCH_IMPL", "restcycle")

if IMPL == "restcycle":
    import restcycle

    restcycle.install_as_rest_framework()
    # restcycle is being written module by module: use its token app once it exists.
    HAS_AUTHTOKEN = (Path(restcycle.__file__).parent / "authtoken" / "models.py").exists()
elif IMPL == "drf":
    HAS_AUTHTOKEN = True
else:
    raise RuntimeError(f"BENCH_IMPL must be 'restcycle' or 'drf', not {IMPL!r}")

SECRET_KEY = "restcycle-benchmarks-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = True
LANGUAGE_CODE = "en-us"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "benchmarks.project.urls"
WSGI_APPLICATION = "benchmarks.project.wsgi.application"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    *(["rest_framework.authtoken"] if HAS_AUTHTOKEN else []),
    "django_filters",
    "books",
]

# What a typical API deployment keeps; every implementation goes through it.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TEMPLATES = [
    {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True},
]

REST_FRAMEWORK = {
    # The fast path as it is served: never shadow mode, even under RESTCYCLE_SHADOW=1.
    "SHADOW": False,
    # JSON in, JSON out on every side: the browsable API is not what is measured.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Token only: a request without the header costs one header lookup and no query.
    "DEFAULT_AUTHENTICATION_CLASSES": (
        ["rest_framework.authentication.TokenAuthentication"] if HAS_AUTHTOKEN else []
    ),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # restcycle only (DRF ignores it): `run.py --no-prepared-lookups` turns them off.
    "PREPARED_LOOKUPS": os.environ.get("BENCH_PREPARED_LOOKUPS", "1") != "0",
}
