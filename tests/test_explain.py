"""`manage.py explain`: what the cycle will do with a request, read from the project's code."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from restcycle import generics, permissions, serializers, viewsets
from restcycle.decorators import action, api_view, permission_classes
from restcycle.response import Response
from restcycle.routers import SimpleRouter
from restcycle.throttling import UserRateThrottle
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)

REPO = Path(__file__).resolve().parent.parent


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "date_joined"]
        read_only_fields = ["date_joined"]

    def validate_username(self, value):
        return value.lower()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["display"] = instance.username.title()
        return data


class OwnerOnly(permissions.BasePermission):
    def has_object_permission(self, request, view, obj):
        return obj == request.user


class AccountViewSet(viewsets.ModelViewSet):
    queryset = User.objects.all()
    serializer_class = AccountSerializer
    permission_classes = [permissions.IsAuthenticated, OwnerOnly]

    def perform_create(self, serializer):
        serializer.save(is_active=True)

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return Response({"deactivated": pk})


class ArchiveViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = User.objects.all()
    serializer_class = AccountSerializer


class AccountList(generics.ListCreateAPIView):
    queryset = User.objects.all()
    serializer_class = AccountSerializer


class AccountSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class SummaryOnListViewSet(viewsets.ModelViewSet):
    queryset = User.objects.all()

    def get_serializer_class(self):
        return AccountSummarySerializer if self.action == "list" else AccountSerializer


class AccountDetail(generics.RetrieveUpdateAPIView):
    queryset = User.objects.all()
    serializer_class = AccountSerializer


class RequestDependentList(generics.ListAPIView):
    queryset = User.objects.all()

    def get_serializer_class(self):
        raise RuntimeError("needs a signed-in user")


class Ping(APIView):
    throttle_classes = [UserRateThrottle]

    def get(self, request):
        return Response({"pong": True})


class LoudPing(Ping):
    def get(self, request):
        response = super().get(request)
        response.data["loud"] = True
        return response


@api_view(["GET", "POST"])
@permission_classes([permissions.IsAdminUser])
def greet(request):
    return Response({"hello": "world"})


def plain_django_view(request):
    return HttpResponse("plain")


class RefusesUnlessTheRequestCarriesAnUnusuallyLongHeaderName(permissions.BasePermission):
    def has_permission(self, request, view):
        return True


class RefusesOnTheSecondTuesdayOfAnyMonthWithAnUnusuallyLongName(permissions.BasePermission):
    def has_object_permission(self, request, view, obj):
        return True


class WideAccountSerializer(serializers.ModelSerializer):
    """Fields whose validators alone are wider than a terminal."""

    postcode = serializers.RegexField(
        r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|GIR ?0AA|[0-9]{5}(?:-[0-9]{4})?|[0-9]{4,6})$",
        max_length=12,
        min_length=3,
    )

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "groups", "postcode"]

    def validate_postcode(self, value):
        return value.upper()


class WideAccountViewSet(viewsets.ModelViewSet):
    queryset = User.objects.all()
    serializer_class = WideAccountSerializer
    permission_classes = [
        permissions.IsAuthenticated,
        RefusesUnlessTheRequestCarriesAnUnusuallyLongHeaderName,
        RefusesOnTheSecondTuesdayOfAnyMonthWithAnUnusuallyLongName,
    ]
    throttle_classes = [UserRateThrottle]

    def perform_destroy(self, instance):
        instance.is_active = False
        instance.save()


router = SimpleRouter()
router.register("accounts", AccountViewSet)
router.register(
    "organisations/regional-offices/staff-accounts-with-rather-long-names",
    WideAccountViewSet,
    basename="wide-account",
)
router.register("archive", ArchiveViewSet, basename="archive")
router.register("summaries", SummaryOnListViewSet, basename="summary")

urlpatterns = [
    path("", include(router.urls)),
    path("v1/", include((router.urls, "accounts-api"), namespace="v1")),
    path("account-list/", AccountList.as_view(), name="account-list-generic"),
    path("account-by-id/<int:pk>/", AccountDetail.as_view(), name="account-by-id"),
    path("request-dependent/", RequestDependentList.as_view()),
    path("ping/", Ping.as_view(), name="ping"),
    path("strict-ping/", Ping.as_view(permission_classes=[permissions.IsAdminUser])),
    path("loud-ping/", LoudPing.as_view()),
    path("greet/", greet, name="greet"),
    path("plain/", plain_django_view),
]


def explain_json(target, *options):
    out = StringIO()
    call_command("explain", target, "--format=json", *options, stdout=out)
    return json.loads(out.getvalue())


def explain_text(target, *options):
    out = StringIO()
    call_command("explain", target, *options, stdout=out)
    return out.getvalue()


def override_point(report, method, on="view"):
    for stage in report["stages"]:
        for point in stage["override_points"]:
            if point["method"] == method and point["on"] == on:
                return point
    raise AssertionError(f"no override point {on}.{method}")


def field(report, name):
    return next(f for f in report["serializer"]["fields"] if f["name"] == name)


# --- resolution ------------------------------------------------------------------------


def test_path_resolves_to_the_viewset_and_its_list_action():
    report = explain_json("/accounts/")

    assert report["schema"] == "restcycle.explain/1"
    assert report["view"]["kind"] == "viewset"
    assert report["view"]["class"]["path"] == f"{__name__}.AccountViewSet"
    assert report["view"]["class"]["origin"] == "project"
    assert report["view"]["actions"] == {"GET": "list", "POST": "create"}
    assert report["view"]["detail"] is False
    assert report["handler"]["name"] == "list"
    assert report["handler"]["defined_by"]["origin"] == "framework"
    assert report["url"]["name"] == "user-list"


def test_get_on_a_detail_route_maps_to_retrieve_and_put_to_update():
    assert explain_json("/accounts/7/")["handler"]["name"] == "retrieve"
    report = explain_json("/accounts/7/", "--method=put")
    assert report["handler"]["name"] == "update"
    assert report["url"]["kwargs"] == {"pk": "7"}
    assert report["view"]["detail"] is True


def test_extra_action_is_found_by_its_method_mapping():
    report = explain_json("/accounts/3/deactivate/", "--method=POST")

    assert report["handler"]["name"] == "deactivate"
    assert report["handler"]["extra_action"] is True
    assert report["handler"]["overridden"] is True
    assert report["handler"]["defined_by"]["path"] == f"{__name__}.AccountViewSet"


def test_url_name_needing_arguments_is_shown_with_placeholders():
    report = explain_json("user-detail", "--method=DELETE")

    assert report["url"]["path"] == "/accounts/<pk>/"
    assert report["url"]["placeholders"] == ["pk"]
    assert report["handler"]["name"] == "destroy"


def test_url_name_without_arguments_resolves_to_its_path():
    report = explain_json("ping")

    assert report["url"]["path"] == "/ping/"
    assert report["view"]["class"]["path"] == f"{__name__}.Ping"
    assert report["handler"]["name"] == "get"


def test_namespaced_url_name_is_looked_up_in_its_namespace():
    report = explain_json("v1:user-detail")

    assert report["url"]["path"] == "/v1/accounts/<pk>/"
    assert report["url"]["namespaces"] == ["v1"]
    assert report["handler"]["name"] == "retrieve"


def test_unknown_path_is_a_command_error_naming_it():
    with pytest.raises(CommandError, match="/nowhere/"):
        call_command("explain", "/nowhere/", stdout=StringIO())


def test_path_missing_its_trailing_slash_points_at_the_one_that_exists():
    with pytest.raises(CommandError, match="APPEND_SLASH"):
        call_command("explain", "/ping", stdout=StringIO())


def test_unknown_url_name_is_a_command_error_naming_it():
    with pytest.raises(CommandError, match="no-such-route"):
        call_command("explain", "no-such-route", stdout=StringIO())
    with pytest.raises(CommandError, match="nowhere"):
        call_command("explain", "nowhere:user-detail", stdout=StringIO())


def test_urlconf_option_resolves_against_that_urlconf():
    assert explain_json("/ping/", "--urlconf", __name__)["handler"]["name"] == "get"
    with pytest.raises(CommandError, match="/ping/"):
        call_command("explain", "/ping/", "--urlconf=tests.urls", stdout=StringIO())


def test_unknown_method_is_refused_by_the_command_line():
    with pytest.raises(CommandError):
        call_command("explain", "/ping/", "--method=BREW", stdout=StringIO())


def test_plain_django_view_is_reported_as_outside_the_cycle():
    report = explain_json("/plain/")

    assert report["view"]["kind"] == "django"
    assert report["handler"] is None
    assert "Not a REST framework view" in report["notes"][0]


# --- handlers ------------------------------------------------------------------------------


def test_method_a_viewset_route_does_not_map_is_405_with_the_allowed_methods():
    report = explain_json("/archive/", "--method=POST")

    assert report["handler"]["allowed"] is False
    assert report["handler"]["status"] == 405
    assert report["handler"]["allowed_methods"] == ["GET", "HEAD", "OPTIONS"]
    assert override_point(report, "http_method_not_allowed")["runs"] is True
    assert override_point(report, "get_queryset")["runs"] is False


def test_apiview_handler_calling_super_is_the_subclass_not_an_api_view_function():
    report = explain_json("/loud-ping/", "--method=HEAD")

    assert report["view"]["kind"] == "apiview"
    assert report["view"]["function"] is None
    assert report["handler"]["name"] == "get"
    assert report["handler"]["defined_by"]["path"] == f"{__name__}.LoudPing"
    assert report["handler"]["flow"] is None


def test_method_an_apiview_does_not_define_is_405():
    report = explain_json("/ping/", "--method=DELETE")

    assert report["handler"]["status"] == 405
    assert "DELETE" not in report["handler"]["allowed_methods"]
    assert "GET" in report["handler"]["allowed_methods"]


def test_generic_view_handler_is_followed_to_the_mixin_action_it_calls():
    report = explain_json("/account-list/", "--method=POST")

    assert report["handler"]["name"] == "post"
    assert report["handler"]["flow"] == "create"
    assert override_point(report, "perform_create")["runs"] is True
    assert override_point(report, "get_object")["runs"] is False


def test_detail_generic_view_handlers_follow_retrieve_and_partial_update():
    assert explain_json("/account-by-id/4/")["handler"]["flow"] == "retrieve"
    report = explain_json("account-by-id", "--method=PATCH")
    assert report["url"]["path"] == "/account-by-id/<pk>/"
    assert report["handler"]["flow"] == "partial_update"
    assert override_point(report, "get_object")["runs"] is True


def test_api_view_function_is_named_as_the_handler():
    report = explain_json("/greet/", "--method=POST")

    assert report["view"]["kind"] == "api_view"
    assert report["view"]["function"]["path"] == f"{__name__}.greet"
    assert report["handler"]["function"]["path"] == f"{__name__}.greet"
    permissions_entry = report["components"]["permissions"]
    assert [c["name"] for c in permissions_entry["classes"]] == ["IsAdminUser"]
    assert permissions_entry["source"] == "decorator"


# --- components and where they came from ---------------------------------------------------


def test_component_set_on_the_view_class_is_attributed_to_it():
    report = explain_json("/accounts/")
    permissions_entry = report["components"]["permissions"]

    assert [c["name"] for c in permissions_entry["classes"]] == ["IsAuthenticated", "OwnerOnly"]
    assert permissions_entry["source"] == "view"
    assert permissions_entry["defined_by"]["path"] == f"{__name__}.AccountViewSet"


def test_components_left_alone_come_from_the_defaults():
    report = explain_json("/accounts/")
    parsers = report["components"]["parsers"]

    assert parsers["source"] == "default"
    assert [c["name"] for c in parsers["classes"]] == [
        "JSONParser",
        "FormParser",
        "MultiPartParser",
    ]
    assert report["components"]["pagination"]["classes"] == []
    assert report["components"]["exception_handler"]["classes"][0]["name"] == "exception_handler"


@override_settings(
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": ["restcycle.authentication.TokenAuthentication"]
    }
)
def test_component_from_the_rest_framework_setting_says_so():
    authenticators = explain_json("/accounts/")["components"]["authenticators"]

    assert authenticators["source"] == "REST_FRAMEWORK"
    assert [c["name"] for c in authenticators["classes"]] == ["TokenAuthentication"]


def test_as_view_argument_wins_and_is_attributed_to_as_view():
    report = explain_json("/strict-ping/")
    permissions_entry = report["components"]["permissions"]

    assert permissions_entry["source"] == "as_view"
    assert [c["name"] for c in permissions_entry["classes"]] == ["IsAdminUser"]


def test_plain_apiview_has_no_filtering_or_pagination():
    components = explain_json("/ping/")["components"]

    assert components["pagination"]["applies"] is False
    assert components["filter_backends"]["applies"] is False
    assert components["throttles"]["source"] == "view"


# --- serializer ---------------------------------------------------------------------------


def test_serializer_fields_are_listed_with_access_requirement_and_source():
    report = explain_json("/accounts/", "--method=POST")
    serializer = report["serializer"]

    assert serializer["class"]["path"] == f"{__name__}.AccountSerializer"
    assert serializer["found_by"] == "serializer_class"
    assert [f["name"] for f in serializer["fields"]] == ["id", "username", "email", "date_joined"]
    assert field(report, "id")["read_only"] is True
    assert field(report, "date_joined")["read_only"] is True
    username = field(report, "username")
    assert username["required"] is True
    assert username["source"] == "username"
    assert username["validate_method"] == "validate_username"
    assert any(v.startswith("UniqueValidator(User") for v in username["validators"])
    assert any(v.startswith("MaxLengthValidator(150") for v in username["validators"])


def test_get_serializer_class_is_asked_with_the_action_of_the_route():
    on_list = explain_json("/summaries/")["serializer"]
    on_detail = explain_json("/summaries/1/", "--method=PUT")["serializer"]

    assert on_list["class"]["name"] == "AccountSummarySerializer"
    assert on_list["found_by"] == f"get_serializer_class() of {__name__}.SummaryOnListViewSet"
    assert on_detail["class"]["name"] == "AccountSerializer"


def test_get_serializer_class_failing_on_the_fake_request_is_a_note_not_a_crash():
    report = explain_json("/request-dependent/")

    assert report["serializer"]["class"] is None
    assert any("needs a signed-in user" in note for note in report["notes"])


# --- override points ----------------------------------------------------------------------


def test_user_overrides_are_marked_with_the_class_that_defines_them():
    report = explain_json("/accounts/", "--method=POST")

    perform_create = override_point(report, "perform_create")
    assert perform_create["overridden"] is True
    assert perform_create["defined_by"]["path"] == f"{__name__}.AccountViewSet"
    assert perform_create["runs"] is True
    validate_username = override_point(report, "validate_username", on="serializer")
    assert validate_username["overridden"] is True
    assert validate_username["stage"] == "7"
    to_representation = override_point(report, "to_representation", on="serializer")
    assert to_representation["overridden"] is True
    assert to_representation["defined_by"]["path"] == f"{__name__}.AccountSerializer"


def test_framework_methods_are_not_marked_as_overridden():
    report = explain_json("/accounts/", "--method=POST")

    assert override_point(report, "initial")["overridden"] is False
    assert override_point(report, "get_serializer")["overridden"] is False
    assert override_point(report, "create", on="serializer")["overridden"] is False


def test_permission_class_methods_are_override_points_of_their_stage():
    report = explain_json("/accounts/1/", "--method=PATCH")

    object_permission = next(
        point
        for point in override_point_list(report, "5")
        if point["class"].endswith("OwnerOnly") and point["method"] == "has_object_permission"
    )
    assert object_permission["overridden"] is True
    assert object_permission["runs"] is True
    has_permission = next(
        point
        for point in override_point_list(report, "3")
        if point["class"].endswith("OwnerOnly") and point["method"] == "has_permission"
    )
    assert has_permission["overridden"] is False


def override_point_list(report, stage_id):
    return next(stage for stage in report["stages"] if stage["id"] == stage_id)["override_points"]


def test_stages_come_in_the_order_of_the_cycle():
    report = explain_json("/accounts/")

    assert [stage["id"] for stage in report["stages"]] == [
        "1", "1b", "2", "3", "4", "5", "6", "7", "8", "9", "9b", "exception",
    ]  # fmt: skip


# --- text output ----------------------------------------------------------------------


def test_text_output_walks_the_stages_and_stars_the_users_code():
    text = explain_text("/accounts/", "--method=post")

    assert text.startswith("POST /accounts/\n")
    assert f"* {__name__}.AccountViewSet" in text
    assert "POST → create" in text
    lines = text.splitlines()
    assert lines.index("7   validate") < lines.index("8   act")
    assert any(
        line.strip().startswith("* perform_create") and "AccountViewSet" in line for line in lines
    )
    row = {
        line.split()[0]: i
        for i, line in enumerate(lines)
        if line.startswith("      ") and line.split()
    }
    under_username = "\n".join(lines[row["username"] + 1 : row["email"]])
    assert "validators: UnicodeUsernameValidator" in under_username
    assert "validate_username()" in under_username


WIDE_TARGETS = [
    "/organisations/regional-offices/staff-accounts-with-rather-long-names/",
    "/organisations/regional-offices/staff-accounts-with-rather-long-names/1/",
    "/accounts/",
    "/accounts/1/",
    "/accounts/1/deactivate/",
]


@pytest.mark.parametrize("target", WIDE_TARGETS)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_every_line_of_the_text_fits_in_100_columns(target, method):
    text = explain_text(target, f"--method={method}")

    too_wide = [line for line in text.splitlines() if len(line) > 100]
    assert too_wide == []


def test_long_lists_wrap_without_losing_a_name():
    text = explain_text(WIDE_TARGETS[1], "--method=PUT")
    words = " ".join(text.split())

    assert "RefusesOnTheSecondTuesdayOfAnyMonthWithAnUnusuallyLongName.has_object_permission" in (
        words
    )
    assert "validate_postcode()" in words
    assert "MinLengthValidator(3)" in words
    assert "RegexValidator('^(?:[A-Z]{1,2}[0-9][A-Z0-9]?" in text.replace("\n", "")
    assert "groups     Group (many)" not in text  # the type column says what it holds:
    assert "PrimaryKeyRelatedField (many)" in text


@pytest.mark.parametrize(
    "target, method",
    [
        ("/accounts/1/", "DELETE"),  # destroy never builds a serializer
        ("/archive/", "DELETE"),  # 405
        ("/accounts/", "PUT"),  # 405 on a list route
    ],
)
def test_a_path_that_never_builds_the_serializer_has_no_field_table(target, method):
    text = explain_text(target, f"--method={method}")
    report = explain_json(target, f"--method={method}")

    assert "serializers.AccountSerializer" in text or "AccountSerializer" in text
    assert "this path never builds the serializer" in text
    assert not any(line.split()[:2] == ["field", "type"] for line in text.splitlines())
    assert report["serializer"]["fields"]  # the data is still there for tools


@pytest.mark.parametrize("method", ["GET", "PUT", "POST"])
def test_a_path_that_builds_the_serializer_lists_its_fields(method):
    target = "/accounts/" if method == "POST" else "/accounts/1/"
    text = explain_text(target, f"--method={method}")

    assert any(line.split()[:2] == ["field", "type"] for line in text.splitlines())
    assert "never builds the serializer" not in text


def test_text_output_of_a_405_says_what_is_allowed():
    text = explain_text("/archive/", "--method=DELETE")

    assert "405 Method Not Allowed" in text
    assert "allowed  GET, HEAD, OPTIONS" in text


# --- the example project (a DRF project on the drop-in alias) --------------------------------


def run_example(*arguments):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "explain", *arguments],
        cwd=REPO / "example",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_example_project_books_list_explained_as_json():
    result = run_example("/api/books/", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)

    assert report["view"]["class"]["path"] == "books.views.BookViewSet"
    assert report["handler"]["name"] == "list"
    assert report["serializer"]["class"]["path"] == "books.serializers.BookSerializer"
    validate_isbn = override_point(report, "validate_isbn", on="serializer")
    assert validate_isbn["overridden"] is True
    assert validate_isbn["defined_by"]["path"] == "books.serializers.BookSerializer"
    assert override_point(report, "to_representation", on="serializer")["overridden"] is True
    permissions_entry = report["components"]["permissions"]
    assert [c["path"] for c in permissions_entry["classes"]] == [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ]
    assert permissions_entry["source"] == "REST_FRAMEWORK"


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_example_project_book_detail_fits_in_100_columns(method):
    result = run_example("/api/books/1/", "--method", method)
    assert result.returncode == 0, result.stderr

    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    # DELETE never builds the serializer: no field table.
    assert ("validators: UniqueValidator(Book)" in result.stdout) is (method == "PUT")


def test_example_project_unknown_path_exits_non_zero():
    result = run_example("/api/nowhere/")

    assert result.returncode != 0
    assert "/api/nowhere/" in result.stderr
