"""Load the sample bookstore and a demo user, and print the user's API token.

Idempotent: running it again keeps what exists and prints the same token.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from rest_framework.authtoken.models import Token

from books.models import Author, Book, Review, Tag

AUTHORS = [
    ("Ursula K. Le Guin", datetime.date(1929, 10, 21)),
    ("Italo Calvino", datetime.date(1923, 10, 15)),
    ("Octavia E. Butler", datetime.date(1947, 6, 22)),
]
BOOKS = [
    ("A Wizard of Earthsea", "9780547773742", "8.99", datetime.date(1968, 11, 1), 0, ["fantasy"]),
    (
        "The Left Hand of Darkness",
        "9780441478125",
        "9.99",
        datetime.date(1969, 3, 1),
        0,
        ["science-fiction"],
    ),
    (
        "The Dispossessed",
        "9780061054884",
        "10.50",
        datetime.date(1974, 5, 1),
        0,
        ["science-fiction", "utopia"],
    ),
    ("Invisible Cities", "9780156453806", "12.00", datetime.date(1972, 11, 1), 1, ["fiction"]),
    (
        "If on a winter's night a traveler",
        "9780156439619",
        "13.25",
        datetime.date(1979, 6, 1),
        1,
        ["fiction"],
    ),
    (
        "Kindred",
        "9780807083697",
        "11.40",
        datetime.date(1979, 6, 1),
        2,
        ["science-fiction", "fiction"],
    ),
    (
        "Parable of the Sower",
        "9781538732182",
        "14.99",
        datetime.date(1993, 10, 1),
        2,
        ["science-fiction"],
    ),
]

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"


class Command(BaseCommand):
    help = "Load sample authors, books and tags, and create the demo user with a token."

    @transaction.atomic
    def handle(self, *args, **options):
        authors = [
            Author.objects.get_or_create(name=name, defaults={"born": born})[0]
            for name, born in AUTHORS
        ]
        for title, isbn, price, published, author_index, tag_names in BOOKS:
            book, _ = Book.objects.get_or_create(
                isbn=isbn,
                defaults={
                    "title": title,
                    "price": Decimal(price),
                    "published": published,
                    "author": authors[author_index],
                    "stock": 3,
                },
            )
            book.tags.add(*(Tag.objects.get_or_create(name=name)[0] for name in tag_names))

        user_model = get_user_model()
        demo, created = user_model.objects.get_or_create(username=DEMO_USERNAME)
        if created:
            demo.set_password(DEMO_PASSWORD)
            demo.save()
        token, _ = Token.objects.get_or_create(user=demo)
        first_book = Book.objects.order_by("id").first()
        Review.objects.get_or_create(
            book=first_book, user=demo, defaults={"rating": 5, "text": "A classic."}
        )
        self.stdout.write(
            f"Sample data: {Author.objects.count()} authors, {Book.objects.count()} books, "
            f"{Tag.objects.count()} tags.\n"
            f"Demo user: {DEMO_USERNAME} / {DEMO_PASSWORD}\n"
            f"Token: {token.key}"
        )
