"""Models the test suite's views and serializers work on."""

# --- auth: permissions and authentication tests -----------------------------------
from django.db import models as _auth_models  # noqa: E402


class AuthDocument(_auth_models.Model):
    """A record with an owner, guarded by model and object permissions in the auth tests.

    The owner is a plain user id: a foreign key from this unmigrated app to the migrated
    auth app would break table creation on PostgreSQL.
    """

    title = _auth_models.CharField(max_length=100)
    owner_id = _auth_models.IntegerField(null=True)


# --- generics: generic views, viewsets, routers, pagination, filters ---------------
import uuid as _generics_uuid  # noqa: E402

from django.db import models as _generics_models  # noqa: E402


class GenericTag(_generics_models.Model):
    """A label notes are tagged with: a to-many relation for search and prefetch tests."""

    label = _generics_models.CharField(max_length=50)


class GenericNote(_generics_models.Model):
    """The resource of the generic view, viewset, router, pagination and filter tests."""

    title = _generics_models.CharField(max_length=100)
    body = _generics_models.CharField(max_length=200, blank=True, default="")
    rank = _generics_models.IntegerField(default=0)
    tags = _generics_models.ManyToManyField(GenericTag, blank=True, related_name="notes")

    @property
    def shout(self):
        return self.title.upper()


class GenericUUIDItem(_generics_models.Model):
    """A row looked up by UUID, so a malformed UUID in the URL can be shown to be a 404."""

    id = _generics_models.UUIDField(primary_key=True, default=_generics_uuid.uuid4)
    name = _generics_models.CharField(max_length=50)


# --- fields: field conversion and uniqueness validator tests ----------------------
from django.db import models as _fields_models  # noqa: E402


class FieldsGadget(_fields_models.Model):
    """A row with one of each common column type, read back through the field tests' views."""

    name = _fields_models.CharField(max_length=50, unique=True)
    price = _fields_models.DecimalField(max_digits=6, decimal_places=2, default=0)
    weight = _fields_models.FloatField(default=0)
    in_stock = _fields_models.BooleanField(default=True)
    released = _fields_models.DateField(null=True)
    updated = _fields_models.DateTimeField(null=True)
    token = _fields_models.UUIDField(null=True)


class FieldsBooking(_fields_models.Model):
    """A room may be booked once per slot; cancelled bookings don't count (conditional)."""

    room = _fields_models.CharField(max_length=20)
    slot = _fields_models.IntegerField()
    cancelled = _fields_models.BooleanField(default=False)

    class Meta:
        constraints = [
            _fields_models.UniqueConstraint(
                fields=["room", "slot"],
                condition=_fields_models.Q(cancelled=False),
                name="fields_booking_room_slot_active",
            )
        ]


class FieldsArticle(_fields_models.Model):
    """A slug unique per publication day/month/year (UniqueFor*Validator tests)."""

    slug = _fields_models.CharField(max_length=50)
    published = _fields_models.DateField()


# --- serializers: serializers, model serializers, relations, plans ----------------
from django.db import models as _ser_models  # noqa: E402


class SerAuthor(_ser_models.Model):
    """A book's author: nested in book output, and the target of a foreign key."""

    name = _ser_models.CharField(max_length=100)
    email = _ser_models.EmailField(blank=True, default="")

    def __str__(self):
        return self.name


class SerTag(_ser_models.Model):
    """A label: the to-many relation of books, written and read as primary keys."""

    slug = _ser_models.SlugField(max_length=50, unique=True)

    def __str__(self):
        return self.slug


class SerBook(_ser_models.Model):
    """The resource of the serializer tests: scalars, choices, a foreign key, many-to-many."""

    GENRES = [("fic", "Fiction"), ("doc", "Documentary")]

    title = _ser_models.CharField(max_length=100)
    isbn = _ser_models.CharField(max_length=20, unique=True)
    pages = _ser_models.PositiveIntegerField(default=100)
    price = _ser_models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    genre = _ser_models.CharField(max_length=3, choices=GENRES, default="fic")
    published = _ser_models.DateField(null=True, blank=True)
    in_print = _ser_models.BooleanField(default=True)
    author = _ser_models.ForeignKey(
        SerAuthor, null=True, blank=True, on_delete=_ser_models.CASCADE, related_name="books"
    )
    tags = _ser_models.ManyToManyField(SerTag, blank=True, related_name="books")

    @property
    def shout(self):
        return self.title.upper()

    def page_count_label(self):
        return f"{self.pages} pages"


class SerEdition(_ser_models.Model):
    """An edition of a book: unique together (book, number) for uniqueness validators."""

    book = _ser_models.ForeignKey(SerBook, on_delete=_ser_models.CASCADE, related_name="editions")
    number = _ser_models.PositiveIntegerField()
    note = _ser_models.TextField(blank=True)

    class Meta:
        unique_together = [("book", "number")]


# --- query planning: automatic prefetch and the values projection ------------------
import uuid as _qp_uuid  # noqa: E402

from django.db import models as _qp_models  # noqa: E402


class QpPublisher(_qp_models.Model):
    """Publishes authors: the far end of a two-deep foreign key chain."""

    name = _qp_models.CharField(max_length=100)


class QpAuthor(_qp_models.Model):
    """Writes books (reverse FK `books`); has an optional profile (reverse one-to-one)."""

    name = _qp_models.CharField(max_length=100)
    born = _qp_models.DateField(null=True, blank=True)
    publisher = _qp_models.ForeignKey(QpPublisher, on_delete=_qp_models.CASCADE)
    mentor = _qp_models.ForeignKey(
        "self", null=True, blank=True, on_delete=_qp_models.SET_NULL, related_name="mentees"
    )

    def __str__(self):
        return self.name

    @property
    def shout(self):
        return self.name.upper()


class QpProfile(_qp_models.Model):
    """One-to-one with an author, read from both sides."""

    author = _qp_models.OneToOneField(
        QpAuthor, on_delete=_qp_models.CASCADE, related_name="profile"
    )
    website = _qp_models.CharField(max_length=100, blank=True)


class QpTag(_qp_models.Model):
    """Tags books: a many-to-many read from both sides, ordered by name."""

    name = _qp_models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]


class QpBook(_qp_models.Model):
    """A row with one column of each common type, a foreign key and a many-to-many."""

    KINDS = [("nov", "Novel"), ("poe", "Poetry")]

    uid = _qp_models.UUIDField(null=True, blank=True)
    title = _qp_models.CharField(max_length=100)
    kind = _qp_models.CharField(max_length=3, choices=KINDS, default="nov")
    pages = _qp_models.IntegerField(default=100)
    price = _qp_models.DecimalField(max_digits=8, decimal_places=2)
    rating = _qp_models.FloatField(default=0.5)
    in_print = _qp_models.BooleanField(default=True)
    published = _qp_models.DateField(null=True, blank=True)
    created = _qp_models.DateTimeField()
    reading_time = _qp_models.DurationField(null=True, blank=True)
    opens_at = _qp_models.TimeField(null=True, blank=True)
    extra = _qp_models.JSONField(default=dict, blank=True)
    author = _qp_models.ForeignKey(QpAuthor, on_delete=_qp_models.CASCADE, related_name="books")
    editor = _qp_models.ForeignKey(
        QpAuthor, null=True, blank=True, on_delete=_qp_models.SET_NULL, related_name="edited"
    )
    tags = _qp_models.ManyToManyField(QpTag, blank=True, related_name="books")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title

    def describe(self):
        return f"{self.title} ({self.pages})"


class QpColumns(_qp_models.Model):
    """One column of every type Django ships (not files), and a chain of nullable keys."""

    SIZES = [(1, "Small"), (2, "Large")]

    ident = _qp_models.UUIDField(default=_qp_uuid.uuid4)
    big = _qp_models.BigIntegerField(default=2**40)
    small = _qp_models.SmallIntegerField(default=-3)
    positive = _qp_models.PositiveIntegerField(default=7)
    positive_small = _qp_models.PositiveSmallIntegerField(null=True)
    positive_big = _qp_models.PositiveBigIntegerField(default=2**50)
    size = _qp_models.IntegerField(choices=SIZES, default=1)
    flag = _qp_models.BooleanField(null=True)
    text = _qp_models.TextField(default="")
    slug = _qp_models.SlugField(default="a-slug")
    email = _qp_models.EmailField(default="a@example.com")
    url = _qp_models.URLField(default="https://example.com/")
    path = _qp_models.FilePathField(path="/tmp", blank=True, default="")
    address = _qp_models.GenericIPAddressField(null=True)
    blob = _qp_models.BinaryField(null=True)
    data = _qp_models.JSONField(null=True)
    span = _qp_models.DurationField(null=True)
    ratio = _qp_models.FloatField(null=True)
    amount = _qp_models.DecimalField(max_digits=12, decimal_places=4, null=True)
    day = _qp_models.DateField(null=True)
    moment = _qp_models.DateTimeField(null=True)
    clock = _qp_models.TimeField(null=True)
    book = _qp_models.ForeignKey(QpBook, null=True, on_delete=_qp_models.SET_NULL)

    class Meta:
        ordering = ["id"]


from django.db import models as _browsable_models  # noqa: E402


class BrowsableNote(_browsable_models.Model):
    """A note with an owner: the browsable API's per-user, per-object forms are tested on it."""

    KINDS = [("memo", "Memo"), ("todo", "To do")]

    title = _browsable_models.CharField(max_length=100)
    body = _browsable_models.TextField(blank=True, default="")
    kind = _browsable_models.CharField(max_length=10, choices=KINDS, default="memo")
    done = _browsable_models.BooleanField(default=False)
    owner = _browsable_models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=_browsable_models.CASCADE,
        related_name="browsable_notes",
    )


# --- engine meaning: managers, querysets and relations that decide per request -----
import contextvars as _em_contextvars  # noqa: E402

from django.db import models as _em_models  # noqa: E402

# The tenant (or user) of the current request, as tenancy apps keep it.
current_tenant: _em_contextvars.ContextVar = _em_contextvars.ContextVar("current_tenant")


class TenantScopedManager(_em_models.Manager):
    """Only the current tenant's rows: what django-scopes-style default managers do."""

    def get_queryset(self):
        return super().get_queryset().filter(tenant=current_tenant.get(None))


class EmLabel(_em_models.Model):
    name = _em_models.CharField(max_length=50)


class EmFolder(_em_models.Model):
    name = _em_models.CharField(max_length=50)


class EmNote(_em_models.Model):
    """A tenant's note in a shared folder; its default manager scopes by tenant."""

    folder = _em_models.ForeignKey(EmFolder, on_delete=_em_models.CASCADE, related_name="notes")
    label = _em_models.ForeignKey(EmLabel, null=True, on_delete=_em_models.SET_NULL)
    tenant = _em_models.IntegerField()
    text = _em_models.CharField(max_length=50)

    objects = TenantScopedManager()
    every_tenant = _em_models.Manager()

    class Meta:
        base_manager_name = "every_tenant"
        ordering = ["id"]


class OwnedQuerySet(_em_models.QuerySet):
    """A queryset whose all() keeps the current owner's rows only."""

    def all(self):
        return super().all().filter(owner=current_tenant.get(None))


class EmDocument(_em_models.Model):
    owner = _em_models.IntegerField()
    title = _em_models.CharField(max_length=50)


class DowncastingQuerySet(_em_models.QuerySet):
    """Returns each animal as its most specific class, as django-polymorphic does."""

    def _fetch_all(self):
        super()._fetch_all()
        self._result_cache = [
            getattr(obj, "emdog", obj) if type(obj) is EmAnimal else obj
            for obj in self._result_cache
        ]


class EmAnimal(_em_models.Model):
    name = _em_models.CharField(max_length=50)

    objects = _em_models.Manager.from_queryset(DowncastingQuerySet)()

    class Meta:
        base_manager_name = "objects"


class EmDog(EmAnimal):
    barks = _em_models.BooleanField(default=True)


class EmPet(_em_models.Model):
    owner_name = _em_models.CharField(max_length=50)
    animal = _em_models.ForeignKey(EmAnimal, on_delete=_em_models.CASCADE)


# --- engine: where the fast paths must step aside (test_engine_correctness) -----------
from django.conf import settings as _ec_settings  # noqa: E402
from django.db import models as _ec_models  # noqa: E402
from django.db.models.signals import pre_migrate as _ec_pre_migrate  # noqa: E402

_EC_POSTGRES = "postgresql" in _ec_settings.DATABASES["default"]["ENGINE"]
# Compares without regard to case (and, on PostgreSQL, accents): "ÉCLAIR" = "eclair".
EC_INSENSITIVE_COLLATION = "ec_insensitive" if _EC_POSTGRES else "NOCASE"


def _ec_create_collation(using="default", **kwargs):
    """PostgreSQL: the collation and the citext type the tables below are declared with."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE COLLATION IF NOT EXISTS ec_insensitive "
            "(provider = icu, locale = 'und-u-ks-level1', deterministic = false)"
        )
        cursor.execute("CREATE EXTENSION IF NOT EXISTS citext")


_ec_pre_migrate.connect(_ec_create_collation, dispatch_uid="tests.ec_create_collation")


class EcShelf(_ec_models.Model):
    """Holds volumes through a foreign key to its `number`, which is not its pk."""

    number = _ec_models.IntegerField(unique=True)
    name = _ec_models.CharField(max_length=50)

    class Meta:
        ordering = ["id"]


class EcVolume(_ec_models.Model):
    shelf = _ec_models.ForeignKey(
        EcShelf, to_field="number", on_delete=_ec_models.CASCADE, related_name="volumes"
    )
    title = _ec_models.CharField(max_length=50)

    class Meta:
        ordering = ["id"]


class EcLabel(_ec_models.Model):
    name = _ec_models.CharField(max_length=50)

    class Meta:
        ordering = ["id"]


class EcReader(_ec_models.Model):
    """Has labels through a model whose key to the reader is its `number`."""

    number = _ec_models.IntegerField(unique=True)
    name = _ec_models.CharField(max_length=50)
    labels = _ec_models.ManyToManyField(EcLabel, through="EcReaderLabel", related_name="readers")

    class Meta:
        ordering = ["id"]


class EcReaderLabel(_ec_models.Model):
    reader = _ec_models.ForeignKey(EcReader, to_field="number", on_delete=_ec_models.CASCADE)
    label = _ec_models.ForeignKey(EcLabel, on_delete=_ec_models.CASCADE)


class EcWriter(_ec_models.Model):
    name = _ec_models.CharField(max_length=50)


class EcLegacyPost(_ec_models.Model):
    """A legacy table: its keys are not constrained, so they may name rows that are gone."""

    title = _ec_models.CharField(max_length=50)
    writer = _ec_models.ForeignKey(
        EcWriter, on_delete=_ec_models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    reviewer = _ec_models.ForeignKey(
        EcWriter,
        null=True,
        on_delete=_ec_models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]


class EcSeat(_ec_models.Model):
    """One seat per writer: a unique foreign key and a one-to-one."""

    holder = _ec_models.ForeignKey(
        EcWriter, unique=True, on_delete=_ec_models.CASCADE, related_name="+"
    )
    deputy = _ec_models.OneToOneField(
        EcWriter, null=True, blank=True, on_delete=_ec_models.CASCADE, related_name="+"
    )


class EcCaseInsensitiveText(_ec_models.TextField):
    """A column type that compares case-insensitively: citext, or SQLite's NOCASE."""

    def db_type(self, connection):
        return "citext" if connection.vendor == "postgresql" else "text COLLATE NOCASE"


class EcHandle(_ec_models.Model):
    """Names unique in the database's own comparison, not in Python's."""

    name = _ec_models.CharField(max_length=50, unique=True, db_collation=EC_INSENSITIVE_COLLATION)
    alias = EcCaseInsensitiveText(unique=True, null=True, blank=True)


# The statuses a ticket may have right now: read each time the model's choices are asked for.
EC_TICKET_STATUSES = [("open", "Open"), ("closed", "Closed")]


def ec_ticket_statuses():
    return list(EC_TICKET_STATUSES)


class EcTicket(_ec_models.Model):
    status = _ec_models.CharField(max_length=10, choices=ec_ticket_statuses)
