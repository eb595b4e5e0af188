"""The API as a DRF user writes it: viewsets on a DefaultRouter, the example's serializers.

This one module runs on restcycle (under the drop-in alias) and on the real DRF; the
floor (floor.py) serves the same endpoints by hand.
"""

from books.models import Book
from books.serializers import BookSerializer
from rest_framework import filters, pagination, permissions, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.routers import DefaultRouter

BOOKS = Book.objects.select_related("author").prefetch_related("tags")


class BookViewSet(viewsets.ModelViewSet):
    """All 1000 books, unpaginated; retrieve, create, update, delete."""

    queryset = BOOKS
    serializer_class = BookSerializer


class FirstHundredBookViewSet(viewsets.ReadOnlyModelViewSet):
    """The first 100 books, unpaginated."""

    queryset = BOOKS.filter(id__lte=100)
    serializer_class = BookSerializer


class CatalogPagination(pagination.PageNumberPagination):
    page_size = 20


class CatalogViewSet(viewsets.ReadOnlyModelViewSet):
    """Books by page, searchable by title or author, orderable."""

    queryset = BOOKS
    serializer_class = BookSerializer
    pagination_class = CatalogPagination
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["title", "author__name"]
    ordering_fields = ["title", "price", "published"]


class PrivateBookViewSet(viewsets.ReadOnlyModelViewSet):
    """Books for signed-in clients only: a token, and IsAuthenticated."""

    queryset = BOOKS
    serializer_class = BookSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]


router = DefaultRouter()
router.register("books", BookViewSet, basename="book")
router.register("books-first100", FirstHundredBookViewSet, basename="book-first100")
router.register("catalog", CatalogViewSet, basename="catalog")
router.register("private/books", PrivateBookViewSet, basename="private-book")
