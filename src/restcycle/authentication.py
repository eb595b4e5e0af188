"""Authentication schemes: who sent this request?

A view tries each authenticator in `authentication_classes` in turn, lazily, the
first time `request.user` or `request.auth` is read. An authenticator returns
`(user, auth)` when its credentials are present and good, `None` when they are
absent (the next one is tried), and raises `AuthenticationFailed` when they are
present but bad. `authenticate_header()` gives the `WWW-Authenticate` value that
turns an unauthenticated refusal into a 401 (without one it is a 403).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.db import DataError, router, transaction
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext_lazy as _

from . import HTTP_HEADER_ENCODING, exceptions
from .authtoken import hashing


def get_authorization_header(request: Any) -> bytes:
    """The request's `Authorization` header as bytes (b"" when absent)."""
    auth = request.META.get("HTTP_AUTHORIZATION", b"")
    if isinstance(auth, str):
        # WSGI and ASGI give latin-1 strings; anything else (a test client given
        # arbitrary text) is kept as UTF-8 so it is refused, not crashed on.
        try:
            auth = auth.encode(HTTP_HEADER_ENCODING)
        except UnicodeEncodeError:
            auth = auth.encode("utf-8")
    return auth


def _same_secret(given: str, stored: str) -> bool:
    """Exact comparison in constant time (also guards against case-insensitive collations)."""
    return hmac.compare_digest(given.encode("utf-8"), stored.encode("utf-8"))


class CSRFCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering with the failure reason instead of a response."""

    def _reject(self, request: Any, reason: str) -> str:
        return reason


class BaseAuthentication:
    """An authentication scheme. Subclasses implement `authenticate()`."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        """`(user, auth)` for good credentials, None when absent; raise when bad."""
        raise NotImplementedError(".authenticate() must be overridden.")

    def authenticate_header(self, request: Any) -> str | None:
        """The `WWW-Authenticate` value for a 401, or None to answer 403 instead."""
        return None


class BasicAuthentication(BaseAuthentication):
    """HTTP Basic: `Authorization: Basic base64(username:password)`."""

    www_authenticate_realm = "api"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"basic":
            return None
        if len(parts) == 1:
            raise exceptions.AuthenticationFailed(
                _("Invalid basic header. No credentials provided.")
            )
        if len(parts) > 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid basic header. Credentials string should not contain spaces.")
            )
        try:
            userid, password = _decode_basic_credentials(parts[1])
        except ValueError:
            raise exceptions.AuthenticationFailed(
                _("Invalid basic header. Credentials not correctly base64 encoded.")
            )
        return self.authenticate_credentials(userid, password, request)

    def authenticate_credentials(
        self, userid: str, password: str, request: Any = None
    ) -> tuple[Any, None]:
        """Check the username and password with Django's authentication backends."""
        if "\x00" in userid or "\x00" in password:
            # No backend can hold such a name; some databases refuse to even look.
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        credentials = {get_user_model().USERNAME_FIELD: userid, "password": password}
        user = authenticate(request=request, **credentials)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, None)

    def authenticate_header(self, request: Any) -> str:
        return f'Basic realm="{self.www_authenticate_realm}"'


def _decode_basic_credentials(encoded: bytes) -> tuple[str, str]:
    """`userid, password` from the base64 part of a Basic header; ValueError when malformed.

    The bytes are UTF-8 (RFC 7617) or, from older clients, latin-1.
    """
    try:
        raw = base64.b64decode(encoded)
    except (binascii.Error, ValueError):
        raise ValueError("not base64")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    userid, colon, password = text.partition(":")
    if not colon:
        raise ValueError("no colon")
    return userid, password


class SessionAuthentication(BaseAuthentication):
    """Django's session login, with CSRF enforced on unsafe methods.

    It reads the user Django's AuthenticationMiddleware put on the request. There is
    no `WWW-Authenticate` for sessions, so an unauthenticated refusal is a 403.
    """

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        if not user or not user.is_active:
            return None
        self.enforce_csrf(request)
        return (user, None)

    def enforce_csrf(self, request: Any) -> None:
        """Refuse with 403 "CSRF Failed: <reason>" when Django's CSRF check fails."""

        def no_response(request: Any) -> None:
            return None

        check = CSRFCheck(no_response)
        # Reads the CSRF cookie into request.META, as the middleware would have.
        check.process_request(request)
        reason = check.process_view(request, None, (), {})
        if reason:
            raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")


class TokenAuthentication(BaseAuthentication):
    """Token authentication: `Authorization: Token 401f7ac837da42b97f613d789819ff93537bee6a`.

    Set `keyword` for another scheme name (e.g. "Bearer") and `model` for another
    token model (it needs `key` and `user`).
    """

    keyword = "Token"
    model: Any = None

    def get_model(self) -> Any:
        if self.model is not None:
            return self.model
        from .authtoken.models import Token

        return Token

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) == 1:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. No credentials provided.")
            )
        if len(parts) > 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain spaces.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain invalid characters.")
            )
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        """The token's `(user, token)`; AuthenticationFailed when unknown or its user inactive.

        With HASHED_TOKENS, the token is found by the key's digest (or, until
        `hash_tokens` has run, by the key itself) and confirmed in constant time.
        """
        model = self.get_model()
        token = None
        # A value of the stored hashed form is never a key, setting or not: a digest
        # read from the database must not open the door it guards.
        if "\x00" not in key and not hashing.is_hashed(key):
            if hashing.hashing_enabled():
                token = self._find_hashed(model, key)
            else:
                try:
                    token = model.objects.select_related("user").get(key=key)
                except model.DoesNotExist:
                    token = None
                if token is not None and not _same_secret(key, str(token.key)):
                    token = None
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)

    def authenticate_header(self, request: Any) -> str:
        return self.keyword

    @staticmethod
    def _find_hashed(model: Any, key: str) -> Any:
        """The token stored as the key's digest, or as the key itself (not yet hashed)."""
        candidates = model.objects.select_related("user").filter(key__in=hashing.stored_forms(key))
        for token in candidates:
            if hashing.matches(key, str(token.key)):
                return token
        return None


class RemoteUserAuthentication(BaseAuthentication):
    """Trusts the user name a front-end server put in `request.META[header]`.

    Needs `django.contrib.auth.backends.RemoteUserBackend` (or a subclass) in
    AUTHENTICATION_BACKENDS; only safe when that server strips the header from clients.
    """

    header = "REMOTE_USER"

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        remote_user = request.META.get(self.header)
        if remote_user is not None and not _user_table_can_hold(remote_user):
            # The backend would look it up (or create it) and the database refuse: a 500.
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        user_model = get_user_model()
        try:
            with transaction.atomic(using=router.db_for_write(user_model)):
                user = authenticate(request=request, remote_user=remote_user)
        except DataError:
            raise exceptions.AuthenticationFailed(_("Invalid username/password.")) from None
        if user and user.is_active:
            return (user, None)
        return None


def _user_table_can_hold(username: str) -> bool:
    """No NUL byte, and no longer than the user model's username column."""
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    max_length = getattr(field, "max_length", None)
    return "\x00" not in username and (max_length is None or len(username) <= max_length)
