"""`Token`: one API key per user; `TokenProxy`: the same rows, keyed by user in the admin."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models, router
from django.utils.translation import gettext_lazy as _

_APP_NAMES = ("rest_framework.authtoken", "restcycle.authtoken")


def _app_installed() -> bool:
    """Whether the authtoken app is in INSTALLED_APPS, by module or by AppConfig path.

    When it is not, the models are abstract, so that importing this module (e.g. for
    TokenAuthentication with a custom token model) creates no table-less model.
    """
    for entry in settings.INSTALLED_APPS:
        for name in _APP_NAMES:
            if entry == name or entry.startswith(name + ".apps."):
                return True
    return False


_INSTALLED = _app_installed()


class Token(models.Model):
    """The token a user presents as `Authorization: Token <key>`."""

    key = models.CharField(_("Key"), max_length=40, primary_key=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        related_name="auth_token",
        on_delete=models.CASCADE,
        verbose_name=_("User"),
    )
    created = models.DateTimeField(_("Created"), auto_now_add=True)

    class Meta:
        abstract = not _INSTALLED
        app_label = "authtoken"
        verbose_name = _("Token")
        verbose_name_plural = _("Tokens")

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = self.generate_key()
        return super().save(*args, **kwargs)

    @classmethod
    def generate_key(cls) -> str:
        """40 hex digits from the OS's cryptographic random source."""
        return secrets.token_hex(20)

    def __str__(self) -> str:
        return self.key


class TokenProxyQuerySet(models.QuerySet):
    """Deletes through `Token`, since a TokenProxy's pk is its user's, not the token key."""

    def delete(self):
        writer = self._chain()
        writer._for_write = True
        using = writer.db  # the database the router sends writes to, as QuerySet.delete()
        keys = list(self.values_list("key", flat=True))
        return Token._base_manager.using(using).filter(key__in=keys).delete()

    delete.alters_data = True
    delete.queryset_only = True


class TokenProxy(Token):
    """Token rows addressed by their user's pk, so the admin never puts keys in URLs."""

    objects = TokenProxyQuerySet.as_manager()

    @property
    def pk(self):
        return self.user_id

    class Meta:
        proxy = _INSTALLED
        abstract = not _INSTALLED
        app_label = "authtoken"
        verbose_name = _("Token")

    def delete(self, using=None, keep_parents=False):
        """Delete the token row (with its dependents and `Token`'s signals), found by key."""
        if self.key is None:
            raise ValueError(
                f"{self._meta.object_name} object can't be deleted because its key is None."
            )
        using = using or router.db_for_write(Token, instance=self)
        loaded = [f.attname for f in Token._meta.concrete_fields if f.attname in self.__dict__]
        token = Token.from_db(self._state.db, loaded, [self.__dict__[name] for name in loaded])
        deleted = token.delete(using=using, keep_parents=keep_parents)
        self.key = None
        return deleted

    delete.alters_data = True
