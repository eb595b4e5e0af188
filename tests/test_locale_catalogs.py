"""restcycle's catalogs beyond French: each language answers through real views when the client
asks for it (a validation error, the 401/403/404 details, the throttled wait with the
language's own plural rule), every catalog covers the msgid template with its placeholders
kept, and messages Django's core catalog translates are left to Django."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import django
import pytest
from django.urls import path

import restcycle
from restcycle.permissions import BasePermission
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView
from tests._locale_settings import LOCALE_SETTINGS
from tests._locale_views import BookingView, PrivateView, ShelfView, ThrottledView
from tests._services import skip_unless_required

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

LOCALE_DIR = Path(restcycle.__file__).parent / "locale"
DJANGO_LOCALE_DIR = Path(django.__file__).parent / "conf" / "locale"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]")


@dataclass(frozen=True)
class Expected:
    """What one language answers; `throttled` maps a wait in seconds to the whole detail."""

    accept_language: str
    content_language: str
    nplurals: int
    required: str  # Django's own translation: restcycle leaves this msgid to Django
    min_value: str
    not_authenticated: str
    permission_denied: str
    not_found: str
    throttled: dict[int, str]


EXPECTED = {
    "de": Expected(
        "de",
        "de",
        2,
        "Dieses Feld ist zwingend erforderlich.",
        "Dieser Wert muss größer oder gleich 1 sein.",
        "Es wurden keine Zugangsdaten angegeben.",
        "Sie sind nicht berechtigt, diese Aktion auszuführen.",
        "Nicht gefunden.",
        {
            1: "Die Anfrage wurde gedrosselt. Wieder verfügbar in 1 Sekunde.",
            0: "Die Anfrage wurde gedrosselt. Wieder verfügbar in 0 Sekunden.",
            42: "Die Anfrage wurde gedrosselt. Wieder verfügbar in 42 Sekunden.",
        },
    ),
    "es": Expected(
        "es",
        "es",
        2,
        "Este campo es obligatorio.",
        "Asegúrese de que este valor sea mayor o igual que 1.",
        "No se proporcionaron las credenciales de autenticación.",
        "No tiene permiso para realizar esta acción.",
        "No encontrado.",
        {
            1: "La solicitud fue limitada. Disponible de nuevo en 1 segundo.",
            0: "La solicitud fue limitada. Disponible de nuevo en 0 segundos.",
            42: "La solicitud fue limitada. Disponible de nuevo en 42 segundos.",
        },
    ),
    "pt_BR": Expected(
        "pt-BR",
        "pt-br",
        2,
        "Este campo é obrigatório.",
        "Certifique-se de que este valor seja maior ou igual a 1.",
        "As credenciais de autenticação não foram fornecidas.",
        "Você não tem permissão para executar esta ação.",
        "Não encontrado.",
        {  # Brazilian Portuguese counts 0 as singular
            1: "A requisição foi limitada. Disponível novamente em 1 segundo.",
            0: "A requisição foi limitada. Disponível novamente em 0 segundo.",
            42: "A requisição foi limitada. Disponível novamente em 42 segundos.",
        },
    ),
    "it": Expected(
        "it",
        "it",
        2,
        "Questo campo è obbligatorio.",
        "Assicurati che questo valore sia maggiore o uguale a 1.",
        "Le credenziali di autenticazione non sono state fornite.",
        "Non hai il permesso di eseguire questa azione.",
        "Non trovato.",
        {
            1: "La richiesta è stata limitata. Di nuovo disponibile tra 1 secondo.",
            0: "La richiesta è stata limitata. Di nuovo disponibile tra 0 secondi.",
            42: "La richiesta è stata limitata. Di nuovo disponibile tra 42 secondi.",
        },
    ),
    "nl": Expected(
        "nl",
        "nl",
        2,
        "Dit veld is verplicht.",
        "Zorg ervoor dat deze waarde groter dan of gelijk aan 1 is.",
        "Er zijn geen inloggegevens opgegeven.",
        "U hebt geen toestemming om deze actie uit te voeren.",
        "Niet gevonden.",
        {
            1: "Het verzoek is afgeremd. Weer beschikbaar over 1 seconde.",
            0: "Het verzoek is afgeremd. Weer beschikbaar over 0 seconden.",
            42: "Het verzoek is afgeremd. Weer beschikbaar over 42 seconden.",
        },
    ),
    "pl": Expected(
        "pl",
        "pl",
        3,
        "To pole jest wymagane.",
        "Upewnij się, że ta wartość jest większa lub równa 1.",
        "Nie podano danych uwierzytelniających.",
        "Nie masz uprawnień do wykonania tej czynności.",
        "Nie znaleziono.",
        {
            1: "Żądanie zostało ograniczone. Ponowna próba możliwa za 1 sekundę.",
            3: "Żądanie zostało ograniczone. Ponowna próba możliwa za 3 sekundy.",
            22: "Żądanie zostało ograniczone. Ponowna próba możliwa za 22 sekundy.",
            5: "Żądanie zostało ograniczone. Ponowna próba możliwa za 5 sekund.",
            12: "Żądanie zostało ograniczone. Ponowna próba możliwa za 12 sekund.",
            21: "Żądanie zostało ograniczone. Ponowna próba możliwa za 21 sekund.",
        },
    ),
    "ru": Expected(
        "ru",
        "ru",
        3,
        "Обязательное поле.",
        "Убедитесь, что это значение больше либо равно 1.",
        "Учётные данные не были предоставлены.",
        "У вас нет прав на выполнение этого действия.",
        "Не найдено.",
        {
            1: "Запрос был ограничен. Повторите попытку через 1 секунду.",
            21: "Запрос был ограничен. Повторите попытку через 21 секунду.",
            2: "Запрос был ограничен. Повторите попытку через 2 секунды.",
            34: "Запрос был ограничен. Повторите попытку через 34 секунды.",
            5: "Запрос был ограничен. Повторите попытку через 5 секунд.",
            11: "Запрос был ограничен. Повторите попытку через 11 секунд.",
            0: "Запрос был ограничен. Повторите попытку через 0 секунд.",
        },
    ),
    "uk": Expected(
        "uk",
        "uk",
        3,
        "Це поле обов'язкове.",
        "Переконайтеся, що це значення більше або дорівнює 1.",
        "Облікові дані не було надано.",
        "У вас немає прав на виконання цієї дії.",
        "Не знайдено.",
        {
            1: "Запит було обмежено. Повторіть спробу через 1 секунду.",
            3: "Запит було обмежено. Повторіть спробу через 3 секунди.",
            14: "Запит було обмежено. Повторіть спробу через 14 секунд.",
            25: "Запит було обмежено. Повторіть спробу через 25 секунд.",
        },
    ),
    "tr": Expected(
        "tr",
        "tr",
        2,
        "Bu alan zorunludur.",
        "Bu değerin 1 değerinden büyük veya ona eşit olduğundan emin olun.",
        "Kimlik doğrulama bilgileri verilmedi.",
        "Bu işlemi yapma izniniz yok.",
        "Bulunamadı.",
        {  # Turkish keeps the noun singular after a number
            1: "İstek sınırlandırıldı. 1 saniye sonra yeniden kullanılabilir.",
            42: "İstek sınırlandırıldı. 42 saniye sonra yeniden kullanılabilir.",
        },
    ),
    "ja": Expected(
        "ja",
        "ja",
        1,
        "このフィールドは必須です。",
        "この値は 1 以上にしてください。",
        "認証情報が指定されていません。",
        "この操作を実行する権限がありません。",
        "見つかりません。",
        {
            1: "リクエストが制限されました。 1 秒後に再試行できる見込みです。",
            42: "リクエストが制限されました。 42 秒後に再試行できる見込みです。",
        },
    ),
    "ko": Expected(
        "ko",
        "ko",
        1,
        "필수 항목입니다.",
        "이 값이 1 이상인지 확인하세요.",
        "인증 자격 증명이 제공되지 않았습니다.",
        "이 작업을 수행할 권한이 없습니다.",
        "찾을 수 없습니다.",
        {
            1: "요청이 제한되었습니다. 1초 후에 다시 사용할 수 있습니다.",
            42: "요청이 제한되었습니다. 42초 후에 다시 사용할 수 있습니다.",
        },
    ),
    "zh_Hans": Expected(
        "zh-Hans",
        "zh-hans",
        1,
        "这个字段是必填项。",
        "请确保该值大于或等于 1。",
        "未提供身份验证凭据。",
        "您没有执行此操作的权限。",
        "未找到。",
        {
            1: "请求已被限流。 预计 1 秒后可用。",
            42: "请求已被限流。 预计 42 秒后可用。",
        },
    ),
}
SHIPPED = ["fr", *EXPECTED]


class NobodyMayPass(BasePermission):
    def has_permission(self, request, view):
        return False


class ForbiddenView(APIView):
    """No authenticator to ask for credentials, so a refused permission is a 403."""

    authentication_classes = []
    permission_classes = [NobodyMayPass]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("shelves/<int:pk>/", ShelfView.as_view()),
    path("private/", PrivateView.as_view()),
    path("forbidden/", ForbiddenView.as_view()),
    path("bookings/", BookingView.as_view()),
    path("throttled/", ThrottledView.as_view()),
]


@pytest.fixture
def client():
    with LOCALE_SETTINGS:
        yield APIClient()


def ask(client, language, method, url, **kwargs):
    accept = EXPECTED[language].accept_language
    return getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE=accept, **kwargs)


# --- each language through real views --------------------------------------------------------


@pytest.mark.parametrize("language", EXPECTED)
def test_validation_errors_answer_in_the_requested_language(client, language):
    response = ask(client, language, "post", "/bookings/", data={"seats": 0}, format="json")
    assert response.status_code == 400
    assert response["Content-Language"] == EXPECTED[language].content_language
    assert response.json() == {
        "title": [EXPECTED[language].required],
        "seats": [EXPECTED[language].min_value],
    }


@pytest.mark.parametrize("language", EXPECTED)
def test_missing_credentials_401_detail_answers_in_the_requested_language(client, language):
    response = ask(client, language, "get", "/private/")
    assert response.status_code == 401
    assert response.json() == {"detail": EXPECTED[language].not_authenticated}


@pytest.mark.parametrize("language", EXPECTED)
def test_permission_denied_403_detail_answers_in_the_requested_language(client, language):
    response = ask(client, language, "get", "/forbidden/")
    assert response.status_code == 403
    assert response.json() == {"detail": EXPECTED[language].permission_denied}


@pytest.mark.parametrize("language", EXPECTED)
def test_not_found_404_detail_answers_in_the_requested_language(client, language):
    response = ask(client, language, "get", "/shelves/999/")
    assert response.status_code == 404
    assert response.json() == {"detail": EXPECTED[language].not_found}


@pytest.mark.parametrize(
    ("language", "wait"),
    [(language, wait) for language, expected in EXPECTED.items() for wait in expected.throttled],
)
def test_throttled_wait_follows_the_languages_plural_rule(client, language, wait):
    response = ask(client, language, "get", "/throttled/", data={"wait": str(wait)})
    assert response.status_code == 429
    assert response.json() == {"detail": EXPECTED[language].throttled[wait]}


@pytest.mark.parametrize(
    ("accept_language", "detail"),
    [("zh-CN,zh;q=0.9", "未找到。"), ("pt-br", "Não encontrado."), ("de-AT", "Nicht gefunden.")],
)
def test_regional_accept_language_reaches_the_catalog_django_maps_it_to(
    client, accept_language, detail
):
    response = client.get("/shelves/999/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.json() == {"detail": detail}


# --- the catalogs themselves -------------------------------------------------------------------


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def _read_po(path: Path) -> dict:
    """{key: [msgstr forms]} of a .po/.pot file, key being msgid or "msgctxt\\x04msgid"."""
    entries, entry, field = {}, {}, None

    def flush():
        if "msgid" in entry and entry["msgid"]:
            key = entry["msgid"]
            if "msgctxt" in entry:
                key = entry["msgctxt"] + "\x04" + key
            forms = sorted((k, v) for k, v in entry.items() if k.startswith("msgstr"))
            entries[key] = {"plural": entry.get("msgid_plural"), "forms": [v for _, v in forms]}

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            flush()
            entry, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += _unquote(line[1:-1])
        else:
            field, _, quoted = line.partition(" ")
            entry[field] = _unquote(quoted[1:-1])
    return entries


def _mo_catalog(language: str) -> dict:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog


def _django_core_catalog(language: str) -> dict:
    with open(DJANGO_LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog


def _nplurals(language: str) -> int:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        header = gettext.GNUTranslations(compiled).info()["plural-forms"]
    return int(re.search(r"nplurals=(\d+)", header)[1])


def test_every_shipped_language_has_a_catalog_and_nothing_else_is_shipped():
    shipped = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
    assert shipped == sorted(SHIPPED)


@pytest.mark.parametrize("language", SHIPPED)
def test_compiled_catalog_holds_exactly_what_the_po_file_says(language):
    po = _read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")
    compiled = {}
    for key, text in _mo_catalog(language).items():
        if key == "":
            continue
        if isinstance(key, tuple):  # (msgid, plural form index)
            compiled.setdefault(key[0], []).append((key[1], text))
        else:
            compiled[key] = [(0, text)]
    assert {key: [text for _, text in sorted(forms)] for key, forms in compiled.items()} == {
        key: entry["forms"] for key, entry in po.items()
    }


@pytest.mark.parametrize("language", SHIPPED)
def test_catalog_covers_the_template_with_django_answering_its_own_messages(language):
    template = _read_po(LOCALE_DIR / "django.pot")
    ours = _read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")
    django_core = _django_core_catalog(language)
    assert set(ours) <= set(template), "msgids no longer in the template"
    for key, entry in template.items():
        if entry["plural"] is None and django_core.get(key):
            # An app's catalog outranks Django's core one project-wide: a copy here would
            # replace Django's own wording in the project's forms as well.
            assert key not in ours, key
        else:
            assert key in ours, key
            assert all(form.strip() for form in ours[key]["forms"]), key


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_every_placeholder(language):
    for key, entry in _read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po").items():
        msgid = key.rpartition("\x04")[2]
        for form in entry["forms"]:
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(msgid)), form


@pytest.mark.parametrize("language", SHIPPED)
def test_plural_entries_have_as_many_forms_as_the_language_has(language):
    expected = EXPECTED[language].nplurals if language in EXPECTED else 2
    assert _nplurals(language) == expected
    plurals = [e for e in _read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po").values()]
    plurals = [e for e in plurals if e["plural"] is not None]
    assert plurals, "the throttled wait is a plural entry"
    assert all(len(entry["forms"]) == expected for entry in plurals)


def test_template_lists_every_translatable_string_in_the_source(tmp_path):
    if shutil.which("xgettext") is None:
        skip_unless_required("xgettext (GNU gettext) is not installed: cannot rebuild django.pot")
    source = tmp_path / "restcycle"
    shutil.copytree(
        Path(restcycle.__file__).parent,
        source,
        ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"),
    )
    subprocess.run(  # -P: the copy's _json.py must not shadow the standard library's
        [sys.executable, "-P", "-m", "django", "makemessages", "--keep-pot", "-l", "fr", "-v", "0"],
        cwd=source,
        check=True,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert set(_read_po(source / "locale" / "django.pot")) == set(
        _read_po(LOCALE_DIR / "django.pot")
    )
