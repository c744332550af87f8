"""The audit ledger: append-only, hash-chained entries (docs/audit.md), and the personal values they seal
(``PersonSalt``, ``SealedValue``: docs/audit.md, "Personal data in the ledger").

Written only by ``lms.audit.ledger.ledger_append``; verified by ``manage.py lms_audit_verify``. Nothing may
change or remove an entry: ``save()`` of an existing row, ``delete()`` and the queryset's ``update()`` /
``delete()`` raise ``LedgerImmutableError``; on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE as well
(migration ``0008_audit_ledger``).
"""

from __future__ import annotations

from itertools import islice

from django.conf import settings
from django.db import models
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.audit import chain
from lms.audit.kinds import AuditKind, entry_title, kind_label  # noqa: F401 (AuditKind: imported from here)


class LedgerImmutableError(Exception):
    """An attempt to change or remove an audit ledger entry."""


_revealers: list = []  # lms.audit.personal.reveal_entries, registered when that module is imported (apps.ready)


def register_revealer(function) -> None:
    """``function(entries)`` puts the sealed personal values in place on a list of entries read from the database."""
    _revealers[:] = [function]


def _reveal(entries: list) -> None:
    for function in _revealers:
        function(entries)


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutableError("audit ledger entries cannot be changed")

    def delete(self):
        raise LedgerImmutableError("audit ledger entries cannot be deleted")

    # bulk_update goes through update(); _raw_delete is what Collector uses for fast deletes.
    def _raw_delete(self, using):
        raise LedgerImmutableError("audit ledger entries cannot be deleted")

    # Entries come out revealed: their sealed personal values in place of the references the rows store (one query
    # per page or chunk, ``lms.audit.personal.reveal_entries``). ``values()`` / ``values_list()`` give the stored
    # columns (what the hash covers; the verifier reads them so).
    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._result_cache and issubclass(self._iterable_class, ModelIterable):
            _reveal(self._result_cache)

    def _iterator(self, use_chunked_fetch, chunk_size):
        entries = super()._iterator(use_chunked_fetch, chunk_size)
        if not issubclass(self._iterable_class, ModelIterable):
            yield from entries
            return
        while chunk := list(islice(entries, chunk_size or 2000)):
            _reveal(chunk)
            yield from chunk


# Every stored column of an entry (attribute names), in the order the ledger writes and the verifier reads them.
STORED_FIELDS = (
    "seq",
    "prev_hash",
    "hash",
    "kind",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "actor_id",
    "actor_username",
    "at",
    "data",
)


class AuditEntry(models.Model):
    """One ledger entry. ``seq`` is gap-free (1, 2, 3, ...) and is the primary key; ``hash`` is
    ``chain.entry_hash(prev_hash, chain.payload(...))`` over the other fields."""

    seq = models.PositiveBigIntegerField(_("number"), primary_key=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=30, db_index=True)  # AuditKind; no choices: kinds may grow
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    # No database constraint and no cascade: the ledger outlives accounts, and deleting one never touches it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_username = models.CharField(_("by (username)"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)
    data = models.JSONField(_("data"), default=dict)

    objects = AuditEntryQuerySet.as_manager()

    wagtail_reference_index_ignore = True

    # lms.privacy (docs/privacy.md): values sealed per person, never rewritten. Exported and erased as a source of
    # its own (``lms.audit.privacy_source``): the entries a person is in, revealed; their salt and values destroyed.
    class PersonalData:
        actors = ("actor",)
        personal = ("actor_username", "object_repr", "data")
        erase = "keep"

    class Meta:
        ordering = ["-seq"]
        default_permissions = ("view",)
        verbose_name = _("audit ledger entry")
        verbose_name_plural = _("audit ledger")
        indexes = [models.Index(fields=["object_type", "object_id"], name="lms_audit_object")]

    # Set when the entry is read (``AuditEntryQuerySet``): True when a sealed value of it was erased.
    is_erased = False

    # Set by ``lms.audit.labels.with_names``: the name of the person an entry about an account is about.
    object_person_name = None

    def __str__(self) -> str:
        """The entry's title, in words: ``#12 Certificate: Issued — 刘专员 · 安全培训``."""
        return f"#{self.seq} {entry_title(self.kind, self.action, self.object_text)}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutableError("audit ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("audit ledger entries cannot be deleted")

    @property
    def object_text(self) -> str:
        """The object as people know it: for an account, the person's name with the username as a detail."""
        name, shown = self.object_person_name, self.object_repr
        if name and shown and name != shown and not self.is_erased:
            return f"{name} ({shown})"
        return shown

    @property
    def title(self) -> str:
        return str(self)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    def stored(self, name: str):
        """A column as the row stores it: ``actor_username``, ``object_repr`` and ``data`` hold references where the
        entry seals personal values, and the attributes show the values (``lms.audit.personal.reveal_entries``)."""
        kept = self.__dict__.get("_stored") or {}
        return kept[name] if name in kept else getattr(self, name)

    def payload(self) -> dict:
        """What the hash covers, rebuilt from the stored row."""
        return chain.payload(
            seq=self.seq,
            kind=self.kind,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            object_repr=self.stored("object_repr"),
            actor_id=self.actor_id,
            actor_username=self.stored("actor_username"),
            at=self.at,
            data=self.stored("data"),
        )

    def canonical_json(self) -> str:
        return chain.canonical_json(self.payload()).decode("utf-8")

    @property
    def is_intact(self) -> bool:
        """This entry's own hash matches its content (the link to its predecessor is checked by the verifier)."""
        return chain.entry_hash(self.prev_hash, self.payload()) == self.hash


class AuditHead(models.Model):
    """The single row (``pk=1``) naming the ledger's last entry. Appending locks it, so appends are serialised
    and the chain never forks; the verifier also checks that no entry was cut off the end."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=chain.GENESIS)

    class Meta:
        default_permissions = ()
        verbose_name = _("audit ledger head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class PersonSalt(models.Model):
    """A person's salt (an account's, by its id): the key of the HMAC that seals their values in the ledger
    (``lms.audit.sealing``). Created on first use by the ledger's appends; destroyed by
    ``lms.audit.erasure.forget_person``, after which the references in their entries say nothing."""

    # No database constraint and no cascade, like the entries' actor: the ledger outlives accounts.
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
        verbose_name=_("person"),
    )
    salt = models.CharField(_("salt"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    # lms.privacy (docs/privacy.md): not a row the registry erases or exports. ``forget_person`` destroys it, under the
    # ledger's lock (an erasure by the registry would race appends sealing with it); a salt says nothing about anyone.
    class PersonalData:
        actors = ("person",)
        erase = "keep"

    class Meta:
        default_permissions = ()
        verbose_name = _("audit ledger salt")
        verbose_name_plural = _("audit ledger salts")

    def __str__(self) -> str:
        return f"salt of user {self.person_id}"


class SealedValue(models.Model):
    """One personal value of an entry (``seq``), out of the chain: the actor's username or the subject's object and
    data (``role``), of one person. The entry stores its HMAC reference instead. Written by the ledger's appends
    (``lms.audit.ledger``), checked by ``ledger_verify``, deleted by ``lms.audit.erasure.forget_person``; the
    unique (seq, role) index serves the lookups by entry."""

    class Role(models.TextChoices):
        ACTOR = "actor", _("who acted")
        SUBJECT = "subject", _("whom it is about")

    seq = models.PositiveBigIntegerField(_("entry"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
        verbose_name=_("person"),
    )
    value = models.JSONField(_("value"))

    wagtail_reference_index_ignore = True

    # lms.privacy (docs/privacy.md): erased by ``forget_person`` (with the salt, under the ledger's lock) and exported
    # as the entries they belong to (``personal_entries``), like ``lms_audit.AuditEntry``; not row by row.
    class PersonalData:
        actors = ("person",)
        personal = ("value",)
        erase = "keep"

    class Meta:
        default_permissions = ()
        verbose_name = _("sealed personal value")
        verbose_name_plural = _("sealed personal values")
        constraints = [models.UniqueConstraint(fields=["seq", "role"], name="lms_audit_sealed_one_per_role")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.role}"
