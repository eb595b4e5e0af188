"""Helper modules that third-party packages import by name (DRF's `rest_framework.utils`)."""
