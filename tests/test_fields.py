"""The Field protocol every field shares: required/null/default, source, HTML input, errors."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.urls import path

from restcycle import fields
from restcycle.exceptions import ErrorDetail, ValidationError
from tests._field_views import FieldHolder, input_view, output_view
from tests.models import FieldsGadget

pytestmark = pytest.mark.urls(__name__)


def _gadget(pk):
    return FieldsGadget.objects.get(pk=pk)


class Shelf:
    """An object with a nested attribute chain and callables, for `source` tests."""

    def __init__(self, gadget=None):
        self.gadget = gadget

    def label(self):
        return "top shelf"

    def needs_argument(self, x):
        return x

    def broken(self):
        raise AttributeError("label printer jammed")


SHELVES = {"full": Shelf(gadget={"name": "lamp"}), "empty": Shelf(gadget=None)}

urlpatterns = [
    path("required", input_view(fields.IntegerField())),
    path("optional", input_view(fields.IntegerField(required=False))),
    path("nullable", input_view(fields.IntegerField(allow_null=True))),
    path("defaulted", input_view(fields.IntegerField(default=7))),
    path("callable-default", input_view(fields.ListField(default=lambda: [1, 2]))),
    path("read-only", input_view(fields.ReadOnlyField(default="fixed"))),
    path("checkbox", input_view(fields.BooleanField())),
    path("checkbox-nullable", input_view(fields.BooleanField(allow_null=True))),
    path("text-optional", input_view(fields.CharField(required=False))),
    path("text-nullable", input_view(fields.CharField(allow_null=True))),
    path("custom-message", input_view(
        fields.IntegerField(error_messages={"invalid": "Whole numbers only."}))),
    path("with-validators", input_view(fields.CharField(validators=[
        lambda v: (_ for _ in ()).throw(ValidationError("first rule")),
        lambda v: (_ for _ in ()).throw(DjangoValidationError("second rule", code="rule2")),
    ]))),
    path("gadget-name/<int:key>", output_view(fields.CharField(source="name"), _gadget)),
    path("gadget-price/<int:key>", output_view(
        fields.DecimalField(source="price", max_digits=6, decimal_places=2), _gadget)),
    path("shelf-label/<str:key>", output_view(fields.CharField(source="label"),
                                              SHELVES.get)),
    path("shelf-gadget-name/<str:key>", output_view(
        fields.CharField(source="gadget.name"), SHELVES.get)),
    path("shelf-gadget-name-nullable/<str:key>", output_view(
        fields.CharField(source="gadget.name", allow_null=True), SHELVES.get)),
    path("shelf-gadget-name-default/<str:key>", output_view(
        fields.CharField(source="gadget.name", default="no gadget"), SHELVES.get)),
    path("shelf-gadget-name-read-only/<str:key>", output_view(
        fields.CharField(source="gadget.name", read_only=True), SHELVES.get)),
    path("shelf-broken/<str:key>", output_view(fields.CharField(source="broken"), SHELVES.get)),
    path("shelf-missing/<str:key>", output_view(fields.CharField(source="nothing"), SHELVES.get)),
    path("shelf-missing-optional/<str:key>", output_view(
        fields.CharField(source="nothing", required=False), SHELVES.get)),
    path("shelf-missing-default/<str:key>", output_view(
        fields.CharField(source="nothing", default="n/a"), SHELVES.get)),
]  # fmt: skip


# --- empty values: required, null, default ---------------------------------------------


def test_missing_required_value_is_a_400_with_code_required(client):
    response = client.post("/required", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": ["This field is required."], "codes": ["required"]}


def test_missing_optional_value_is_skipped(client):
    response = client.post("/optional", {}, content_type="application/json")
    assert response.json() == {"skipped": True}


def test_null_is_refused_unless_allow_null(client):
    refused = client.post("/required", {"value": None}, content_type="application/json")
    accepted = client.post("/nullable", {"value": None}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == ["This field may not be null."]
    assert refused.json()["codes"] == ["null"]
    assert accepted.json()["python"] == "None"


def test_missing_value_takes_the_default(client):
    response = client.post("/defaulted", {}, content_type="application/json")
    assert response.json()["value"] == 7


def test_callable_default_is_called_for_each_use(client):
    first = client.post("/callable-default", {}, content_type="application/json").json()
    second = client.post("/callable-default", {}, content_type="application/json").json()
    assert first["value"] == second["value"] == [1, 2]


def test_partial_update_skips_missing_fields_even_with_default(client):
    response = client.post("/defaulted?partial=1", {}, content_type="application/json")
    assert response.json() == {"skipped": True}


def test_read_only_field_ignores_input_and_gives_its_default(client):
    response = client.post("/read-only", {"value": "sent"}, content_type="application/json")
    assert response.json()["value"] == "fixed"


def test_default_with_requires_context_is_called_with_the_field():
    seen = []

    class Remember:
        requires_context = True

        def __call__(self, field):
            seen.append(field.field_name)
            return "made"

    holder = FieldHolder(fields.CharField(default=Remember()))
    assert holder.field.run_validation(fields.empty) == "made"
    assert seen == ["value"]


# --- HTML form input -------------------------------------------------------------------


def test_unchecked_checkbox_in_a_form_is_false(client):
    response = client.post("/checkbox", {})
    assert response.json()["value"] is False


def test_unchecked_checkbox_is_null_when_allow_null(client):
    response = client.post("/checkbox-nullable", {})
    assert response.json()["python"] == "None"


def test_blank_form_value_of_optional_field_is_skipped(client):
    response = client.post("/text-optional", {"value": ""})
    assert response.json() == {"skipped": True}


def test_blank_form_value_of_nullable_field_is_null(client):
    response = client.post("/text-nullable", {"value": ""})
    assert response.json()["python"] == "None"


def test_json_input_is_never_read_as_html():
    field = FieldHolder(fields.CharField(required=False)).field
    assert field.get_value({"value": ""}) == ""
    assert field.get_value(QueryDict("value=")) is fields.empty


# --- errors ----------------------------------------------------------------------------


def test_error_messages_argument_replaces_a_message_keeping_its_code(client):
    response = client.post("/custom-message", {"value": "x"}, content_type="application/json")
    assert response.json() == {"errors": ["Whole numbers only."], "codes": ["invalid"]}


def test_all_validator_errors_are_collected_django_ones_included(client):
    response = client.post("/with-validators", {"value": "x"}, content_type="application/json")
    assert response.json() == {
        "errors": ["first rule", "second rule"],
        "codes": ["invalid", "rule2"],
    }


def test_fail_with_unknown_key_is_an_assertion_naming_class_and_key():
    class Picky(fields.Field):
        def to_internal_value(self, data):
            self.fail("unheard_of")

    with pytest.raises(AssertionError, match="`Picky`, but error key `unheard_of`"):
        Picky().run_validation(1)


def test_validation_error_details_are_error_details_with_codes():
    with pytest.raises(ValidationError) as info:
        fields.IntegerField(max_value=3).run_validation(9)
    assert info.value.detail == [ErrorDetail("Ensure this value is less than or equal to 3.",
                                             code="max_value")]  # fmt: skip


def test_get_error_detail_turns_django_errors_into_coded_details():
    listed = fields.get_error_detail(DjangoValidationError("Bad %(x)s", params={"x": 1}))
    keyed = fields.get_error_detail(DjangoValidationError({"a": ["A wrong"]}))
    assert listed == [ErrorDetail("Bad 1", code="invalid")]
    assert keyed == {"a": [ErrorDetail("A wrong", code="invalid")]}


# --- source and attribute access -------------------------------------------------------


@pytest.mark.django_db
def test_source_reads_the_named_model_attribute(client):
    gadget = FieldsGadget.objects.create(name="kettle", price="12.50")
    assert client.get(f"/gadget-name/{gadget.pk}").json()["value"] == "kettle"
    assert client.get(f"/gadget-price/{gadget.pk}").json()["value"] == "12.50"


def test_source_calls_a_method_that_needs_no_arguments(client):
    assert client.get("/shelf-label/full").json()["value"] == "top shelf"


def test_dotted_source_follows_dicts_and_attributes(client):
    assert client.get("/shelf-gadget-name/full").json()["value"] == "lamp"


def test_dotted_source_through_none_is_a_missing_value(client):
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'name'"):
        client.get("/shelf-gadget-name/empty")
    assert client.get("/shelf-gadget-name-nullable/empty").json()["value"] is None
    assert client.get("/shelf-gadget-name-default/empty").json()["value"] == "no gadget"
    assert client.get("/shelf-gadget-name-read-only/empty").json() == {"skipped": True}


def test_attribute_error_inside_source_method_is_a_value_error(client):
    with pytest.raises(ValueError, match="label printer jammed"):
        client.get("/shelf-broken/full")


def test_missing_attribute_names_field_and_instance(client):
    with pytest.raises(AttributeError, match="field `value` on serializer `FieldHolder`"):
        client.get("/shelf-missing/full")


def test_missing_attribute_of_optional_field_is_skipped(client):
    assert client.get("/shelf-missing-optional/full").json() == {"skipped": True}


def test_missing_attribute_falls_back_to_default(client):
    assert client.get("/shelf-missing-default/full").json()["value"] == "n/a"


def test_builtin_method_as_source_is_refused_with_advice():
    holder = FieldHolder(fields.ReadOnlyField(source="stamp.date"))
    with pytest.raises(fields.BuiltinSignatureError, match="built-in function"):
        holder.field.get_attribute({"stamp": datetime.datetime(2020, 1, 1)})


def test_is_simple_callable_only_for_zero_argument_functions_and_methods():
    shelf = Shelf()
    assert fields.is_simple_callable(shelf.label)
    assert not fields.is_simple_callable(shelf.needs_argument)
    assert not fields.is_simple_callable(Shelf.label)
    assert not fields.is_simple_callable("text")
    assert fields.is_simple_callable(lambda a=1, *args, **kw: a)


def test_source_star_passes_the_whole_object():
    holder = FieldHolder(fields.DictField(source="*"))
    assert holder.field.source_attrs == []
    assert holder.field.get_attribute({"a": 1}) == {"a": 1}


def test_set_value_builds_nested_dicts():
    target = {"a": 1}
    fields.set_value(target, ["b", "c"], 2)
    fields.set_value(target, [], {"d": 3})
    assert target == {"a": 1, "b": {"c": 2}, "d": 3}


# --- construction ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"read_only": True, "write_only": True}, "May not set both `read_only` and `write_only`"),
        ({"read_only": True, "required": True}, "May not set both `read_only` and `required`"),
        ({"required": True, "default": 1}, "May not set both `required` and `default`"),
    ],
)
def test_contradictory_arguments_are_refused(kwargs, message):
    with pytest.raises(AssertionError, match=message):
        fields.IntegerField(**kwargs)


def test_plain_read_only_field_must_be_read_only_field_class():
    with pytest.raises(AssertionError, match="should be ReadOnlyField"):
        fields.Field(read_only=True)


def test_default_makes_a_field_optional():
    assert fields.CharField(default="x").required is False
    assert fields.CharField().required is True


def test_binding_sets_label_source_and_parent():
    holder = FieldHolder(fields.CharField())
    assert holder.field.label == "Value"
    assert holder.field.source_attrs == ["value"]
    assert holder.field.root is holder


def test_source_equal_to_field_name_is_refused_as_redundant():
    with pytest.raises(AssertionError, match="redundant to specify `source='value'`"):
        FieldHolder(fields.CharField(source="value"))


def test_deepcopy_gives_an_unbound_field_with_the_same_arguments():
    holder = FieldHolder(fields.CharField(max_length=3, validators=[str.isalpha]))
    clone = copy.deepcopy(holder.field)
    assert clone.parent is None and clone.field_name is None
    assert clone.max_length == 3
    assert clone._kwargs["validators"][0] is str.isalpha


def test_repr_shows_constructor_arguments_sorted():
    assert repr(fields.CharField(required=False, max_length=10)) == (
        "CharField(max_length=10, required=False)"
    )
    assert repr(fields.RegexField(r"\d+")) == "RegexField('\\\\d+')"


def test_field_class_is_subscriptable_for_typing():
    assert fields.Field["x"] is fields.Field


def test_creation_order_is_recorded():
    first, second = fields.CharField(), fields.CharField()
    assert first._creation_counter < second._creation_counter


def test_initial_value_may_be_callable():
    assert fields.IntegerField(initial=lambda: 5).get_initial() == 5
    assert fields.CharField().get_initial() == ""
    assert fields.BooleanField().get_initial() is False


# --- shortcuts for common input keep the general behaviour -------------------------------


def test_char_shortcut_still_runs_validators_added_after_construction():
    field = fields.CharField(max_length=10)
    field.validators.append(lambda value: (_ for _ in ()).throw(ValidationError("no")))
    with pytest.raises(ValidationError) as info:
        field.run_validation("fine")
    assert info.value.detail == ["no"]


def test_char_shortcut_respects_a_subclass_conversion():
    class Shouting(fields.CharField):
        def to_internal_value(self, data):
            return super().to_internal_value(data).upper()

    assert Shouting().run_validation("hey") == "HEY"


def test_char_shortcut_failures_report_every_error_like_the_general_path():
    with pytest.raises(ValidationError) as info:
        fields.CharField(max_length=2).run_validation("a\x00c")
    assert info.value.get_codes() == ["max_length", "null_characters_not_allowed"]


def test_integer_shortcut_respects_limits_and_replaced_validators():
    field = fields.IntegerField(max_value=5)
    assert field.run_validation(5) == 5
    with pytest.raises(ValidationError):
        field.run_validation(6)
    field.validators = []
    assert field.run_validation(6) == 6


def test_integer_limit_may_be_callable():
    field = fields.IntegerField(max_value=lambda: 3)
    with pytest.raises(ValidationError) as info:
        field.run_validation(4)
    assert info.value.get_codes() == ["max_value"]


def test_float_shortcut_still_refuses_non_finite_values():
    with pytest.raises(ValidationError):
        fields.FloatField().run_validation(float("inf"))


def test_read_only_field_never_takes_a_shortcut():
    field = fields.CharField(read_only=True, default="kept")
    assert field.run_validation("sent") == "kept"


def test_pinned_time_zone_is_read_once_for_a_batch():
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from restcycle._fields.temporal import current_timezone_pinned

    field = fields.DateTimeField()
    moment = datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.UTC)
    with (
        timezone.override(ZoneInfo("Asia/Tokyo")),
        current_timezone_pinned(),
        timezone.override(ZoneInfo("America/New_York")),
    ):
        pinned = field.to_representation(moment)
    assert pinned == "2024-01-01T21:00:00+09:00"
    with timezone.override(ZoneInfo("America/New_York")):
        assert field.to_representation(moment) == "2024-01-01T07:00:00-05:00"
