"""System checks of the `rest_framework` app.

Checks DRF also has keep DRF's ids, so silencing them keeps working; restcycle's own
checks are `restcycle.*`, ids DRF will never take.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility)
def pagination_system_check(app_configs, **kwargs):
    from .settings import api_settings

    errors = []
    if api_settings.PAGE_SIZE and not api_settings.DEFAULT_PAGINATION_CLASS:
        errors.append(
            Warning(
                "You have specified a default PAGE_SIZE pagination rest_framework setting, "
                "without specifying also a DEFAULT_PAGINATION_CLASS.",
                hint="The default for DEFAULT_PAGINATION_CLASS is None. "
                "In previous versions this was PageNumberPagination. "
                "If you wish to define PAGE_SIZE globally whilst defining "
                "pagination_class on a per-view basis you may silence this check.",
                id="rest_framework.W001",
            )
        )
    return errors


# Settings that only make sense behind a reverse proxy: a project that sets one says it has one.
PROXY_SETTINGS = ("SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT")


@register(Tags.security)
def forwarded_for_system_check(app_configs, **kwargs):
    """Warn when the project is behind a proxy but throttles trust X-Forwarded-For whole.

    With NUM_PROXIES None a throttle identifies a client by its entire X-Forwarded-For
    header, whose left part the client writes: each forged value buys a fresh budget.
    """
    from .settings import api_settings

    if api_settings.NUM_PROXIES is not None:
        return []
    declared = [name for name in PROXY_SETTINGS if getattr(settings, name, None)]
    if not declared:
        return []
    return [
        Warning(
            f"{' and '.join(declared)} {'is' if len(declared) == 1 else 'are'} set, so this "
            "project runs behind a reverse proxy, but "
            "REST_FRAMEWORK['NUM_PROXIES'] is not set: throttles identify a client by the "
            "whole X-Forwarded-For header, which the client can forge to get a fresh rate.",
            hint="Set NUM_PROXIES to the number of proxies in front of Django that append "
            "to X-Forwarded-For (1 for nginx alone), or 0 to use REMOTE_ADDR only.",
            id="restcycle.W001",
        )
    ]
