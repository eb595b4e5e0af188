"""Generic views: APIView plus a queryset, a serializer, filtering and pagination.

`GenericAPIView` holds the stages 5 and 6 of the cycle (fetch data, build the
serializer) as overridable methods; the mixins in `mixins` hold the actions;
the concrete classes below join them with the HTTP method handlers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.query import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404 as _django_get_object_or_404

from . import _engine, mixins, views
from ._setting_defaults import SettingDefault


def get_object_or_404(queryset: Any, *filter_args: Any, **filter_kwargs: Any) -> Any:
    """Django's get_object_or_404, with a lookup value of the wrong type also a 404.

    `/users/abc/` on an integer key, a malformed UUID, or a number too large
    for the column are "no such object", never a 500.
    """
    try:
        if filter_args or not isinstance(queryset, QuerySet):
            return _django_get_object_or_404(queryset, *filter_args, **filter_kwargs)
        try:
            return _engine.prepared_get(queryset, filter_kwargs)
        except queryset.model.DoesNotExist:
            raise Http404(
                f"No {queryset.model._meta.object_name} matches the given query."
            ) from None
    except (TypeError, ValueError, OverflowError, ValidationError):
        raise Http404 from None


class GenericAPIView(views.APIView):
    """Base class of the generic views and viewsets.

    Set `queryset` and `serializer_class` (or override `get_queryset()` and
    `get_serializer_class()`); `lookup_field` / `lookup_url_kwarg` choose how a
    detail URL finds its object.
    """

    queryset: Any = None
    serializer_class: Any = None

    # The model field that looks an object up, and the URL keyword argument
    # holding its value (the same name unless set).
    lookup_field = "pk"
    lookup_url_kwarg: str | None = None

    filter_backends = SettingDefault("DEFAULT_FILTER_BACKENDS")
    pagination_class = SettingDefault("DEFAULT_PAGINATION_CLASS")

    # Typing code writes GenericAPIView[Model]; at run time that is the class itself.
    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        return cls

    def get_queryset(self) -> Any:
        """The objects this view works on: `self.queryset`, re-evaluated for each request.

        Override to depend on the request (e.g. `self.request.user`).
        """
        assert self.queryset is not None, (
            f"'{self.__class__.__name__}' should either include a `queryset` attribute, "
            "or override the `get_queryset()` method."
        )
        queryset = self.queryset
        if isinstance(queryset, QuerySet):
            # A fresh clone: the class attribute's result cache is shared by every request.
            queryset = queryset.all()
        return queryset

    def get_object(self) -> Any:
        """The object a detail route names: filtered queryset, lookup, object permissions."""
        queryset = _engine.prefetch_object(self, self.filter_queryset(self.get_queryset()))
        return self._lookup_object(queryset)

    def _lookup_object(self, queryset: Any, check_permissions: bool = True) -> Any:
        """get_object() after the queryset: the lookup, then the object permissions."""
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        assert lookup_url_kwarg in self.kwargs, (
            f"Expected view {self.__class__.__name__} to be called with a URL keyword argument "
            f'named "{lookup_url_kwarg}". Fix your URL conf, or set the `.lookup_field` '
            "attribute on the view correctly."
        )
        obj = get_object_or_404(queryset, **{self.lookup_field: self.kwargs[lookup_url_kwarg]})
        if check_permissions:
            self.check_object_permissions(self.request, obj)
        return obj

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        """An instance of the serializer class, with the view's context unless one is given."""
        serializer_class = self.get_serializer_class()
        kwargs.setdefault("context", self.get_serializer_context())
        return serializer_class(*args, **kwargs)

    def get_serializer_class(self) -> Any:
        """The serializer class; override to choose it per request or per action."""
        assert self.serializer_class is not None, (
            f"'{self.__class__.__name__}' should either include a `serializer_class` "
            "attribute, or override the `get_serializer_class()` method."
        )
        return self.serializer_class

    def get_serializer_context(self) -> dict[str, Any]:
        """What every serializer of this view sees as `self.context`."""
        return {"request": self.request, "format": self.format_kwarg, "view": self}

    def filter_queryset(self, queryset: Any) -> Any:
        """The queryset passed through each of the view's filter backends in turn."""
        for backend in list(self.filter_backends):
            queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    @property
    def paginator(self) -> Any:
        """The paginator instance of this request, or None when the view is not paginated."""
        if not hasattr(self, "_paginator"):
            pagination_class = self.pagination_class
            self._paginator = None if pagination_class is None else pagination_class()
        return self._paginator

    def paginate_queryset(self, queryset: Any) -> list | None:
        """One page of results, or None when pagination is off."""
        if self.paginator is None:
            return None
        return self.paginator.paginate_queryset(queryset, self.request, view=self)

    def get_paginated_response(self, data: Any) -> Any:
        """The paginator's response for the serialized page."""
        assert self.paginator is not None
        return self.paginator.get_paginated_response(data)


# The concrete generic views: mixin actions bound to HTTP methods.


class CreateAPIView(mixins.CreateModelMixin, GenericAPIView):
    """POST creates an instance."""

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.create(request, *args, **kwargs)


class ListAPIView(mixins.ListModelMixin, GenericAPIView):
    """GET lists the queryset."""

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.list(request, *args, **kwargs)


class RetrieveAPIView(mixins.RetrieveModelMixin, GenericAPIView):
    """GET retrieves an instance."""

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.retrieve(request, *args, **kwargs)


class DestroyAPIView(mixins.DestroyModelMixin, GenericAPIView):
    """DELETE deletes an instance."""

    def delete(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.destroy(request, *args, **kwargs)


class UpdateAPIView(mixins.UpdateModelMixin, GenericAPIView):
    """PUT replaces an instance, PATCH updates part of it."""

    def put(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.update(request, *args, **kwargs)

    def patch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.partial_update(request, *args, **kwargs)


class ListCreateAPIView(mixins.ListModelMixin, mixins.CreateModelMixin, GenericAPIView):
    """GET lists the queryset, POST creates an instance."""

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.list(request, *args, **kwargs)

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.create(request, *args, **kwargs)


class RetrieveUpdateAPIView(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, GenericAPIView):
    """GET retrieves, PUT replaces, PATCH updates part of an instance."""

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.retrieve(request, *args, **kwargs)

    def put(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.update(request, *args, **kwargs)

    def patch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.partial_update(request, *args, **kwargs)


class RetrieveDestroyAPIView(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, GenericAPIView):
    """GET retrieves, DELETE deletes an instance."""

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.retrieve(request, *args, **kwargs)

    def delete(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.destroy(request, *args, **kwargs)


class RetrieveUpdateDestroyAPIView(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    GenericAPIView,
):
    """GET retrieves, PUT replaces, PATCH updates part of, DELETE deletes an instance."""

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.retrieve(request, *args, **kwargs)

    def put(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.update(request, *args, **kwargs)

    def patch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.partial_update(request, *args, **kwargs)

    def delete(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return self.destroy(request, *args, **kwargs)
