"""The `authtoken` app config."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthTokenConfig(AppConfig):
    # "restcycle.authtoken" natively, "rest_framework.authtoken" under the drop-in alias.
    name = __name__.rpartition(".")[0]
    label = "authtoken"
    verbose_name = _("Auth Token")
    default = True
