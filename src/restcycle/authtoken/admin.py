"""The admin for tokens: listed and edited through `TokenProxy`, addressed by user.

A token's key is its primary key, and the admin would put it in every change URL
and log entry; the proxy makes the user's pk stand in for it instead. Customise
with e.g. `TokenAdmin.raw_id_fields = ["user"]` in your own admin module. With
HASHED_TOKENS, the add view shows the new key once, in a message; the list shows digests.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import TokenProxy

User = get_user_model()


class TokenChangeList(ChangeList):
    """Links each row to its user's pk rather than to the token key."""

    def url_for_result(self, result):
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(quote(result.user_id),),
            current_app=self.model_admin.admin_site.name,
        )


class TokenAdmin(admin.ModelAdmin):
    list_display = ("key", "user", "created")
    fields = ("user",)
    search_fields = (f"user__{User.USERNAME_FIELD}",)
    search_help_text = _("Username")
    ordering = (f"user__{User.USERNAME_FIELD}",)
    # Bulk actions select rows by primary key, and a TokenProxy's pk is its user's.
    actions = None
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        plaintext = obj.__dict__.get("plaintext_key")
        if not change and plaintext:
            # HASHED_TOKENS: the database holds only a digest; this is the one showing.
            self.message_user(
                request,
                _(
                    "The new token's key is {key}. Copy it now: only its hash is stored, "
                    "and it will not be shown again."
                ).format(key=plaintext),
                messages.WARNING,
            )

    def get_changelist(self, request, **kwargs):
        return TokenChangeList

    def get_object(self, request, object_id, from_field=None):
        """The token of the user whose pk is `object_id`, or None."""
        queryset = self.get_queryset(request)
        try:
            user_pk = User._meta.pk.to_python(object_id)
            return queryset.get(user__pk=user_pk)
        except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
            return None


admin.site.register(TokenProxy, TokenAdmin)
