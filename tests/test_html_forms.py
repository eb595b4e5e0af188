"""HTMLFormRenderer and the template packs: each field kind's markup, styles and escaping.

The forms are fetched from real views (the browsable API page of a create view, whose
serializer declares one field of each kind), plus the renderer's own `render()`.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import path

from restcycle import generics, serializers
from restcycle.renderers import HTMLFormRenderer
from restcycle.response import Response
from restcycle.views import APIView
from tests.models import BrowsableNote

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class Address(serializers.Serializer):
    street = serializers.CharField()
    city = serializers.CharField(read_only=True)


class EveryFieldSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Your <full> name", style={"placeholder": "Ada"})
    email = serializers.EmailField()
    website = serializers.URLField(required=False)
    age = serializers.IntegerField()
    price = serializers.DecimalField(max_digits=6, decimal_places=2)
    born = serializers.DateField()
    meets_at = serializers.DateTimeField()
    starts = serializers.TimeField()
    agreed = serializers.BooleanField()
    colour = serializers.ChoiceField(choices=[("r", "Red"), ("g", "Green")], allow_blank=True)
    sizes = serializers.MultipleChoiceField(choices=[("s", "Small"), ("l", "Large")])
    shape = serializers.ChoiceField(choices=[("o", "Round"), ("q", "Square")])
    flavour = serializers.ChoiceField(
        choices=[("a", "Apple"), ("b", "Berry")], style={"base_template": "radio.html"}
    )
    toppings = serializers.MultipleChoiceField(
        choices=[("n", "Nuts"), ("c", "Cream")], style={"base_template": "checkbox_multiple.html"}
    )
    notes = serializers.CharField(style={"base_template": "textarea.html", "rows": 3})
    secret = serializers.CharField(style={"input_type": "password"})
    tags = serializers.ListField(child=serializers.CharField())
    extra = serializers.DictField()
    address = Address()
    created_by = serializers.HiddenField(default="system")
    server_id = serializers.IntegerField(read_only=True)


class EveryFieldView(generics.CreateAPIView):
    serializer_class = EveryFieldSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrowsableNote
        fields = ["id", "title", "kind", "done"]


class NoteDetail(generics.RetrieveUpdateAPIView):
    queryset = BrowsableNote.objects.all()
    serializer_class = NoteSerializer


class FormPackView(APIView):
    """Renders the same serializer in the template pack named by ?pack=."""

    def get(self, request):
        serializer = NoteSerializer(BrowsableNote(title='<i>"x"</i>', kind="todo", done=True))
        pack = request.query_params.get("pack", "vertical")
        html = HTMLFormRenderer().render(
            serializer.data, None, {"style": {"template_pack": f"rest_framework/{pack}"}}
        )
        return Response({"html": html})


urlpatterns = [
    path("every/", EveryFieldView.as_view()),
    path("notes/<int:pk>/", NoteDetail.as_view()),
    path("pack/", FormPackView.as_view()),
]


def post_form_of(html: str) -> str:
    start = html.index('<div class="tab-pane active" id="post-object-form">')
    return html[start : html.index("</form>", start)]


@pytest.fixture
def every_form(admin_user):
    client = Client()
    client.force_login(admin_user)
    html = client.get("/every/", HTTP_ACCEPT="text/html").content.decode()
    return post_form_of(html)


def test_text_like_fields_get_matching_input_types(every_form):
    for name, input_type in [
        ("email", "email"),
        ("website", "url"),
        ("age", "number"),
        ("price", "number"),
        ("born", "date"),
        ("meets_at", "datetime-local"),
        ("starts", "time"),
        ("secret", "password"),
    ]:
        assert f'<input name="{name}" class="form-control" type="{input_type}"' in every_form


def test_style_placeholder_and_escaped_help_text(every_form):
    assert 'placeholder="Ada"' in every_form
    assert '<small class="help-text">Your &lt;full&gt; name</small>' in every_form


def test_choice_fields_render_as_selects_with_blank_option_when_allowed(every_form):
    assert '<select class="form-control" name="colour"><option value="" selected>' in every_form
    assert '<option value="g">Green</option>' in every_form
    assert '<select multiple class="form-control" name="sizes">' in every_form


def test_required_select_without_a_value_makes_the_user_choose(every_form):
    # No option is silently preselected: submitting unchanged says "required".
    assert (
        '<select class="form-control" name="shape">'
        '<option value="" selected disabled>---------</option>'
    ) in every_form


def test_base_template_style_gives_radios_checkboxes_and_textarea(every_form):
    assert '<input type="radio" name="flavour" value="a">Apple' in every_form
    assert '<input type="checkbox" name="toppings" value="c">Cream' in every_form
    assert '<textarea name="notes" class="form-control" rows="3"></textarea>' in every_form


def test_boolean_is_a_checkbox_with_value_true(every_form):
    assert '<input type="checkbox" name="agreed" value="true">' in every_form


def test_nested_serializer_is_a_fieldset_with_dotted_names_and_no_read_only(every_form):
    assert "<legend>Address</legend>" in every_form
    assert 'name="address.street"' in every_form
    assert 'name="address.city"' not in every_form


def test_hidden_and_read_only_fields_are_not_in_the_form(every_form):
    assert "created_by" not in every_form
    assert "server_id" not in every_form


def test_list_and_dict_fields_point_to_the_raw_data_form(every_form):
    assert "Lists are edited through the Raw data form." in every_form
    assert "Dictionaries are edited through the Raw data form." in every_form


def test_submitted_form_keeps_values_and_shows_errors_by_their_fields(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/every/",
        {"name": '"><b>bold</b>', "email": "not-an-email", "colour": "r", "sizes": ["l"]},
        HTTP_ACCEPT="text/html",
    )
    form = post_form_of(response.content.decode())
    assert response.status_code == 400
    assert 'value="&quot;&gt;&lt;b&gt;bold&lt;/b&gt;"' in form
    email_group = re.search(
        r'<div class="form-group row has-error">\s*<label[^>]*>Email</label>'
        r".*?</div>\s*</div>",
        form,
        re.S,
    )
    assert email_group is not None
    assert '<span class="help-block">Enter a valid email address.</span>' in email_group.group()
    assert '<option value="r" selected>Red</option>' in form
    assert '<option value="l" selected>Large</option>' in form


def test_update_form_is_prefilled_from_the_object(admin_user):
    note = BrowsableNote.objects.create(title="Plan", kind="todo", done=True)
    client = Client()
    client.force_login(admin_user)
    html = client.get(f"/notes/{note.pk}/", HTTP_ACCEPT="text/html").content.decode()
    assert '<input name="title" class="form-control" type="text" value="Plan">' in html
    assert '<option value="todo" selected>To do</option>' in html
    assert '<input type="checkbox" name="done" value="true" checked>' in html


@pytest.mark.parametrize(
    ("pack", "marker"),
    [
        ("vertical", '<div class="form-group">\n  <label>Title</label>'),
        ("horizontal", '<div class="form-group row">\n  <label class="col-label">Title</label>'),
        ("inline", 'placeholder="Title"'),
    ],
)
def test_each_template_pack_lays_out_fields_its_way_and_escapes(pack, marker):
    response = Client().get(f"/pack/?pack={pack}", HTTP_ACCEPT="application/json")
    html = response.json()["html"]
    assert marker in html
    assert 'value="&lt;i&gt;&quot;x&quot;&lt;/i&gt;"' in html
    assert "<i>" not in html


def test_style_template_overrides_the_pack(settings, tmp_path):
    (tmp_path / "custom").mkdir()
    (tmp_path / "custom" / "field.html").write_text("<em>{{ field.name }}={{ field.value }}</em>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path)]}
    ]

    class Custom(serializers.Serializer):
        code = serializers.CharField(style={"template": "custom/field.html"})

    serializer = Custom(data={"code": "<x>"})
    serializer.is_valid()
    assert HTMLFormRenderer().render(serializer.data).strip() == "<em>code=&lt;x&gt;</em>"


def test_datetime_local_value_has_no_zone_and_millisecond_precision():
    class Meeting(serializers.Serializer):
        at = serializers.DateTimeField()

    moment = datetime.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
    serializer = Meeting({"at": moment})
    html = HTMLFormRenderer().render(serializer.data)
    assert 'type="datetime-local" value="2030-01-02T03:04:05.678"' in html


def test_hidden_input_type_renders_only_the_input():
    class Tracking(serializers.Serializer):
        ref = serializers.CharField(style={"input_type": "hidden"})

    html = HTMLFormRenderer().render(Tracking({"ref": "<r>"}).data)
    assert html.strip() == '<input name="ref" type="hidden" value="&lt;r&gt;">'


def test_list_item_and_nested_errors_are_listed_by_position(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/every/",
        data='{"tags": ["ok", ["not", "a", "string"]], "address": "nowhere"}',
        content_type="application/json",
        HTTP_ACCEPT="text/html",
    )
    form = post_form_of(response.content.decode())
    assert response.status_code == 400
    assert '<span class="help-block">1: Not a valid string.</span>' in form
    assert (
        '<span class="help-block has-error">Invalid data. Expected a dictionary, but got str.'
        "</span>"
    ) in form
