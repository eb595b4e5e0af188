"""Books with an author and tags: the data the serializer micro-benchmark serializes."""

from django.db import models


class BenchAuthor(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField()
    joined = models.DateTimeField()

    class Meta:
        app_label = "serializer_models"


class BenchTag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "serializer_models"


class BenchBook(models.Model):
    title = models.CharField(max_length=200)
    isbn = models.CharField(max_length=20)
    pages = models.IntegerField()
    rating = models.FloatField()
    in_print = models.BooleanField(default=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    author = models.ForeignKey(BenchAuthor, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(BenchTag, related_name="books")

    class Meta:
        app_label = "serializer_models"
