"""Search and ordering filters on real list views; django-filter through the drop-in alias."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import path

from restcycle import filters, generics, serializers
from restcycle.response import Response
from tests.models import GenericNote, GenericTag

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenericNote
        fields = ["id", "title", "body", "rank"]


class NoteWithSecretsSerializer(serializers.ModelSerializer):
    """Exposes `headline` (source title) and `shout` (a property); `body` is write-only."""

    headline = serializers.CharField(source="title")
    body = serializers.CharField(write_only=True)

    class Meta:
        model = GenericNote
        fields = ["id", "headline", "body", "shout"]


class NoteList(generics.ListAPIView):
    queryset = GenericNote.objects.order_by("id")
    serializer_class = NoteSerializer
    permission_classes = []
    authentication_classes = []


class SearchNotes(NoteList):
    filter_backends = [filters.SearchFilter]
    search_fields = ["title", "body"]


class PrefixSearchNotes(NoteList):
    """Searches the fields named by `?fields=`, to try each lookup prefix."""

    filter_backends = [filters.SearchFilter]

    @property
    def search_fields(self):
        return self.request.query_params["fields"].split(",")


class TagSearchNotes(NoteList):
    filter_backends = [filters.SearchFilter]
    search_fields = ["title", "tags__label"]


class OrderNotes(NoteList):
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["rank", "title"]
    ordering = ["-rank"]


class OrderAllNotes(NoteList):
    filter_backends = [filters.OrderingFilter]
    ordering_fields = "__all__"


class OrderBySerializerNotes(NoteList):
    serializer_class = NoteWithSecretsSerializer
    filter_backends = [filters.OrderingFilter]
    ordering = "id"


class OrderWithoutSerializer(generics.ListAPIView):
    queryset = GenericNote.objects.all()
    filter_backends = [filters.OrderingFilter]
    permission_classes = []
    authentication_classes = []

    def list(self, request, *args, **kwargs):
        self.filter_queryset(self.get_queryset())


class FilterControls(OrderNotes):
    """Answers with the HTML controls of a search and an ordering filter."""

    search_fields = ["title"]

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        return Response(
            {
                "search": filters.SearchFilter().to_html(request, queryset, self),
                "ordering": filters.OrderingFilter().to_html(request, queryset, self),
            }
        )


urlpatterns = [
    path("controls/", FilterControls.as_view()),
    path("search/", SearchNotes.as_view()),
    path("prefix-search/", PrefixSearchNotes.as_view()),
    path("tag-search/", TagSearchNotes.as_view()),
    path("order/", OrderNotes.as_view()),
    path("order-all/", OrderAllNotes.as_view()),
    path("order-serializer/", OrderBySerializerNotes.as_view()),
    path("order-misconfigured/", OrderWithoutSerializer.as_view()),
]


@pytest.fixture
def notes():
    rows = [
        ("Alpha release", "first public build", 3),
        ("Beta release", "second build, alpha features kept", 1),
        ("Gamma notes", "unrelated text", 2),
        ("Omega alphabet", "a recipe", 5),
        ("Release plan", "the long road ahead", 4),
    ]
    return [GenericNote.objects.create(title=t, body=b, rank=r) for t, b, r in rows]


def titles(response):
    assert response.status_code == 200, response.content
    return [item.get("title", item.get("headline")) for item in response.json()]


# --- search -------------------------------------------------------------------------


def test_search_matches_any_field_case_insensitively(client, notes):
    assert titles(client.get("/search/?search=ALPHA")) == [
        "Alpha release",
        "Beta release",
        "Omega alphabet",
    ]


def test_every_search_term_must_match(client, notes):
    assert titles(client.get("/search/?search=alpha build")) == ["Alpha release", "Beta release"]
    assert titles(client.get("/search/?search=alpha,omega")) == ["Omega alphabet"]


def test_quoted_phrase_is_one_term(client, notes):
    assert titles(client.get('/search/?search="long road"')) == ["Release plan"]
    assert titles(client.get('/search/?search="road long"')) == []


def test_no_search_term_leaves_the_list_alone(client, notes):
    assert len(titles(client.get("/search/?search="))) == 5
    assert len(titles(client.get("/search/"))) == 5


@pytest.mark.parametrize(
    ("fields", "term", "expected"),
    [
        ("^title", "alpha", ["Alpha release"]),
        ("=title", '"alpha release"', ["Alpha release"]),
        ("$title", "^[AB].*release$", ["Alpha release", "Beta release"]),
        ("title__iendswith", "BET", ["Omega alphabet"]),
        ("title", "release", ["Alpha release", "Beta release", "Release plan"]),
    ],
)
def test_search_field_prefixes_choose_the_lookup(client, notes, fields, term, expected):
    response = client.get("/prefix-search/", {"fields": fields, "search": term})
    assert titles(response) == expected


@pytest.mark.parametrize("term", ["([", "*oops", "[z-a]"])
def test_malformed_regex_search_is_400(client, notes, term):
    response = client.get("/prefix-search/", {"fields": "$title", "search": term})
    assert response.status_code == 400
    assert response.json() == {"search": ["Invalid regular expression."]}


def test_search_across_a_to_many_relation_lists_each_row_once(client, notes):
    first, second = (
        GenericTag.objects.create(label="urgent"),
        GenericTag.objects.create(label="urgent-ish"),
    )
    notes[2].tags.add(first, second)
    assert titles(client.get("/tag-search/?search=urgent")) == ["Gamma notes"]


def test_search_needs_distinct_only_across_to_many_relations():
    search = filters.SearchFilter()
    queryset = GenericNote.objects.all()
    assert search.must_call_distinct(queryset, ["title", "^body"]) is False
    assert search.must_call_distinct(queryset, ["title", "=tags__label"]) is True


def test_search_term_with_null_character_is_400(client, notes):
    response = client.get("/search/?search=al%00pha")
    assert response.status_code == 400
    assert response.json() == ["Null characters are not allowed."]


@override_settings(REST_FRAMEWORK={"SEARCH_PARAM": "q"})
def test_search_parameter_name_comes_from_settings(client, notes):
    assert titles(client.get("/search/?q=gamma")) == ["Gamma notes"]
    assert len(titles(client.get("/search/?search=gamma"))) == 5


def test_search_smart_split_keeps_quoted_phrases():
    assert filters.search_smart_split('one, "two three", four,five') == [
        "one",
        "two three",
        "four",
        "five",
    ]


# --- ordering -----------------------------------------------------------------------


def test_ordering_by_an_allowed_field(client, notes):
    assert titles(client.get("/order/?ordering=title")) == [
        "Alpha release",
        "Beta release",
        "Gamma notes",
        "Omega alphabet",
        "Release plan",
    ]


def test_descending_and_several_fields(client, notes):
    GenericNote.objects.create(title="Aardvark", rank=5)
    assert titles(client.get("/order/?ordering=-rank,title"))[:3] == [
        "Aardvark",
        "Omega alphabet",
        "Release plan",
    ]


def test_without_ordering_parameter_the_view_ordering_applies(client, notes):
    assert titles(client.get("/order/"))[0] == "Omega alphabet"


@pytest.mark.parametrize("param", ["body", "--rank", "id", "tags__label", "nope", ",,"])
def test_field_that_is_not_allowed_is_ignored(client, notes, param):
    assert titles(client.get(f"/order/?ordering={param}"))[0] == "Omega alphabet"


def test_allowed_fields_are_kept_and_others_dropped(client, notes):
    assert titles(client.get("/order/?ordering=body,rank"))[0] == "Beta release"


def test_all_model_fields_allowed_with_dunder_all(client, notes):
    assert titles(client.get("/order-all/?ordering=-body"))[0] == "Gamma notes"


def test_default_allowed_fields_are_the_readable_serializer_fields(client, notes):
    # `headline` reads the title column: ordering uses the model path, not the field name.
    assert titles(client.get("/order-serializer/?ordering=-title"))[0] == "Release plan"
    # Write-only fields, properties and names the serializer lacks are not orderable.
    for param in ("body", "shout", "headline", "rank"):
        assert titles(client.get(f"/order-serializer/?ordering={param}"))[0] == "Alpha release"
    assert titles(client.get("/order-serializer/?ordering=-id"))[0] == "Release plan"
    assert titles(client.get("/order-serializer/?ordering=id"))[0] == "Alpha release"


def test_ordering_filter_without_serializer_or_fields_is_a_configuration_error(client, notes):
    with pytest.raises(ImproperlyConfigured):
        client.get("/order-misconfigured/?ordering=title")


@override_settings(REST_FRAMEWORK={"ORDERING_PARAM": "sort"})
def test_ordering_parameter_name_comes_from_settings(client, notes):
    assert titles(client.get("/order/?sort=rank"))[0] == "Beta release"


def test_filter_controls_render_the_current_choices(client):
    body = client.get("/controls/?search=a+%26+b&ordering=-rank").json()
    assert 'name="search" value="a &amp; b"' in body["search"]
    assert 'href="/controls/?ordering=title&amp;search=a+%26+b"' in body["ordering"]
    assert 'aria-current="true">rank - descending</a>' in body["ordering"]


# --- django-filter, which imports rest_framework, through the alias -------------------

DJANGO_FILTER_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import restcycle
    restcycle.install_as_rest_framework()

    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="x",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF="__main__",
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=[
            "django.contrib.auth", "django.contrib.contenttypes",
            "rest_framework", "django_filters",
        ],
        REST_FRAMEWORK={
            "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
            "DEFAULT_AUTHENTICATION_CLASSES": [],
            "DEFAULT_PERMISSION_CLASSES": [],
        },
    )
    django.setup()

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.urls import path
    from rest_framework import generics, serializers

    call_command("migrate", verbosity=0)
    for name, staff in [("ann", True), ("bob", False), ("cy", True)]:
        User.objects.create(username=name, is_staff=staff)

    class UserSerializer(serializers.ModelSerializer):
        class Meta:
            model = User
            fields = ["username"]

    class UserList(generics.ListAPIView):
        queryset = User.objects.order_by("username")
        serializer_class = UserSerializer
        filterset_fields = ["is_staff", "username", "id"]

    urlpatterns = [path("users/", UserList.as_view())]
    client = Client()
    staff = client.get("/users/?is_staff=true")
    bad = client.get("/users/?id=abc")
    print(json.dumps({
        "staff": [staff.status_code, staff.json()],
        "bad": [bad.status_code, bad.json()],
    }))
    """
)


def test_django_filter_backend_works_through_the_alias():
    pytest.importorskip("django_filters")
    src = Path(__file__).resolve().parent.parent / "src"
    result = subprocess.run(
        [sys.executable, "-c", DJANGO_FILTER_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["staff"] == [200, [{"username": "ann"}, {"username": "cy"}]]
    assert outcome["bad"][0] == 400
    assert outcome["bad"][1] == {"id": ["Enter a number."]}
