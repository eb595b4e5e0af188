"""The request cycle's shortcuts mean exactly what the long way means.

A `Response` copies the state Django's constructor leaves instead of running it again;
a flat JSON object goes straight to orjson; the view's component settings are kept on
the class until settings change; headers Django accepted once are not checked again;
`Request.method` and `Request.META` are read without `__getattr__`. Each test drives a
real view through the test client and checks what the long way would give: Django's own
constructor, Python's json, the settings in force, the wrapper's own attributes.
"""

import json
from http import HTTPStatus

import pytest
from django.conf import settings
from django.http import BadHeaderError
from django.template.response import SimpleTemplateResponse
from django.test import override_settings
from django.urls import path

from restcycle.renderers import BaseRenderer
from restcycle.request import clone_request
from restcycle.response import Response
from restcycle.settings import api_settings
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)


class Open(APIView):
    authentication_classes = []
    permission_classes = []


def plain_state(response):
    """A response's attributes as comparable values (containers by type and content)."""
    state = {}
    for name, value in vars(response).items():
        if name == "headers":
            state[name] = dict(value.items())
        elif name == "cookies":
            state[name] = ("cookies", dict(value))
        else:
            state[name] = value
    return state


class StateView(Open):
    """Compares a new Response with what Django's constructor makes of an empty one."""

    def get(self, request):
        made = Response({"a": 1})
        reference = SimpleTemplateResponse(None)
        other = Response({"b": 2})
        other["X-Only-Other"] = "1"
        other.cookies["c"] = "v"
        made_state = plain_state(made)
        shared = {name: made_state[name] for name in plain_state(reference)}
        return Response(
            {
                "same_as_django": shared == plain_state(reference),
                "content_type_before_rendering": made["Content-Type"],
                "status": made.status_code,
                "rendered": made.is_rendered,
                "headers_of_another_response": "X-Only-Other" in made,
                "cookies_of_another_response": "c" in made.cookies,
            }
        )


class StatusView(Open):
    def get(self, request):
        given = request.query_params["status"]
        status = HTTPStatus(int(given[4:])) if given.startswith("enum") else given
        return Response({"status": str(status)}, status=status)


class RecordingResponse(Response):
    """Stores what is assigned to `content`, so the constructor's own path shows."""

    @property
    def content(self):
        return super().content

    @content.setter
    def content(self, value):
        self.__dict__.setdefault("assigned", []).append(value)
        Response.content.fset(self, value)


class RecordingView(Open):
    def get(self, request):
        response = RecordingResponse({"ok": True})
        response.add_post_render_callback(
            lambda rendered: rendered.__setitem__("X-Assigned", repr(rendered.assigned))
        )
        return response


FLAT_OBJECTS = {
    "separators": {"text": "line\u2028break\u2029end", "n": 3, "ok": True, "none": None},
    "big": {"big": 2**70, "small": -(2**63)},
    "keys": {1: "one", False: "no", None: "none", 2.5: "float"},
    "escapes": {"quote": 'say "hi"\n\t\\', "control": "\x01\x1f", "unicode": "é漢🙂"},
}


class FlatView(Open):
    def get(self, request):
        return Response(FLAT_OBJECTS[request.query_params["shape"]])


class TextRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "txt"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return f"text: {data}".encode()


class DefaultsView(APIView):
    """Renders with whatever DEFAULT_RENDERER_CLASSES says at the time."""

    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response({"renderers": [cls.__name__ for cls in self.renderer_classes]})


class EncodingView(Open):
    def get(self, request):
        return Response({"encoding": request.parser_context["encoding"]})


class WrapperView(Open):
    def get(self, request):
        clone = clone_request(request, "POST")
        request.META = {"HTTP_X_WRAPPER": "own"}
        return Response(
            {
                "clone_method": clone.method,
                "method": request.method,
                "wrapper_meta": request.META.get("HTTP_X_WRAPPER"),
                "django_meta_untouched": "HTTP_X_WRAPPER" not in request._request.META,
                "clone_meta_is_djangos": clone.META is request._request.META,
            }
        )


class ContentTypeView(Open):
    def get(self, request):
        return Response({"a": 1}, content_type=request.query_params["type"])


urlpatterns = [
    path("state/", StateView.as_view()),
    path("status/", StatusView.as_view()),
    path("recording/", RecordingView.as_view()),
    path("flat/", FlatView.as_view()),
    path("defaults/", DefaultsView.as_view()),
    path("encoding/", EncodingView.as_view()),
    path("wrapper/", WrapperView.as_view()),
    path("content-type/", ContentTypeView.as_view()),
]


@pytest.fixture
def client():
    return APIClient()


def test_a_new_response_has_the_state_djangos_constructor_gives(client):
    body = client.get("/state/").json()
    assert body == {
        "same_as_django": True,
        "content_type_before_rendering": "text/html; charset=utf-8",
        "status": 200,
        "rendered": False,
        "headers_of_another_response": False,
        "cookies_of_another_response": False,
    }


def test_a_new_response_follows_a_changed_default_charset(client):
    with override_settings(DEFAULT_CHARSET="iso-8859-1"):
        body = client.get("/state/").json()
    assert body["same_as_django"] is True
    assert body["content_type_before_rendering"] == "text/html; charset=iso-8859-1"
    assert client.get("/state/").json()["content_type_before_rendering"] == (
        "text/html; charset=utf-8"
    )


@pytest.mark.parametrize(
    ("given", "status"), [("201", 201), ("enum202", 202), ("299", 299), ("100", 100)]
)
def test_a_status_is_taken_as_djangos_constructor_takes_it(client, given, status):
    assert client.get(f"/status/?status={given}").status_code == status


@pytest.mark.parametrize("given", ["99", "600", "abc"])
def test_a_status_django_refuses_is_still_refused(client, given):
    client.raise_request_exception = True
    with pytest.raises((ValueError, TypeError)):
        client.get(f"/status/?status={given}")


def test_a_subclass_storing_content_its_own_way_is_constructed_and_rendered_through_it(
    client,
):
    response = client.get("/recording/")
    assert response.content == b'{"ok":true}'
    # The constructor assigns "" first, then rendering assigns the bytes.
    assert response["X-Assigned"] == repr(["", b'{"ok":true}'])


@pytest.mark.parametrize("shape", sorted(FLAT_OBJECTS))
def test_flat_objects_render_as_pythons_json_does(client, shape):
    expected = (
        json.dumps(FLAT_OBJECTS[shape], ensure_ascii=False, separators=(",", ":"))
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
        .encode()
    )
    assert client.get(f"/flat/?shape={shape}").content == expected


def test_component_settings_follow_override_settings_after_they_were_read(client):
    first = client.get("/defaults/")
    assert first["Content-Type"] == "application/json"
    override = {"DEFAULT_RENDERER_CLASSES": [f"{__name__}.TextRenderer"]}
    with override_settings(REST_FRAMEWORK=override):
        inside = client.get("/defaults/")
        assert inside["Content-Type"] == "text/plain; charset=utf-8"
        assert inside.content == b"text: {'renderers': ['TextRenderer']}"
    after = client.get("/defaults/")
    assert after.json() == first.json()


def test_component_settings_follow_an_explicit_settings_reload(client):
    client.get("/defaults/")
    saved = getattr(settings, "REST_FRAMEWORK", None)
    try:
        # Changed behind Django's back (no setting_changed signal), then reloaded by hand.
        settings.REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": [f"{__name__}.TextRenderer"]}
        api_settings.reload()
        assert client.get("/defaults/")["Content-Type"] == "text/plain; charset=utf-8"
    finally:
        if saved is None:
            del settings.REST_FRAMEWORK
        else:
            settings.REST_FRAMEWORK = saved
        api_settings.reload()
    assert client.get("/defaults/")["Content-Type"] == "application/json"


def test_the_parser_context_encoding_follows_default_charset(client):
    assert client.get("/encoding/").json() == {"encoding": "utf-8"}
    with override_settings(DEFAULT_CHARSET="iso-8859-1"):
        assert client.get("/encoding/").json() == {"encoding": "iso-8859-1"}
    assert client.get("/encoding/").json() == {"encoding": "utf-8"}


def test_method_and_meta_assigned_on_a_request_win_over_the_wrapped_ones(client):
    assert client.get("/wrapper/").json() == {
        "clone_method": "POST",
        "method": "GET",
        "wrapper_meta": "own",
        "django_meta_untouched": True,
        "clone_meta_is_djangos": True,
    }


def test_a_content_type_django_refuses_is_refused_every_time(client):
    client.raise_request_exception = True
    for _ in range(2):
        good = client.get("/content-type/", {"type": "application/vnd.thing+json"})
        assert good["Content-Type"] == "application/vnd.thing+json"
        with pytest.raises(BadHeaderError):
            client.get("/content-type/", {"type": "application/json\nX-Injected: 1"})
