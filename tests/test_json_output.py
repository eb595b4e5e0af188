"""The JSON bytes restcycle writes are the bytes DRF's default JSONRenderer writes.

Expected bytes are built by hand, or with Python's json module configured as DRF
configures it (compact separators, raw UTF-8, U+2028/U+2029 escaped): never with DRF.
"""

import datetime
import decimal
import ipaddress
import json
import math
import random
import uuid
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import path
from django.utils.translation import gettext_lazy

from restcycle.renderers import JSONRenderer
from restcycle.response import Response
from restcycle.test import APIClient
from restcycle.utils.encoders import JSONEncoder
from restcycle.views import APIView

pytestmark = pytest.mark.urls(__name__)


def drf_bytes(data, **options):
    """What DRF's JSONRenderer writes by default, computed with Python's json module."""
    options.setdefault("separators", (",", ":"))
    options.setdefault("ensure_ascii", False)
    options.setdefault("allow_nan", False)
    text = json.dumps(data, cls=JSONEncoder, **options)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def render(data, accepted_media_type=None, renderer_context=None):
    return JSONRenderer().render(data, accepted_media_type, renderer_context)


class TestCompactUnicodeOutput:
    def test_nested_structures_use_compact_separators(self):
        data = {"a": 1, "b": [1, 2], "c": {"d": None, "e": True, "f": False}}
        assert render(data) == b'{"a":1,"b":[1,2],"c":{"d":null,"e":true,"f":false}}'

    def test_non_ascii_text_is_written_as_raw_utf8(self):
        assert render({"country": "España", "emoji": "😀"}) == (
            '{"country":"España","emoji":"😀"}'.encode()
        )

    def test_line_and_paragraph_separators_are_escaped(self):
        assert render({"text": "a\u2028b\u2029c"}) == b'{"text":"a\\u2028b\\u2029c"}'

    def test_control_characters_and_quotes_are_escaped_like_python(self):
        text = 'quote " backslash \\ tab \t newline \n nul \x00 unit \x1f del \x7f'
        assert render([text]) == drf_bytes([text])

    def test_none_renders_an_empty_body(self):
        assert render(None) == b""

    def test_scalars_render_as_json_scalars(self):
        assert render(0) == b"0"
        assert render("plain") == b'"plain"'
        assert render(True) == b"true"
        assert render([]) == b"[]"
        assert render({}) == b"{}"

    def test_key_order_is_kept(self):
        data = OrderedDict([("z", 1), ("a", 2), ("m", 3)])
        assert render(data) == b'{"z":1,"a":2,"m":3}'


class TestFloats:
    @pytest.mark.parametrize(
        "value",
        [1.0, -0.0, 0.1, 1 / 3, 1e16, 1e22, 1.5e300, 5e-324, 1e-4, 1e-5, 2.106e-05, 1e-7, 1e-10],
    )
    def test_floats_are_written_as_python_repr(self, value):
        assert render([value]) == drf_bytes([value])

    def test_small_floats_use_python_exponent_form(self):
        assert render([1e-05, 1e-07]) == b"[1e-05,1e-07]"

    def test_random_floats_match_python_output(self):
        generator = random.Random(20240601)
        values = [
            generator.random() * 10 ** generator.randint(-15, 25) * generator.choice((1, -1))
            for _ in range(2000)
        ]
        assert render(values) == drf_bytes(values)

    def test_strict_json_refuses_nan_and_infinity_anywhere(self):
        for value in (math.nan, math.inf, -math.inf):
            with pytest.raises(ValueError):
                render(value)
            with pytest.raises(ValueError):
                render({"results": [{"score": value}], "previous": None})

    def test_decimal_nan_is_refused_too(self):
        with pytest.raises(ValueError):
            render({"amount": decimal.Decimal("NaN")})

    def test_without_strict_json_nan_and_infinity_are_written_like_python(self):
        renderer = JSONRenderer()
        renderer.strict = False
        data = {"a": [math.nan, math.inf, -math.inf, None]}
        assert renderer.render(data) == b'{"a":[NaN,Infinity,-Infinity,null]}'

    @override_settings(REST_FRAMEWORK={"STRICT_JSON": False})
    def test_strict_json_setting_is_followed(self):
        assert render(math.inf) == b"Infinity"


class TestEncodedTypes:
    def test_decimal_is_written_as_a_float(self):
        assert render({"price": decimal.Decimal("12.50")}) == b'{"price":12.5}'

    def test_datetimes_keep_their_digits_and_use_z_for_utc(self):
        moment = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)
        assert render([moment]) == b'["2024-05-06T07:08:09.123456Z"]'

    def test_naive_and_offset_datetimes_use_isoformat(self):
        naive = datetime.datetime(2024, 5, 6, 7, 8, 9)
        offset = datetime.datetime(
            2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        )
        assert render([naive, offset]) == (b'["2024-05-06T07:08:09","2024-05-06T07:08:09+02:00"]')

    def test_dates_times_and_durations(self):
        data = [
            datetime.date(2024, 5, 6),
            datetime.time(7, 8, 9, 500),
            datetime.timedelta(days=1, seconds=1.5),
        ]
        assert render(data) == b'["2024-05-06","07:08:09.000500","86401.5"]'

    def test_timezone_aware_time_is_an_error(self):
        with pytest.raises(ValueError):
            render([datetime.time(7, 8, tzinfo=datetime.UTC)])

    def test_uuid_lazy_text_bytes_and_ip_addresses_become_strings(self):
        identifier = uuid.UUID("12345678-1234-5678-1234-567812345678")
        data = [identifier, gettext_lazy("hello"), b"raw", ipaddress.ip_network("10.0.0.0/8")]
        assert (
            render(data) == b'["12345678-1234-5678-1234-567812345678","hello","raw","10.0.0.0/8"]'
        )

    def test_generators_and_named_tuples_become_lists(self):
        point = namedtuple("Point", "x y")
        assert render({"gen": (n for n in (1, 2, 3)), "point": point(1, 2)}) == (
            b'{"gen":[1,2,3],"point":[1,2]}'
        )

    def test_mappings_and_array_likes_are_converted(self):
        class Scores(Mapping):
            def __getitem__(self, key):
                return {"a": 1}[key]

            def __iter__(self):
                return iter(["a"])

            def __len__(self):
                return 1

        class ArrayLike:
            def tolist(self):
                return [1.5, 2.5]

        assert render([Scores(), ArrayLike()]) == b'[{"a":1},[1.5,2.5]]'

    def test_unknown_objects_are_a_type_error(self):
        with pytest.raises(TypeError):
            render({"thing": object()})

    def test_integers_beyond_64_bits_and_non_string_keys_match_python(self):
        data = {"big": 2**70, "neg": -(2**65), 1: "one", None: "none", False: "no", 1.5: "x"}
        assert render(data) == drf_bytes(data)

    @pytest.mark.django_db
    def test_querysets_are_written_as_lists(self):
        User.objects.create(username="ada")
        rendered = render(User.objects.values_list("username", flat=True))
        assert rendered == b'["ada"]'


class TestIndentation:
    def test_accept_indent_parameter_indents_with_drf_separators(self):
        data = {"a": 1, "b": [1, 2]}
        expected = b'{\n    "a": 1,\n    "b": [\n        1,\n        2\n    ]\n}'
        assert render(data, "application/json; indent=4") == expected

    def test_indent_of_two_matches_python_output(self):
        data = {"a": [], "b": {}, "c": [1, {"d": "é"}]}
        assert render(data, "application/json; indent=2") == drf_bytes(
            data, indent=2, separators=(",", ": ")
        )

    def test_indent_is_clamped_to_eight_and_zero_means_compact(self):
        assert render([1], "application/json; indent=20") == b"[\n        1\n]"
        assert render([1], "application/json; indent=0") == b"[1]"
        assert render([1], "application/json; indent=wide") == b"[1]"

    def test_renderer_context_indent_is_used(self):
        assert render({"a": 1}, renderer_context={"indent": 4}) == b'{\n    "a": 1\n}'


class TestSettingsAndOverrides:
    @override_settings(REST_FRAMEWORK={"COMPACT_JSON": False})
    def test_long_separators_when_compact_json_is_off(self):
        assert render({"a": 1, "b": [1, 2]}) == b'{"a": 1, "b": [1, 2]}'

    @override_settings(REST_FRAMEWORK={"UNICODE_JSON": False})
    def test_ascii_escapes_when_unicode_json_is_off(self):
        assert render(["España 😀"]) == b'["Espa\\u00f1a \\ud83d\\ude00"]'

    def test_settings_change_is_seen_by_renderers_already_used(self):
        assert render(["ñ"]) == '["ñ"]'.encode()
        with override_settings(REST_FRAMEWORK={"UNICODE_JSON": False}):
            assert render(["ñ"]) == b'["\\u00f1"]'
        assert render(["ñ"]) == '["ñ"]'.encode()

    def test_subclass_attributes_override_settings(self):
        class AsciiRenderer(JSONRenderer):
            ensure_ascii = True

        assert AsciiRenderer().render(["ñ"]) == b'["\\u00f1"]'

    def test_custom_encoder_default_is_used(self):
        class Money:
            def __init__(self, cents):
                self.cents = cents

        class MoneyEncoder(JSONEncoder):
            def default(self, obj):
                if isinstance(obj, Money):
                    return f"{obj.cents / 100:.2f}"
                return super().default(obj)

        class MoneyRenderer(JSONRenderer):
            encoder_class = MoneyEncoder

        assert MoneyRenderer().render({"total": Money(1250)}) == b'{"total":"12.50"}'

    def test_encoder_writing_uuids_differently_is_honoured(self):
        class HexUUIDEncoder(JSONEncoder):
            def default(self, obj):
                if isinstance(obj, uuid.UUID):
                    return obj.hex
                return super().default(obj)

        class HexRenderer(JSONRenderer):
            encoder_class = HexUUIDEncoder

        identifier = uuid.UUID(int=1)
        assert HexRenderer().render([identifier]) == f'["{identifier.hex}"]'.encode()


class ReportView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response(
            {
                "title": "Résumé\u2028",
                "price": decimal.Decimal("9.99"),
                "when": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
                "tiny": 1e-6,
                "missing": None,
            }
        )


class EchoView(APIView):
    """Echoes the query string and the form body back, as debugging endpoints do."""

    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response({"query_params": request.query_params})

    def post(self, request):
        return Response(request.data)


urlpatterns = [path("report", ReportView.as_view()), path("echo", EchoView.as_view())]


class TestThroughAView:
    def test_response_body_is_drf_bytes(self):
        response = APIClient().get("/report")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert (
            response.content
            == (
                '{"title":"Résumé\\u2028","price":9.99,"when":"2024-01-02T03:04:05Z",'
                '"tiny":1e-06,"missing":null}'
            ).encode()
        )

    def test_indent_requested_in_accept_header(self):
        response = APIClient().get("/report", HTTP_ACCEPT="application/json; indent=2")
        assert response.content.startswith(b'{\n  "title": ')
        assert response["Content-Type"] == "application/json"


class TestQueryDictsRenderTheirLastValue:
    """A QueryDict is a dict of lists inside; JSON shows each key's last value, as DRF does."""

    def test_query_params_echoed_in_a_dict(self):
        response = APIClient().get("/echo?colour=red&colour=blue&size=9")
        assert response.content == b'{"query_params":{"colour":"blue","size":"9"}}'

    def test_form_body_echoed_as_the_data_itself(self):
        response = APIClient().post("/echo", {"colour": "red"}, format="multipart")
        assert response.content == b'{"colour":"red"}'
