"""Shadow mode: every request also runs the reference path, and any difference raises.

Each test turns REST_FRAMEWORK["SHADOW"] on for itself and drives real views through the
test client on the real database.
"""

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import override_settings
from django.urls import path

from restcycle import serializers, throttling, viewsets
from restcycle._engine import plans as _plans
from restcycle._engine import prepared_query as _prepared_query
from restcycle._engine import shadow as _shadow
from restcycle.decorators import api_view
from restcycle.response import Response
from restcycle.routers import SimpleRouter
from restcycle.test import APIClient
from restcycle.views import APIView
from tests.models import QpAuthor, QpPublisher

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

SHADOW = override_settings(REST_FRAMEWORK={"SHADOW": True})

# (side, author pk) for every call of AuthorSerializer.get_initials
INITIALS_CALLS = []


class AuthorSerializer(serializers.ModelSerializer):
    initials = serializers.SerializerMethodField()

    class Meta:
        model = QpAuthor
        fields = ["id", "name", "publisher", "initials"]

    def get_initials(self, author):
        side = "reference" if not _shadow.fast_paths_allowed() else "fast"
        INITIALS_CALLS.append((side, author.pk))
        return "".join(word[0] for word in author.name.split())


class AuthorViewSet(viewsets.ModelViewSet):
    queryset = QpAuthor.objects.order_by("id")
    serializer_class = AuthorSerializer


class FailingAfterWriteView(APIView):
    """Writes a row, then fails: neither side may leave the row behind."""

    def post(self, request):
        QpPublisher.objects.create(name="half-written")
        raise RuntimeError("failed after writing")


class TwoPerMinute(throttling.AnonRateThrottle):
    rate = "2/min"
    scope = "shadow-test"


class ThrottledView(APIView):
    throttle_classes = [TwoPerMinute]

    def get(self, request):
        return Response({"ok": True})


@api_view(["POST"])
def edits_its_data(request):
    """Changes request.data in place: the second side must still see what was sent."""
    sent = dict(request.data)
    request.data["seen"] = True
    return Response(sent)


router = SimpleRouter()
router.register("authors", AuthorViewSet)
urlpatterns = [
    path("fails-after-write/", FailingAfterWriteView.as_view()),
    path("throttled/", ThrottledView.as_view()),
    path("edits-its-data/", edits_its_data),
    *router.urls,
]


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def authors():
    INITIALS_CALLS.clear()
    publisher = QpPublisher.objects.create(name="Gollancz")
    return [
        QpAuthor.objects.create(name="Ursula Le Guin", publisher=publisher),
        QpAuthor.objects.create(name="Iain Banks", publisher=publisher),
    ]


@SHADOW
def test_a_correct_view_answers_as_without_shadow_mode(client, authors):
    listed = client.get("/authors/")
    assert listed.status_code == 200
    assert [row["initials"] for row in listed.json()] == ["ULG", "IB"]
    retrieved = client.get(f"/authors/{authors[0].pk}/")
    assert retrieved.json() == {
        "id": authors[0].pk,
        "name": "Ursula Le Guin",
        "publisher": authors[0].publisher_id,
        "initials": "ULG",
    }


@SHADOW
def test_a_fast_path_giving_a_wrong_value_raises_shadow_mismatch(client, authors, monkeypatch):
    many = _plans.Runner.many

    def wrong_many(self, objects):
        rows = many(self, objects)
        for row in rows:
            row["name"] = row["name"].upper()
        return rows

    monkeypatch.setattr(_plans.Runner, "many", wrong_many)
    with pytest.raises(_shadow.ShadowMismatch) as raised:
        client.get("/authors/")
    report = str(raised.value)
    assert "GET /authors/" in report
    assert "tests.test_shadow.AuthorViewSet (list)" in report
    assert "rendered bytes differ" in report
    assert '"name":"Ursula Le Guin"' in report
    assert '"name":"URSULA LE GUIN"' in report


@SHADOW
def test_a_fast_path_failing_where_the_reference_answers_raises_shadow_mismatch(
    client, authors, monkeypatch
):
    def broken_many(self, objects):
        raise ValueError("compiled row broke")

    monkeypatch.setattr(_plans.Runner, "many", broken_many)
    mismatch = "status: reference 200, fast raised ValueError"
    with pytest.raises(_shadow.ShadowMismatch, match=mismatch):
        client.get("/authors/")


@SHADOW
def test_user_code_runs_as_often_on_both_sides(client, authors):
    response = client.get("/authors/")
    assert response.status_code == 200
    reference = sorted(pk for side, pk in INITIALS_CALLS if side == "reference")
    fast = sorted(pk for side, pk in INITIALS_CALLS if side == "fast")
    assert reference == fast == sorted(author.pk for author in authors)


@SHADOW
def test_a_fast_path_running_user_code_twice_raises_shadow_mismatch(client, authors, monkeypatch):
    one = _plans.Runner.one

    def one_run_twice(self, obj):
        one(self, obj)
        return one(self, obj)

    monkeypatch.setattr(_plans.Runner, "one", one_run_twice)
    with pytest.raises(_shadow.ShadowMismatch) as raised:
        client.get(f"/authors/{authors[0].pk}/")
    report = str(raised.value)
    assert "user-code calls: reference" in report
    assert "get_initials: reference 1, fast 2" in report


@SHADOW
def test_the_reference_sides_writes_are_rolled_back(client, authors):
    response = client.post(
        "/authors/", {"name": "Mary Shelley", "publisher": authors[0].publisher_id}, format="json"
    )
    assert response.status_code == 201
    created = QpAuthor.objects.filter(name="Mary Shelley")
    assert [author.pk for author in created] == [response.json()["id"]]
    # Keys continue from the fast side's row: the reference side's key was given back.
    again = client.post(
        "/authors/", {"name": "Mary Shelley", "publisher": authors[0].publisher_id}, format="json"
    )
    assert again.json()["id"] == response.json()["id"] + 1


@SHADOW
def test_the_reference_sides_writes_are_rolled_back_inside_atomic_requests(
    client, authors, monkeypatch
):
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    response = client.patch(f"/authors/{authors[1].pk}/", {"name": "Iain M. Banks"}, format="json")
    assert response.json()["initials"] == "IMB"
    assert QpAuthor.objects.get(pk=authors[1].pk).name == "Iain M. Banks"
    deleted = client.delete(f"/authors/{authors[1].pk}/")
    assert deleted.status_code == 204
    assert not QpAuthor.objects.filter(pk=authors[1].pk).exists()


@SHADOW
def test_an_uncaught_exception_is_raised_as_itself_and_nothing_is_kept(client):
    with pytest.raises(RuntimeError, match="failed after writing"):
        client.post("/fails-after-write/")
    # The fast side ran for real and wrote its row, as it would without shadow mode;
    # the reference side's row was rolled back.
    assert QpPublisher.objects.filter(name="half-written").count() == 1


@SHADOW
def test_throttles_count_each_request_once(client):
    cache.clear()
    statuses = [client.get("/throttled/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@SHADOW
def test_query_count_assertions_see_only_the_request_as_served(
    client, authors, django_assert_num_queries
):
    with django_assert_num_queries(1):
        client.get("/authors/")


@SHADOW
def test_a_handler_changing_request_data_leaves_the_other_side_what_was_sent(client):
    response = client.post("/edits-its-data/", {"title": "Dune"}, format="json")
    assert response.json() == {"title": "Dune"}


@SHADOW
def test_a_body_that_does_not_parse_is_the_same_400_on_both_sides(client):
    response = client.post("/authors/", "{oops", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@SHADOW
def test_prepared_lookups_are_prepared_on_first_sight_so_shadow_mode_compares_them(client, authors):
    default = connections["default"]
    default.__dict__.pop("_restcycle_prepared_lookups", None)
    response = client.get(f"/authors/{authors[0].pk}/")
    assert response.status_code == 200
    entries = default.__dict__.get("_restcycle_prepared_lookups", {})
    assert any(isinstance(found, _prepared_query.PreparedLookup) for found in entries.values())


def test_the_reference_switch_sends_serializers_through_the_field_loop(authors, monkeypatch):
    def broken_many(self, objects):
        raise AssertionError("the compiled plan ran")

    monkeypatch.setattr(_plans.Runner, "many", broken_many)
    with _shadow.reference():
        data = AuthorSerializer(QpAuthor.objects.order_by("id"), many=True).data
    assert [row["initials"] for row in data] == ["ULG", "IB"]
    with pytest.raises(AssertionError, match="the compiled plan ran"):
        AuthorSerializer(QpAuthor.objects.order_by("id"), many=True).data  # noqa: B018


@override_settings(REST_FRAMEWORK={"SHADOW": False})
def test_without_the_setting_each_request_is_served_once(client, authors):
    client.get("/authors/")
    assert [side for side, _pk in INITIALS_CALLS] == ["fast", "fast"]
