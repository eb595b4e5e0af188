"""The bookstore's serializers, each showing one of the cycle's override points."""

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from .models import Author, Book, Review, Tag


def isbn_checksum_is_valid(isbn: str) -> bool:
    """ISBN-10 (last digit may be X) or ISBN-13 check digit."""
    if len(isbn) == 10:
        if not (isbn[:9].isdigit() and (isbn[9].isdigit() or isbn[9] == "X")):
            return False
        digits = [int(c) for c in isbn[:9]] + [10 if isbn[9] == "X" else int(isbn[9])]
        return sum((10 - i) * d for i, d in enumerate(digits)) % 11 == 0
    if len(isbn) == 13 and isbn.isdigit():
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn))
        return total % 10 == 0
    return False


class ISBNField(serializers.CharField):
    """An ISBN as people type it: hyphens and spaces are dropped before any validator runs."""

    def to_internal_value(self, data) -> str:
        return super().to_internal_value(data).replace("-", "").replace(" ", "").upper()


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "name", "born", "bio"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class BookSerializer(serializers.ModelSerializer):
    # Read: the author nested; write: the author's id.
    isbn = ISBNField(
        label="ISBN", max_length=13, validators=[UniqueValidator(queryset=Book.objects.all())]
    )
    author = AuthorSerializer(read_only=True)
    author_id = serializers.PrimaryKeyRelatedField(
        source="author", queryset=Author.objects.all(), write_only=True, label="Author"
    )

    class Meta:
        model = Book
        fields = [
            "id",
            "title",
            "isbn",
            "price",
            "published",
            "author",
            "author_id",
            "tags",
            "stock",
        ]

    def validate_isbn(self, value: str) -> str:
        """Refuse an ISBN whose check digit is wrong."""
        if not isbn_checksum_is_valid(value):
            raise serializers.ValidationError("Enter a valid ISBN-10 or ISBN-13.")
        return value

    def validate_stock(self, value: int) -> int:
        """Stock levels are for staff: others may neither see nor set them."""
        request = self.context.get("request")
        if not (request and request.user.is_staff):
            raise serializers.ValidationError("Only staff can set the stock level.")
        return value

    def validate(self, attrs: dict) -> dict:
        """A book cannot be published before its author was born."""
        author = attrs.get("author", getattr(self.instance, "author", None))
        published = attrs.get("published", getattr(self.instance, "published", None))
        if author and author.born and published and published < author.born:
            raise serializers.ValidationError(
                {"published": f"{author.name} was born on {author.born.isoformat()}."}
            )
        return attrs

    def to_representation(self, instance: Book) -> dict:
        """Stock levels are for staff: everyone else gets the book without them."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not (request and request.user.is_staff):
            data.pop("stock", None)
        return data


class ReviewSerializer(serializers.ModelSerializer):
    user = serializers.HiddenField(default=serializers.CurrentUserDefault())
    username = serializers.ReadOnlyField(source="user.username")

    class Meta:
        model = Review
        fields = ["id", "book", "user", "username", "rating", "text", "created"]
        read_only_fields = ["created"]
