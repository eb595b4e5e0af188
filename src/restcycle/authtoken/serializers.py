"""`AuthTokenSerializer`: checks a username and password for the obtain-token view."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from .. import serializers


class AuthTokenSerializer(serializers.Serializer):
    """Validates `username` and `password`; `validated_data["user"]` is the user."""

    username = serializers.CharField(label=_("Username"), write_only=True)
    password = serializers.CharField(
        label=_("Password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )
    token = serializers.CharField(label=_("Token"), read_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        username = attrs.get("username")
        password = attrs.get("password")
        if not (username and password):
            raise serializers.ValidationError(
                _('Must include "username" and "password".'), code="authorization"
            )
        # Django's ModelBackend returns None for inactive users too.
        user = authenticate(
            request=self.context.get("request"), username=username, password=password
        )
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs
