"""The `rest_framework` Django app: templates, static files, system checks, commands."""

from django.apps import AppConfig


class RestFrameworkConfig(AppConfig):
    # "restcycle" natively, "rest_framework" under the drop-in alias.
    name = __name__.rpartition(".")[0]
    label = "rest_framework"
    verbose_name = "Django REST framework"
    default = True

    def ready(self):
        from . import checks  # noqa: F401  registers the system checks
