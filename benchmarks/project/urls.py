"""The floor under /floor/ always; the framework API under /api/ once it imports.

restcycle's modules land one by one: when the API cannot be imported yet, the
floor is still served and the worker reports why the API is missing.
"""

import traceback

from django.urls import include, path

from . import floor

urlpatterns = [path("floor/", include(floor.urlpatterns))]

try:
    from .api import router
except Exception:  # noqa: BLE001 - any failure means "this implementation is not ready"
    API_IMPORT_ERROR = traceback.format_exc()
else:
    API_IMPORT_ERROR = None
    urlpatterns.append(path("api/", include(router.urls)))
