"""ChoiceField, MultipleChoiceField, FilePathField, FileField and ImageField."""

import os
from enum import IntEnum

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import TextChoices
from django.urls import path

from restcycle import fields
from tests._field_views import input_view

pytestmark = pytest.mark.urls(__name__)

SIZES = [("s", "Small"), ("m", "Medium"), ("l", "Large")]
GROUPED = [("Cold", [("ice", "Ice"), ("snow", "Snow")]), ("Hot", [("fire", "Fire")]), "rain"]


class Level(IntEnum):
    LOW = 1
    HIGH = 2


class Colour(TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


urlpatterns = [
    path("size", input_view(fields.ChoiceField(choices=SIZES))),
    path("size-blank", input_view(fields.ChoiceField(choices=SIZES, allow_blank=True))),
    path("number", input_view(fields.ChoiceField(choices=[(1, "One"), (2, "Two")]))),
    path("grouped", input_view(fields.ChoiceField(choices=GROUPED))),
    path("level", input_view(fields.ChoiceField(choices=[(m, m.name) for m in Level]))),
    path("colour", input_view(fields.ChoiceField(choices=Colour.choices))),
    path("sizes", input_view(fields.MultipleChoiceField(choices=SIZES))),
    path("sizes-required", input_view(fields.MultipleChoiceField(choices=SIZES,
                                                                  allow_empty=False))),
    path("file", input_view(fields.FileField(max_length=12))),
    path("file-empty-ok", input_view(fields.FileField(allow_empty_file=True))),
    path("this-dir", input_view(fields.FilePathField(path=os.path.dirname(__file__),
                                                     match=r"^test_fields.*\.py$"))),
]  # fmt: skip


def post(client, url, value):
    return client.post(url, {"value": value}, content_type="application/json")


# --- ChoiceField -----------------------------------------------------------------------


def test_choice_accepts_known_values(client):
    assert post(client, "/size", "m").json()["value"] == "m"


@pytest.mark.parametrize("bad", ["xl", "", ["s"], {"s": 1}, 3])
def test_choice_refuses_unknown_values_quoting_them(client, bad):
    response = post(client, "/size", bad)
    assert response.status_code == 400
    assert response.json()["codes"] == ["invalid_choice"]
    assert response.json()["errors"] == [f'"{bad}" is not a valid choice.']


def test_choice_blank_allowed_when_allow_blank(client):
    assert post(client, "/size-blank", "").json()["value"] == ""


def test_choice_matches_by_text_and_returns_the_choice_value(client):
    body = post(client, "/number", "2").json()
    assert body["value"] == 2 and body["type"] == "int"


def test_grouped_choices_validate_against_every_group(client):
    assert post(client, "/grouped", "snow").json()["value"] == "snow"
    assert post(client, "/grouped", "rain").json()["value"] == "rain"
    assert post(client, "/grouped", "Cold").status_code == 400


def test_enum_choices_accept_the_value_or_its_text(client):
    assert post(client, "/level", 2).json()["value"] == 2
    assert post(client, "/level", "1").json()["value"] == 1
    assert post(client, "/colour", "blue").json()["value"] == "blue"
    assert fields.ChoiceField(choices=Colour.choices).run_validation(Colour.RED) == "red"


def test_choice_output_maps_text_to_the_choice_value():
    field = fields.ChoiceField(choices=[(1, "One")])
    assert field.to_representation("1") == 1
    assert field.to_representation("other") == "other"
    assert field.to_representation(None) is None


def test_replacing_choices_rebuilds_the_lookup():
    field = fields.ChoiceField(choices=SIZES)
    field.choices = [("xl", "Extra large")]
    assert field.run_validation("xl") == "xl"
    assert field.grouped_choices == {"xl": "Extra large"}
    with pytest.raises(fields.ValidationError):
        field.run_validation("s")


def test_iter_options_marks_groups_and_cuts_off():
    options = list(fields.ChoiceField(choices=GROUPED).iter_options())
    assert options[0].start_option_group and options[0].label == "Cold"
    assert [o.value for o in options if not (o.start_option_group or o.end_option_group)] == [
        "ice", "snow", "fire", "rain",
    ]  # fmt: skip
    cut = list(fields.ChoiceField(choices=SIZES, html_cutoff=2).iter_options())
    assert [o.value for o in cut] == ["s", "m", "n/a"]
    assert cut[-1].disabled and cut[-1].display_text == "More than 2 items..."


# --- MultipleChoiceField ---------------------------------------------------------------


def test_multiple_choice_gives_each_choice_once_in_order(client):
    assert post(client, "/sizes", ["l", "s", "l"]).json()["value"] == ["l", "s"]


def test_multiple_choice_reads_repeated_form_keys(client):
    response = client.post("/sizes", {"value": ["m", "s"]})
    assert response.json()["value"] == ["m", "s"]


def test_multiple_choice_refuses_text_and_unknown_items(client):
    assert post(client, "/sizes", "s").json() == {
        "errors": ['Expected a list of items but got type "str".'],
        "codes": ["not_a_list"],
    }
    assert post(client, "/sizes", ["s", "xxl"]).json()["errors"] == ['"xxl" is not a valid choice.']


def test_multiple_choice_empty_refused_when_not_allow_empty(client):
    assert post(client, "/sizes-required", []).json()["codes"] == ["empty"]
    assert post(client, "/sizes", []).json()["value"] == []


# --- FilePathField ---------------------------------------------------------------------


def test_file_path_choices_come_from_the_directory(client):
    here = os.path.join(os.path.dirname(__file__), "test_fields_choice.py")
    assert post(client, "/this-dir", here).json()["value"] == here
    assert post(client, "/this-dir", "/etc/passwd").json()["errors"] == [
        '"/etc/passwd" is not a valid path choice.'
    ]


# --- FileField / ImageField ------------------------------------------------------------


def test_file_upload_is_accepted(client):
    upload = SimpleUploadedFile("notes.txt", b"hello")
    assert client.post("/file", {"value": upload}).json()["type"] == "InMemoryUploadedFile"


def test_file_missing_has_its_own_required_message(client):
    assert client.post("/file", {}).json() == {
        "errors": ["No file was submitted."],
        "codes": ["required"],
    }


def test_file_text_instead_of_a_file_is_invalid(client):
    assert post(client, "/file", "notes.txt").json()["codes"] == ["invalid"]


def test_file_empty_is_refused_unless_allowed(client):
    assert client.post("/file", {"value": SimpleUploadedFile("a.txt", b"")}).json()["codes"] == [
        "empty"
    ]
    upload = SimpleUploadedFile("a.txt", b"")
    assert client.post("/file-empty-ok", {"value": upload}).status_code == 200


def test_file_name_length_limit(client):
    upload = SimpleUploadedFile("a-very-long-name.txt", b"x")
    assert client.post("/file", {"value": upload}).json()["errors"] == [
        "Ensure this filename has at most 12 characters (it has 20)."
    ]


class _Stored:
    def __init__(self, name, url):
        self.name = name
        self.url = url


def test_file_output_is_an_absolute_url_with_a_request(rf):
    field = fields.FileField()
    field._context = {"request": rf.get("/")}
    assert field.to_representation(_Stored("a.txt", "/media/a.txt")) == (
        "http://testserver/media/a.txt"
    )


def test_file_output_is_the_name_when_not_using_urls():
    assert fields.FileField(use_url=False).to_representation(_Stored("a.txt", "/m/a")) == "a.txt"
    assert fields.FileField().to_representation(None) is None


def test_image_validation_is_delegated_to_the_django_image_field(client):
    class NoPillowNeeded(fields.DjangoImageField):
        def to_python(self, data):
            if data.name.endswith(".gif"):
                return data
            raise DjangoValidationError(self.error_messages["invalid_image"],
                                               code="invalid_image")  # fmt: skip

    field = fields.ImageField(_DjangoImageField=NoPillowNeeded)
    assert field.run_validation(SimpleUploadedFile("a.gif", b"GIF89a")).name == "a.gif"
    with pytest.raises(DjangoValidationError) as info:
        field.run_validation(SimpleUploadedFile("a.txt", b"text"))
    assert info.value.messages == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
