"""Authentication schemes, end to end: every authenticator against every permission class,
for anonymous, good and bad credentials, and each scheme's malformed-header answers."""

import base64

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import path

from restcycle import authentication, permissions
from restcycle.authentication import get_authorization_header
from restcycle.authtoken.models import Token
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView
from tests.models import AuthDocument

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

AUTHENTICATORS = {
    "session": authentication.SessionAuthentication,
    "basic": authentication.BasicAuthentication,
    "token": authentication.TokenAuthentication,
    "remote": authentication.RemoteUserAuthentication,
}
PERMISSIONS = {
    "allow_any": permissions.AllowAny,
    "authenticated": permissions.IsAuthenticated,
    "admin": permissions.IsAdminUser,
    "authenticated_or_read_only": permissions.IsAuthenticatedOrReadOnly,
    "model": permissions.DjangoModelPermissions,
    "model_or_anon_read_only": permissions.DjangoModelPermissionsOrAnonReadOnly,
}
WWW_AUTHENTICATE = {
    "session": None,
    "basic": 'Basic realm="api"',
    "token": "Token",
    "remote": None,
}
BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "django.contrib.auth.backends.RemoteUserBackend",
]


class WhoAmI(APIView):
    queryset = AuthDocument.objects.all()  # for the Django model permissions

    def get(self, request):
        user = request.user
        return Response(
            {
                "user": user.get_username() if user.is_authenticated else None,
                "auth": type(request.auth).__name__ if request.auth is not None else None,
            }
        )

    def post(self, request):
        return self.get(request)


def _view(authenticator, permission):
    return type(
        f"{authenticator.__name__}{permission.__name__}View",
        (WhoAmI,),
        {"authentication_classes": [authenticator], "permission_classes": [permission]},
    ).as_view()


class BearerAuthentication(authentication.TokenAuthentication):
    keyword = "Bearer"


class ShopRealmBasicAuthentication(authentication.BasicAuthentication):
    www_authenticate_realm = "shop"


class DefaultAuthenticationView(WhoAmI):
    """Defined before any test changes settings: takes DEFAULT_AUTHENTICATION_CLASSES."""

    permission_classes = [permissions.IsAuthenticated]


urlpatterns = [
    path(f"{auth_name}/{perm_name}/", _view(auth, perm))
    for auth_name, auth in AUTHENTICATORS.items()
    for perm_name, perm in PERMISSIONS.items()
] + [
    path("default-authentication/", DefaultAuthenticationView.as_view()),
    path("bearer/", _view(BearerAuthentication, permissions.IsAuthenticated)),
    path("shop/", _view(ShopRealmBasicAuthentication, permissions.IsAuthenticated)),
    path(
        "remote/",
        _view(authentication.RemoteUserAuthentication, permissions.IsAuthenticated),
    ),
    path(
        "token-then-basic/",
        type(
            "TokenThenBasic",
            (WhoAmI,),
            {
                "authentication_classes": [
                    authentication.TokenAuthentication,
                    authentication.BasicAuthentication,
                ],
                "permission_classes": [permissions.IsAuthenticated],
            },
        ).as_view(),
    ),
]


def basic(username, password, encoding="utf-8"):
    raw = f"{username}:{password}".encode(encoding)
    return "Basic " + base64.b64encode(raw).decode("ascii")


@pytest.fixture
def alice():
    return User.objects.create_user("alice", "alice@example.com", "wonderland")


@pytest.fixture
def client():
    return APIClient()


def _authenticate(client, scheme, user, state):
    """Put credentials of `state` ("anonymous", "valid", "wrong") for `scheme` on the client."""
    if state == "anonymous":
        return
    if scheme == "session":
        client.force_login(user)
        if state == "wrong":
            # The session still names the user, but the account was disabled since.
            user.is_active = False
            user.save()
    elif scheme == "basic":
        password = "wonderland" if state == "valid" else "looking-glass"
        client.credentials(HTTP_AUTHORIZATION=basic(user.username, password))
    elif scheme == "remote":
        # A front-end server vouches for the user; "wrong" names a disabled account.
        client.defaults["REMOTE_USER"] = user.username
        if state == "wrong":
            user.is_active = False
            user.save()
    else:
        key = Token.objects.create(user=user).key if state == "valid" else "f" * 40
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")


def _expected(scheme, permission, state, method):
    """(status, detail code) DRF's rules give for this cell of the matrix.

    Bad credentials fail authentication outright where the scheme can tell (a header);
    a session or remote user that is no longer active is simply anonymous. An anonymous
    refusal is 401 when the authenticator names a `WWW-Authenticate` scheme, else 403.
    The user holds no model permissions, so model permissions allow only reads.
    """
    if state == "wrong" and scheme in ("basic", "token"):
        return 401, "authentication_failed"
    authenticated = state == "valid"
    unauthenticated_status = 401 if WWW_AUTHENTICATE[scheme] else 403
    read = method == "get"
    if permission == "allow_any":
        return 200, None
    if permission in ("authenticated_or_read_only", "model_or_anon_read_only") and read:
        return 200, None
    if not authenticated:
        return unauthenticated_status, "not_authenticated"
    if permission == "admin" or (permission.startswith("model") and not read):
        return 403, "permission_denied"
    return 200, None


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("state", ["anonymous", "valid", "wrong"])
@pytest.mark.parametrize("permission", list(PERMISSIONS))
@pytest.mark.parametrize("scheme", list(AUTHENTICATORS))
@override_settings(AUTHENTICATION_BACKENDS=BACKENDS)
def test_authenticator_permission_matrix(client, alice, scheme, permission, state, method):
    _authenticate(client, scheme, alice, state)
    response = getattr(client, method)(f"/{scheme}/{permission}/", {}, format="json")
    status, code = _expected(scheme, permission, state, method)

    assert response.status_code == status, response.content
    if status == 200:
        expected_user = "alice" if state == "valid" else None
        assert response.json()["user"] == expected_user
    else:
        assert set(response.json()) == {"detail"}
        assert response.data["detail"].code == code
    if status == 401:
        assert response["WWW-Authenticate"] == WWW_AUTHENTICATE[scheme]
    else:
        assert "WWW-Authenticate" not in response


def test_staff_user_passes_is_admin_user(client, alice):
    alice.is_staff = True
    alice.save()
    client.credentials(HTTP_AUTHORIZATION=basic("alice", "wonderland"))
    response = client.get("/basic/admin/")
    assert response.status_code == 200
    assert response.json() == {"user": "alice", "auth": None}


def test_unauthenticated_detail_texts(client):
    response = client.get("/token/authenticated/")
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    response = client.get("/session/authenticated/")
    assert response.json() == {"detail": "Authentication credentials were not provided."}


# --- Basic ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, detail",
    [
        ("Basic", "Invalid basic header. No credentials provided."),
        ("Basic abc def", "Invalid basic header. Credentials string should not contain spaces."),
        ("Basic !!!!", "Invalid basic header. Credentials not correctly base64 encoded."),
        (
            "Basic " + base64.b64encode(b"no-colon-here").decode(),
            "Invalid basic header. Credentials not correctly base64 encoded.",
        ),
        (basic("alice", "wrong"), "Invalid username/password."),
        (basic("nobody", "wonderland"), "Invalid username/password."),
        (basic("ali\x00ce", "wonderland"), "Invalid username/password."),
    ],
)
def test_basic_bad_credentials_are_401_with_details(client, alice, header, detail):
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/basic/allow_any/")
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


def test_basic_scheme_name_is_case_insensitive(client, alice):
    client.credentials(HTTP_AUTHORIZATION=basic("alice", "wonderland").replace("Basic", "bAsIc"))
    assert client.get("/basic/authenticated/").json()["user"] == "alice"


def test_basic_credentials_in_latin1_are_accepted(client):
    User.objects.create_user("josé", password="café")
    client.credentials(HTTP_AUTHORIZATION=basic("josé", "café", encoding="latin-1"))
    assert client.get("/basic/authenticated/").json()["user"] == "josé"


def test_basic_credentials_in_utf8_are_accepted(client):
    User.objects.create_user("zoë", password="pâté")
    client.credentials(HTTP_AUTHORIZATION=basic("zoë", "pâté"))
    assert client.get("/basic/authenticated/").json()["user"] == "zoë"


def test_basic_password_may_contain_colons(client):
    User.objects.create_user("carol", password="a:b:c")
    client.credentials(HTTP_AUTHORIZATION=basic("carol", "a:b:c"))
    assert client.get("/basic/authenticated/").status_code == 200


@override_settings(
    AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.AllowAllUsersModelBackend"]
)
def test_basic_inactive_user_is_refused(client, alice):
    alice.is_active = False
    alice.save()
    client.credentials(HTTP_AUTHORIZATION=basic("alice", "wonderland"))
    response = client.get("/basic/allow_any/")
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_basic_realm_is_configurable(client):
    response = client.get("/shop/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="shop"'


def test_other_scheme_is_left_to_the_next_authenticator(client, alice):
    client.credentials(HTTP_AUTHORIZATION=basic("alice", "wonderland"))
    response = client.get("/token-then-basic/")
    assert response.json() == {"user": "alice", "auth": None}


def test_first_authenticator_header_decides_401(client):
    response = client.get("/token-then-basic/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# --- Token ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, detail",
    [
        ("Token", "Invalid token header. No credentials provided."),
        ("Token abc def", "Invalid token header. Token string should not contain spaces."),
        (
            "Token \xff\xfe",
            "Invalid token header. Token string should not contain invalid characters.",
        ),
        ("Token " + "0" * 40, "Invalid token."),
        ("Token abc\x00def", "Invalid token."),
        ("Token ☃", "Invalid token."),
    ],
)
def test_token_bad_headers_are_401_with_details(client, header, detail):
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/token/allow_any/")
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response["WWW-Authenticate"] == "Token"


def test_token_authenticates_with_its_user_and_token(client, alice):
    token = Token.objects.create(user=alice)
    client.credentials(HTTP_AUTHORIZATION=f"token {token.key}")
    assert client.get("/token/authenticated/").json() == {"user": "alice", "auth": "Token"}


def test_token_key_must_match_exactly(client, alice):
    token = Token.objects.create(user=alice, key="abcdef" + "0" * 34)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key.upper()}")
    response = client.get("/token/allow_any/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_token_of_inactive_user_is_refused(client, alice):
    token = Token.objects.create(user=alice)
    alice.is_active = False
    alice.save()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/token/allow_any/")
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_token_lookup_fetches_user_in_the_same_query(alice, django_assert_num_queries):
    token = Token.objects.create(user=alice)
    with django_assert_num_queries(1):
        user, auth = authentication.TokenAuthentication().authenticate_credentials(token.key)
        assert user.username == "alice"
    assert auth == token


def test_token_keyword_is_configurable(client, alice):
    token = Token.objects.create(user=alice)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/bearer/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert client.get("/bearer/").json()["user"] == "alice"


def test_token_model_is_overridable():
    class CustomModelAuthentication(authentication.TokenAuthentication):
        model = User

    assert CustomModelAuthentication().get_model() is User
    assert authentication.TokenAuthentication().get_model() is Token


# --- Remote user ----------------------------------------------------------------------


@override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.RemoteUserBackend"])
def test_remote_user_header_authenticates(client):
    response = client.get("/remote/", REMOTE_USER="dora")
    assert response.status_code == 200
    assert response.json()["user"] == "dora"
    assert User.objects.filter(username="dora").exists()


@override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.RemoteUserBackend"])
def test_remote_user_absent_is_anonymous(client):
    assert client.get("/remote/").status_code == 403


@override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.RemoteUserBackend"])
@pytest.mark.parametrize("name", ["x" * 200, "nul\x00byte"], ids=["too-long", "nul-byte"])
def test_a_remote_user_name_the_user_table_cannot_hold_is_refused_not_a_500(client, name):
    response = client.get("/remote/", REMOTE_USER=name)
    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid username/password."}
    assert not User.objects.exists()
    assert client.get("/remote/", REMOTE_USER="dora").status_code == 200  # connection still fine


# --- get_authorization_header ---------------------------------------------------------


def test_authorization_header_is_bytes_whatever_the_input():
    class Carrier:
        def __init__(self, meta):
            self.META = meta

    assert get_authorization_header(Carrier({})) == b""
    assert get_authorization_header(Carrier({"HTTP_AUTHORIZATION": "Token x"})) == b"Token x"
    assert get_authorization_header(Carrier({"HTTP_AUTHORIZATION": b"Token y"})) == b"Token y"
    assert get_authorization_header(Carrier({"HTTP_AUTHORIZATION": "Token ☃"})) == (
        "Token ☃".encode()
    )


# A deliberate difference (docs/compatibility.md): DRF copies the setting into
# `APIView.authentication_classes` once, at import, so there `override_settings` misses
# every view defined before it; restcycle reads the setting when the view runs.
@pytest.mark.parametrize(
    "classes, status, challenge",
    [
        (["restcycle.authentication.BasicAuthentication"], 401, 'Basic realm="api"'),
        (["restcycle.authentication.SessionAuthentication"], 403, None),
    ],
)
def test_overridden_default_authentication_reaches_views_defined_before(
    client, classes, status, challenge
):
    with override_settings(REST_FRAMEWORK={"DEFAULT_AUTHENTICATION_CLASSES": classes}):
        response = client.get("/default-authentication/")
    assert response.status_code == status
    assert response.get("WWW-Authenticate") == challenge


def test_overridden_default_authentication_does_not_replace_a_views_own_classes(client, alice):
    setting = ["restcycle.authentication.SessionAuthentication"]
    with override_settings(REST_FRAMEWORK={"DEFAULT_AUTHENTICATION_CLASSES": setting}):
        response = client.get(
            "/basic/authenticated/", HTTP_AUTHORIZATION=basic("alice", "wonderland")
        )
    assert response.status_code == 200
    assert response.json()["user"] == "alice"
