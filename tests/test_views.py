"""APIView's cycle through real requests: the order of the stages, and the status, headers
and body of every way the cycle can end early."""

import json
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import connection, transaction
from django.http import Http404, HttpResponse
from django.test import override_settings
from django.urls import path, re_path

from restcycle import exceptions
from restcycle._observe import trace as _trace
from restcycle.authentication import BasicAuthentication, SessionAuthentication
from restcycle.permissions import BasePermission, IsAuthenticated
from restcycle.renderers import JSONRenderer
from restcycle.response import Response
from restcycle.settings import APISettings
from restcycle.test import APIClient, APIRequestFactory
from restcycle.views import APIView, exception_handler

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class OpenView(APIView):
    """Answers GET and POST for anyone."""

    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response({"method": "GET"})

    def post(self, request):
        return Response({"method": "POST", "data": request.data})


class StageRecordingView(OpenView):
    """Records every stage it passes through; the order comes back in a header."""

    def record(self, stage):
        self.__dict__.setdefault("stages", []).append(stage)

    def initialize_request(self, request, *args, **kwargs):
        self.record("initialize_request")
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        self.record("initial")
        super().initial(request, *args, **kwargs)

    def perform_content_negotiation(self, request, force=False):
        self.record("perform_content_negotiation")
        return super().perform_content_negotiation(request, force)

    def determine_version(self, request, *args, **kwargs):
        self.record("determine_version")
        return super().determine_version(request, *args, **kwargs)

    def perform_authentication(self, request):
        self.record("perform_authentication")
        super().perform_authentication(request)

    def check_permissions(self, request):
        self.record("check_permissions")
        super().check_permissions(request)

    def check_throttles(self, request):
        self.record("check_throttles")
        super().check_throttles(request)

    def get(self, request):
        self.record("handler")
        return super().get(request)

    def post(self, request):
        self.record("handler")
        raise exceptions.ValidationError({"name": ["bad"]})

    def handle_exception(self, exc):
        self.record("handle_exception")
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        self.record("finalize_response")
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Stages"] = ",".join(self.stages)
        return response


class BasicProtectedView(OpenView):
    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class SessionProtectedView(OpenView):
    authentication_classes = [SessionAuthentication, BasicAuthentication]
    permission_classes = [IsAuthenticated]


class RefusingAuthentication:
    def authenticate(self, request):
        if "HTTP_X_TOKEN" in request.META:
            raise exceptions.AuthenticationFailed("That token is revoked.")
        return None

    def authenticate_header(self, request):
        return 'Token realm="tests"'


class RevokedTokenView(OpenView):
    authentication_classes = [RefusingAuthentication]


class NoWeekendsPermission(BasePermission):
    message = "Closed on weekends."
    code = "closed"

    def has_permission(self, request, view):
        return False


class ClosedView(OpenView):
    permission_classes = [NoWeekendsPermission]


class SlowDownThrottle:
    def allow_request(self, request, view):
        return False

    def wait(self):
        return 3.2


class ThrottledView(OpenView):
    throttle_classes = [SlowDownThrottle]


class RaisingView(OpenView):
    """Raises what the `raise` query parameter names."""

    def get(self, request):
        what = request.query_params["raise"]
        if what == "http404":
            raise Http404
        if what == "http404-message":
            raise Http404("No such widget.")
        if what == "django-permission":
            raise DjangoPermissionDenied
        if what == "runtime":
            raise RuntimeError("boom")
        if what == "syntax":
            raise SyntaxError("nope")
        if what == "list-validation":
            raise exceptions.ValidationError(["first", "second"])
        return Response({})


class NotAResponseView(OpenView):
    def get(self, request):
        return {"plain": "dict"}


class PlainDjangoResponseView(OpenView):
    def get(self, request):
        return HttpResponse("plain", content_type="text/plain")


class JSONAlternative(JSONRenderer):
    media_type = "application/vnd.tests+json"
    format = "tests"


class TwoRendererView(OpenView):
    renderer_classes = [JSONRenderer, JSONAlternative]

    def get(self, request, format=None):
        return Response({"ok": True}, headers={"Vary": "Cookie"})


def syntax_error_handler(exc, context):
    if isinstance(exc, SyntaxError):
        return Response({"handled": type(exc).__name__, "view": type(context["view"]).__name__})
    return exception_handler(exc, context)


def declining_handler(exc, context):
    return None


class OwnSettingsView(RaisingView):
    settings = APISettings({"EXCEPTION_HANDLER": syntax_error_handler})


class UserListView(OpenView):
    """Lists users.

    Only names.
    """

    queryset = User.objects.all()

    def get(self, request):
        return Response([user.username for user in self.queryset.all()])


class DefaultsView(APIView):
    """Takes every component class from the settings."""

    def get(self, request):
        return Response({"user": str(request.user)})


urlpatterns = [
    path("defaults/", DefaultsView.as_view()),
    path("no-metadata/", OpenView.as_view(metadata_class=None)),
    path("open/", OpenView.as_view()),
    path("stages/", StageRecordingView.as_view()),
    path("basic/", BasicProtectedView.as_view()),
    path("session/", SessionProtectedView.as_view()),
    path("revoked/", RevokedTokenView.as_view()),
    path("closed/", ClosedView.as_view()),
    path("throttled/", ThrottledView.as_view()),
    path("raising/", RaisingView.as_view()),
    path("own-settings/", OwnSettingsView.as_view()),
    path("not-a-response/", NotAResponseView.as_view()),
    path("plain/", PlainDjangoResponseView.as_view()),
    path("two-renderers/", TwoRendererView.as_view()),
    path("users/", UserListView.as_view()),
    re_path(r"^suffixed\.(?P<format>\w+)$", TwoRendererView.as_view()),
]


@pytest.fixture
def client():
    return APIClient()


def body(response):
    return json.loads(response.content)


def test_stages_run_in_cycle_order(client):
    response = client.get("/stages/")
    assert response.status_code == 200
    assert response["X-Stages"].split(",") == [
        "initialize_request",
        "initial",
        "perform_content_negotiation",
        "determine_version",
        "perform_authentication",
        "check_permissions",
        "check_throttles",
        "handler",
        "finalize_response",
    ]


def test_an_exception_in_the_handler_goes_through_handle_exception_before_finalizing(client):
    response = client.post("/stages/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert body(response) == {"name": ["bad"]}
    assert response["X-Stages"].split(",")[-3:] == [
        "handler",
        "handle_exception",
        "finalize_response",
    ]


@override_settings(
    REST_FRAMEWORK={"DEFAULT_RENDERER_CLASSES": ["restcycle.renderers.JSONRenderer"]}
)
def test_response_carries_allow_header_and_no_vary_with_one_renderer(client):
    response = client.get("/open/")
    assert body(response) == {"method": "GET"}
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert not response.has_header("Vary")


def test_vary_accept_is_merged_with_the_responses_own_vary(client):
    response = client.get("/two-renderers/")
    assert sorted(response["Vary"].split(", ")) == ["Accept", "Cookie"]


def test_format_suffix_kwarg_selects_the_renderer(client):
    response = client.get("/suffixed.tests")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.tests+json"


def test_post_parses_json_body(client):
    response = client.post("/open/", {"a": [1, 2]}, format="json")
    assert body(response) == {"method": "POST", "data": {"a": [1, 2]}}


def test_missing_credentials_are_401_with_www_authenticate_from_first_authenticator(client):
    response = client.get("/basic/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    assert body(response) == {"detail": "Authentication credentials were not provided."}


def test_missing_credentials_are_403_when_first_authenticator_has_no_header(client):
    response = client.get("/session/")
    assert response.status_code == 403
    assert not response.has_header("WWW-Authenticate")
    assert body(response) == {"detail": "Authentication credentials were not provided."}


def test_failing_authenticator_is_401_with_its_message(client):
    response = client.get("/revoked/", HTTP_X_TOKEN="old")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="tests"'
    assert body(response) == {"detail": "That token is revoked."}


def test_authenticated_user_passes_permission_check(client):
    user = User.objects.create_user("ada", password="pw")
    client.force_authenticate(user)
    assert client.get("/session/").status_code == 200


def test_refusing_permission_is_403_with_its_message(client):
    response = client.get("/closed/")
    assert response.status_code == 403
    assert body(response) == {"detail": "Closed on weekends."}


def test_refusing_throttle_is_429_with_retry_after_rounded_up(client):
    response = client.get("/throttled/")
    assert response.status_code == 429
    assert response["Retry-After"] == "4"
    assert body(response) == {"detail": "Request was throttled. Expected available in 4 seconds."}


def test_method_without_handler_is_405_with_allow(client):
    response = client.delete("/open/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert body(response) == {"detail": 'Method "DELETE" not allowed.'}


def test_method_outside_http_method_names_is_405(client):
    response = client.generic("PROPFIND", "/open/")
    assert response.status_code == 405
    assert body(response) == {"detail": 'Method "PROPFIND" not allowed.'}


def test_unsatisfiable_accept_header_is_406(client):
    response = client.get("/open/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert body(response) == {"detail": "Could not satisfy the request Accept header."}
    assert response["Content-Type"] == "application/json"


def test_unparseable_content_type_is_415(client):
    response = client.post("/open/", "hello", content_type="text/plain")
    assert response.status_code == 415
    assert body(response) == {"detail": 'Unsupported media type "text/plain" in request.'}


def test_malformed_json_is_400_parse_error(client):
    response = client.post("/open/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert body(response)["detail"].startswith("JSON parse error")


def test_django_http404_becomes_404_not_found(client):
    response = client.get("/raising/", {"raise": "http404"})
    assert response.status_code == 404
    assert body(response) == {"detail": "Not found."}


def test_http404_message_is_kept(client):
    response = client.get("/raising/", {"raise": "http404-message"})
    assert response.status_code == 404
    assert body(response) == {"detail": "No such widget."}


def test_django_permission_denied_becomes_403(client):
    response = client.get("/raising/", {"raise": "django-permission"})
    assert response.status_code == 403
    assert body(response) == {"detail": "You do not have permission to perform this action."}


def test_list_validation_error_is_the_body_itself(client):
    response = client.get("/raising/", {"raise": "list-validation"})
    assert response.status_code == 400
    assert body(response) == ["first", "second"]


def test_non_api_exception_propagates_to_django(client):
    with pytest.raises(RuntimeError, match="boom"):
        client.get("/raising/", {"raise": "runtime"})


def test_exception_handler_setting_replaces_the_handler(client):
    handler = "tests.test_views.syntax_error_handler"
    with override_settings(REST_FRAMEWORK={"EXCEPTION_HANDLER": handler}):
        response = client.get("/raising/", {"raise": "syntax"})
    assert response.status_code == 200
    assert body(response) == {"handled": "SyntaxError", "view": "RaisingView"}


def test_handler_returning_none_lets_the_exception_propagate(client):
    handler = "tests.test_views.declining_handler"
    with (
        override_settings(REST_FRAMEWORK={"EXCEPTION_HANDLER": handler}),
        pytest.raises(exceptions.Throttled),
    ):
        client.get("/throttled/")


def test_view_settings_attribute_overrides_the_handler_for_that_view(client):
    assert body(client.get("/own-settings/", {"raise": "syntax"}))["handled"] == "SyntaxError"
    with pytest.raises(SyntaxError):
        client.get("/raising/", {"raise": "syntax"})


def test_returning_something_else_than_a_response_is_an_assertion(client):
    with pytest.raises(AssertionError, match="Expected a `Response`"):
        client.get("/not-a-response/")


def test_plain_django_response_gets_the_views_headers(client):
    response = client.get("/plain/")
    assert response.content == b"plain"
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_options_answers_with_metadata(client):
    response = client.options("/users/")
    assert response.status_code == 200
    assert body(response)["name"] == "User List"
    assert body(response)["description"] == "Lists users.\n\nOnly names."


def test_options_is_405_without_metadata_class(client):
    response = client.options("/no-metadata/")
    assert response.status_code == 405
    assert body(response) == {"detail": 'Method "OPTIONS" not allowed.'}


def test_class_level_queryset_cannot_be_evaluated_directly(client):
    User.objects.create_user("bob")
    assert body(client.get("/users/")) == ["bob"]
    with pytest.raises(RuntimeError, match="Do not evaluate the `.queryset` attribute"):
        list(UserListView.queryset)


def test_view_function_is_csrf_and_login_exempt():
    view = OpenView.as_view()
    assert view.csrf_exempt is True
    assert view.login_required is False
    assert view.cls is OpenView


def test_csrf_enforcing_client_can_post_without_session_authentication():
    client = APIClient(enforce_csrf_checks=True)
    assert client.post("/open/", {"a": 1}, format="json").status_code == 200


def test_default_classes_come_from_settings_and_follow_override_settings(client):
    response = client.get("/defaults/")
    assert response.status_code == 200
    assert body(response) == {"user": "AnonymousUser"}

    permissions = ["restcycle.permissions.IsAuthenticated"]
    with override_settings(REST_FRAMEWORK={"DEFAULT_PERMISSION_CLASSES": permissions}):
        # SessionAuthentication comes first by default: no WWW-Authenticate, so 403.
        assert client.get("/defaults/").status_code == 403
    with override_settings(
        REST_FRAMEWORK={
            "DEFAULT_PERMISSION_CLASSES": permissions,
            "DEFAULT_AUTHENTICATION_CLASSES": ["restcycle.authentication.BasicAuthentication"],
        }
    ):
        assert client.get("/defaults/").status_code == 401
    assert client.get("/defaults/").status_code == 200


def test_view_name_and_description():
    class CustomerOrderViewSet(APIView):
        """
        Orders of one customer.
        """

    class Named(APIView):
        name = "Given"
        description = "Described."

    view = CustomerOrderViewSet()
    assert view.get_view_name() == "Customer Order"
    assert view.get_view_description() == "Orders of one customer."
    assert "<p>" in view.get_view_description(html=True)
    view.suffix = "List"
    assert view.get_view_name() == "Customer Order List"
    assert Named().get_view_name() == "Given"
    assert Named().get_view_description() == "Described."


def test_view_name_function_setting():
    with override_settings(REST_FRAMEWORK={"VIEW_NAME_FUNCTION": "tests.test_views.shouted_name"}):
        assert OpenView().get_view_name() == "OPENVIEW"


def shouted_name(view):
    return type(view).__name__.upper()


def test_error_responses_mark_atomic_requests_for_rollback():
    view = RaisingView.as_view()
    request = APIRequestFactory().get("/raising/", {"raise": "http404"})
    with (
        mock.patch.dict(connection.settings_dict, {"ATOMIC_REQUESTS": True}),
        transaction.atomic(),
    ):
        response = view(request)
        assert response.status_code == 404
        assert connection.get_rollback() is True
        transaction.set_rollback(False)


@override_settings(DEBUG=True)
def test_uncaught_exception_propagates_with_debug_on(client):
    with pytest.raises(RuntimeError, match="boom"):
        client.get("/raising/", {"raise": "runtime"})


def test_trace_hook_sees_the_view_before_its_stages_run(client):
    seen = []

    def hook(view):
        seen.append((type(view).__name__, hasattr(view, "request"), view.kwargs))
        original = view.check_permissions

        def timed_check_permissions(request):
            seen.append("check_permissions")
            return original(request)

        view.check_permissions = timed_check_permissions

    _trace.install(hook)
    try:
        assert client.get("/open/").status_code == 200
    finally:
        _trace.install(None)
    assert seen == [("OpenView", True, {}), "check_permissions"]
