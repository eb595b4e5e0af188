"""BooleanField and the text fields: CharField, Email, Regex, Slug, URL, UUID, IPAddress."""

import re
import uuid

import pytest
from django.urls import path

from restcycle import fields
from tests._field_views import input_view

pytestmark = pytest.mark.urls(__name__)

urlpatterns = [
    path("bool", input_view(fields.BooleanField())),
    path("bool-null", input_view(fields.BooleanField(allow_null=True))),
    path("char", input_view(fields.CharField())),
    path("char-limits", input_view(fields.CharField(min_length=2, max_length=4))),
    path("char-blank", input_view(fields.CharField(allow_blank=True))),
    path("char-raw", input_view(fields.CharField(trim_whitespace=False))),
    path("email", input_view(fields.EmailField())),
    path("regex", input_view(fields.RegexField(re.compile(r"^[a-z]\d$")))),
    path("slug", input_view(fields.SlugField())),
    path("slug-unicode", input_view(fields.SlugField(allow_unicode=True))),
    path("url", input_view(fields.URLField())),
    path("uuid", input_view(fields.UUIDField())),
    path("uuid-hex", input_view(fields.UUIDField(format="hex"))),
    path("uuid-int", input_view(fields.UUIDField(format="int"))),
    path("ip", input_view(fields.IPAddressField())),
    path("ipv4", input_view(fields.IPAddressField(protocol="IPv4"))),
]


def post(client, url, value):
    return client.post(url, {"value": value}, content_type="application/json")


# --- BooleanField ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["true", "True", "TRUE", "tRuE", "on", "yes", "Y", "t", "1"])
def test_boolean_accepts_true_spellings_in_any_case(client, text):
    assert post(client, "/bool", text).json()["value"] is True


@pytest.mark.parametrize("text", ["false", "FALSE", "fALse", "off", "no", "n", "f", "0"])
def test_boolean_accepts_false_spellings_in_any_case(client, text):
    assert post(client, "/bool", text).json()["value"] is False


def test_boolean_accepts_json_booleans_and_one_zero(client):
    assert post(client, "/bool", True).json()["value"] is True
    assert post(client, "/bool", 0).json()["value"] is False


@pytest.mark.parametrize("bad", ["maybe", [], {}, [True], 2, "null"])
def test_boolean_refuses_anything_else_without_a_500(client, bad):
    response = post(client, "/bool", bad)
    assert response.status_code == 400
    assert response.json() == {"errors": ["Must be a valid boolean."], "codes": ["invalid"]}


def test_nullable_boolean_reads_null_text_as_none(client):
    assert post(client, "/bool-null", "null").json()["python"] == "None"
    assert post(client, "/bool-null", "NULL").json()["python"] == "None"


def test_boolean_output_uses_truthiness_for_unknown_values():
    field = fields.BooleanField()
    assert field.to_representation("off") is False
    assert field.to_representation("other") is True
    assert field.to_representation([]) is False
    assert field.to_representation({"a": 1}) is True


# --- CharField -------------------------------------------------------------------------


def test_char_turns_numbers_into_text(client):
    assert post(client, "/char", 12).json()["value"] == "12"
    assert post(client, "/char", 1.5).json()["value"] == "1.5"


@pytest.mark.parametrize("bad", [True, [], {"a": 1}, ["x"]])
def test_char_refuses_booleans_and_containers(client, bad):
    response = post(client, "/char", bad)
    assert response.status_code == 400
    assert response.json()["errors"] == ["Not a valid string."]


def test_char_trims_whitespace_unless_told_not_to(client):
    assert post(client, "/char", "  hi ").json()["value"] == "hi"
    assert post(client, "/char-raw", "  hi ").json()["value"] == "  hi "


def test_char_blank_and_whitespace_only_are_refused_unless_allow_blank(client):
    for blank in ("", "   "):
        response = post(client, "/char", blank)
        assert response.json() == {"errors": ["This field may not be blank."], "codes": ["blank"]}
    assert post(client, "/char-blank", "   ").json()["value"] == ""


def test_char_length_limits_have_their_own_codes(client):
    short = post(client, "/char-limits", "a").json()
    long = post(client, "/char-limits", "abcde").json()
    assert short == {
        "errors": ["Ensure this field has at least 2 characters."],
        "codes": ["min_length"],
    }
    assert long == {
        "errors": ["Ensure this field has no more than 4 characters."],
        "codes": ["max_length"],
    }


def test_char_refuses_null_characters(client):
    response = post(client, "/char", "a\x00b")
    assert response.json() == {
        "errors": ["Null characters are not allowed."],
        "codes": ["null_characters_not_allowed"],
    }


def test_char_refuses_surrogates_naming_the_code_point():
    with pytest.raises(fields.ValidationError) as info:
        fields.CharField().run_validation("ok\ud83d")
    assert info.value.detail == ["Surrogate characters are not allowed: U+D83D."]
    assert info.value.get_codes() == ["surrogate_characters_not_allowed"]


def test_char_accepts_characters_next_to_the_surrogate_range():
    field = fields.CharField()
    assert field.run_validation("\ud7ff\ue000") == "\ud7ff\ue000"


# --- validating text fields ------------------------------------------------------------


def test_email_is_checked_after_trimming(client):
    assert post(client, "/email", " a@example.com ").json()["value"] == "a@example.com"
    assert post(client, "/email", "nope").json()["errors"] == ["Enter a valid email address."]


def test_regex_field_accepts_compiled_patterns(client):
    assert post(client, "/regex", "a1").json()["value"] == "a1"
    assert post(client, "/regex", "A1").json()["errors"] == [
        "This value does not match the required pattern."
    ]


def test_slug_is_ascii_unless_allow_unicode(client):
    assert post(client, "/slug", "ok-slug_1").status_code == 200
    refused = post(client, "/slug", "naïve").json()
    assert refused["errors"] == [
        'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'
    ]
    assert post(client, "/slug-unicode", "naïve-slug").json()["value"] == "naïve-slug"


def test_url_field(client):
    assert post(client, "/url", "https://example.com/a").status_code == 200
    assert post(client, "/url", "example").json()["errors"] == ["Enter a valid URL."]


# --- UUIDField -------------------------------------------------------------------------

SAMPLE = uuid.UUID("825d7aeb-05a9-45b5-a5b7-05df87923cda")


@pytest.mark.parametrize("given", [str(SAMPLE), SAMPLE.hex, SAMPLE.urn, SAMPLE.int])
def test_uuid_reads_text_hex_urn_and_int(client, given):
    assert post(client, "/uuid", given).json()["value"] == str(SAMPLE)


@pytest.mark.parametrize("bad", ["825d7aeb", [], 2**130, "zz" * 16])
def test_uuid_refuses_malformed_values(client, bad):
    response = post(client, "/uuid", bad)
    assert response.json() == {"errors": ["Must be a valid UUID."], "codes": ["invalid"]}


def test_uuid_output_format_is_chosen_by_format(client):
    assert post(client, "/uuid-hex", str(SAMPLE)).json()["value"] == SAMPLE.hex
    assert post(client, "/uuid-int", str(SAMPLE)).json()["value"] == SAMPLE.int


def test_uuid_unknown_format_is_refused():
    with pytest.raises(ValueError, match="Invalid format for uuid representation"):
        fields.UUIDField(format="base64")


# --- IPAddressField --------------------------------------------------------------------


def test_ip_address_normalises_ipv6_and_unpacks_mapped_ipv4(client):
    assert post(client, "/ip", "2001:0db8:0000::0001").json()["value"] == "2001:db8::1"
    assert post(client, "/ip", "::ffff:10.0.0.1").json()["value"] == "10.0.0.1"


def test_ip_address_protocol_limits_what_is_accepted(client):
    assert post(client, "/ipv4", "10.0.0.1").status_code == 200
    response = post(client, "/ipv4", "::1")
    assert response.status_code == 400
    assert response.json()["codes"] == ["invalid"]


@pytest.mark.parametrize("bad", ["300.1.1.1", "1::2::3", 12, ["1.1.1.1"]])
def test_ip_address_refuses_garbage(client, bad):
    assert post(client, "/ip", bad).status_code == 400
