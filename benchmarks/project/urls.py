"""The framework API under /api/, the hand-written floor under /floor/, and in the
restcycle process django-ninja's side of the minimal endpoints under /ninja/.

The API module is imported plainly: if it cannot be imported, the benchmark fails.
django-ninja is a comparison, not a subject: it is mounted when it is installed (the dev
extra installs it), and the run reports it as not measured otherwise.
"""

from importlib.util import find_spec

from django.conf import settings
from django.urls import include, path

from . import floor
from .api import router, views

urlpatterns = [
    path("floor/", include(floor.urlpatterns)),
    path("api/", include([path(route, view.as_view()) for route, view in views])),
    path("api/", include(router.urls)),
]

SERVES_NINJA = settings.IMPL == "restcycle" and find_spec("ninja") is not None
if SERVES_NINJA:
    from .ninja_api import api as ninja_api

    urlpatterns.append(path("ninja/", ninja_api.urls))
