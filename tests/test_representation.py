"""repr() of fields and serializers reads like their declaration (utils.representation)."""

import re
from textwrap import dedent

from django.utils.translation import gettext_lazy

from restcycle import fields, serializers
from restcycle.utils.representation import field_repr, smart_repr
from restcycle.validators import UniqueTogetherValidator
from tests.models import FieldsBooking, FieldsGadget


class Validator:
    def __call__(self, value):
        pass


def test_smart_repr_hides_memory_addresses():
    assert smart_repr(Validator()) == "<tests.test_representation.Validator object>"


def test_smart_repr_shows_lazy_text_as_text_and_managers_as_code():
    assert smart_repr(gettext_lazy("Help")) == "'Help'"
    assert smart_repr(FieldsGadget.objects) == "FieldsGadget.objects.all()"


def test_field_repr_lists_positional_then_sorted_keyword_arguments():
    field = fields.ChoiceField(["a", "b"], required=False, allow_blank=True)
    assert field_repr(field) == "ChoiceField(['a', 'b'], allow_blank=True, required=False)"


def test_field_repr_of_list_field_shows_its_child():
    field = fields.ListField(child=fields.IntegerField(min_value=0))
    assert repr(field) == "ListField(child=IntegerField(min_value=0))"


class Part(serializers.Serializer):
    code = serializers.CharField(max_length=5)


class Machine(serializers.Serializer):
    name = serializers.CharField(help_text=gettext_lazy("Shown name"))
    parts = Part(many=True)
    main = Part()
    tags = serializers.ListField(child=serializers.CharField())

    class Meta:
        validators = [UniqueTogetherValidator(FieldsBooking.objects, fields=("name", "main"))]


def test_serializer_repr_indents_nested_serializers_and_lists():
    assert repr(Machine()) == dedent(
        """\
        Machine():
            name = CharField(help_text='Shown name')
            parts = Part(many=True):
                code = CharField(max_length=5)
            main = Part():
                code = CharField(max_length=5)
            tags = ListField(child=CharField())
            class Meta:
                validators = [<UniqueTogetherValidator(queryset=FieldsBooking.objects.all(), \
fields=('name', 'main'))>]"""
    )


def test_model_serializer_repr_shows_the_generated_fields():
    class GadgetSerializer(serializers.ModelSerializer):
        class Meta:
            model = FieldsGadget
            fields = ["id", "name", "in_stock"]

    text = repr(GadgetSerializer())
    assert text.startswith("GadgetSerializer():\n    id = IntegerField(label='ID', read_only=True)")
    assert re.search(r"\n    name = CharField\(max_length=50, validators=\[<UniqueValidator", text)
    assert "\n    in_stock = BooleanField(required=False)" in text
