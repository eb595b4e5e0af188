"""Serializer micro-benchmark: restcycle vs DRF 3.18 vs a hand-written floor, one run.

    ./scripts/bench serializers [--rounds N]     (or .venv/bin/python benchmarks/serializers.py)

Measures, on 1000 saved books (nested author with a DateTime, 3 tag pks each, a Decimal
price, a Boolean; prefetched; SQLite in memory): serialize + render to JSON bytes; and
validation of 1000 valid and 1000 invalid six-field payloads (one serializer per payload,
as one per request). DRF cannot share a process with restcycle's alias, so its side
runs in a subprocess executing this same file with `--side drf`, by default with this
interpreter (the dev extra installs djangorestframework==3.18.3 beside restcycle; without
the alias that process imports the real DRF), or BENCH_DRF_PYTHON. The serializer code below is the
same for both, written against `rest_framework`. Prints medians and ratios, and
checks that both sides (and the hand-written floor) produce the same bytes and the same
error bodies; `--output FILE` saves the figures as JSON (benchmarks/results/serializers.json
is the committed run that docs/performance.md quotes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRF_PYTHON = os.environ.get("BENCH_DRF_PYTHON", sys.executable)
N_BOOKS = 1000


def setup_django(side: str) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    if side == "restcycle":
        import restcycle

        restcycle.install_as_rest_framework()
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        USE_TZ=True,
        TIME_ZONE="UTC",
        SECRET_KEY="bench",
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
            "benchmarks.serializer_models",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)


def make_data() -> None:
    from benchmarks.serializer_models.models import BenchAuthor, BenchBook, BenchTag

    start = datetime(2019, 3, 1, 8, 0, tzinfo=UTC)
    authors = BenchAuthor.objects.bulk_create(
        [
            BenchAuthor(
                name=f"Author {i}",
                email=f"a{i}@example.com",
                # Half with microseconds: both forms of the ISO 8601 output are exercised.
                joined=start + timedelta(days=i, minutes=7 * i, microseconds=(i % 2) * 1250 * i),
            )
            for i in range(50)
        ]
    )
    tags = BenchTag.objects.bulk_create([BenchTag(name=f"tag{i}") for i in range(20)])
    books = BenchBook.objects.bulk_create(
        [
            BenchBook(
                title=f"Book number {i}",
                isbn=f"978-{i:09d}",
                pages=100 + i,
                rating=i / 7,
                in_print=i % 3 != 0,
                price=Decimal(499 + (i * 37) % 4500) / 100,
                author=authors[i % 50],
            )
            for i in range(N_BOOKS)
        ]
    )
    through = BenchBook.tags.through
    through.objects.bulk_create(
        [
            through(benchbook_id=book.pk, benchtag_id=tags[(i + k) % 20].pk)
            for i, book in enumerate(books)
            for k in range(3)
        ]
    )


def define_serializers():
    # The same code runs against DRF and against restcycle (through the alias).
    from rest_framework import serializers

    from benchmarks.serializer_models.models import BenchAuthor, BenchBook

    class AuthorSerializer(serializers.ModelSerializer):
        class Meta:
            model = BenchAuthor
            fields = ["id", "name", "email", "joined"]

    class BookSerializer(serializers.ModelSerializer):
        author = AuthorSerializer(read_only=True)

        class Meta:
            model = BenchBook
            fields = [
                "id",
                "title",
                "isbn",
                "pages",
                "rating",
                "in_print",
                "price",
                "author",
                "tags",
            ]

    class PayloadSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=100)
        isbn = serializers.CharField(max_length=20)
        pages = serializers.IntegerField(min_value=1)
        rating = serializers.FloatField()
        in_print = serializers.BooleanField()
        email = serializers.EmailField()

    return BookSerializer, PayloadSerializer


def payloads() -> tuple[list, list]:
    valid = [
        {
            "title": f"Title {i}",
            "isbn": f"isbn-{i}",
            "pages": i + 1,
            "rating": i / 3,
            "in_print": bool(i % 2),
            "email": f"user{i}@example.com",
        }
        for i in range(1000)
    ]
    invalid = [
        {
            "title": "x" * 101,
            "isbn": None,
            "pages": "many",
            "rating": "high",
            "in_print": "perhaps",
            "email": f"not-an-email-{i}",
        }
        for i in range(1000)
    ]
    return valid, invalid


def median_seconds(function, rounds: int) -> float:
    """The median CPU time of this thread over `rounds` calls, after one untimed call.

    CPU time, not wall time: the two sides run one after the other, and on a shared
    machine the wall clock would also count the time spent waiting for a core.
    """
    function()  # warm-up: plans compile, caches fill
    samples = []
    for _ in range(rounds):
        started = time.thread_time()
        function()
        samples.append(time.thread_time() - started)
    return statistics.median(samples)


def floor_render(books) -> bytes:
    """Zero framework overhead: read attributes and the prefetch cache, dump with orjson."""
    import orjson

    out = []
    for book in books:
        author = book.author
        out.append(
            {
                "id": book.id,
                "title": book.title,
                "isbn": book.isbn,
                "pages": book.pages,
                "rating": book.rating,
                "in_print": book.in_print,
                "price": format(book.price, "f"),
                "author": {
                    "id": author.id,
                    "name": author.name,
                    "email": author.email,
                    "joined": author.joined,
                },
                "tags": [tag.id for tag in book._prefetched_objects_cache["tags"]],
            }
        )
    return orjson.dumps(out, option=orjson.OPT_UTC_Z)


def run_side(side: str, rounds: int) -> dict:
    setup_django(side)
    make_data()
    from rest_framework.renderers import JSONRenderer

    from benchmarks.serializer_models.models import BenchBook

    book_serializer, payload_serializer = define_serializers()
    books = list(BenchBook.objects.select_related("author").prefetch_related("tags"))
    renderer = JSONRenderer()

    def render():
        return renderer.render(book_serializer(books, many=True).data)

    valid, invalid = payloads()

    def validate(items):
        def run():
            results = []
            for item in items:
                serializer = payload_serializer(data=item)
                serializer.is_valid()
                results.append(serializer.errors)
            return results

        return run

    body = render()
    errors = validate(invalid)()
    assert not any(validate(valid)())
    result = {
        "render": median_seconds(render, rounds),
        "valid": median_seconds(validate(valid), rounds),
        "invalid": median_seconds(validate(invalid), rounds),
        "body_sha": hashlib.sha256(body).hexdigest(),
        "errors_sha": hashlib.sha256(json.dumps(errors, sort_keys=True).encode()).hexdigest(),
    }
    if side == "restcycle":
        floor_body = floor_render(books)
        result["floor"] = median_seconds(lambda: floor_render(books), rounds)
        result["floor_matches"] = json.loads(floor_body) == json.loads(body)
        result["floor_same_bytes"] = floor_body == body
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=["restcycle", "drf", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--output", help="also write the figures to this JSON file")
    args = parser.parse_args()

    if args.side != "both":
        print(json.dumps(run_side(args.side, args.rounds)))
        return
    started, load_before = time.time(), os.getloadavg()

    drf = None
    if Path(DRF_PYTHON).exists():
        completed = subprocess.run(
            [DRF_PYTHON, __file__, "--side", "drf", "--rounds", str(args.rounds)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if completed.returncode == 0:
            drf = json.loads(completed.stdout.strip().splitlines()[-1])
        else:
            print("DRF side failed:\n" + completed.stderr[-2000:])
    else:
        print(f"DRF side skipped: no interpreter at {DRF_PYTHON}")
    ours = run_side("restcycle", args.rounds)

    ms = 1000.0
    print(
        f"{'measure':34} {'restcycle':>10} {'DRF':>10} {'floor':>10} {'vs DRF':>8} {'vs floor':>9}"
    )
    for key, label in (
        ("render", "serialize+render 1000 books"),
        ("valid", "validate 1000 valid payloads"),
        ("invalid", "validate 1000 invalid payloads"),
    ):
        ours_value = ours[key] * ms
        drf_value = drf[key] * ms if drf else None
        floor_value = ours["floor"] * ms if key == "render" else None  # no floor for validation
        columns = [f"{ours_value:9.2f}ms"]
        columns += [
            f"{value:9.2f}ms" if value else f"{'-':>11}" for value in (drf_value, floor_value)
        ]
        columns.append(f"{drf_value / ours_value:7.1f}x" if drf_value else f"{'-':>8}")
        columns.append(f"{ours_value / floor_value:8.2f}x" if floor_value else f"{'-':>9}")
        print(f"{label:34} " + " ".join(columns))
    print(f"floor output equals restcycle's: {ours['floor_matches']}")
    print(f"floor bytes equal restcycle's: {ours['floor_same_bytes']}")
    if drf:
        print(f"same JSON bytes as DRF: {drf['body_sha'] == ours['body_sha']}")
        print(f"same error bodies as DRF: {drf['errors_sha'] == ours['errors_sha']}")
    if args.output:
        save(args, ours, drf, started, load_before)


def save(args, ours: dict, drf: dict | None, started: float, load_before: tuple) -> None:
    """The run as JSON: medians in ms per side, ratios, and the equality checks."""
    from benchmarks._report import machine

    def ms(side: dict | None, key: str) -> float | None:
        return round(side[key] * 1000, 2) if side else None

    measures = {}
    for key in ("render", "valid", "invalid"):
        entry = {"restcycle_ms": ms(ours, key), "drf_ms": ms(drf, key)}
        if drf:
            entry["restcycle_speedup_over_drf"] = round(drf[key] / ours[key], 2)
        if key == "render":
            entry["floor_ms"] = ms(ours, "floor")
            entry["restcycle_to_floor"] = round(ours["render"] / ours["floor"], 2)
        measures[key] = entry
    results = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "command": "./scripts/bench serializers " + " ".join(sys.argv[1:]),
        "rounds": args.rounds,
        "clock": "CPU time of the thread (thread_time), median of rounds",
        "machine": machine(load_before),
        "measures": measures,
        "same_bytes_as_drf": bool(drf) and drf["body_sha"] == ours["body_sha"],
        "same_error_bodies_as_drf": bool(drf) and drf["errors_sha"] == ours["errors_sha"],
        "floor_same_bytes": ours["floor_same_bytes"],
    }
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print(f"results: {args.output}")


if __name__ == "__main__":
    main()
