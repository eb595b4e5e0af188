"""ASGI entry point: `uvicorn bookstore.asgi:application` (see docs/deploy.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")
application = get_asgi_application()
