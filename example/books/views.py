"""The bookstore's API: viewsets on a router, plus two plain views."""

from django.db.models import Avg, Count, ProtectedError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .filters import BookFilter
from .models import Author, Book, Review, Tag
from .permissions import IsOwnerOrReadOnly
from .serializers import AuthorSerializer, BookSerializer, ReviewSerializer, TagSerializer


class AuthorHasBooks(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This author still has books in the store; delete those first."
    default_code = "author_has_books"


class AuthorViewSet(viewsets.ModelViewSet):
    """Authors of the books in the store."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "born"]

    def perform_destroy(self, instance):
        """An author's books protect it (on_delete=PROTECT): refuse with 409, not a crash."""
        try:
            instance.delete()
        except ProtectedError as error:
            raise AuthorHasBooks() from error


class TagViewSet(viewsets.ModelViewSet):
    """Tags that group books."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    search_fields = ["name"]


class BookViewSet(viewsets.ModelViewSet):
    """Books: search by title, author or ISBN; order by title, price or publication date."""

    queryset = Book.objects.select_related("author").prefetch_related("tags")
    serializer_class = BookSerializer
    filterset_class = BookFilter
    search_fields = ["title", "author__name", "=isbn"]
    ordering_fields = ["title", "price", "published"]

    @extend_schema(responses=ReviewSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=ReviewSerializer)
    def reviews(self, request, pk=None):
        """The reviews of one book, newest first, paginated."""
        book = self.get_object()
        queryset = book.reviews.select_related("user")
        page = self.paginate_queryset(queryset)
        serializer = ReviewSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


class ReviewViewSet(viewsets.ModelViewSet):
    """Reviews: anyone reads them, signed-in users write them, only their author edits them."""

    queryset = Review.objects.select_related("user")
    serializer_class = ReviewSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]
    filterset_fields = ["book", "rating"]
    ordering_fields = ["created", "rating"]


class StatsView(APIView):
    """Counts of what the store holds, and the average rating."""

    @extend_schema(
        responses=inline_serializer(
            "Stats",
            {
                "authors": serializers.IntegerField(),
                "books": serializers.IntegerField(),
                "reviews": serializers.IntegerField(),
                "average_rating": serializers.FloatField(allow_null=True),
            },
        )
    )
    def get(self, request):
        books = Book.objects.aggregate(count=Count("id"))
        reviews = Review.objects.aggregate(count=Count("id"), average=Avg("rating"))
        return Response(
            {
                "authors": Author.objects.count(),
                "books": books["count"],
                "reviews": reviews["count"],
                "average_rating": reviews["average"],
            }
        )


class PingView(APIView):
    """A tiny endpoint with a small scoped throttle (`ping`), shared across workers."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "ping"

    @extend_schema(responses=inline_serializer("Pong", {"pong": serializers.BooleanField()}))
    def get(self, request):
        return Response({"pong": True})


@extend_schema(responses=inline_serializer("Greeting", {"message": serializers.CharField()}))
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def hello(request):
    """Greets the caller: a function view made an API view by `@api_view`."""
    name = request.user.username if request.user.is_authenticated else "stranger"
    return Response({"message": f"Hello, {name}!"})
