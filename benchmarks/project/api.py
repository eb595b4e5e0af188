"""The API as a DRF user writes it: viewsets on a DefaultRouter, the example's serializers.

This one module runs on restcycle (under the drop-in alias) and on the real DRF; the
floor (floor.py) serves the same endpoints by hand.
"""

from books.models import Book
from books.serializers import AuthorSerializer, BookSerializer
from rest_framework import filters, pagination, permissions, serializers, viewsets
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


class CatalogBookSerializer(serializers.ModelSerializer):
    """BookSerializer's output for non-staff readers, without a `to_representation` override.

    Same keys, same order, same values; on restcycle it may take the values() path.
    """

    author = AuthorSerializer(read_only=True)

    class Meta:
        model = Book
        fields = ["id", "title", "isbn", "price", "published", "author", "tags"]


class ProjectedBookViewSet(viewsets.ReadOnlyModelViewSet):
    """All 1000 books, unpaginated, through CatalogBookSerializer."""

    queryset = BOOKS
    serializer_class = CatalogBookSerializer


class FirstHundredProjectedBookViewSet(viewsets.ReadOnlyModelViewSet):
    """The first 100 books, unpaginated, through CatalogBookSerializer."""

    queryset = BOOKS.filter(id__lte=100)
    serializer_class = CatalogBookSerializer


class NaiveBookViewSet(viewsets.ReadOnlyModelViewSet):
    """All 1000 books from a queryset with no select_related/prefetch_related at all."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer


class FirstHundredNaiveBookViewSet(viewsets.ReadOnlyModelViewSet):
    """The first 100 books from a naive queryset."""

    queryset = Book.objects.filter(id__lte=100)
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
router.register("books-projected", ProjectedBookViewSet, basename="book-projected")
router.register(
    "books-projected-first100", FirstHundredProjectedBookViewSet, basename="book-projected-first100"
)
router.register("books-naive", NaiveBookViewSet, basename="book-naive")
router.register(
    "books-naive-first100", FirstHundredNaiveBookViewSet, basename="book-naive-first100"
)
router.register("catalog", CatalogViewSet, basename="catalog")
router.register("private/books", PrivateBookViewSet, basename="private-book")
