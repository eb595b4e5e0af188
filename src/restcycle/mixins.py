"""The model actions of generic views and viewsets: create, list, retrieve, update, destroy.

Each action runs stages 5-9 of the cycle through GenericAPIView's methods, so
overriding `get_queryset()`, `get_serializer()` or a `perform_*()` hook changes
one stage and keeps the rest.
"""

from __future__ import annotations

from typing import Any

from . import _engine, status
from .response import Response
from .settings import api_settings


class CreateModelMixin:
    """Create an instance: 201 with the new representation (and a Location when it has a URL)."""

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        data = serializer.data
        return Response(
            data, status=status.HTTP_201_CREATED, headers=self.get_success_headers(data)
        )

    def perform_create(self, serializer: Any) -> None:
        """Save the validated serializer; override to add fields, e.g. `owner=request.user`."""
        serializer.save()

    def get_success_headers(self, data: Any) -> dict[str, str]:
        """`Location` from the representation's URL field (`URL_FIELD_NAME`), when it has one."""
        try:
            return {"Location": str(data[api_settings.URL_FIELD_NAME])}
        except (TypeError, KeyError):
            return {}


class ListModelMixin:
    """List the filtered queryset, one page of it when the view paginates."""

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        # The query plan adds the lookups the output reads, or switches to values() rows.
        queryset, projection = _engine.plan_list(self, self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        if page is not None:
            serializer = _engine.serialized_list(self, page, projection)
            return self.get_paginated_response(serializer.data)
        serializer = _engine.serialized_list(self, queryset, projection)
        return Response(serializer.data)


class RetrieveModelMixin:
    """Retrieve one instance."""

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = _engine.serialized_object(self)  # get_serializer(get_object())
        return Response(serializer.data)


def _forget_prefetched(instance: Any) -> None:
    """Related objects prefetched before an update are stale: the response reads them again."""
    if getattr(instance, "_prefetched_objects_cache", None):
        instance._prefetched_objects_cache = {}


class UpdateModelMixin:
    """Update an instance: PUT replaces it, PATCH (`partial_update`) changes the fields sent."""

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        _forget_prefetched(instance)
        return Response(serializer.data)

    def perform_update(self, serializer: Any) -> None:
        """Save the validated serializer; override to add fields or side effects."""
        serializer.save()

    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class DestroyModelMixin:
    """Delete an instance: 204 with no body."""

    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_destroy(self, instance: Any) -> None:
        """Delete the instance; override for soft deletes or side effects."""
        instance.delete()
