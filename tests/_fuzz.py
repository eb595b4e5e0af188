"""Hypothesis profiles and input strategies shared by the fuzz tests.

`RESTCYCLE_FUZZ_PROFILE=ci` (the default) keeps each property to a few dozen examples
so the test command stays quick; `long` (scripts/fuzz) runs thousands. No example
database is written: every run starts fresh.
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}
settings.register_profile("ci", max_examples=25, **_COMMON)
settings.register_profile("long", max_examples=1500, **_COMMON)
settings.load_profile(os.environ.get("RESTCYCLE_FUZZ_PROFILE", "ci"))

# Every code point, lone surrogates and NUL included (JSON can carry both as escapes).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
tricky_text = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\ud800",
        "NaN",
        "Infinity",
        "-0",
        "1e999",
        "9" * 400,
        "0x1F",
        "1_000",
        "٣",
        "2024-02-30",
        "2024-13-01T25:61:61",
        "P1DT25H",
        "99999999999999999999:00:00",
        "../../etc/passwd",
        "a" * 300,
        "%00",
        "https://[::1",
        "http://example.com/" + "x" * 3000,
        "::ffff:999.1.1.1",
        "12345678-1234-5678-1234-56781234567",
    ]
)
text = st.one_of(any_text, tricky_text)
integers = st.one_of(st.integers(), st.integers(min_value=-(2**80), max_value=2**80))
scalars = st.one_of(
    st.none(), st.booleans(), integers, st.floats(allow_nan=True, allow_infinity=True), text
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
