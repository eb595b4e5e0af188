"""`manage.py hash_tokens`: store every token still held in plaintext as its digest.

The migration path to HASHED_TOKENS: turn the setting on (tokens stored in plaintext
keep working), run this command once, and no key is left in the database. The
clients' keys do not change. Safe to run again; it converts only plaintext rows.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import router, transaction

from ...hashing import HASHED_PATTERN, hash_key, hashing_enabled
from ...models import Token


class Command(BaseCommand):
    help = "Replace every plaintext token key in the database by its digest (HASHED_TOKENS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Rows converted per transaction (default 500).",
        )

    def handle(self, *args, **options):
        if not hashing_enabled():
            raise CommandError(
                'Set REST_FRAMEWORK["HASHED_TOKENS"] = True first: without it, a hashed '
                "token is not accepted, and every converted client would be locked out."
            )
        batch_size = max(1, options["batch_size"])
        using = router.db_for_write(Token)
        converted = 0
        while True:
            with transaction.atomic(using=using):
                keys = [
                    key
                    for key in Token.objects.using(using)
                    .select_for_update()
                    .exclude(key__regex=HASHED_PATTERN)
                    .values_list("key", flat=True)[:batch_size]
                ]
                if not keys:
                    break
                for key in keys:
                    # The key is the primary key: an UPDATE changes it in place, keeping
                    # the row's user and creation time.
                    Token.objects.using(using).filter(key=key).update(key=hash_key(key))
                converted += len(keys)
        self.stdout.write(f"Hashed {converted} token(s).")
