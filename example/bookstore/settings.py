"""Settings of the bookstore example: a DRF project, running on restcycle.

The first two lines are the whole migration from Django REST framework: every
`rest_framework` import below, and in the apps, resolves to restcycle.
DATABASE_URL (PostgreSQL) and REDIS_URL (cache, throttle counters, sessions)
come from the environment; SQLite and the local-memory cache otherwise. NUM_PROXIES
says how many reverse proxies (nginx: 1) stand in front of the app servers; see
docs/deploy.md for what it turns on.
"""

import restcycle

restcycle.install_as_rest_framework()

import os  # noqa: E402
from pathlib import Path  # noqa: E402

import dj_database_url  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "bookstore-example-not-secret")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")

# Behind NUM_PROXIES reverse proxies (deploy/: nginx, so 1), and only then, trust what the
# proxies set: the client address they append to X-Forwarded-For (throttling takes the
# NUM_PROXIES-th address from the right, which a client cannot forge), the scheme the client
# used (X-Forwarded-Proto, so request.is_secure() and absolute URLs are right once nginx
# terminates TLS) and the host it asked for (X-Forwarded-Host). nginx overwrites the last two
# on every request; without a proxy that does, a client could set them, so they stay off.
NUM_PROXIES = int(os.environ["NUM_PROXIES"]) if os.environ.get("NUM_PROXIES") else None
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "books",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "bookstore.urls"
WSGI_APPLICATION = "bookstore.wsgi.application"
ASGI_APPLICATION = "bookstore.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
# Each request's writes commit together or not at all: a worker killed between a book's
# row and its tags leaves neither (what the deploy load-and-faults test checks).
DATABASES["default"]["ATOMIC_REQUESTS"] = True

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bookstore"),
        }
    }
    # Sessions live in the shared cache, so every worker on every host sees them.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic copies here; in deploy/ nginx serves it at /static/ (the app servers never do).
STATIC_ROOT = os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 10,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Per minute, so that a burst of clicks in the browser is throttled for seconds, not an hour.
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("ANON_THROTTLE_RATE", "120/minute"),
        "user": os.environ.get("USER_THROTTLE_RATE", "1200/minute"),
        # The /api/ping/ endpoint: a small scoped rate that shows throttling across workers.
        "ping": os.environ.get("PING_THROTTLE_RATE", "5/minute"),
    },
    # The schema at /api/schema/ and the docs at /api/docs/ come from drf-spectacular.
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Bookstore API",
    "DESCRIPTION": "Authors, books, tags and reviews: a DRF project running on restcycle.",
    "VERSION": "1.0.0",
    # Swagger UI and ReDoc served from the sidecar package: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
