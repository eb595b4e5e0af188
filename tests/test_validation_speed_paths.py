"""Validation's shortcuts report exactly what the general path reports.

Fields settle common input (and common mistakes) inline, error texts are cached
per language, and a plain serializer collects its errors without raising them.
Each test posts payloads to real views and checks the error bodies and codes:
against a twin serializer whose fields are forced onto the general path, under
another active language, with overridden `error_messages`, and with subclasses
that override `fail`, `run_validation`, `to_internal_value` or `validate_<field>`.
"""

import pytest
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.test import override_settings
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy

from restcycle import serializers
from restcycle.exceptions import ValidationError
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.views import APIView

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


# --- a serializer on the shortcuts, and its twin on the general path ---------------------


def general(field_class):
    """A subclass of `field_class` that converts through the general path only."""

    class General(field_class):
        def to_internal_value(self, data):
            return super().to_internal_value(data)

    General.__name__ = "General" + field_class.__name__
    return General


def field_specs():
    return {
        "title": (serializers.CharField, {"max_length": 5}),
        "code": (serializers.CharField, {"min_length": 3, "max_length": 6}),
        "note": (serializers.CharField, {"allow_blank": True, "allow_null": True}),
        "raw": (serializers.CharField, {"trim_whitespace": False, "required": False}),
        "email": (serializers.EmailField, {"max_length": 20}),
        "site": (serializers.URLField, {"required": False}),
        "slug": (serializers.SlugField, {"required": False}),
        "digits": (serializers.RegexField, {"regex": r"^\d+$", "required": False}),
        "pages": (serializers.IntegerField, {"min_value": 1, "max_value": 10}),
        "count": (serializers.IntegerField, {"required": False, "allow_null": True}),
        "rating": (serializers.FloatField, {"max_value": 5.0}),
        "in_print": (serializers.BooleanField, {}),
        "maybe": (serializers.BooleanField, {"allow_null": True, "required": False}),
    }


def build_serializer(name, on_general_path):
    attrs = {}
    for field_name, (field_class, kwargs) in field_specs().items():
        klass = general(field_class) if on_general_path else field_class
        attrs[field_name] = klass(**kwargs)
    return type(name, (serializers.Serializer,), attrs)


QuickPayload = build_serializer("QuickPayload", on_general_path=False)
GeneralPayload = build_serializer("GeneralPayload", on_general_path=True)


def codes(detail):
    if isinstance(detail, dict):
        return {key: codes(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [codes(item) for item in detail]
    return detail.code


class ErrorsView(APIView):
    """Validates the posted payload; answers the errors and their codes (or the data)."""

    serializer_class = None

    def post(self, request):
        serializer = self.serializer_class(data=request.data)
        if serializer.is_valid():
            return Response({"data": serializer.validated_data})
        return Response({"errors": serializer.errors, "codes": codes(serializer.errors)}, 400)


# --- fields whose subclasses override validation steps -------------------------------------


class LoudIntegerField(serializers.IntegerField):
    def fail(self, key, **kwargs):
        raise ValidationError(f"LOUD {key}", code=f"loud_{key}")


class NullMeansZero(serializers.IntegerField):
    def run_validation(self, data=serializers.empty):
        if data is None:
            return 0
        return super().run_validation(data)


class CommaFloat(serializers.FloatField):
    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.replace(",", ".")
        return super().to_internal_value(data)


class OverridesSerializer(serializers.Serializer):
    loud = LoudIntegerField()
    zero = NullMeansZero()
    comma = CommaFloat()
    title = serializers.CharField(max_length=8)
    pages = serializers.IntegerField()

    def validate_title(self, value):
        if value == "banned":
            raise ValidationError("That title is taken.", code="taken")
        return value.upper()

    def validate_pages(self, value):
        return value * 2


class MessagesSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=3,
        error_messages={"max_length": "At most {max_length}!", "blank": "Say something."},
    )
    percent = serializers.CharField(
        max_length=2, error_messages={"max_length": "Over %(limit_value)s ({max_length})"}
    )
    pages = serializers.IntegerField(error_messages={"invalid": "Numbers only, please."})
    email = serializers.EmailField(error_messages={"invalid": "Not an address."})
    flag = serializers.BooleanField(error_messages={"invalid": "Yes or no ({input})."})
    lazy = serializers.FloatField(error_messages={"null": gettext_lazy("This field is required.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Changed after construction: what the field says at error time counts.
        self.fields["pages"].error_messages["null"] = "No pages?"


class TranslatedSerializer(serializers.Serializer):
    email = serializers.EmailField()
    site = serializers.URLField()
    title = serializers.CharField()


class NestedSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=3)
    inner = TranslatedSerializer()


def view(serializer_class):
    return ErrorsView.as_view(serializer_class=serializer_class)


urlpatterns = [
    path("quick/", view(QuickPayload)),
    path("general/", view(GeneralPayload)),
    path("overrides/", view(OverridesSerializer)),
    path("messages/", view(MessagesSerializer)),
    path("translated/", view(TranslatedSerializer)),
    path("nested/", view(NestedSerializer)),
]


@pytest.fixture
def client():
    return APIClient()


def post(client, url, payload):
    return client.post(url, payload, format="json")


# --- the shortcuts against the general path ------------------------------------------------

VALID = {
    "title": "Dune",
    "code": "abcd",
    "note": "n",
    "raw": " r ",
    "email": "a@b.co",
    "site": "https://example.com/x",
    "slug": "a-slug",
    "digits": "123",
    "pages": 3,
    "count": 7,
    "rating": 4.5,
    "in_print": True,
    "maybe": False,
}

TRICKY_VALUES = [
    None,
    "",
    "   ",
    "x" * 7,
    "  padded  ",
    "a\x00b",
    "many",
    "12",
    " 7 ",
    "3.0",
    "3.5",
    "1e1",
    "nan",
    "inf",
    "-inf",
    "١٢",  # Arabic-Indic digits: int() and float() read them
    0,
    11,
    -4,
    2.5,
    1e308,
    10**400,
    True,
    False,
    "TRUE",
    "perhaps",
    "null",
    [],
    {},
    ["a"],
    "not-an-email",
    "a@b",
    "someone.with.a.very.long.name@example.com",
    "a b",
    "%(value)s",
    "{x}",
    "http://",
]


@pytest.mark.parametrize("value", TRICKY_VALUES, ids=repr)
def test_every_field_reports_what_the_general_path_reports(client, value):
    for field_name in VALID:
        payload = {**VALID, field_name: value}
        quick = post(client, "/quick/", payload)
        general_path = post(client, "/general/", payload)
        assert quick.status_code == general_path.status_code, (field_name, value)
        assert quick.json() == general_path.json(), (field_name, value)


def test_a_payload_wrong_everywhere_gets_every_error_once(client):
    payload = {
        "title": "x" * 9,
        "code": None,
        "note": [],
        "raw": "",
        "email": "nope",
        "site": "nope",
        "slug": "no slug",
        "digits": "12a",
        "pages": "many",
        "count": "x",
        "rating": "high",
        "in_print": "perhaps",
        "maybe": "perhaps",
    }
    quick = post(client, "/quick/", payload)
    assert quick.status_code == 400
    assert quick.json() == post(client, "/general/", payload).json()
    body = quick.json()
    assert set(body["errors"]) == set(payload)
    assert body["errors"]["title"] == ["Ensure this field has no more than 5 characters."]
    assert body["codes"]["title"] == ["max_length"]
    assert body["errors"]["email"] == ["Enter a valid email address."]
    assert body["codes"]["pages"] == ["invalid"]
    assert body["errors"]["code"] == ["This field may not be null."]


def test_too_long_and_badly_formed_reports_both_errors(client):
    payload = {**VALID, "email": "no-at-sign-but-very-long-text"}
    response = post(client, "/quick/", payload)
    assert response.json()["errors"]["email"] == [
        "Ensure this field has no more than 20 characters.",
        "Enter a valid email address.",
    ]
    assert response.json()["codes"]["email"] == ["max_length", "invalid"]


def test_valid_payload_gives_the_same_data_on_both_paths(client):
    quick = post(client, "/quick/", VALID)
    assert quick.status_code == 200
    assert quick.json() == post(client, "/general/", VALID).json()
    assert quick.json()["data"]["raw"] == " r "


# --- translations ---------------------------------------------------------------------------


def test_errors_follow_the_language_active_for_each_request(client):
    payload = {"email": "nope", "site": "nope"}
    with translation.override("fr"):
        french = post(client, "/translated/", payload).json()["errors"]
    english = post(client, "/translated/", payload).json()["errors"]
    with translation.override("fr"):
        french_again = post(client, "/translated/", payload).json()["errors"]
    assert french == {
        "email": ["Saisissez une adresse de courriel valide."],
        "site": ["Saisissez une URL valide."],
        "title": ["Ce champ est obligatoire."],
    }
    assert english == {
        "email": ["Enter a valid email address."],
        "site": ["Enter a valid URL."],
        "title": ["This field is required."],
    }
    assert french_again == french


def test_nested_serializer_errors_are_translated_too(client):
    with translation.override("fr"):
        body = post(client, "/nested/", {"name": "long", "inner": {"email": "x"}}).json()
    assert body["errors"]["inner"]["email"] == ["Saisissez une adresse de courriel valide."]
    assert body["errors"]["inner"]["title"] == ["Ce champ est obligatoire."]
    assert body["errors"]["name"] == [
        "Assurez-vous que ce champ ne comporte pas plus de 3 caractères."
    ]


def test_language_code_setting_is_followed_when_no_language_is_active(client):
    with override_settings(LANGUAGE_CODE="fr"):
        body = post(client, "/translated/", {"email": "x"}).json()
    assert body["errors"]["email"] == ["Saisissez une adresse de courriel valide."]
    body = post(client, "/translated/", {"email": "x"}).json()
    assert body["errors"]["email"] == ["Enter a valid email address."]


def test_translation_in_a_serializer_built_for_one_language_follows_a_later_one(client):
    serializer = TranslatedSerializer(data={"email": "x", "site": "y", "title": "t"})
    with translation.override("fr"):
        assert not serializer.is_valid()
    assert serializer.errors["email"] == ["Saisissez une adresse de courriel valide."]
    again = TranslatedSerializer(data={"email": "x", "site": "y", "title": "t"})
    assert not again.is_valid()
    assert again.errors["email"] == ["Enter a valid email address."]


# --- overridden messages and overridden methods ---------------------------------------------


def test_overridden_error_messages_are_used(client):
    payload = {
        "title": "long",
        "percent": "abc",
        "pages": "many",
        "email": "nope",
        "flag": "Perhaps",
        "lazy": None,
    }
    body = post(client, "/messages/", payload).json()
    assert body["errors"] == {
        "title": ["At most 3!"],
        "percent": ["Over 2 (2)"],
        "pages": ["Numbers only, please."],
        "email": ["Not an address."],
        "flag": ["Yes or no (perhaps)."],
        "lazy": ["This field is required."],
    }
    assert body["codes"]["title"] == ["max_length"]
    assert body["codes"]["lazy"] == ["null"]


def test_messages_changed_after_construction_and_blank_text(client):
    body = post(
        client,
        "/messages/",
        {"title": "  ", "percent": "a", "pages": None, "email": "a@b.co", "flag": 1, "lazy": 1},
    ).json()
    assert body["errors"] == {"title": ["Say something."], "pages": ["No pages?"]}
    assert body["codes"] == {"title": ["blank"], "pages": ["null"]}


def test_lazy_overridden_message_is_translated(client):
    with translation.override("fr"):
        body = post(client, "/messages/", {"lazy": None}).json()
    assert body["errors"]["lazy"] == ["Ce champ est obligatoire."]


def test_subclass_overrides_of_fail_run_validation_and_to_internal_value_are_used(client):
    body = post(
        client,
        "/overrides/",
        {"loud": "many", "zero": None, "comma": "2,5", "title": "ok", "pages": 2},
    ).json()
    assert body["errors"] == {"loud": ["LOUD invalid"]}
    assert body["codes"] == {"loud": ["loud_invalid"]}
    body = post(
        client,
        "/overrides/",
        {"loud": 1, "zero": None, "comma": "2,5", "title": "ok", "pages": 2},
    ).json()
    assert body["data"] == {"loud": 1, "zero": 0, "comma": 2.5, "title": "OK", "pages": 4}


def test_validate_field_methods_run_after_the_shortcut(client):
    body = post(
        client,
        "/overrides/",
        {"loud": 1, "zero": 1, "comma": 1.0, "title": "banned", "pages": "x"},
    ).json()
    assert body["errors"] == {
        "title": ["That title is taken."],
        "pages": ["A valid integer is required."],
    }
    assert body["codes"] == {"title": ["taken"], "pages": ["invalid"]}


def test_a_validator_added_to_a_field_after_construction_is_run(client):
    def no_sevens(value):
        if "7" in str(value):
            raise ValidationError("No sevens.", code="sevens")

    class Added(serializers.Serializer):
        title = serializers.CharField(max_length=5)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["title"].validators.append(no_sevens)

    serializer = Added(data={"title": "x7"})
    assert not serializer.is_valid()
    assert serializer.errors == {"title": ["No sevens."]}
    serializer = Added(data={"title": "x7xxxxx"})
    assert not serializer.is_valid()
    assert serializer.errors == {
        "title": ["Ensure this field has no more than 5 characters.", "No sevens."]
    }


def test_raise_exception_gives_the_same_body_as_errors(client):
    serializer = QuickPayload(data={**VALID, "pages": "many"})
    with pytest.raises(ValidationError) as caught:
        serializer.is_valid(raise_exception=True)
    assert caught.value.detail == {"pages": ["A valid integer is required."]}
    assert caught.value.get_codes() == {"pages": ["invalid"]}


# --- serializers built without options ------------------------------------------------------


class TaggedField(serializers.Field):
    """A Field subclass whose __init__ comes between BaseSerializer's and Field's."""

    def __init__(self, **kwargs):
        self.tagged = True
        super().__init__(**kwargs)


class TaggedSerializer(serializers.Serializer, TaggedField):
    title = serializers.CharField()


def test_each_serializer_instance_has_its_own_messages_and_style():
    first = TranslatedSerializer(data={})
    second = TranslatedSerializer(data={})
    first.error_messages["invalid"] = "Changed on one instance."
    first.style["base_template"] = "x.html"
    assert second.error_messages["invalid"] != "Changed on one instance."
    assert second.style == {}
    assert first.required is True and first.read_only is False and first.allow_null is False
    assert first._creation_counter < second._creation_counter


def test_a_mixin_init_between_serializer_and_field_still_runs():
    serializer = TaggedSerializer(data={"title": "t"})
    assert serializer.tagged is True
    assert serializer.is_valid()
    assert serializer.validated_data == {"title": "t"}


def test_serializer_with_options_keeps_them():
    serializer = TranslatedSerializer(data={}, required=False, allow_null=True, label="L")
    assert serializer.required is False
    assert serializer.allow_null is True
    assert serializer.label == "L"


# --- Django validators with plural-aware messages ---------------------------------------


class PluralMessages(serializers.Serializer):
    code = serializers.CharField(validators=[MaxLengthValidator(3)])
    name = serializers.CharField(validators=[MinLengthValidator(2)])


urlpatterns.append(path("plural/", view(PluralMessages)))


def test_plural_aware_validator_messages_are_formatted_with_their_number(client):
    body = post(client, "/plural/", {"code": "abcde", "name": "x"}).json()
    assert body["errors"] == {
        "code": ["Ensure this value has at most 3 characters (it has 5)."],
        "name": ["Ensure this value has at least 2 characters (it has 1)."],
    }
    assert body["codes"] == {"code": ["max_length"], "name": ["min_length"]}
    body = post(client, "/plural/", {"code": "abcd", "name": "xy"}).json()
    assert body["errors"] == {"code": ["Ensure this value has at most 3 characters (it has 4)."]}


def test_plural_aware_messages_follow_the_language(client):
    with translation.override("fr"):
        body = post(client, "/plural/", {"code": "abcde", "name": "xy"}).json()
    assert body["errors"]["code"] == [
        "Assurez-vous que cette valeur comporte au plus 3 caractères (actuellement 5)."
    ]


class PercentMessages(serializers.Serializer):
    email = serializers.EmailField(error_messages={"invalid": "%(value)s is no address."})
    title = serializers.CharField(
        max_length=2, error_messages={"max_length": "%(show_value)s > %(limit_value)s"}
    )


urlpatterns.append(path("percent/", view(PercentMessages)))


def test_validator_params_fill_percent_placeholders_in_overridden_messages(client):
    body = post(client, "/percent/", {"email": "nope", "title": "abcd"}).json()
    assert body["errors"] == {"email": ["nope is no address."], "title": ["4 > 2"]}
    assert body["codes"] == {"email": ["invalid"], "title": ["max_length"]}


class RecordingSerializer(serializers.Serializer):
    title = serializers.CharField()

    def __setattr__(self, name, value):
        self.__dict__.setdefault("set_names", []).append(name)
        super().__setattr__(name, value)


def test_a_serializer_overriding_setattr_sees_every_attribute_set():
    serializer = RecordingSerializer(data={"title": "t"})
    assert {"read_only", "required", "error_messages", "style"} <= set(serializer.set_names)
    assert serializer.is_valid()


# --- validate_<field> found however the serializer provides it -----------------------------


class PerInstanceValidateMethod(serializers.Serializer):
    """`validate_code` set on the instance; `validate_name` answered by `__getattr__`."""

    code = serializers.CharField()
    name = serializers.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validate_code = lambda value: value.upper()

    def __getattr__(self, attribute):
        if attribute == "validate_name":
            return lambda value: value + "!"
        raise AttributeError(attribute)


urlpatterns.append(path("per-instance-validate/", view(PerInstanceValidateMethod)))


def test_validate_methods_set_on_the_instance_or_by_getattr_are_called(client):
    for _ in range(2):
        body = post(client, "/per-instance-validate/", {"code": "ab", "name": "x"}).json()
        assert body == {"data": {"code": "AB", "name": "x!"}}
