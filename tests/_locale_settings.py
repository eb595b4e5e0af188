"""Settings for tests that switch language per request with Accept-Language."""

from django.test import override_settings

LOCALE_SETTINGS = override_settings(
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    LANGUAGES=[("en", "English"), ("fr", "French")],
    LANGUAGE_CODE="en",
)
