"""Warning classes for DRF behaviour that is going away (third-party code imports them)."""

from . import RemovedInDRF317Warning, RemovedInDRF318Warning, RemovedInDRF319Warning


class RemovedInDRF320Warning(PendingDeprecationWarning):
    pass


__all__ = [
    "RemovedInDRF317Warning",
    "RemovedInDRF318Warning",
    "RemovedInDRF319Warning",
    "RemovedInDRF320Warning",
]
