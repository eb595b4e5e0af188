"""The bookstore's API: viewsets on a router, plus two plain views."""

from django.db.models import Avg, Count
from rest_framework import permissions, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .models import Author, Book, Review, Tag
from .permissions import IsOwnerOrReadOnly
from .serializers import AuthorSerializer, BookSerializer, ReviewSerializer, TagSerializer


class AuthorViewSet(viewsets.ModelViewSet):
    """Authors of the books in the store."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "born"]


class TagViewSet(viewsets.ModelViewSet):
    """Tags that group books."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    search_fields = ["name"]


class BookViewSet(viewsets.ModelViewSet):
    """Books: search by title, author or ISBN; order by title, price or publication date."""

    queryset = Book.objects.select_related("author").prefetch_related("tags")
    serializer_class = BookSerializer
    filterset_fields = ["author", "tags"]
    search_fields = ["title", "author__name", "=isbn"]
    ordering_fields = ["title", "price", "published"]

    @action(detail=True, methods=["get"])
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

    def get(self, request):
        return Response({"pong": True})


@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def hello(request):
    """Greets the caller: a function view made an API view by `@api_view`."""
    name = request.user.username if request.user.is_authenticated else "stranger"
    return Response({"message": f"Hello, {name}!"})
