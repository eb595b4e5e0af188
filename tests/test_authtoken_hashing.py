"""Opt-in hashed tokens (HASHED_TOKENS): only a digest of each key is stored, the key is
shown once, plaintext tokens keep working until `hash_tokens` converts them."""

import io
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import path

from restcycle.authentication import TokenAuthentication
from restcycle.authtoken.hashing import hash_key, is_hashed
from restcycle.authtoken.models import Token
from restcycle.authtoken.views import obtain_auth_token
from restcycle.permissions import IsAuthenticated
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView


class WhoAmI(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"username": request.user.username})


urlpatterns = [
    path("token/", obtain_auth_token),
    path("me/", WhoAmI.as_view()),
    path("admin/", admin.site.urls),
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

STORED_FORM = re.compile(r"^h\$[0-9a-f]{38}$")


@pytest.fixture
def hashed_tokens(settings):
    settings.REST_FRAMEWORK = {"HASHED_TOKENS": True}


@pytest.fixture
def alice():
    return User.objects.create_user("alice", "alice@example.com", "wonderland")


def who_is(key):
    response = APIClient().get("/me/", HTTP_AUTHORIZATION=f"Token {key}")
    return response.status_code, response.json()


def obtain(username="alice", password="wonderland"):
    response = APIClient().post(
        "/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200
    return response.json()["token"]


def test_a_new_token_stores_only_a_digest_that_fits_drfs_column(hashed_tokens, alice):
    token = Token.objects.create(user=alice)
    stored = Token.objects.get(user=alice).key
    assert STORED_FORM.match(stored)
    assert len(stored) == Token._meta.get_field("key").max_length == 40
    assert token.plaintext_key != stored
    assert re.fullmatch(r"[0-9a-f]{40}", token.plaintext_key)
    assert stored == hash_key(token.plaintext_key)


def test_the_key_authenticates_and_the_digest_does_not(hashed_tokens, alice):
    token = Token.objects.create(user=alice)
    assert who_is(token.plaintext_key) == (200, {"username": "alice"})
    assert who_is(token.key) == (401, {"detail": "Invalid token."})
    other_last_digit = "1" if token.plaintext_key.endswith("0") else "0"
    assert who_is(token.plaintext_key[:-1] + other_last_digit)[0] == 401


@pytest.mark.shadow_off("each side makes a random key and stores only its digest")
def test_the_obtain_view_shows_a_new_key_once(hashed_tokens, alice):
    key = obtain()
    assert not is_hashed(key)
    assert Token.objects.get(user=alice).key == hash_key(key)
    assert who_is(key)[0] == 200


@pytest.mark.shadow_off("each side makes a random key and stores only its digest")
def test_obtaining_again_replaces_a_hashed_token(hashed_tokens, alice):
    first = obtain()
    second = obtain()
    assert first != second
    assert who_is(first)[0] == 401
    assert who_is(second)[0] == 200
    assert Token.objects.filter(user=alice).count() == 1


def test_a_plaintext_token_keeps_working_during_the_transition(hashed_tokens, alice):
    legacy = Token.objects.bulk_create([Token(key="a" * 40, user=alice)])[0]
    assert who_is(legacy.key) == (200, {"username": "alice"})
    # The obtain view still hands out the key it can read.
    assert obtain() == "a" * 40


def test_hash_tokens_converts_plaintext_rows_and_the_keys_still_work(hashed_tokens, alice):
    bob = User.objects.create_user("bob", password="pw")
    Token.objects.bulk_create([Token(key="a" * 40, user=alice), Token(key="b" * 40, user=bob)])
    out = io.StringIO()
    call_command("hash_tokens", "--batch-size", "1", stdout=out)
    assert out.getvalue().strip() == "Hashed 2 token(s)."
    assert sorted(Token.objects.values_list("key", flat=True)) == sorted(
        [hash_key("a" * 40), hash_key("b" * 40)]
    )
    assert who_is("a" * 40) == (200, {"username": "alice"})
    assert who_is("b" * 40) == (200, {"username": "bob"})


def test_hash_tokens_run_again_converts_nothing(hashed_tokens, alice):
    Token.objects.create(user=alice)
    stored = Token.objects.get().key
    out = io.StringIO()
    call_command("hash_tokens", stdout=out)
    assert out.getvalue().strip() == "Hashed 0 token(s)."
    assert Token.objects.get().key == stored


def test_hash_tokens_refuses_without_the_setting(alice):
    Token.objects.bulk_create([Token(key="a" * 40, user=alice)])
    with pytest.raises(CommandError, match="HASHED_TOKENS"):
        call_command("hash_tokens", stdout=io.StringIO())
    assert Token.objects.get().key == "a" * 40


def test_create_token_command_prints_the_key_once(hashed_tokens, alice):
    out = io.StringIO()
    call_command("drf_create_token", "alice", stdout=out)
    key = re.fullmatch(r"Generated token (\S+) for user alice\n", out.getvalue()).group(1)
    assert who_is(key)[0] == 200
    with pytest.raises(CommandError, match="cannot be shown again"):
        call_command("drf_create_token", "alice", stdout=io.StringIO())


def test_create_token_command_reset_gives_a_new_key(hashed_tokens, alice):
    call_command("drf_create_token", "alice", stdout=io.StringIO())
    out = io.StringIO()
    call_command("drf_create_token", "alice", "-r", stdout=out)
    key = out.getvalue().split()[2]
    assert Token.objects.get(user=alice).key == hash_key(key)
    assert who_is(key)[0] == 200


def test_the_admin_add_view_shows_the_key_once(hashed_tokens, client, alice):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    response = client.post("/admin/authtoken/tokenproxy/add/", {"user": alice.pk}, follow=True)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    key = next(re.search(r"key is ([0-9a-f]{40})\.", text) for text in shown if "key is" in text)
    assert who_is(key.group(1))[0] == 200
    listing = client.get("/admin/authtoken/tokenproxy/").content.decode()
    assert key.group(1) not in listing
    assert Token.objects.get(user=alice).key in listing


def test_without_the_setting_keys_are_stored_as_drf_stores_them(alice):
    token = Token.objects.create(user=alice)
    assert re.fullmatch(r"[0-9a-f]{40}", Token.objects.get().key)
    assert "plaintext_key" not in token.__dict__
    assert obtain() == token.key


def test_without_the_setting_a_digest_is_not_a_key(settings, alice):
    settings.REST_FRAMEWORK = {"HASHED_TOKENS": True}
    token = Token.objects.create(user=alice)
    settings.REST_FRAMEWORK = {}
    assert who_is(token.key)[0] == 401
