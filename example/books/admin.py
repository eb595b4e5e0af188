from django.contrib import admin

from .models import Author, Book, Review, Tag

admin.site.register([Author, Book, Review, Tag])
