"""Opt-in hashed token keys (restcycle): the database holds a digest, never the key.

    REST_FRAMEWORK = {"HASHED_TOKENS": True}

A new token's key is shown once (the obtain-token view's response, `drf_create_token`,
the admin's add message) and stored as `h$` + 38 hex digits of a BLAKE2b-152 digest,
personalised for restcycle tokens: 40 characters, so it fits DRF's `key` column and
its migrations stay DRF's. Tokens stored before are still accepted (the `h$` prefix,
never in a generated key, tells them apart) until `manage.py hash_tokens` converts them.

No key or salt: a generated key is 160 random bits, so its digest cannot be reversed or
precomputed, and a digest that depends on SECRET_KEY would lose every token when the
secret is rotated. A lookup by digest is an index lookup, and the match is confirmed
with `hmac.compare_digest`. See docs/migrating-from-drf.md#tokens-stored-hashed.
"""

from __future__ import annotations

import hashlib
import hmac

from ..settings import api_settings

PREFIX = "h$"
_DIGEST_BYTES = 19  # 38 hex digits: with the prefix, the 40 characters of the key column
_PERSON = b"restcycle-token"
# The stored form, as a database regex (hash_tokens skips the rows already hashed).
HASHED_PATTERN = r"^h\$[0-9a-f]{38}$"
_HEX = frozenset("0123456789abcdef")


def hashing_enabled() -> bool:
    """Whether new token keys are stored hashed (the HASHED_TOKENS setting)."""
    return bool(api_settings.HASHED_TOKENS)


def hash_key(key: str) -> str:
    """The stored form of a token key: `h$` and 38 hex digits."""
    digest = hashlib.blake2b(
        key.encode("utf-8"), digest_size=_DIGEST_BYTES, person=_PERSON
    ).hexdigest()
    return PREFIX + digest


def is_hashed(stored: str) -> bool:
    """True when a stored (or presented) value has the form of a hashed key."""
    return (
        len(stored) == len(PREFIX) + 2 * _DIGEST_BYTES
        and stored.startswith(PREFIX)
        and all(char in _HEX for char in stored[len(PREFIX) :])
    )


def stored_forms(key: str) -> list[str]:
    """The stored values that could hold the presented `key`: its digest, and the key
    itself unless it looks like a digest (a stolen digest must not work as a key)."""
    forms = [hash_key(key)]
    if not is_hashed(key):
        forms.append(key)
    return forms


def matches(key: str, stored: str) -> bool:
    """Whether the presented `key` is the one `stored` holds, in constant time."""
    expected = hash_key(key) if is_hashed(stored) else key
    return hmac.compare_digest(expected.encode("utf-8"), stored.encode("utf-8"))
