"""`manage.py drf_create_token <username> [-r]`: print (or replace) a user's token.

With HASHED_TOKENS the key is printed only when it is made: an existing hashed token
can only be replaced (`-r`).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...models import Token

UserModel = get_user_model()


class Command(BaseCommand):
    help = "Create DRF Token for a given user"

    def add_arguments(self, parser):
        parser.add_argument("username", type=str)
        parser.add_argument(
            "-r",
            "--reset",
            action="store_true",
            dest="reset_token",
            default=False,
            help="Reset existing User token and create a new one",
        )

    def create_user_token(self, username: str, reset_token: bool) -> Token:
        """The user's token; with `reset_token`, a new one replacing the old."""
        user = UserModel._default_manager.get_by_natural_key(username)
        if reset_token:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        return token

    def handle(self, *args, **options):
        username = options["username"]
        try:
            token = self.create_user_token(username, options["reset_token"])
        except UserModel.DoesNotExist:
            raise CommandError(f"Cannot create the Token: user {username} does not exist")
        if token.shown_key is None:
            # HASHED_TOKENS: the existing key was shown when it was made, and only its
            # digest is stored.
            raise CommandError(
                f"User {username} already has a token, stored hashed: its key cannot be "
                "shown again. Use --reset to replace it with a new one."
            )
        self.stdout.write(f"Generated token {token.shown_key} for user {username}")
