"""The cycle tracer: Server-Timing per stage, `response.cycle_trace`, and why a 4xx happened."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import override_settings
from django.urls import path
from django.views.decorators.cache import cache_page

from restcycle import (
    authentication,
    exceptions,
    generics,
    permissions,
    serializers,
    throttling,
)
from restcycle._observe import cycle_trace as _cycle_trace
from restcycle.authtoken.models import Token
from restcycle.decorators import api_view, authentication_classes, permission_classes
from restcycle.renderers import JSONRenderer
from restcycle.response import Response
from restcycle.views import APIView
from tests._cache import clear_this_runs_cache
from tests.models import GenericNote

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

TRACE_ON = override_settings(REST_FRAMEWORK={"TRACE": True})
TIMING_ENTRY = re.compile(r'^(?P<name>[a-z]+);dur=(?P<dur>\d+\.\d{2});desc="(?P<queries>\d+) quer')


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenericNote
        fields = ["id", "title", "rank"]

    def validate_rank(self, value):
        if value < 0:
            raise serializers.ValidationError("Rank cannot be negative.")
        return value


class TitleIsNotLocked(permissions.BasePermission):
    """Anyone reads; a note titled "locked" cannot be changed."""

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.title != "locked"


class Open:
    authentication_classes = []
    permission_classes = []


class NoteList(Open, generics.ListCreateAPIView):
    queryset = GenericNote.objects.order_by("id")
    serializer_class = NoteSerializer
    renderer_classes = [JSONRenderer]


class NoteDetail(Open, generics.RetrieveUpdateDestroyAPIView):
    queryset = GenericNote.objects.all()
    serializer_class = NoteSerializer
    permission_classes = [TitleIsNotLocked]


class TokenNoteList(NoteList):
    authentication_classes = [authentication.TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]


class StaffOnly(APIView):
    authentication_classes = [authentication.TokenAuthentication]
    permission_classes = [permissions.IsAdminUser]

    def get(self, request):
        return Response({"ok": True})


class PingThrottle(throttling.ScopedRateThrottle):
    THROTTLE_RATES = {"ping": "1/min"}


class Ping(Open, APIView):
    throttle_classes = [PingThrottle]
    throttle_scope = "ping"

    def get(self, request):
        return Response({"pong": True})


class Echo(Open, APIView):
    def post(self, request):
        return Response(request.data)


class ManualValidation(Open, APIView):
    """Answers 400 itself, without raising."""

    def post(self, request):
        serializer = NoteSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=400)
        return Response(serializer.validated_data)


class TimedElsewhere(Open, APIView):
    def get(self, request):
        return Response({"ok": True}, headers={"Server-Timing": "cache;desc=hit"})


class Exploding(Open, APIView):
    def get(self, request):
        GenericNote.objects.count()
        raise RuntimeError("boom")


class NotHere(Open, APIView):
    def get(self, request):
        return Response({"detail": "nothing"}, status=404)


class NotYours(Open, APIView):
    def get(self, request):
        raise exceptions.PermissionDenied("Not yours.")


class TwoSerializers(Open, APIView):
    def get(self, request):
        first = NoteSerializer(GenericNote.objects.order_by("id"), many=True).data
        second = NoteSerializer(GenericNote.objects.order_by("-id"), many=True).data
        return Response({"first": first, "second": second})


class PlainCreate(Open, APIView):
    def post(self, request):
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=201)


class SessionNoteList(NoteList):
    authentication_classes = [authentication.SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]


class RefusesInDjangosWords(authentication.BaseAuthentication):
    """An authenticator raising Django's PermissionDenied (not an APIException)."""

    def authenticate(self, request):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Blocked address.")


class DjangoRefusal(Open, APIView):
    authentication_classes = [RefusesInDjangosWords]

    def get(self, request):
        return Response({"ok": True})


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def note_count(request):
    return Response({"count": GenericNote.objects.count()})


urlpatterns = [
    path("notes/", NoteList.as_view()),
    path("notes/<int:pk>/", NoteDetail.as_view()),
    path("token-notes/", TokenNoteList.as_view()),
    path("staff/", StaffOnly.as_view()),
    path("ping/", Ping.as_view()),
    path("echo/", Echo.as_view()),
    path("manual/", ManualValidation.as_view()),
    path("timed-elsewhere/", TimedElsewhere.as_view()),
    path("exploding/", Exploding.as_view()),
    path("cached-notes/", cache_page(60)(NoteList.as_view())),
    path("not-here/", NotHere.as_view()),
    path("not-yours/", NotYours.as_view()),
    path("two-serializers/", TwoSerializers.as_view()),
    path("plain-create/", PlainCreate.as_view()),
    path("note-count/", note_count),
    path("session-notes/", SessionNoteList.as_view()),
    path("django-refusal/", DjangoRefusal.as_view()),
]


@pytest.fixture(autouse=True)
def fresh_throttle_cache():
    clear_this_runs_cache()
    yield
    clear_this_runs_cache()


def timing_entries(response):
    """{stage: (duration, queries)} from the Server-Timing header, in header order."""
    entries = {}
    for entry in response["Server-Timing"].split(", "):
        match = TIMING_ENTRY.match(entry)
        assert match, entry
        entries[match["name"]] = (float(match["dur"]), int(match["queries"]))
    return entries


# -- Server-Timing and cycle_trace -------------------------------------------------------


@TRACE_ON
def test_server_timing_names_each_stage_in_cycle_order(client):
    GenericNote.objects.create(title="a")
    response = client.get("/notes/")
    assert response.status_code == 200
    names = list(timing_entries(response))
    assert names == [
        "authenticate",
        "permissions",
        "throttles",
        "handler",
        "queryset",
        "serialize",
        "render",
    ]


@TRACE_ON
def test_server_timing_entry_format_is_duration_and_query_count(client):
    response = client.get("/notes/")
    for entry in response["Server-Timing"].split(", "):
        assert re.fullmatch(r'[a-z]+;dur=\d+\.\d\d;desc="(1 query|\d+ queries)"', entry), entry


@TRACE_ON
def test_list_query_counted_where_the_queryset_is_evaluated(client):
    GenericNote.objects.create(title="a")
    GenericNote.objects.create(title="b")
    entries = timing_entries(client.get("/notes/"))
    assert entries["serialize"][1] == 1
    assert entries["queryset"][1] == 0
    assert entries["render"][1] == 0
    assert "serialize;dur=" in client.get("/notes/")["Server-Timing"]


@TRACE_ON
def test_object_lookup_query_counted_under_object(client):
    note = GenericNote.objects.create(title="a")
    response = client.get(f"/notes/{note.pk}/")
    entries = timing_entries(response)
    assert entries["object"][1] == 1
    assert entries["serialize"][1] == 0
    assert "queryset" in entries  # get_object builds it through get_queryset


@TRACE_ON
def test_token_lookup_query_counted_under_authenticate(client):
    user = User.objects.create_user("reader")
    token = Token.objects.create(user=user)
    response = client.get("/token-notes/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    entries = timing_entries(response)
    assert entries["authenticate"][1] == 1
    assert list(entries)[0] == "authenticate"


@TRACE_ON
def test_create_times_parse_validate_and_perform(client):
    response = client.post("/notes/", {"title": "new", "rank": 3}, content_type="application/json")
    assert response.status_code == 201
    entries = timing_entries(response)
    assert {"parse", "validate", "perform", "serialize", "render"} <= set(entries)
    assert entries["perform"][1] >= 1  # the INSERT
    assert entries["validate"][1] == 0


@TRACE_ON
def test_cycle_trace_holds_the_same_stages_as_the_header(client):
    GenericNote.objects.create(title="a")
    response = client.get("/notes/")
    trace = response.cycle_trace
    header = timing_entries(response)
    assert [stage.name for stage in trace.stages] == list(header)
    for name, duration_ms, queries in trace.stages:
        assert header[name][1] == queries
        assert header[name][0] == pytest.approx(duration_ms, abs=0.006)
    assert trace.queries == 1
    assert trace.refusal is None
    assert trace.total_ms >= sum(stage.duration_ms for stage in trace.stages) - 0.01


@TRACE_ON
def test_server_timing_set_by_the_view_is_kept_before_the_stages(client):
    response = client.get("/timed-elsewhere/")
    assert response["Server-Timing"].startswith("cache;desc=hit, ")
    assert "handler;dur=" in response["Server-Timing"]


@TRACE_ON
def test_uncaught_error_leaves_no_query_counter_behind(client):
    client.raise_request_exception = False
    response = client.get("/exploding/")
    assert response.status_code == 500
    for alias in connections:
        wrappers = connections[alias].execute_wrappers
        assert not any(isinstance(w, _cycle_trace.CycleTrace) for w in wrappers)


# -- switching it on and off -------------------------------------------------------------


@override_settings(REST_FRAMEWORK={"TRACE": False}, DEBUG=True)
def test_trace_off_adds_no_header_and_builds_no_trace(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a trace was built with TRACE off")

    monkeypatch.setattr(_cycle_trace.CycleTrace, "__init__", refuse)
    response = client.get("/notes/")
    assert response.status_code == 200
    assert "Server-Timing" not in response
    assert "X-Restcycle-Refused" not in response
    assert not hasattr(response, "cycle_trace")


@override_settings(DEBUG=True, REST_FRAMEWORK={})
def test_trace_default_is_on_with_debug(client):
    response = client.get("/notes/")
    assert "Server-Timing" in response
    assert response.cycle_trace.stages


@override_settings(DEBUG=False, REST_FRAMEWORK={})
def test_trace_default_is_off_without_debug(client):
    response = client.get("/notes/")
    assert "Server-Timing" not in response
    assert not hasattr(response, "cycle_trace")


@override_settings(DEBUG=False, REST_FRAMEWORK={})
def test_override_settings_switches_tracing_both_ways(client):
    assert "Server-Timing" not in client.get("/notes/")
    with override_settings(REST_FRAMEWORK={"TRACE": True}):
        assert "Server-Timing" in client.get("/notes/")
        with override_settings(REST_FRAMEWORK={"TRACE": False}, DEBUG=True):
            assert "Server-Timing" not in client.get("/notes/")
        assert "Server-Timing" in client.get("/notes/")
    assert "Server-Timing" not in client.get("/notes/")


# -- why it was refused ------------------------------------------------------------------


def refused(client, method, url, **kwargs):
    with override_settings(DEBUG=True):
        response = getattr(client, method)(url, **kwargs)
    assert response["X-Restcycle-Refused"] == str(response.cycle_trace.refusal)
    return response


def test_403_names_the_permission_and_its_method(client):
    note = GenericNote.objects.create(title="locked")
    response = refused(
        client, "put", f"/notes/{note.pk}/", data={}, content_type="application/json"
    )
    assert response.status_code == 403
    assert str(response.cycle_trace.refusal) == (
        "403 at permissions: TitleIsNotLocked.has_object_permission"
    )
    assert response.json() == {"detail": "You do not have permission to perform this action."}


def test_403_from_has_permission(client):
    user = User.objects.create_user("reader")
    token = Token.objects.create(user=user)
    response = refused(client, "get", "/staff/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403
    refusal = response.cycle_trace.refusal
    assert (refusal.status, refusal.stage, refusal.reason) == (
        403,
        "permissions",
        "IsAdminUser.has_permission",
    )


def test_401_without_credentials_names_the_permission(client):
    response = refused(client, "get", "/token-notes/")
    assert response.status_code == 401
    assert response["X-Restcycle-Refused"] == "401 at permissions: IsAuthenticated.has_permission"


def test_401_names_the_authenticator_and_its_message(client):
    response = refused(client, "get", "/token-notes/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert response["X-Restcycle-Refused"] == (
        "401 at authenticate: TokenAuthentication.authenticate: Invalid token."
    )
    assert response.json() == {"detail": "Invalid token."}


def test_refusal_stage_for_authentication_has_the_server_timing_name(client):
    with TRACE_ON:
        response = client.get("/token-notes/", HTTP_AUTHORIZATION="Token nope")
    refusal = response.cycle_trace.refusal
    timing_names = [stage.name for stage in response.cycle_trace.stages]
    assert refusal.stage == "authenticate"
    assert refusal.stage in timing_names


def test_403_for_a_missing_csrf_token_says_csrf_and_names_enforce_csrf():
    from django.test import Client

    User.objects.create_user("ann", password="pw")
    client = Client(enforce_csrf_checks=True)
    client.login(username="ann", password="pw")
    response = refused(
        client, "post", "/session-notes/", data={"title": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    header = response["X-Restcycle-Refused"]
    assert header.startswith(
        "403 at authenticate: SessionAuthentication.enforce_csrf: CSRF Failed:"
    )
    assert "CSRF token" in header or "CSRF cookie" in header
    assert response.json()["detail"].startswith("CSRF Failed:")
    assert not GenericNote.objects.exists()


def test_an_authenticators_django_error_names_the_public_stage_method(client):
    response = refused(client, "get", "/django-refusal/")
    assert response.status_code == 403
    assert response["X-Restcycle-Refused"] == (
        "403 at authenticate: perform_authentication: PermissionDenied: Blocked address."
    )


def test_400_names_the_serializer_and_the_invalid_fields(client):
    response = refused(
        client, "post", "/notes/", data={"rank": -1}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["X-Restcycle-Refused"] == "400 at validate: NoteSerializer: title, rank"
    assert set(response.json()) == {"title", "rank"}


def test_400_returned_by_the_handler_after_is_valid(client):
    response = refused(
        client, "post", "/manual/", data={"title": "x", "rank": -2}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["X-Restcycle-Refused"] == "400 at validate: NoteSerializer: rank"


def test_400_for_a_malformed_body_names_the_parser_error(client):
    response = refused(client, "post", "/echo/", data="{nope", content_type="application/json")
    assert response.status_code == 400
    assert response["X-Restcycle-Refused"].startswith("400 at parse: JSON parse error")


def test_404_names_get_object(client):
    response = refused(client, "get", "/notes/999/")
    assert response.status_code == 404
    assert response["X-Restcycle-Refused"] == "404 at object: get_object"
    assert response.json() == {"detail": "No GenericNote matches the given query."}


def test_405_names_the_method(client):
    response = refused(client, "put", "/notes/", data={}, content_type="application/json")
    assert response.status_code == 405
    assert response["X-Restcycle-Refused"] == "405 at handler: method PUT not allowed"


def test_406_names_the_negotiator(client):
    response = refused(client, "get", "/notes/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 406
    assert response["X-Restcycle-Refused"] == "406 at negotiation: DefaultContentNegotiation"


def test_415_names_the_media_type_nobody_parses(client):
    response = refused(client, "post", "/echo/", data="a,b", content_type="text/csv")
    assert response.status_code == 415
    assert response["X-Restcycle-Refused"] == "415 at parse: no parser for text/csv"
    assert response.json() == {"detail": 'Unsupported media type "text/csv" in request.'}


def test_429_names_the_throttle_scope_and_wait(client):
    assert client.get("/ping/").status_code == 200
    response = refused(client, "get", "/ping/")
    assert response.status_code == 429
    assert response["X-Restcycle-Refused"] == (
        f"429 at throttles: PingThrottle (ping), wait {response['Retry-After']} s"
    )
    assert response.cycle_trace.refusal.stage == "throttles"


def test_404_raised_by_a_handler_names_the_handler(client):
    class Missing(Open, APIView):
        def get(self, request):
            raise exceptions.NotFound()

    from django.test import RequestFactory

    with override_settings(REST_FRAMEWORK={"TRACE": True}):
        response = Missing.as_view()(RequestFactory().get("/"))
    assert response.status_code == 404
    assert str(response.cycle_trace.refusal) == "404 at handler: get"


@TRACE_ON
def test_refused_header_only_with_debug_while_the_trace_still_explains(client):
    response = client.get("/notes/999/")
    assert response.status_code == 404
    assert "X-Restcycle-Refused" not in response
    assert str(response.cycle_trace.refusal) == "404 at object: get_object"


def test_refusal_body_is_the_same_with_tracing_on_and_off(client):
    with override_settings(REST_FRAMEWORK={"TRACE": False}):
        off = client.post("/notes/", data={"rank": -1}, content_type="application/json")
    on = refused(client, "post", "/notes/", data={"rank": -1}, content_type="application/json")
    assert on.content == off.content
    assert on.status_code == off.status_code == 400


@TRACE_ON
def test_successful_response_has_no_refusal(client):
    response = client.get("/notes/")
    assert response.cycle_trace.refusal is None
    assert "X-Restcycle-Refused" not in response


@TRACE_ON
def test_traced_response_is_cached_by_cache_page(client):
    first = client.get("/cached-notes/")
    second = client.get("/cached-notes/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Server-Timing"] == first["Server-Timing"]
    assert [stage.name for stage in second.cycle_trace.stages] == [
        stage.name for stage in first.cycle_trace.stages
    ]


@TRACE_ON
def test_a_stage_that_runs_twice_is_one_entry_with_both_counts(client):
    GenericNote.objects.create(title="a")
    response = client.get("/two-serializers/")
    header = response["Server-Timing"]
    assert header.count("serialize;") == 1
    assert timing_entries(response)["serialize"][1] == 2


def test_4xx_returned_by_the_handler_names_the_handler(client):
    response = refused(client, "get", "/not-here/")
    assert response["X-Restcycle-Refused"] == "404 at handler: get returned 404"
    assert response.json() == {"detail": "nothing"}


def test_exception_raised_in_the_handler_names_class_and_detail(client):
    response = refused(client, "get", "/not-yours/")
    assert response.status_code == 403
    assert response["X-Restcycle-Refused"] == "403 at handler: get: PermissionDenied: Not yours."


@TRACE_ON
def test_installed_hook_replaces_the_tracer_until_uninstalled(client):
    from restcycle._observe import trace as _trace

    seen = []
    _trace.install(lambda view: seen.append(type(view).__name__))
    try:
        response = client.get("/notes/")
        assert seen == ["NoteList"]
        assert "Server-Timing" not in response
    finally:
        _trace.install(None)
    assert "Server-Timing" in client.get("/notes/")


@TRACE_ON
def test_serializer_save_in_a_plain_view_is_timed_as_perform(client):
    response = client.post(
        "/plain-create/", {"title": "t", "rank": 1}, content_type="application/json"
    )
    assert response.status_code == 201
    entries = timing_entries(response)
    assert list(entries) == [
        "authenticate",
        "permissions",
        "throttles",
        "handler",
        "parse",
        "validate",
        "perform",
        "serialize",
        "render",
    ]
    assert entries["perform"][1] >= 1
    assert entries["handler"][1] == 0


@TRACE_ON
def test_function_view_query_is_counted_under_handler(client):
    response = client.get("/note-count/")
    assert response.json() == {"count": 0}
    assert timing_entries(response)["handler"][1] == 1


@TRACE_ON
def test_browsable_api_page_is_traced_like_json(client):
    note = GenericNote.objects.create(title="a")
    response = client.get(f"/notes/{note.pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    entries = timing_entries(response)
    assert entries["object"][1] == 1
    assert list(entries)[-1] == "render"
