"""Versioning schemes: the version each reads, the refusal of unknown ones, versioned links."""

import pytest
from django.test import override_settings
from django.urls import include, path

from restcycle import versioning
from restcycle.response import Response
from restcycle.reverse import reverse
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)


class VersionReport(APIView):
    """Answers with the version it was given and a link to itself built by `reverse()`."""

    permission_classes = []
    authentication_classes = []

    def get(self, request, *args, **kwargs):
        return Response(
            {
                "version": request.version,
                "scheme": type(request.versioning_scheme).__name__
                if request.versioning_scheme
                else None,
                "link": reverse(self.link_name, kwargs=self.link_kwargs, request=request),
            }
        )

    link_name = "plain-report"
    link_kwargs = None


class StrictScheme:
    default_version = "v1"
    allowed_versions = ["v1", "v2"]


class URLPathReport(VersionReport):
    class versioning_class(StrictScheme, versioning.URLPathVersioning):
        pass

    link_name = "path-report"


class NamespaceReport(VersionReport):
    class versioning_class(StrictScheme, versioning.NamespaceVersioning):
        pass

    link_name = "report"


class AcceptReport(VersionReport):
    class versioning_class(versioning.AcceptHeaderVersioning):
        default_version = "1.0"
        allowed_versions = ["1.0", "2.0"]

    link_name = "plain-report"


class HostReport(VersionReport):
    class versioning_class(StrictScheme, versioning.HostNameVersioning):
        pass


class QueryReport(VersionReport):
    class versioning_class(StrictScheme, versioning.QueryParameterVersioning):
        pass


class SettingsReport(VersionReport):
    """Takes its scheme and versions from the REST_FRAMEWORK setting."""


namespaced = [path("report/", NamespaceReport.as_view(), name="report")]

urlpatterns = [
    path("plain/", VersionReport.as_view(), name="plain-report"),
    path("<str:version>/path-report/", URLPathReport.as_view(), name="path-report"),
    path("ns/v1/", include((namespaced, "reports"), namespace="v1")),
    path("ns/v2/", include((namespaced, "reports"), namespace="v2")),
    path("ns/v7/", include((namespaced, "reports"), namespace="v7")),
    path("accept/", AcceptReport.as_view()),
    path("host/", HostReport.as_view()),
    path("query/", QueryReport.as_view()),
    path("settings/", SettingsReport.as_view()),
]


def test_view_without_scheme_has_no_version(client):
    body = client.get("/plain/").json()
    assert body == {"version": None, "scheme": None, "link": "http://testserver/plain/"}


def test_url_path_version_is_read_and_kept_in_reversed_links(client):
    body = client.get("/v2/path-report/").json()
    assert body["version"] == "v2"
    assert body["link"] == "http://testserver/v2/path-report/"


def test_url_path_unknown_version_is_404(client):
    response = client.get("/v9/path-report/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid version in URL path."}


def test_namespace_names_the_version_and_links_stay_in_it(client):
    body = client.get("/ns/v2/report/").json()
    assert body["version"] == "v2"
    assert body["link"] == "http://testserver/ns/v2/report/"


def test_namespace_that_is_not_an_allowed_version_is_404(client):
    response = client.get("/ns/v7/report/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Invalid version in URL path. Does not match any version namespace."
    }


def test_accept_header_version_parameter_is_read(client):
    response = client.get("/accept/", HTTP_ACCEPT="application/json; version=2.0")
    assert response.status_code == 200
    assert response.json()["version"] == "2.0"


def test_accept_header_without_version_gets_the_default(client):
    assert client.get("/accept/", HTTP_ACCEPT="application/json").json()["version"] == "1.0"


def test_accept_header_unknown_version_is_406(client):
    response = client.get("/accept/", HTTP_ACCEPT="application/json; version=9.9")
    assert response.status_code == 406
    assert response.json() == {"detail": 'Invalid version in "Accept" header.'}


def test_host_name_first_label_is_the_version(client):
    assert client.get("/host/", HTTP_HOST="v2.example.com").json()["version"] == "v2"


def test_host_name_without_version_label_gets_the_default(client):
    assert client.get("/host/", HTTP_HOST="example.com").json()["version"] == "v1"


def test_host_name_unknown_version_is_404(client):
    response = client.get("/host/", HTTP_HOST="v9.example.com")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid version in hostname."}


def test_query_parameter_version_is_read_and_added_to_links(client):
    body = client.get("/query/?version=v2").json()
    assert body["version"] == "v2"
    assert body["link"] == "http://testserver/plain/?version=v2"


def test_query_parameter_missing_gets_the_default(client):
    body = client.get("/query/").json()
    assert body["version"] == "v1"
    assert body["link"] == "http://testserver/plain/?version=v1"


def test_query_parameter_unknown_version_is_404(client):
    response = client.get("/query/?version=v3")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid version in query parameter."}


@override_settings(
    REST_FRAMEWORK={
        "DEFAULT_VERSIONING_CLASS": "restcycle.versioning.QueryParameterVersioning",
        "DEFAULT_VERSION": "2024-01",
        "ALLOWED_VERSIONS": ["2024-01", "2025-06"],
        "VERSION_PARAM": "api",
    }
)
def test_scheme_and_versions_come_from_settings(client):
    assert client.get("/settings/").json()["version"] == "2024-01"
    body = client.get("/settings/?api=2025-06").json()
    assert body["scheme"] == "QueryParameterVersioning"
    assert body["version"] == "2025-06"
    assert client.get("/settings/?api=1999").status_code == 404


def test_any_version_is_allowed_when_none_are_listed():
    scheme = versioning.QueryParameterVersioning()
    scheme.allowed_versions = None
    assert scheme.is_allowed_version("anything")


def test_base_scheme_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        versioning.BaseVersioning().determine_version(None)
