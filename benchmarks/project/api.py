"""The API as a DRF user writes it: viewsets on a DefaultRouter, the example's serializers.

This one module runs on restcycle (under the drop-in alias) and on the real DRF; the
floor (floor.py) serves the same endpoints by hand.
"""

from books.models import Author, Book, Tag
from books.serializers import AuthorSerializer, BookSerializer, TagSerializer
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, pagination, permissions, serializers, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

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


# --- issue 17: the shapes DRF users write every day --------------------------------------


class HelloView(APIView):
    """The smallest endpoint there is: no database, no serializer."""

    def get(self, request):
        return Response({"message": "hello"})


class EchoSerializer(serializers.Serializer):
    """Ten common field kinds with their usual options, on a plain Serializer."""

    count = serializers.IntegerField(min_value=0, max_value=1000)
    name = serializers.CharField(min_length=2, max_length=50)
    ratio = serializers.FloatField()
    active = serializers.BooleanField()
    labels = serializers.ListField(child=serializers.CharField())
    when = serializers.DateTimeField()
    email = serializers.EmailField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)
    kind = serializers.ChoiceField(choices=["paper", "ebook", "audio"])
    note = serializers.CharField(allow_null=True, default=None)


class EchoView(APIView):
    """Validates the body and answers with the serializer's representation of it."""

    def post(self, request):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data)


class PlainAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    born = serializers.DateField(allow_null=True)
    bio = serializers.CharField(allow_blank=True)


class PlainBookSerializer(serializers.Serializer):
    """CatalogBookSerializer's output written out field by field on a plain Serializer."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=200)
    isbn = serializers.CharField(max_length=13)
    price = serializers.DecimalField(max_digits=8, decimal_places=2)
    published = serializers.DateField()
    author = PlainAuthorSerializer(read_only=True)
    tags = serializers.PrimaryKeyRelatedField(many=True, read_only=True)


class FirstHundredPlainBookViewSet(viewsets.ReadOnlyModelViewSet):
    """The first 100 books through PlainBookSerializer."""

    queryset = BOOKS.filter(id__lte=100)
    serializer_class = PlainBookSerializer


class BookWithAuthorSerializer(serializers.ModelSerializer):
    """A book and its author in one body: create() writes the author, then the book."""

    author = AuthorSerializer()

    class Meta:
        model = Book
        fields = ["id", "title", "isbn", "price", "published", "author", "tags"]

    def create(self, validated_data):
        author = Author.objects.create(**validated_data.pop("author"))
        tags = validated_data.pop("tags", [])
        book = Book.objects.create(author=author, **validated_data)
        book.tags.set(tags)
        return book


class BookWithAuthorViewSet(viewsets.GenericViewSet):
    """POST only: the nested write."""

    queryset = Book.objects.all()
    serializer_class = BookWithAuthorSerializer

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=201)


class SlicedBookViewSet(viewsets.ReadOnlyModelViewSet):
    """The first 100 of the tuned queryset, sliced in get_queryset()."""

    serializer_class = CatalogBookSerializer

    def get_queryset(self):
        return BOOKS.all()[:100]


class SlicedNaiveBookViewSet(viewsets.ReadOnlyModelViewSet):
    """The first 100 of Book.objects.all(), sliced in get_queryset(); no tuning at all."""

    serializer_class = CatalogBookSerializer

    def get_queryset(self):
        return Book.objects.all()[:100]


class LinkedBookSerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = Book
        fields = ["url", "title", "author", "tags"]


class LinkedBookViewSet(viewsets.ReadOnlyModelViewSet):
    """The first 100 books as links: their own, their author's, their tags'."""

    queryset = Book.objects.prefetch_related("tags").filter(id__lte=100)
    serializer_class = LinkedBookSerializer


class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
    """Gives `author-detail` a route, for the hyperlinked books."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    """Gives `tag-detail` a route, for the hyperlinked books."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer


class FilteredCatalogViewSet(viewsets.ReadOnlyModelViewSet):
    """Books by page: django-filter's price range and date, then search, then ordering."""

    queryset = BOOKS
    serializer_class = CatalogBookSerializer
    pagination_class = CatalogPagination
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_fields = {"price": ["gte", "lte"], "published": ["gte"]}
    search_fields = ["title", "author__name"]
    ordering_fields = ["id", "title", "price", "published"]


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
router.register("books-plain-first100", FirstHundredPlainBookViewSet, basename="book-plain")
router.register("books-with-author", BookWithAuthorViewSet, basename="book-with-author")
router.register("books-sliced", SlicedBookViewSet, basename="book-sliced")
router.register("books-sliced-naive", SlicedNaiveBookViewSet, basename="book-sliced-naive")
router.register("books-linked", LinkedBookViewSet, basename="book-linked")
router.register("books-filtered", FilteredCatalogViewSet, basename="book-filtered")
router.register("authors", AuthorViewSet, basename="author")
router.register("tags", TagViewSet, basename="tag")

# The minimal endpoints, outside the router as a DRF user writes them.
views = [("hello/", HelloView), ("echo/", EchoView)]
