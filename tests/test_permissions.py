"""Permission classes through real views: Django model and object permissions, the 404-vs-403
rule for objects, and composition with &, | and ~ including whose message reaches the client."""

import base64

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.test import override_settings
from django.urls import path

from restcycle import permissions
from restcycle.authentication import BasicAuthentication, SessionAuthentication
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView
from tests.models import AuthDocument

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class DocumentList(APIView):
    authentication_classes = [BasicAuthentication]
    queryset = AuthDocument.objects.all()

    def get(self, request):
        return Response([doc.title for doc in self.get_queryset()])

    def post(self, request):
        doc = AuthDocument.objects.create(title=request.data["title"])
        return Response({"id": doc.pk}, status=201)

    def get_queryset(self):
        return self.queryset.all()


class DocumentDetail(APIView):
    authentication_classes = [BasicAuthentication]
    queryset = AuthDocument.objects.all()

    def get_object(self):
        try:
            obj = self.queryset.get(pk=self.kwargs["pk"])
        except AuthDocument.DoesNotExist:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def get(self, request, pk):
        return Response({"title": self.get_object().title})

    def put(self, request, pk):
        doc = self.get_object()
        doc.title = request.data["title"]
        doc.save()
        return Response({"title": doc.title})

    def patch(self, request, pk):
        return self.put(request, pk)

    def delete(self, request, pk):
        self.get_object().delete()
        return Response(status=204)


class QuerysetOnlyView(APIView):
    """No get_queryset(): the permission reads `.queryset`."""

    authentication_classes = [BasicAuthentication]
    permission_classes = [permissions.DjangoModelPermissions]
    queryset = AuthDocument.objects.all()

    def post(self, request):
        return Response({"ok": True})


class NoPatchModelPermissions(permissions.DjangoModelPermissions):
    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }
    del perms_map["PATCH"]


class ViewRequiredObjectPermissions(permissions.DjangoObjectPermissions):
    """As the DRF documentation suggests: reading needs the `view` permission."""

    perms_map = {
        **permissions.DjangoObjectPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }


class ObjectPermissionBackend:
    """Grants object permissions from a table the tests fill in: {(user_id, obj_pk): {perm}}."""

    grants: dict = {}

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None:
            return False
        return perm in self.grants.get((user_obj.pk, obj.pk), set())


# -- permissions for composition --------------------------------------------------------


class Never(permissions.BasePermission):
    message = "Never, ever."
    code = "never"

    def has_permission(self, request, view):
        return False


class Nope(permissions.BasePermission):
    message = "Nope."
    code = "nope"

    def has_permission(self, request, view):
        return False


class Silent(permissions.BasePermission):
    def has_permission(self, request, view):
        return False


class Always(permissions.BasePermission):
    message = "Always is never refused."


class ObjectOnlyForTitleA(permissions.BasePermission):
    """Refuses the whole view, but would allow the object titled "A"."""

    message = "View refused."

    def has_permission(self, request, view):
        return False

    def has_object_permission(self, request, view, obj):
        return obj.title == "A"


class OwnerOnly(permissions.BasePermission):
    message = "Only the owner may do that."
    code = "not_owner"

    def has_object_permission(self, request, view, obj):
        return obj.owner_id == request.user.pk


def composed_detail(permission):
    return type("ComposedDetail", (DocumentDetail,), {"permission_classes": [permission]}).as_view()


def composed_list(permission, auth=BasicAuthentication):
    return type(
        "ComposedList",
        (DocumentList,),
        {"permission_classes": [permission], "authentication_classes": [auth]},
    ).as_view()


def with_permissions(view_class, *permission_classes):
    return type(
        view_class.__name__, (view_class,), {"permission_classes": list(permission_classes)}
    ).as_view()


urlpatterns = [
    path("model/", with_permissions(DocumentList, permissions.DjangoModelPermissions)),
    path(
        "model/<int:pk>/",
        with_permissions(DocumentDetail, permissions.DjangoModelPermissions),
    ),
    path(
        "anon-read/",
        with_permissions(DocumentList, permissions.DjangoModelPermissionsOrAnonReadOnly),
    ),
    path("queryset-only/", QuerysetOnlyView.as_view()),
    path("custom-map/<int:pk>/", with_permissions(DocumentDetail, NoPatchModelPermissions)),
    path("custom-map/", with_permissions(DocumentList, NoPatchModelPermissions)),
    path("object/<int:pk>/", with_permissions(DocumentDetail, ViewRequiredObjectPermissions)),
    path(
        "default-object/<int:pk>/",
        with_permissions(DocumentDetail, permissions.DjangoObjectPermissions),
    ),
    path("and-first/", composed_list(Never & Nope)),
    path("and-second/", composed_list(Always & Nope)),
    path("and-silent/", composed_list(Always & Silent)),
    path("or-both/", composed_list(Never | Nope)),
    path("or-silent-first/", composed_list(Silent | Nope)),
    path("or-one/", composed_list(Never | Always)),
    path("not/", composed_list(~Always)),
    path("not-refusal/", composed_list(~Never)),
    path("nested/", composed_list(permissions.IsAuthenticated & (Never | ~Always))),
    path("session-and/", composed_list(Always & Nope, auth=SessionAuthentication)),
    path("or-object/<int:pk>/", composed_detail(ObjectOnlyForTitleA | OwnerOnly)),
    path("and-object/<int:pk>/", composed_detail(permissions.IsAuthenticated & OwnerOnly)),
]


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def alice():
    return User.objects.create_user("alice", password="pw")


def grant(user, *codenames):
    content_type = ContentType.objects.get_for_model(AuthDocument)
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type=content_type, codename=codename)
        )


def login(client, username="alice", password="pw"):
    encoded = base64.b64encode(f"{username}:{password}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {encoded}")


# --- DjangoModelPermissions ------------------------------------------------------------


def test_model_permissions_let_authenticated_users_read(client, alice):
    AuthDocument.objects.create(title="A")
    login(client)
    assert client.get("/model/").json() == ["A"]


def test_model_permissions_refuse_anonymous_reads(client):
    response = client.get("/model/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_model_permissions_require_add_for_post(client, alice):
    login(client)
    response = client.post("/model/", {"title": "B"}, format="json")
    assert response.status_code == 403
    assert response.data["detail"].code == "permission_denied"
    grant(alice, "add_authdocument")
    response = client.post("/model/", {"title": "B"}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    "method, codename",
    [("put", "change_authdocument"), ("patch", "change_authdocument")],
)
def test_model_permissions_require_change_for_updates(client, alice, method, codename):
    doc = AuthDocument.objects.create(title="A")
    login(client)
    response = getattr(client, method)(f"/model/{doc.pk}/", {"title": "Z"}, format="json")
    assert response.status_code == 403
    grant(alice, codename)
    response = getattr(client, method)(f"/model/{doc.pk}/", {"title": "Z"}, format="json")
    assert response.json() == {"title": "Z"}


def test_model_permissions_require_delete_for_delete(client, alice):
    doc = AuthDocument.objects.create(title="A")
    login(client)
    assert client.delete(f"/model/{doc.pk}/").status_code == 403
    grant(alice, "delete_authdocument")
    assert client.delete(f"/model/{doc.pk}/").status_code == 204
    assert not AuthDocument.objects.exists()


def test_model_permissions_read_queryset_attribute_without_get_queryset(client, alice):
    login(client)
    assert client.post("/queryset-only/", {}, format="json").status_code == 403
    grant(alice, "add_authdocument")
    assert client.post("/queryset-only/", {}, format="json").status_code == 200


def test_anon_read_only_model_permissions(client, alice):
    AuthDocument.objects.create(title="A")
    assert client.get("/anon-read/").json() == ["A"]
    assert client.post("/anon-read/", {"title": "B"}, format="json").status_code == 401
    login(client)
    grant(alice, "add_authdocument")
    assert client.post("/anon-read/", {"title": "B"}, format="json").status_code == 201


def test_custom_perms_map_adds_view_permission_and_unmapped_method_is_405(client, alice):
    doc = AuthDocument.objects.create(title="A")
    login(client)
    assert client.get("/custom-map/").status_code == 403
    grant(alice, "view_authdocument", "change_authdocument")
    assert client.get("/custom-map/").status_code == 200
    response = client.patch(f"/custom-map/{doc.pk}/", {"title": "Z"}, format="json")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PATCH" not allowed.'}


def test_get_required_permissions_formats_app_label_and_model_name():
    required = permissions.DjangoModelPermissions().get_required_permissions("PUT", AuthDocument)
    assert required == ["tests.change_authdocument"]
    assert permissions.DjangoModelPermissions().get_required_permissions("GET", AuthDocument) == []


# --- DjangoObjectPermissions -------------------------------------------------------------


@pytest.fixture
def object_backend():
    ObjectPermissionBackend.grants = {}
    with override_settings(
        AUTHENTICATION_BACKENDS=[
            "django.contrib.auth.backends.ModelBackend",
            f"{__name__}.ObjectPermissionBackend",
        ]
    ):
        yield ObjectPermissionBackend.grants


def test_object_permissions_hide_objects_the_user_cannot_read(client, alice, object_backend):
    doc = AuthDocument.objects.create(title="A")
    login(client)
    grant(alice, "view_authdocument", "change_authdocument")  # the model-level check passes
    assert client.get(f"/object/{doc.pk}/").status_code == 404
    response = client.put(f"/object/{doc.pk}/", {"title": "Z"}, format="json")
    assert response.status_code == 404
    assert response.data["detail"].code == "not_found"


def test_object_permissions_forbid_readable_objects(client, alice, object_backend):
    doc = AuthDocument.objects.create(title="A")
    login(client)
    grant(alice, "view_authdocument", "change_authdocument")
    object_backend[(alice.pk, doc.pk)] = {"tests.view_authdocument"}
    assert client.get(f"/object/{doc.pk}/").json() == {"title": "A"}
    response = client.put(f"/object/{doc.pk}/", {"title": "Z"}, format="json")
    assert response.status_code == 403
    assert response.data["detail"].code == "permission_denied"


def test_object_permissions_allow_with_object_grant(client, alice, object_backend):
    doc = AuthDocument.objects.create(title="A")
    login(client)
    grant(alice, "view_authdocument", "change_authdocument")
    object_backend[(alice.pk, doc.pk)] = {"tests.view_authdocument", "tests.change_authdocument"}
    response = client.put(f"/object/{doc.pk}/", {"title": "Z"}, format="json")
    assert response.json() == {"title": "Z"}


def test_object_permissions_model_level_check_comes_first(client, alice, object_backend):
    doc = AuthDocument.objects.create(title="A")
    login(client)
    object_backend[(alice.pk, doc.pk)] = {"tests.view_authdocument", "tests.change_authdocument"}
    response = client.put(f"/object/{doc.pk}/", {"title": "Z"}, format="json")
    assert response.status_code == 403


def test_object_permissions_default_map_never_hides_objects(client, alice, object_backend):
    # With DRF's default map reading needs no permission, so a refused write is a 403.
    doc = AuthDocument.objects.create(title="A")
    login(client)
    grant(alice, "change_authdocument")
    assert client.get(f"/default-object/{doc.pk}/").json() == {"title": "A"}
    response = client.put(f"/default-object/{doc.pk}/", {"title": "Z"}, format="json")
    assert response.status_code == 403


# --- Composition ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, detail, code",
    [
        ("/and-first/", "Never, ever.", "never"),
        ("/and-second/", "Nope.", "nope"),
        ("/and-silent/", "You do not have permission to perform this action.", "permission_denied"),
        ("/or-both/", "Never, ever.", "never"),
        ("/or-silent-first/", "Nope.", "nope"),
        ("/not/", "You do not have permission to perform this action.", "permission_denied"),
    ],
)
def test_composed_refusal_carries_the_refusing_operands_message(client, alice, url, detail, code):
    login(client)
    response = client.get(url)
    assert response.status_code == 403
    assert response.json() == {"detail": detail}
    assert response.data["detail"].code == code


@pytest.mark.parametrize("url", ["/or-one/", "/not-refusal/"])
def test_composed_permission_allows(client, alice, url):
    login(client)
    assert client.get(url).status_code == 200


def test_nested_composition_refuses_anonymous_with_401(client):
    response = client.get("/nested/")
    assert response.status_code == 401


def test_nested_composition_refuses_authenticated_with_inner_message(client, alice):
    login(client)
    response = client.get("/nested/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Never, ever."}


def test_composed_refusal_without_authenticator_header_is_403_with_message(client, alice):
    client.force_login(alice)
    response = client.get("/session-and/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Nope."}


def test_or_object_check_needs_the_same_operand_to_allow_view_and_object(client, alice):
    # ObjectOnlyForTitleA refuses the view; its object check must not grant access alone.
    a_doc = AuthDocument.objects.create(title="A")
    owned = AuthDocument.objects.create(title="B", owner_id=alice.pk)
    login(client)
    response = client.get(f"/or-object/{a_doc.pk}/")
    assert response.status_code == 403
    assert response.json() == {"detail": "View refused."}
    assert client.get(f"/or-object/{owned.pk}/").json() == {"title": "B"}


def test_and_object_check_reports_object_operand(client, alice):
    other = AuthDocument.objects.create(title="B")
    login(client)
    response = client.get(f"/and-object/{other.pk}/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the owner may do that."}
    assert response.data["detail"].code == "not_owner"


def test_composed_classes_compare_and_hash_by_structure():
    first = permissions.IsAuthenticated & permissions.IsAdminUser
    second = permissions.IsAuthenticated & permissions.IsAdminUser
    assert first == second
    assert hash(first) == hash(second)
    assert first != (permissions.IsAuthenticated | permissions.IsAdminUser)
    assert ~permissions.IsAdminUser == ~permissions.IsAdminUser
    assert isinstance(first(), permissions.AND)
    assert isinstance((first | Always)(), permissions.OR)
    assert isinstance((~first)(), permissions.NOT)


def test_safe_methods_are_the_read_methods():
    assert permissions.SAFE_METHODS == ("GET", "HEAD", "OPTIONS")
