"""The books' filter set: `?author=` and `?tags=` by id, refusing ids no database can hold."""

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import ModelMultipleChoiceField

from .models import Book, Tag

# The widest integer a primary key column stores (64-bit signed).
_PK_MIN, _PK_MAX = -(2**63), 2**63 - 1


class TagIdsField(ModelMultipleChoiceField):
    """Tag ids; one too large for a 64-bit column is an invalid value (a 400), not a crash.

    Django looks the ids up with `pk__in`, and SQLite refuses to bind such a number
    (OverflowError, a 500) instead of finding nothing.
    """

    def clean(self, value):
        for item in value or ():
            try:
                number = int(str(item))
            except ValueError:
                continue  # not a number: Django's own check reports it
            if not _PK_MIN <= number <= _PK_MAX:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super().clean(value)


class TagIdsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = TagIdsField


class BookFilter(django_filters.FilterSet):
    tags = TagIdsFilter(queryset=Tag.objects.all())

    class Meta:
        model = Book
        fields = ["author", "tags"]
