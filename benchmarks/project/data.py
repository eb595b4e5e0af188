"""The data set: 1000 books, each with an author and 3 tags, identical in every process.

Built from a seeded generator with explicit primary keys, so every worker (and every
gunicorn worker) holds the same rows and the implementations' JSON can be compared.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction

from ..workloads import BOOK_COUNT, TOKEN_KEY

AUTHOR_COUNT = 100
TAGS_PER_BOOK = 3

FIRST_NAMES = [
    "Ursula",
    "Octavia",
    "Émile",
    "Chinua",
    "Wisława",
    "Jorge",
    "Toni",
    "Italo",
    "Naguib",
    "Zoë",
    "Kazuo",
    "Selma",
    "Halldór",
    "Gabriel",
    "Doris",
    "José",
]
LAST_NAMES = [
    "Le Guin",
    "Butler",
    "Zola",
    "Achebe",
    "Szymborska",
    "Borges",
    "Morrison",
    "Calvino",
    "Mahfouz",
    "Heller",
    "Ishiguro",
    "Lagerlöf",
    "Laxness",
    "Márquez",
]
ADJECTIVES = [
    "Silent",
    "Burning",
    "Hidden",
    "Last",
    "Northern",
    "Quiet",
    "Broken",
    "Golden",
    "Lost",
    "Endless",
    "Winter",
    "Distant",
    "Crimson",
    "Wandering",
    "Salt",
]
NOUNS = [
    "River",
    "Garden",
    "Empire",
    "Harbour",
    "Lighthouse",
    "Forest",
    "Archive",
    "Island",
    "Letters",
    "Mountain",
    "Orchard",
    "Riverbank",
    "Station",
    "Tide",
    "Library",
]
TAG_NAMES = [
    "fantasy",
    "science-fiction",
    "history",
    "poetry",
    "classic",
    "mystery",
    "romance",
    "essays",
    "travel",
    "biography",
    "philosophy",
    "satire",
    "drama",
    "nature",
    "war",
    "childhood",
    "family",
    "politics",
    "myth",
    "adventure",
    "crime",
    "humour",
    "music",
    "art",
    "science",
    "religion",
    "sea",
    "city",
    "translation",
    "debut",
]


def isbn13(number: int) -> str:
    """A valid ISBN-13 (978 prefix, computed check digit) for a 9-digit serial number."""
    body = f"978{number:09d}"
    total = sum(int(digit) * (1 if i % 2 == 0 else 3) for i, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def create_schema() -> None:
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


@transaction.atomic
def seed() -> None:
    """Fill an empty database with the benchmark's data set."""
    from books.models import Author, Book, Tag
    from django.apps import apps
    from django.contrib.auth import get_user_model

    rng = random.Random(8)
    authors = [
        Author(
            id=i,
            name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 5) % len(LAST_NAMES)]}",
            born=None if i % 10 == 0 else date(1900 + i % 80, 1 + i % 12, 1 + i % 28),
            bio="" if i % 3 == 0 else f"Author number {i}, known for {rng.choice(NOUNS).lower()}s.",
        )
        for i in range(1, AUTHOR_COUNT + 1)
    ]
    Author.objects.bulk_create(authors)
    tags = [Tag(id=i, name=name) for i, name in enumerate(TAG_NAMES, start=1)]
    Tag.objects.bulk_create(tags)
    books = []
    through = []
    for i in range(1, BOOK_COUNT + 1):
        books.append(
            Book(
                id=i,
                title=f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}",
                isbn=isbn13(100000 + i),
                price=Decimal(rng.randrange(499, 4999)) / 100,
                published=date(1990 + i % 34, 1 + i % 12, 1 + i % 28),
                author_id=1 + rng.randrange(AUTHOR_COUNT),
                stock=rng.randrange(0, 60),
            )
        )
        for tag_id in rng.sample(range(1, len(TAG_NAMES) + 1), TAGS_PER_BOOK):
            through.append(Book.tags.through(book_id=i, tag_id=tag_id))
    Book.objects.bulk_create(books)
    Book.tags.through.objects.bulk_create(through)

    user = get_user_model().objects.create_user("bench", password=None, is_staff=True)
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        Token.objects.create(key=TOKEN_KEY, user=user)


def prepare_database() -> None:
    """Create the tables of the in-memory database and load the data set once."""
    create_schema()
    seed()
