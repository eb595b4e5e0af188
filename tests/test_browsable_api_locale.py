"""The browsable API's interface text in French: the page's own words (tabs, buttons, links,
dialogs, pagination, the admin renderer) come out in French when the client asks for French,
while the data on the page stays as it is and stays escaped, and English pages are unchanged.

Django merges catalogs with the first installed app winning, so where Django's own admin
(installed before restcycle in the test settings) translates the same English text, its
French is the one shown; the expected text is therefore read from the active catalogs.
"""

import gettext
import re
from pathlib import Path

import django
import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import translation

import restcycle
from restcycle import generics, permissions, serializers, viewsets
from restcycle.filters import SearchFilter
from restcycle.pagination import CursorPagination, PageNumberPagination
from restcycle.renderers import AdminRenderer, BrowsableAPIRenderer, JSONRenderer
from restcycle.routers import DefaultRouter
from tests._locale_settings import LOCALE_SETTINGS
from tests.models import BrowsableNote

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


TEMPLATES_DIR = Path(restcycle.__file__).parent / "templates" / "rest_framework"
CATALOG = Path(restcycle.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
DJANGO_CORE_CATALOG = (
    Path(django.__file__).parent / "conf" / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
)


class NoteSerializer(serializers.ModelSerializer):
    tags = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = BrowsableNote
        fields = ["id", "title", "body", "tags"]

    def create(self, validated_data):
        validated_data.pop("tags", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("tags", None)
        return super().update(instance, validated_data)


class TwoPerPage(PageNumberPagination):
    page_size = 2


class NoteViewSet(viewsets.ModelViewSet):
    queryset = BrowsableNote.objects.order_by("id")
    serializer_class = NoteSerializer
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends = [SearchFilter]
    search_fields = ["title"]
    pagination_class = TwoPerPage


class AdminNoteViewSet(viewsets.ModelViewSet):
    queryset = BrowsableNote.objects.order_by("id")
    serializer_class = NoteSerializer
    renderer_classes = [AdminRenderer, JSONRenderer]


class OneAtATime(CursorPagination):
    page_size = 1
    ordering = "id"


class NotesByCursor(generics.ListAPIView):
    queryset = BrowsableNote.objects.order_by("id")
    serializer_class = NoteSerializer
    renderer_classes = [BrowsableAPIRenderer]
    pagination_class = OneAtATime


class HostileNameView(generics.RetrieveUpdateDestroyAPIView):
    """A view whose name is markup: it lands inside translated sentences on the page."""

    queryset = BrowsableNote.objects.all()
    serializer_class = NoteSerializer
    renderer_classes = [BrowsableAPIRenderer, JSONRenderer]
    permission_classes = [permissions.AllowAny]

    def get_view_name(self):
        return XSS


router = DefaultRouter()
router.register("notes", NoteViewSet)
router.register("admin-notes", AdminNoteViewSet, basename="admin-note")
urlpatterns = [
    path("", include(router.urls)),
    path("by-cursor/", NotesByCursor.as_view()),
    path("hostile/<int:pk>/", HostileNameView.as_view()),
    path("api-auth/", include("restcycle.urls")),
]


@pytest.fixture
def owner():
    return User.objects.create_user("lea", password="pw")


@pytest.fixture
def anonymous():
    with LOCALE_SETTINGS:
        yield Client()


@pytest.fixture
def signed_in(owner):
    with LOCALE_SETTINGS:
        client = Client()
        client.force_login(owner)
        yield client


def page(client, url, language="fr", **extra):
    response = client.get(url, HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE=language, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def french(text):
    """What the active catalogs (Django's apps and restcycle's) make of `text` in French."""
    with translation.override("fr"):
        translated = translation.gettext(text)
    assert translated != text, text
    return translated


def test_french_page_declares_its_language_and_names_the_api_in_french(anonymous):
    html = page(anonymous, "/notes/")
    assert '<html lang="fr">' in html
    assert "<title>Note List – API navigable</title>" in html
    assert 'rel="nofollow">API navigable</a>' in html
    assert "Browsable API" not in html


def test_french_page_offers_the_login_link_in_french(anonymous):
    html = page(anonymous, "/notes/")
    assert f'<a href="/api-auth/login/?next=/notes/">{french("Log in")}</a>' in html
    assert ">Log in<" not in html


def test_french_login_page_has_french_title_and_button(anonymous):
    html = page(anonymous, "/api-auth/login/")
    assert f"<title>{french('Log in')}</title>" in html
    assert f'<button type="submit" class="btn btn-primary">{french("Log in")}</button>' in html
    assert '<h1 class="login-brand">API navigable</h1>' in html


def test_french_page_offers_the_logout_button_in_french(signed_in):
    html = page(signed_in, "/notes/")
    assert f'class="link-button">{french("Log out")}</button>' in html


def test_french_raw_data_form_has_french_tabs_and_labels(signed_in):
    html = page(signed_in, "/notes/")
    assert 'data-tab="post-object-form" aria-selected="true">Formulaire HTML</button>' in html
    assert 'data-tab="post-generic-content-form">Données brutes</button>' in html
    assert '<label class="col-label">Type de média</label>' in html
    assert '<label class="col-label">Contenu</label>' in html
    assert 'title="Envoyer une requête POST à la ressource Note List">POST</button>' in html
    # HTTP method names and the attributes the page's script reads stay as they are.
    assert 'data-override="content-type"' in html
    assert 'data-method="OPTIONS"' in html


def test_french_html_form_sends_list_fields_to_the_raw_data_form_in_french(signed_in):
    html = page(signed_in, "/notes/")
    assert "Les listes se modifient dans le formulaire « Données brutes »." in html
    assert "Lists are edited through the Raw data form." not in html


def test_french_page_has_a_french_filters_button_and_dialog(anonymous):
    html = page(anonymous, "/notes/")
    assert 'data-open-dialog="filters-dialog">Filtres</button>' in html
    assert '<dialog id="filters-dialog" class="dialog" aria-label="Filtres">' in html
    assert "<h2>Filtres</h2>" in html
    assert f'<label for="search-filter-search">{french("Search")}</label>' in html


def test_french_detail_page_asks_to_confirm_deletion_in_french(owner, signed_in):
    note = BrowsableNote.objects.create(title="Courses", owner=owner)
    html = page(signed_in, f"/notes/{note.pk}/")
    assert 'data-confirm="Supprimer « Note Instance » ? Cette opération est définitive."' in html
    assert 'title="Envoyer une requête DELETE à la ressource Note Instance">DELETE</button>' in html
    assert '<section class="request-form" aria-label="PUT et PATCH">' in html


def test_french_page_numbers_and_cursor_pager_are_labelled_in_french(anonymous):
    for title in ("a", "b", "c"):
        BrowsableNote.objects.create(title=title)
    html = page(anonymous, "/notes/")
    assert '<nav class="pagination-controls" aria-label="Pagination">' in html
    assert 'rel="next" aria-label="Page suivante">&raquo;</a>' in html
    cursor_page = page(anonymous, "/by-cursor/")
    assert 'rel="next">Suivant &raquo;</a>' in cursor_page
    assert "<span>&laquo; Précédent</span>" in cursor_page


def test_french_admin_renderer_shows_french_actions_titles_and_empty_list(signed_in):
    html = page(signed_in, "/admin-notes/")
    assert '<div class="toolbar" role="toolbar" aria-label="Opérations">' in html
    assert f'data-open-dialog="create-dialog">{french("Add")}</button>' in html
    assert '<p class="empty">Rien pour l\'instant.</p>' in html
    assert "<h2>Créer</h2>" in html
    rejected = signed_in.post(
        "/admin-notes/", {"title": ""}, HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert rejected.status_code == 400
    assert '<section class="error-form" aria-label="Créer">' in rejected.content.decode()


def test_french_page_still_escapes_names_and_data_inside_translated_text(anonymous):
    note = BrowsableNote.objects.create(title=XSS, body=XSS)
    html = page(anonymous, f"/hostile/{note.pk}/?search={XSS}")
    escaped = "&lt;script&gt;window.__xss=1&lt;/script&gt;"
    assert "<script>window.__xss" not in html
    assert '<img src=x onerror="window.__xss=2">' not in html
    assert f'title="Envoyer une requête GET à la ressource {escaped}' in html
    assert f'data-confirm="Supprimer « {escaped}' in html
    assert "onerror=&quot;window.__xss=2&quot;" in html


def test_page_rendered_under_translation_override_is_french():
    with translation.override("fr"):
        html = Client().get("/notes/", HTTP_ACCEPT="text/html").content.decode()
    assert '<html lang="fr">' in html
    assert 'data-open-dialog="filters-dialog">Filtres</button>' in html


@override_settings(LANGUAGE_CODE="fr")
def test_page_of_a_french_project_is_french_without_locale_middleware():
    html = Client().get("/notes/", HTTP_ACCEPT="text/html").content.decode()
    assert '<html lang="fr">' in html
    assert 'data-open-dialog="filters-dialog">Filtres</button>' in html


def test_english_page_keeps_its_english_interface_text(owner, signed_in):
    note = BrowsableNote.objects.create(title="Groceries", owner=owner)
    html = page(signed_in, f"/notes/{note.pk}/", language="en")
    assert '<html lang="en">' in html
    assert "<title>Note Instance – Browsable API</title>" in html
    assert 'class="link-button">Log out</button>' in html
    assert 'data-confirm="Delete this Note Instance? This cannot be undone."' in html
    assert 'aria-selected="true">HTML form</button>' in html
    assert 'data-tab="put-generic-content-form">Raw data</button>' in html
    assert '<label class="col-label">Media type</label>' in html
    assert 'title="Make a PATCH request on the Note Instance resource">PATCH</button>' in html
    listing = page(Client(), "/notes/", language="en")
    assert '<a href="/api-auth/login/?next=/notes/">Log in</a>' in listing
    assert 'data-open-dialog="filters-dialog">Filters</button>' in listing
    assert "Lists are edited through the Raw data form." not in listing  # read-only visitor
    for french_text in ("Filtres", "Données brutes", "API navigable", "Connexion"):
        assert french_text not in html + listing


def test_every_template_string_has_french_from_restcycle_or_django_core():
    # Text Django's own catalog translates ("Delete") is left to it, as in a real project.
    catalog = gettext.GNUTranslations(CATALOG.open("rb"))
    catalog.add_fallback(gettext.GNUTranslations(DJANGO_CORE_CATALOG.open("rb")))
    tag = re.compile(
        r'\{% translate "([^"]+)"(?: context "([^"]+)")? %\}'
        r"|\{% blocktranslate %\}(.*?)\{% endblocktranslate %\}"
    )
    found = 0
    for template in TEMPLATES_DIR.rglob("*.html"):
        for plain, context, sentence in tag.findall(template.read_text(encoding="utf-8")):
            found += 1
            if sentence:
                msgid = re.sub(r"\{\{ (\w+) \}\}", r"%(\1)s", sentence)
                translated = catalog.gettext(msgid)
            elif context:
                msgid = plain
                translated = catalog.pgettext(context, plain)
            else:
                msgid = plain
                translated = catalog.gettext(plain)
            assert translated != msgid, f"{template.name}: {msgid}"
    assert found > 40
