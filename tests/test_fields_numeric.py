"""IntegerField, BigIntegerField, FloatField and DecimalField: parsing, limits, output."""

import decimal
import math
import warnings

import pytest
from django.test import override_settings
from django.urls import path

from restcycle import fields
from tests._field_views import input_view, output_view
from tests.models import FieldsGadget

pytestmark = pytest.mark.urls(__name__)


def _gadget(pk):
    return FieldsGadget.objects.get(pk=pk)


urlpatterns = [
    path("int", input_view(fields.IntegerField())),
    path("int-range", input_view(fields.IntegerField(min_value=1, max_value=10))),
    path("bigint", input_view(fields.BigIntegerField())),
    path("bigint-text", input_view(fields.BigIntegerField(coerce_to_string=True))),
    path("float", input_view(fields.FloatField())),
    path("float-range", input_view(fields.FloatField(min_value=0.5, max_value=1.5))),
    path("decimal", input_view(fields.DecimalField(max_digits=5, decimal_places=2))),
    path("decimal-null", input_view(
        fields.DecimalField(max_digits=5, decimal_places=2, allow_null=True))),
    path("decimal-free", input_view(fields.DecimalField(max_digits=None, decimal_places=2))),
    path("decimal-range", input_view(fields.DecimalField(
        max_digits=5, decimal_places=2, min_value=decimal.Decimal("1"), max_value=100))),
    path("price/<int:key>", output_view(
        fields.DecimalField(source="price", max_digits=6, decimal_places=2), _gadget)),
    path("price-number/<int:key>", output_view(fields.DecimalField(
        source="price", max_digits=6, decimal_places=2, coerce_to_string=False), _gadget)),
    path("weight/<int:key>", output_view(fields.FloatField(source="weight"), _gadget)),
]  # fmt: skip


def post(client, url, value):
    return client.post(url, {"value": value}, content_type="application/json")


# --- IntegerField ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"), [(3, 3), ("3", 3), (3.0, 3), ("3.00", 3), ("-7", -7)]
)
def test_integer_accepts_integral_numbers_and_text(client, given, expected):
    assert post(client, "/int", given).json()["value"] == expected


@pytest.mark.parametrize("bad", [3.5, "3.5", "abc", "", True, [], {"a": 1}, "nan", "inf"])
def test_integer_refuses_fractions_text_and_containers(client, bad):
    response = post(client, "/int", bad)
    assert response.json() == {"errors": ["A valid integer is required."], "codes": ["invalid"]}


def test_integer_refuses_huge_strings_before_parsing(client):
    response = post(client, "/int", "9" * 1001)
    assert response.json() == {
        "errors": ["String value too large."],
        "codes": ["max_string_length"],
    }


def test_integer_limits(client):
    assert post(client, "/int-range", 0).json() == {
        "errors": ["Ensure this value is greater than or equal to 1."],
        "codes": ["min_value"],
    }
    assert post(client, "/int-range", "11").json()["codes"] == ["max_value"]


def test_integer_output_is_an_int_and_identity_only_for_int():
    field = fields.IntegerField()
    assert field.to_representation("4") == 4
    assert fields.IntegerField._output_is_identity_for == (int,)


# --- BigIntegerField -------------------------------------------------------------------


def test_big_integer_keeps_numbers_beyond_64_bits(client):
    big = "999999999999999999999999999"
    assert post(client, "/bigint", big).json()["value"] == int(big)
    assert post(client, "/bigint-text", big).json()["value"] == big


def test_big_integer_has_its_own_invalid_message(client):
    assert post(client, "/bigint", "0.5").json()["errors"] == ["A valid biginteger is required."]


def test_big_integer_text_output_follows_the_setting():
    field = fields.BigIntegerField()
    assert field.to_representation(5) == 5
    with override_settings(REST_FRAMEWORK={"COERCE_BIGINT_TO_STRING": True}):
        assert field.to_representation(5) == "5"


# --- FloatField ------------------------------------------------------------------------


def test_float_accepts_numbers_and_numeric_text(client):
    assert post(client, "/float", "1.25").json()["value"] == 1.25
    assert post(client, "/float", 2).json()["value"] == 2.0


@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity", "1e400", "x", [], {}])
def test_float_refuses_non_finite_and_non_numbers(client, bad):
    assert post(client, "/float", bad).json() == {
        "errors": ["A valid number is required."],
        "codes": ["invalid"],
    }


def test_float_refuses_integers_too_large_for_a_float():
    with pytest.raises(fields.ValidationError) as info:
        fields.FloatField().run_validation(math.factorial(171))
    assert info.value.get_codes() == ["overflow"]


def test_float_limits(client):
    assert post(client, "/float-range", 2).json()["codes"] == ["max_value"]
    assert post(client, "/float-range", 0.1).json()["codes"] == ["min_value"]


@pytest.mark.django_db
def test_float_output_from_a_model_row(client):
    gadget = FieldsGadget.objects.create(name="scale", weight=2.5)
    assert client.get(f"/weight/{gadget.pk}").json() == {"value": 2.5, "type": "float"}


# --- DecimalField ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"), [("1.5", "1.50"), (2, "2.00"), (0.1, "0.10"), (" 3 ", "3.00")]
)
def test_decimal_accepts_numbers_and_quantizes(client, given, expected):
    body = post(client, "/decimal", given).json()
    assert body["value"] == expected
    assert body["type"] == "Decimal"


@pytest.mark.parametrize(
    ("given", "code", "message"),
    [
        ("1234.5", "max_whole_digits",
         "Ensure that there are no more than 3 digits before the decimal point."),
        ("1.234", "max_decimal_places",
         "Ensure that there are no more than 2 decimal places."),
        ("123456", "max_digits", "Ensure that there are no more than 5 digits in total."),
        ("1e400", "max_digits", "Ensure that there are no more than 5 digits in total."),
    ],
)  # fmt: skip
def test_decimal_precision_limits(client, given, code, message):
    assert post(client, "/decimal", given).json() == {"errors": [message], "codes": [code]}


@pytest.mark.parametrize("bad", ["NaN", "sNaN", "Infinity", "-inf", "abc", "", True, [1], {}])
def test_decimal_refuses_non_finite_and_non_numbers(client, bad):
    response = post(client, "/decimal", bad)
    assert response.status_code == 400
    assert response.json()["codes"] == ["invalid"]


def test_decimal_refuses_huge_strings(client):
    assert post(client, "/decimal", "1" * 1001).json()["codes"] == ["max_string_length"]


def test_decimal_without_max_digits_refuses_values_it_cannot_quantize(client):
    assert post(client, "/decimal-free", "1e40").json()["codes"] == ["invalid"]
    assert post(client, "/decimal-free", "12345678").json()["value"] == "12345678.00"


def test_nullable_decimal_reads_blank_text_as_null(client):
    assert post(client, "/decimal-null", " ").json()["python"] == "None"


def test_decimal_limits(client):
    assert post(client, "/decimal-range", "0.5").json() == {
        "errors": ["Ensure this value is greater than or equal to 1."],
        "codes": ["min_value"],
    }
    assert post(client, "/decimal-range", "100.01").json()["codes"] == ["max_value"]


def test_decimal_warns_about_float_limits():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fields.DecimalField(max_digits=3, decimal_places=1, max_value=2.5, min_value=0.5)
    assert [str(w.message) for w in caught] == [
        "max_value should be an integer or Decimal instance.",
        "min_value should be an integer or Decimal instance.",
    ]


@pytest.mark.django_db
def test_decimal_output_is_text_by_default_and_a_number_on_request(client):
    gadget = FieldsGadget.objects.create(name="lamp", price=decimal.Decimal("9.5"))
    assert client.get(f"/price/{gadget.pk}").json() == {"value": "9.50", "type": "str"}
    assert client.get(f"/price-number/{gadget.pk}").json()["type"] == "Decimal"


def test_decimal_output_follows_coerce_setting_and_rounding():
    field = fields.DecimalField(max_digits=4, decimal_places=2)
    with override_settings(REST_FRAMEWORK={"COERCE_DECIMAL_TO_STRING": False}):
        assert field.to_representation("1.5") == decimal.Decimal("1.50")
    assert field.to_representation(None) == ""
    up = fields.DecimalField(max_digits=4, decimal_places=2, rounding=decimal.ROUND_UP)
    assert up.to_representation(decimal.Decimal("1.231")) == "1.24"


def test_decimal_normalize_output_strips_zeros():
    field = fields.DecimalField(max_digits=5, decimal_places=3, normalize_output=True)
    assert field.to_representation(decimal.Decimal("2.500")) == "2.5"


def test_decimal_unknown_rounding_is_refused():
    with pytest.raises(AssertionError, match="Invalid rounding option"):
        fields.DecimalField(max_digits=3, decimal_places=1, rounding="ROUND_SIDEWAYS")


@override_settings(USE_THOUSAND_SEPARATOR=False, LANGUAGE_CODE="de")
def test_localized_decimal_reads_and_writes_the_locale_separator():
    field = fields.DecimalField(max_digits=4, decimal_places=2, localize=True)
    assert field.run_validation("1,25") == decimal.Decimal("1.25")
    assert field.to_representation(decimal.Decimal("1.25")) == "1,25"


def test_integers_too_long_to_print_are_field_errors_not_crashes():
    huge = 10**5000
    with pytest.raises(fields.ValidationError) as as_text:
        fields.CharField().run_validation(huge)
    with pytest.raises(fields.ValidationError) as as_decimal:
        fields.DecimalField(max_digits=5, decimal_places=2).run_validation(huge)
    with pytest.raises(fields.ValidationError) as as_choice:
        fields.ChoiceField(choices=[1]).run_validation(huge)
    with pytest.raises(fields.ValidationError) as as_float:
        fields.FloatField().run_validation(huge)
    assert as_text.value.get_codes() == ["invalid"]
    assert as_decimal.value.get_codes() == ["max_string_length"]
    assert as_choice.value.get_codes() == ["invalid_choice"]
    assert as_float.value.get_codes() == ["overflow"]
