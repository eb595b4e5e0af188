"""`Token`: one API key per user; `TokenProxy`: the same rows, keyed by user in the admin."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _

from . import hashing

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
        if self._state.adding and hashing.hashing_enabled() and not hashing.is_hashed(self.key):
            # HASHED_TOKENS: the key lives on this instance only, as `plaintext_key`.
            self.plaintext_key = self.key
            self.key = hashing.hash_key(self.key)
        return super().save(*args, **kwargs)

    @property
    def shown_key(self) -> str | None:
        """The key to give the client: the plaintext if this instance made it or the row
        holds it (stored before HASHED_TOKENS), None when only its digest is known."""
        plaintext = self.__dict__.get("plaintext_key")
        if plaintext is not None:
            return plaintext
        return None if hashing.is_hashed(self.key or "") else self.key

    @classmethod
    def generate_key(cls) -> str:
        """40 hex digits from the OS's cryptographic random source."""
        return secrets.token_hex(20)

    def __str__(self) -> str:
        return self.key


def issue_token(user) -> Token:
    """The user's token with a key the client can be shown (`shown_key`).

    The existing token unless HASHED_TOKENS stores only its digest; then a new token
    replaces it, since a hashed key cannot be shown again.
    """
    with transaction.atomic(using=router.db_for_write(Token)):
        token, _created = Token.objects.get_or_create(user=user)
        if token.shown_key is None:
            Token.objects.filter(pk=token.pk).delete()
            token = Token.objects.create(user=user)
    return token


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
