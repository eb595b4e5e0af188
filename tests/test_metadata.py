"""OPTIONS through real views: the view's description, and field info for the actions the
user may take (global and object permissions decide which)."""

import json

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.urls import path

from restcycle import exceptions, serializers
from restcycle.metadata import BaseMetadata, SimpleMetadata
from restcycle.permissions import BasePermission
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class AddressSerializer(serializers.Serializer):
    city = serializers.CharField(max_length=40, help_text="Where.")


class SignupSerializer(serializers.Serializer):
    username = serializers.CharField(min_length=3, max_length=20)
    age = serializers.IntegerField(min_value=13, max_value=130, required=False)
    plan = serializers.ChoiceField([("free", "Free"), ("pro", "Professional")])
    tags = serializers.ListField(child=serializers.CharField())
    address = AddressSerializer()
    balance = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    owner = serializers.HiddenField(default=None)
    joined = serializers.DateTimeField(read_only=True, label="Joined at")


class SignupView(APIView):
    """Create an account."""

    authentication_classes = []
    permission_classes = []

    def get_serializer(self):
        return SignupSerializer()

    def post(self, request):
        return Response(status=201)

    def put(self, request):
        return Response()


class PostOnlyForStaff(BasePermission):
    def has_permission(self, request, view):
        return request.method != "POST" or request.headers.get("X-Staff") == "yes"


class GuardedView(SignupView):
    permission_classes = [PostOnlyForStaff]


class MissingObjectView(SignupView):
    def get_object(self):
        raise Http404


class ForbiddenObjectView(SignupView):
    def get_object(self):
        raise exceptions.PermissionDenied()


class PlainView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response()


class ConstantMetadata(BaseMetadata):
    def determine_metadata(self, request, view):
        return {"view": type(view).__name__, "method": request.method}


urlpatterns = [
    path("signup/", SignupView.as_view()),
    path("guarded/", GuardedView.as_view()),
    path("missing/", MissingObjectView.as_view()),
    path("forbidden/", ForbiddenObjectView.as_view()),
    path("plain/", PlainView.as_view()),
    path("custom/", PlainView.as_view(metadata_class=ConstantMetadata)),
]


def options(url, **extra):
    response = APIClient().options(url, **extra)
    assert response.status_code == 200
    return json.loads(response.content)


def test_view_description_and_formats():
    metadata = options("/plain/")
    assert metadata["name"] == "Plain"
    assert metadata["description"] == ""
    assert metadata["renders"] == ["application/json", "text/html"]
    assert metadata["parses"] == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ]
    assert "actions" not in metadata


def test_field_info_for_post_and_put():
    metadata = options("/signup/")
    assert metadata["description"] == "Create an account."
    assert list(metadata["actions"]) == ["POST", "PUT"]
    fields = metadata["actions"]["POST"]
    assert fields == metadata["actions"]["PUT"]
    assert fields["username"] == {
        "type": "string",
        "required": True,
        "read_only": False,
        "label": "Username",
        "min_length": 3,
        "max_length": 20,
    }
    assert fields["age"] == {
        "type": "integer",
        "required": False,
        "read_only": False,
        "label": "Age",
        "min_value": 13,
        "max_value": 130,
    }
    assert fields["plan"]["type"] == "choice"
    assert fields["plan"]["choices"] == [
        {"value": "free", "display_name": "Free"},
        {"value": "pro", "display_name": "Professional"},
    ]
    assert fields["tags"]["type"] == "list"
    assert fields["tags"]["child"] == {"type": "string", "required": True, "read_only": False}
    assert fields["address"]["type"] == "nested object"
    assert fields["address"]["children"]["city"] == {
        "type": "string",
        "required": True,
        "read_only": False,
        "label": "City",
        "help_text": "Where.",
        "max_length": 40,
    }
    assert fields["balance"] == {
        "type": "decimal",
        "required": False,
        "read_only": True,
        "label": "Balance",
        "max_digits": 8,
        "decimal_places": 2,
    }
    assert fields["joined"]["label"] == "Joined at"
    assert "owner" not in fields


def test_actions_the_user_may_not_take_are_left_out():
    assert list(options("/guarded/")["actions"]) == ["PUT"]
    assert list(options("/guarded/", HTTP_X_STAFF="yes")["actions"]) == ["POST", "PUT"]


def test_put_is_left_out_when_the_object_is_missing_or_forbidden():
    assert list(options("/missing/")["actions"]) == ["POST"]
    assert list(options("/forbidden/")["actions"]) == ["POST"]


def test_metadata_class_on_the_view_answers_options():
    assert options("/custom/") == {"view": "PlainView", "method": "OPTIONS"}


def test_list_serializer_is_described_by_its_child():
    metadata = SimpleMetadata()
    child = AddressSerializer()
    many = AddressSerializer(many=True)
    assert metadata.get_serializer_info(many) == metadata.get_serializer_info(child)


def test_related_fields_list_no_choices_and_run_no_query(django_assert_num_queries):
    User.objects.create_user("ada")
    field = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    with django_assert_num_queries(0):
        info = SimpleMetadata().get_field_info(field)
    assert "choices" not in info
    assert info["type"] == "field"


def test_base_metadata_must_be_overridden():
    with pytest.raises(NotImplementedError):
        BaseMetadata().determine_metadata(None, None)
