"""restcycle: Django REST framework's request-response cycle, with DRF's public API.

This module imports nothing heavy, so that `install_as_rest_framework()` can run
at the top of a settings module before any other part of restcycle is loaded.
"""

__title__ = "restcycle"
__version__ = "0.1.0"
VERSION = __version__

# Read by packages that check which DRF they run on; restcycle implements 3.18's API.
DRF_API_VERSION = "3.18.3"

# DRF exposes these at package level; some third-party code reads them.
ISO_8601 = "iso-8601"
HTTP_HEADER_ENCODING = "iso-8859-1"


def install_as_rest_framework() -> None:
    """Make `import rest_framework` (and every `rest_framework.<module>`) give restcycle.

    Call it at the top of settings.py, before anything imports `rest_framework`.
    Calling it twice is harmless; calling it after the real DRF was imported raises.
    """
    from restcycle._alias import install

    install()


class RemovedInDRF317Warning(PendingDeprecationWarning):
    pass


class RemovedInDRF318Warning(PendingDeprecationWarning):
    pass


class RemovedInDRF319Warning(PendingDeprecationWarning):
    pass
