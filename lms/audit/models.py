"""The audit ledger: append-only, hash-chained entries (docs/audit.md).

Written only by ``lms.audit.ledger.ledger_append``; verified by ``manage.py lms_audit_verify``. Nothing may
change or remove an entry: ``save()`` of an existing row, ``delete()`` and the queryset's ``update()`` /
``delete()`` raise ``LedgerImmutableError``; on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE as well
(migration ``0008_audit_ledger``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.audit import chain


class LedgerImmutableError(Exception):
    """An attempt to change or remove an audit ledger entry."""


class AuditKind(models.TextChoices):
    ATTEMPT = "attempt", _("Exam attempt")
    GRADE = "grade", _("Grade")
    CERTIFICATE = "certificate", _("Certificate")
    PERMIT = "permit", _("Permit")
    DECISION = "decision", _("Access decision")
    VISITOR = "visitor", _("Visitor entry")
    BACKGROUND_CHECK = "background_check", _("Background check")
    AREA = "area", _("Area")
    CONTROLLER = "controller", _("Door controller")
    ROLE = "role", _("Role")
    ACCOUNT = "account", _("Account")
    IMPORT = "import", _("Import")
    APPRAISAL = "appraisal", _("Appraisal")
    EXAM_ROOM = "exam_room", _("Exam room")
    AGREEMENT = "agreement", _("Agreement")
    EXPORT = "export", _("Export of personal data")
    SIGN_IN = "sign_in", _("Sign-in")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutableError("audit ledger entries cannot be changed")

    def delete(self):
        raise LedgerImmutableError("audit ledger entries cannot be deleted")

    # bulk_update goes through update(); _raw_delete is what Collector uses for fast deletes.
    def _raw_delete(self, using):
        raise LedgerImmutableError("audit ledger entries cannot be deleted")


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

    class Meta:
        ordering = ["-seq"]
        default_permissions = ("view",)
        verbose_name = _("audit ledger entry")
        verbose_name_plural = _("audit ledger")
        indexes = [models.Index(fields=["object_type", "object_id"], name="lms_audit_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}.{self.action} {self.object_repr}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutableError("audit ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("audit ledger entries cannot be deleted")

    @property
    def kind_label(self) -> str:
        return str(dict(AuditKind.choices).get(self.kind, self.kind))

    def payload(self) -> dict:
        """What the hash covers, rebuilt from the stored row."""
        return chain.payload(
            seq=self.seq,
            kind=self.kind,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            object_repr=self.object_repr,
            actor_id=self.actor_id,
            actor_username=self.actor_username,
            at=self.at,
            data=self.data,
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
