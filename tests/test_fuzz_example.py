"""Fuzzing the bookstore example (tests/_fuzz_example_cases.py) with its own settings.

The example is a DRF project on the drop-in alias, so its views run in an interpreter of
their own: pytest with `--ds tests._fuzz_example_settings`, on this run's database
(SQLite, or PostgreSQL in the PostgreSQL pass). No input may give a 5xx, and a refused
write must leave the store's tables unchanged. RESTCYCLE_FUZZ_PROFILE picks the budget
(`ci` here; scripts/fuzz runs `long`).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = int(os.environ.get("RESTCYCLE_FUZZ_TIMEOUT", "600"))


def test_no_input_to_the_examples_views_gives_a_5xx_or_a_partial_write():
    env = {**os.environ, "RESTCYCLE_FUZZ_PROFILE": os.environ.get("RESTCYCLE_FUZZ_PROFILE", "ci")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/_fuzz_example_cases.py",
            "--ds",
            "tests._fuzz_example_settings",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
