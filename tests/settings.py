"""Django settings for restcycle's own test suite.

SQLite in memory by default; DATABASE_URL selects PostgreSQL. REDIS_URL makes
Redis Django's cache when a Redis answers there (scripts/test sets both when the
services are reachable); an unreachable one leaves the local-memory cache in place.
"""

import os

import dj_database_url

from tests._services import redis_url

SECRET_KEY = "restcycle-tests-not-secret"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "tests.urls"
ALLOWED_HOSTS = ["*"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "restcycle",
    "restcycle.authtoken",
    "tests",
]

MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

_database_url = os.environ.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url)}
    # A name of its own per run, so that two test runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_restcycle_{os.getpid()}"}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

_redis_url = redis_url()
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": f"restcycle-tests-{os.getpid()}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATIC_URL = "/static/"
MEDIA_ROOT = os.path.join(os.path.dirname(__file__), "media")

# The `tests` app has no migrations, so Django creates its tables before running any
# migration; on PostgreSQL a foreign key from it to a migrated app's table (auth.User)
# would then point at a table that does not exist yet. Creating Django's contrib apps
# without migrations too puts every table in place in one dependency-ordered pass.
# `authtoken` keeps its migrations: they are part of what the tests check.
MIGRATION_MODULES = {
    label: None for label in ("auth", "contenttypes", "sessions", "admin", "messages")
}
