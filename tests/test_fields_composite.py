"""ListField, DictField, HStoreField, JSONField and the non-conversion fields."""

import pytest
from django.contrib.auth.models import User
from django.urls import path

from restcycle import fields, generics, serializers
from restcycle.test import APIClient
from tests._field_views import FieldHolder, input_view, output_view
from tests.models import FieldsGadget

pytestmark = pytest.mark.urls(__name__)


def _gadget(pk):
    return FieldsGadget.objects.get(pk=pk)


class OwnerPrefixedField(fields.CharField):
    """A child that finds its serializer in `bind()`, as drf-recursive's RecursiveField does."""

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.list_field = parent

    def to_internal_value(self, data):
        serializer = self.list_field.parent
        return f"{serializer.context['request'].user.username}:{super().to_internal_value(data)}"


class GadgetFromPartsSerializer(serializers.ModelSerializer):
    parts = fields.ListField(child=OwnerPrefixedField(), write_only=True)
    labels = fields.DictField(child=OwnerPrefixedField(), write_only=True, required=False)

    class Meta:
        model = FieldsGadget
        fields = ["id", "name", "parts", "labels"]
        read_only_fields = ["name"]

    def create(self, validated_data):
        labels = validated_data.pop("labels", {})
        name = ",".join(validated_data.pop("parts") + [labels[k] for k in sorted(labels)])
        return FieldsGadget.objects.create(name=name, **validated_data)


urlpatterns = [
    path("gadgets", generics.CreateAPIView.as_view(serializer_class=GadgetFromPartsSerializer,
                                                   queryset=FieldsGadget.objects)),
    path("ints", input_view(fields.ListField(child=fields.IntegerField()))),
    path("ints-optional", input_view(fields.ListField(child=fields.IntegerField(),
                                                      required=False))),
    path("ints-sized", input_view(fields.ListField(child=fields.IntegerField(), min_length=2,
                                                   max_length=3, allow_empty=False))),
    path("grid", input_view(fields.ListField(child=fields.ListField(child=fields.IntegerField())))),
    path("anything", input_view(fields.ListField())),
    path("scores", input_view(fields.DictField(child=fields.IntegerField()))),
    path("scores-optional", input_view(fields.DictField(required=False))),
    path("scores-nonempty", input_view(fields.DictField(allow_empty=False))),
    path("hstore", input_view(fields.HStoreField())),
    path("json", input_view(fields.JSONField())),
    path("json-binary", input_view(fields.JSONField(binary=True))),
    path("hidden", input_view(fields.HiddenField(default="server-side"), output=False)),
    path("model-name/<int:key>", output_view(
        fields.ModelField(FieldsGadget._meta.get_field("name")), _gadget)),
    path("model-price/<int:key>", output_view(
        fields.ModelField(FieldsGadget._meta.get_field("price")), _gadget)),
    path("model-name-in", input_view(
        fields.ModelField(FieldsGadget._meta.get_field("name"), max_length=5), output=False)),
]  # fmt: skip


def post(client, url, value):
    return client.post(url, {"value": value}, content_type="application/json")


# --- ListField -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["ann", "bob"])  # a second request gets fresh copies
def test_list_and_dict_children_are_bound_to_each_model_serializers_own_copy(username):
    client = APIClient()
    client.force_authenticate(User.objects.create_user(username))
    response = client.post("/gadgets", {"parts": ["a", "b"], "labels": {"x": "c"}}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == f"{username}:a,{username}:b,{username}:c"


def test_list_converts_each_item_with_the_child(client):
    assert post(client, "/ints", ["1", 2, "3.0"]).json()["value"] == [1, 2, 3]


def test_list_errors_are_keyed_by_item_index(client):
    assert post(client, "/ints", [1, "x", 3, None]).json() == {
        "errors": {"1": ["A valid integer is required."], "3": ["This field may not be null."]},
        "codes": {"1": ["invalid"], "3": ["null"]},
    }


@pytest.mark.parametrize(("bad", "kind"), [("1,2", "str"), ({"a": 1}, "dict"), (5, "int")])
def test_list_refuses_non_lists_naming_the_type(client, bad, kind):
    assert post(client, "/ints", bad).json() == {
        "errors": [f'Expected a list of items but got type "{kind}".'],
        "codes": ["not_a_list"],
    }


def test_list_length_limits_and_empty(client):
    assert post(client, "/ints-sized", []).json()["errors"] == ["This list may not be empty."]
    assert post(client, "/ints-sized", [1]).json() == {
        "errors": ["Ensure this field has at least 2 elements."],
        "codes": ["min_length"],
    }
    assert post(client, "/ints-sized", [1, 2, 3, 4]).json()["codes"] == ["max_length"]


def test_nested_lists_report_nested_indexes(client):
    body = post(client, "/grid", [[1, 2], [3, "x"], "row"]).json()
    assert body["errors"] == {
        "1": {"1": ["A valid integer is required."]},
        "2": ['Expected a list of items but got type "str".'],
    }


def test_list_without_child_passes_items_through(client):
    assert post(client, "/anything", [1, "a", None, {"b": 2}]).json()["value"] == [
        1, "a", None, {"b": 2},
    ]  # fmt: skip


def test_list_reads_repeated_and_indexed_form_keys(client):
    assert client.post("/ints", {"value": ["4", "5"]}).json()["value"] == [4, 5]
    indexed = client.post("/ints", {"value[1]": "7", "value[0]": "6"}).json()
    assert indexed["value"] == [6, 7]


def test_list_missing_from_form_follows_required(client):
    assert client.post("/ints", {}).json()["codes"] == ["required"]
    assert client.post("/ints-optional", {}).json() == {"skipped": True}


def test_list_refuses_a_class_or_a_sourced_child():
    with pytest.raises(AssertionError, match="has not been instantiated"):
        fields.ListField(child=fields.IntegerField)
    with pytest.raises(AssertionError, match="`source` argument is not meaningful"):
        fields.ListField(child=fields.IntegerField(source="x"))
    with pytest.raises(TypeError):
        fields.ListField(fields.IntegerField())


def test_list_output_passes_none_items_through():
    field = fields.ListField(child=fields.IntegerField())
    assert field.to_representation(["1", None]) == [1, None]


# --- DictField / HStoreField -----------------------------------------------------------


def test_dict_converts_each_value_and_stringifies_keys():
    field = fields.DictField(child=fields.IntegerField())
    assert field.run_validation({"a": "1", 2: 3}) == {"a": 1, "2": 3}
    assert field.to_representation({1: "4", "b": None}) == {"1": 4, "b": None}


def test_dict_errors_are_keyed_by_key(client):
    assert post(client, "/scores", {"a": 1, "b": "x"}).json()["errors"] == {
        "b": ["A valid integer is required."]
    }


@pytest.mark.parametrize(("bad", "kind"), [([1], "list"), ("a=1", "str")])
def test_dict_refuses_non_dicts(client, bad, kind):
    assert post(client, "/scores", bad).json() == {
        "errors": [f'Expected a dictionary of items but got type "{kind}".'],
        "codes": ["not_a_dict"],
    }


def test_dict_empty_refused_when_not_allow_empty(client):
    assert post(client, "/scores-nonempty", {}).json()["errors"] == [
        "This dictionary may not be empty."
    ]


def test_dict_reads_dotted_form_keys(client):
    assert client.post("/scores", {"value.a": "1", "value.b": "2"}).json()["value"] == {
        "a": 1,
        "b": 2,
    }


def test_dict_missing_from_form_follows_required(client):
    assert client.post("/scores", {}).json()["codes"] == ["required"]
    assert client.post("/scores-optional", {}).json() == {"skipped": True}
    assert client.post("/scores-optional", {"value": ""}).json()["value"] == {}


def test_hstore_values_are_text_or_null(client):
    assert post(client, "/hstore", {"a": 1, "b": None}).json()["value"] == {"a": "1", "b": None}
    with pytest.raises(AssertionError, match="must be an instance of `CharField`"):
        fields.HStoreField(child=fields.IntegerField())


# --- JSONField -------------------------------------------------------------------------


def test_json_accepts_any_json_value(client):
    value = {"a": [1, 2.5, None, True], "b": {"c": "d"}}
    assert post(client, "/json", value).json()["value"] == value
    assert post(client, "/json", "plain").json()["value"] == "plain"


def test_json_from_a_form_is_parsed_as_json_text(client):
    assert client.post("/json", {"value": '{"a": [1]}'}).json()["value"] == {"a": [1]}
    assert client.post("/json", {"value": "{not json"}).json()["codes"] == ["invalid"]


def test_json_refuses_values_json_cannot_hold():
    field = fields.JSONField()
    for bad in ({"a": {1, 2}}, {"a": float("nan")}, {"a": object()}):
        with pytest.raises(fields.ValidationError) as info:
            field.run_validation(bad)
        assert info.value.detail == ["Value must be valid JSON."]


def test_binary_json_parses_text_and_outputs_bytes(client):
    assert post(client, "/json-binary", '{"a": 1}').json()["value"] == '{"a": 1}'
    assert post(client, "/json-binary", '{"a": NaN}').json()["codes"] == ["invalid"]
    assert fields.JSONField(binary=True).run_validation(b"[1, 2]") == [1, 2]


# --- read-only, hidden, method and model fields ----------------------------------------


def test_hidden_field_ignores_input_and_uses_its_default(client):
    assert post(client, "/hidden", "from-client").json()["python"] == "'server-side'"


def test_hidden_field_requires_a_default():
    with pytest.raises(AssertionError, match="default is a required argument"):
        fields.HiddenField()


def test_current_user_default_reads_the_request_user(rf):
    request = rf.get("/")
    request.user = "alice"
    holder = FieldHolder(fields.HiddenField(default=fields.CurrentUserDefault()),
                         context={"request": request})  # fmt: skip
    assert holder.field.run_validation(fields.empty) == "alice"
    assert repr(fields.CurrentUserDefault()) == "CurrentUserDefault()"


def test_create_only_default_applies_on_create_and_skips_on_update():
    field = fields.CharField(default=fields.CreateOnlyDefault(lambda: "new"))
    assert FieldHolder(field).field.run_validation(fields.empty) == "new"
    with pytest.raises(fields.SkipField):
        FieldHolder(field, instance=object()).field.run_validation(fields.empty)


def test_read_only_field_outputs_anything_unchanged():
    field = fields.ReadOnlyField()
    value = {"nested": [1]}
    assert field.to_representation(value) is value
    assert field.read_only


class _Card:
    def __init__(self):
        self.value_field = fields.SerializerMethodField()
        self.value_field.bind("value", self)
        self.parent = None

    def get_value(self, obj):
        return f"card of {obj}"


def test_serializer_method_field_calls_get_field_name_on_the_parent():
    card = _Card()
    field = card.value_field
    assert field.method_name == "get_value"
    assert field.source == "*" and field.read_only
    assert field.to_representation("bob") == "card of bob"


@pytest.mark.django_db
def test_model_field_outputs_as_the_model_field_would(client):
    gadget = FieldsGadget.objects.create(name="bulb", price="3.10")
    assert client.get(f"/model-name/{gadget.pk}").json()["value"] == "bulb"
    assert client.get(f"/model-price/{gadget.pk}").json()["value"] == "3.10"


def test_model_field_input_is_converted_and_length_checked(client):
    assert post(client, "/model-name-in", "abc").json()["python"] == "'abc'"
    assert post(client, "/model-name-in", "abcdef").json()["codes"] == ["max_length"]


def test_a_model_field_given_a_float_infinity_is_invalid_not_a_crash():
    from django.db import models

    field = fields.ModelField(model_field=models.PositiveSmallIntegerField())
    with pytest.raises(fields.ValidationError) as infinite:
        field.run_validation(float("inf"))
    assert infinite.value.detail == ["“inf” value must be an integer."]
