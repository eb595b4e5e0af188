"""restcycle's French catalog: its messages come out in French through real views when the
client asks for French (LocaleMiddleware) or the code runs under translation.override("fr"),
and English stays the default."""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import path
from django.utils import translation

import restcycle
from restcycle import exceptions
from restcycle.test import APIClient
from tests._locale_settings import LOCALE_SETTINGS
from tests._locale_views import (
    BookingView,
    PrivateView,
    ReadOnlyView,
    ShelfView,
    ThrottledView,
)

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


CATALOG_DIR = Path(restcycle.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


urlpatterns = [
    path("shelves/<int:pk>/", ShelfView.as_view()),
    path("private/", PrivateView.as_view()),
    path("read-only/", ReadOnlyView.as_view()),
    path("bookings/", BookingView.as_view()),
    path("throttled/", ThrottledView.as_view()),
]


@pytest.fixture
def client():
    with LOCALE_SETTINGS:
        yield APIClient()


def french(client, method, url, **kwargs):
    return getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="fr", **kwargs)


def test_not_found_detail_is_french_when_client_asks_for_french(client):
    response = french(client, "get", "/shelves/999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Non trouvé."}
    assert response["Content-Language"] == "fr"


def test_missing_credentials_detail_is_french(client):
    response = french(client, "get", "/private/")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Les identifiants d'authentification n'ont pas été fournis."
    }


def test_malformed_basic_header_detail_is_french(client):
    response = french(client, "get", "/private/", HTTP_AUTHORIZATION="Basic")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "En-tête « basic » invalide. Aucun identifiant n'a été fourni."
    }


def test_required_field_and_field_limits_are_french(client):
    response = french(client, "post", "/bookings/", data={"seats": 0}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "title": ["Ce champ est obligatoire."],
        "seats": ["Assurez-vous que cette valeur est supérieure ou égale à 1."],
    }


def test_method_not_allowed_keeps_the_method_in_the_french_detail(client):
    response = french(client, "delete", "/read-only/")
    assert response.status_code == 405
    assert response.json() == {"detail": "Méthode « DELETE » non autorisée."}


@pytest.mark.parametrize(
    ("wait", "expected"),
    [
        ("0", "La requête a été limitée. Nouvel essai possible dans 0 seconde."),
        ("1", "La requête a été limitée. Nouvel essai possible dans 1 seconde."),
        ("0.2", "La requête a été limitée. Nouvel essai possible dans 1 seconde."),
        ("42", "La requête a été limitée. Nouvel essai possible dans 42 secondes."),
    ],
)
def test_throttled_detail_is_french_with_singular_and_plural(client, wait, expected):
    response = french(client, "get", "/throttled/", data={"wait": wait})
    assert response.status_code == 429
    assert response.json() == {"detail": expected}


def test_english_stays_the_default_without_accept_language(client):
    assert client.get("/shelves/999/").json() == {"detail": "Not found."}
    assert client.delete("/read-only/").json() == {"detail": 'Method "DELETE" not allowed.'}
    response = client.post("/bookings/", data={}, format="json")
    assert response.json()["title"] == ["This field is required."]


def test_french_then_english_requests_each_get_their_own_language(client):
    french_errors = french(client, "post", "/bookings/", data={}, format="json").json()
    english_errors = client.post("/bookings/", data={}, format="json").json()
    again_french = french(client, "post", "/bookings/", data={}, format="json").json()
    assert french_errors["title"] == ["Ce champ est obligatoire."]
    assert english_errors["title"] == ["This field is required."]
    assert again_french == french_errors


def test_unsupported_language_falls_back_to_english(client):
    response = client.get("/shelves/999/", HTTP_ACCEPT_LANGUAGE="xx")
    assert response.json() == {"detail": "Not found."}


def test_translation_override_translates_exceptions_raised_in_code():
    with translation.override("fr"):
        assert str(exceptions.APIException()) == "Une erreur du serveur est survenue."
        assert str(exceptions.NotFound().detail) == "Non trouvé."
        error = exceptions.ValidationError()
        assert [str(item) for item in error.detail] == ["Données invalides."]
    assert str(exceptions.APIException()) == "A server error occurred."


def _catalog_entries():
    """[(msgid, translation)] of the compiled catalog: a plural entry gives one per form."""
    with open(CATALOG_DIR / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    entries = []
    for key, text in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key  # (msgid, plural form index)
        if msgid != "":
            entries.append((msgid.rpartition("\x04")[2], text))  # without its msgctxt
    return entries


def test_compiled_catalog_matches_the_po_file():
    po_text = (CATALOG_DIR / "django.po").read_text(encoding="utf-8")
    po_count = len(re.findall(r"^msgid ", po_text, flags=re.MULTILINE)) - 1  # minus header
    plural_forms = len(re.findall(r"^msgstr\[[1-9]\]", po_text, flags=re.MULTILINE))
    assert len(_catalog_entries()) == po_count + plural_forms


def test_every_message_is_translated_with_its_placeholders_kept():
    placeholder = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]")
    for msgid, text in _catalog_entries():
        assert text.strip(), msgid
        assert text != msgid, msgid
        assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(msgid)), msgid
