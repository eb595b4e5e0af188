"""WSGI entry point for the whole-stack (gunicorn) benchmark.

Each gunicorn worker imports this module itself (no --preload), so each builds its
own in-memory database holding the same data set.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for entry in (ROOT / "example", ROOT):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.project.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from .data import prepare_database  # noqa: E402

prepare_database()
