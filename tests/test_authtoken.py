"""The authtoken app: the obtain-token view, the Token model, its migrations, the
drf_create_token command and the admin that addresses tokens by user."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from django.urls import path

from restcycle.authtoken.admin import TokenAdmin
from restcycle.authtoken.models import Token, TokenProxy
from restcycle.authtoken.serializers import AuthTokenSerializer
from restcycle.authtoken.views import ObtainAuthToken, obtain_auth_token
from restcycle.test import APIClient

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class ObtainTokenWithUsername(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        from restcycle.response import Response

        return Response({"token": token.key, "username": user.username})


urlpatterns = [
    path("token/", obtain_auth_token),
    path("token-plus/", ObtainTokenWithUsername.as_view()),
    path("admin/", admin.site.urls),
]


@pytest.fixture
def alice():
    return User.objects.create_user("alice", "alice@example.com", "wonderland")


@pytest.fixture
def client():
    return APIClient()


# --- obtain_auth_token -------------------------------------------------------------------


@pytest.mark.parametrize("format", ["json", "multipart"])
def test_obtain_token_returns_the_users_token(client, alice, format):
    response = client.post(
        "/token/", {"username": "alice", "password": "wonderland"}, format=format
    )
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=alice).key}


def test_obtain_token_accepts_urlencoded_forms(alice):
    from django.test import Client

    response = Client().post("/token/", {"username": "alice", "password": "wonderland"})
    assert response.json() == {"token": Token.objects.get(user=alice).key}


def test_obtain_token_twice_gives_the_same_token(client, alice):
    credentials = {"username": "alice", "password": "wonderland"}
    first = client.post("/token/", credentials, format="json").json()
    second = client.post("/token/", credentials, format="json").json()
    assert first == second
    assert Token.objects.count() == 1


def test_obtain_token_with_wrong_password_is_400(client, alice):
    response = client.post("/token/", {"username": "alice", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert response.data["non_field_errors"][0].code == "authorization"
    assert not Token.objects.exists()


def test_obtain_token_for_inactive_user_is_400(client, alice):
    alice.is_active = False
    alice.save()
    response = client.post(
        "/token/", {"username": "alice", "password": "wonderland"}, format="json"
    )
    assert response.status_code == 400


def test_obtain_token_requires_both_fields(client):
    response = client.post("/token/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }


def test_obtain_token_keeps_whitespace_in_passwords(client):
    User.objects.create_user("bob", password="  spaced  ")
    response = client.post("/token/", {"username": "bob", "password": "  spaced  "}, format="json")
    assert response.status_code == 200


def test_obtain_token_with_null_characters_is_400(client):
    response = client.post("/token/", {"username": "a\x00b", "password": "c\x00d"}, format="json")
    assert response.status_code == 400


def test_obtain_token_refuses_get(client):
    assert client.get("/token/").status_code == 405


def test_obtain_token_with_malformed_json_is_400(client):
    response = client.post("/token/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_obtain_token_view_can_be_extended(client, alice):
    response = client.post(
        "/token-plus/", {"username": "alice", "password": "wonderland"}, format="json"
    )
    assert response.json() == {"token": Token.objects.get().key, "username": "alice"}


def test_auth_token_serializer_missing_credentials_error():
    serializer = AuthTokenSerializer(data={"username": "", "password": ""})
    assert not serializer.is_valid()
    serializer = AuthTokenSerializer()
    from restcycle.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        serializer.validate({})
    assert caught.value.detail == ['Must include "username" and "password".']


def test_auth_token_serializer_password_is_write_only_and_styled():
    fields = AuthTokenSerializer().fields
    assert fields["password"].write_only
    assert fields["password"].style == {"input_type": "password"}
    assert fields["password"].trim_whitespace is False
    assert fields["token"].read_only


# --- The model ---------------------------------------------------------------------------


def test_token_key_is_generated_as_40_hex_digits(alice):
    token = Token.objects.create(user=alice)
    assert len(token.key) == 40
    int(token.key, 16)
    assert str(token) == token.key
    assert Token.generate_key() != Token.generate_key()


def test_token_keeps_a_given_key(alice):
    assert Token.objects.create(user=alice, key="k" * 40).key == "k" * 40


def test_token_is_reachable_from_its_user_and_deleted_with_it(alice):
    token = Token.objects.create(user=alice)
    assert User.objects.get(pk=alice.pk).auth_token == token
    alice.delete()
    assert not Token.objects.exists()


def test_token_proxy_pk_is_the_user_pk(alice):
    Token.objects.create(user=alice)
    assert TokenProxy.objects.get().pk == alice.pk


def test_token_table_and_labels_are_drfs():
    assert Token._meta.db_table == "authtoken_token"
    assert Token._meta.app_label == "authtoken"
    assert str(Token._meta.verbose_name) == "Token"
    assert str(Token._meta.verbose_name_plural) == "Tokens"
    assert TokenProxy._meta.proxy


def test_migrations_have_drfs_names_and_leave_nothing_to_do():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = sorted(name for app, name in loader.disk_migrations if app == "authtoken")
    assert names == [
        "0001_initial",
        "0002_auto_20160226_1747",
        "0003_tokenproxy",
        "0004_alter_tokenproxy_options",
    ]
    call_command("makemigrations", "authtoken", check=True, dry_run=True, verbosity=0)


def test_models_are_abstract_when_the_app_is_not_installed():
    script = (
        "import django\n"
        "from django.conf import settings\n"
        "settings.configure(INSTALLED_APPS=['django.contrib.contenttypes',"
        " 'django.contrib.auth', 'restcycle'])\n"
        "django.setup()\n"
        "from restcycle.authtoken.models import Token, TokenProxy\n"
        "from restcycle.authentication import TokenAuthentication\n"
        "print(Token._meta.abstract, TokenProxy._meta.abstract)\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "src")])}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_deleting_a_token_proxy_deletes_its_token_by_key(alice):
    Token.objects.create(user=alice)
    # A token whose key happens to equal alice's pk must not be mistaken for hers.
    decoy = Token.objects.create(user=User.objects.create_user("bob"), key=str(alice.pk))
    proxy = TokenProxy.objects.get(user=alice)
    assert proxy.delete() == (1, {"authtoken.Token": 1})
    assert list(Token.objects.all()) == [decoy]
    assert proxy.key is None
    with pytest.raises(ValueError):
        proxy.delete()


def test_deleting_a_deferred_token_proxy_works(alice):
    Token.objects.create(user=alice)
    deleted, _ = TokenProxy.objects.defer("created").get(user=alice).delete()
    assert deleted == 1
    assert not Token.objects.exists()


def test_token_proxy_delete_sends_the_tokens_signals(alice):
    from django.db.models.signals import post_delete

    token = Token.objects.create(user=alice)
    seen = []

    def record(sender, instance, **kwargs):
        seen.append((sender, instance.user_id))

    post_delete.connect(record, sender=Token)
    try:
        TokenProxy.objects.get(user=alice).delete()
    finally:
        post_delete.disconnect(record, sender=Token)
    assert seen == [(Token, token.user_id)]


def test_token_proxy_queryset_delete_deletes_tokens(alice):
    Token.objects.create(user=alice)
    bob_token = Token.objects.create(user=User.objects.create_user("bob"), key=str(alice.pk))
    assert TokenProxy.objects.filter(user__username="alice").delete() == (
        1,
        {"authtoken.Token": 1},
    )
    assert list(Token.objects.all()) == [bob_token]


# --- drf_create_token ----------------------------------------------------------------------


def test_create_token_command_creates_and_prints(alice):
    out = io.StringIO()
    call_command("drf_create_token", "alice", stdout=out)
    token = Token.objects.get(user=alice)
    assert out.getvalue().strip() == f"Generated token {token.key} for user alice"


def test_create_token_command_keeps_the_existing_token(alice):
    token = Token.objects.create(user=alice)
    call_command("drf_create_token", "alice", stdout=io.StringIO())
    assert Token.objects.get(user=alice).key == token.key


@pytest.mark.parametrize("flag", ["-r", "--reset"])
def test_create_token_command_reset_replaces_the_token(alice, flag):
    token = Token.objects.create(user=alice)
    call_command("drf_create_token", "alice", flag, stdout=io.StringIO())
    assert Token.objects.get(user=alice).key != token.key


def test_create_token_command_for_unknown_user_fails():
    with pytest.raises(CommandError, match="user ghost does not exist"):
        call_command("drf_create_token", "ghost", stdout=io.StringIO())


# --- The admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    superuser = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(superuser)
    return client


def test_admin_registers_token_proxy_with_token_admin():
    registered = admin.site._registry[TokenProxy]
    assert isinstance(registered, TokenAdmin)
    assert registered.get_fields(None) == ("user",)
    assert registered.get_search_fields(None) == ("user__username",)
    assert registered.get_ordering(None) == ("user__username",)
    assert "user" in registered.autocomplete_fields


def test_admin_changelist_links_rows_by_user(admin_client, alice):
    token = Token.objects.create(user=alice)
    response = admin_client.get("/admin/authtoken/tokenproxy/")
    assert response.status_code == 200
    content = response.content.decode()
    assert token.key in content
    assert f"/admin/authtoken/tokenproxy/{alice.pk}/change/" in content


def test_admin_changelist_searches_by_username(admin_client, alice):
    Token.objects.create(user=alice)
    bob_token = Token.objects.create(user=User.objects.create_user("bob"))
    response = admin_client.get("/admin/authtoken/tokenproxy/", {"q": "ali"})
    assert response.status_code == 200
    assert bob_token.key not in response.content.decode()


def test_admin_change_view_is_addressed_by_user_pk(admin_client, alice):
    token = Token.objects.create(user=alice)
    response = admin_client.get(f"/admin/authtoken/tokenproxy/{alice.pk}/change/")
    assert response.status_code == 200
    assert response.context["original"].key == token.key


@pytest.mark.parametrize("object_id", ["999999", "not-a-number"])
def test_admin_change_view_of_unknown_user_redirects(admin_client, object_id):
    response = admin_client.get(f"/admin/authtoken/tokenproxy/{object_id}/change/")
    assert response.status_code == 302


def test_admin_add_creates_a_token_for_the_user(admin_client, alice):
    response = admin_client.post("/admin/authtoken/tokenproxy/add/", {"user": alice.pk})
    assert response.status_code == 302
    assert len(Token.objects.get(user=alice).key) == 40


def test_admin_delete_removes_the_token(admin_client, alice):
    Token.objects.create(user=alice)
    url = f"/admin/authtoken/tokenproxy/{alice.pk}/delete/"
    assert admin_client.get(url).status_code == 200  # the confirmation page
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.exists()
    assert User.objects.filter(pk=alice.pk).exists()


@override_settings(LANGUAGE_CODE="en")
def test_app_verbose_name():
    from django.apps import apps

    assert str(apps.get_app_config("authtoken").verbose_name) == "Auth Token"
