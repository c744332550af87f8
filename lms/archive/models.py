"""The training archive (培训档案) and offline training sessions.

``TrainingRecord`` holds one row per training event per person, whatever its origin. It is written only by
``lms.archive.services.training_record_upsert_from_source`` (receivers of the other apps' signals, the
offline-session sync, the backfill). Each record points at its source through ``source_type`` +
``source_id`` (a ContentType and a primary key); the unique constraint on (source, person, kind) makes every
event land exactly once. See docs/archive.md.

``TrainingSession`` + ``SessionAttendance`` are the offline sessions (internal and external training,
tabletop and live drills) recorded by trainers in the admin (TrainingSessionSnippetViewSet).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from lms.archive.validators import MaxUploadSize
from lms.people.models import Person
from lms.storage import evidence_storage, exports_storage


class RecordKind(models.TextChoices):
    COURSE = "course", _("Online course")
    EXAM = "exam", _("Exam attempt")
    H5P = "h5p", _("H5P activity")
    SCORM = "scorm", _("SCORM activity")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_EXPIRED = "certificate_expired", _("Certificate expired")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
    INTERNAL = "internal", _("Internal training")
    EXTERNAL = "external", _("External training")
    DRILL_TABLETOP = "drill_tabletop", _("Tabletop drill")
    DRILL_LIVE = "drill_live", _("Live drill")
    ACKNOWLEDGEMENT = "acknowledgement", _("Policy acknowledgement")


class SessionKind(models.TextChoices):
    """The kinds of offline session; each is also the kind of the archive records it creates."""

    INTERNAL = RecordKind.INTERNAL.value, _("Internal training")
    EXTERNAL = RecordKind.EXTERNAL.value, _("External training")
    DRILL_TABLETOP = RecordKind.DRILL_TABLETOP.value, _("Tabletop drill")
    DRILL_LIVE = RecordKind.DRILL_LIVE.value, _("Live drill")


class TrainingRecord(models.Model):
    """One training event of one person. Written only by ``lms.archive.services``; read-only in the admin."""

    Kind = RecordKind

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="training_records", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RecordKind.choices)
    title = models.CharField(_("title"), max_length=255)
    occurred_at = models.DateTimeField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, null=True, blank=True)
    is_passed = models.BooleanField(_("passed"), null=True, blank=True)
    # Offline training and drills.
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=120, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    scenario = models.CharField(_("scenario"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)
    # Certificates (number) and acknowledgements (policy version).
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Where the event came from: an Enrollment, an Attempt, an H5P result, a Certificate, a TrainingSession...
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("source type")
    )
    source_id = models.PositiveBigIntegerField(_("source id"))
    source = GenericForeignKey("source_type", "source_id")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        personal = ("score", "is_passed", "role", "outcome", "hours")
        erase = "delete"

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        permissions = [("view_all_trainingrecords", _("Can view every person's training records"))]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "person", "kind"], name="lms_trainingrecord_once_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "occurred_at"], name="lms_record_person_date"),
            models.Index(fields=["kind", "occurred_at"], name="lms_record_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"


class TrainingSession(ClusterableModel):
    """An offline session: internal training (内部培训), external training (外部培训), tabletop drill (桌面演练)
    or live drill (实战演练), with its attendance. Recorded by trainers in the admin; saving it syncs the
    archive through ``lms.archive.services.training_session_sync``."""

    kind = models.CharField(_("kind"), max_length=30, choices=SessionKind.choices, default=SessionKind.INTERNAL)
    title = models.CharField(_("title"), max_length=255)
    starts_at = models.DateTimeField(_("date and time"))
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, default=1, validators=[MinValueValidator(0)]
    )
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=120, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    scenario = models.CharField(
        _("scenario"), max_length=255, blank=True, help_text=_("Drills: the emergency that was rehearsed.")
    )
    description = models.TextField(_("description"), blank=True)
    evidence = models.FileField(
        _("evidence file"),
        storage=evidence_storage,
        upload_to="evidence/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "zip"]), MaxUploadSize()],
        help_text=_("Sign-in sheet, photos or certificate of attendance. Stored privately."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    records = GenericRelation(TrainingRecord, content_type_field="source_type", object_id_field="source_id")

    class PersonalData:  # lms.privacy (docs/privacy.md)
        personal = ("trainer",)
        actors = ("recorded_by",)
        erase = "keep"

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_drill(self) -> bool:
        return self.kind in (SessionKind.DRILL_TABLETOP, SessionKind.DRILL_LIVE)


class SessionAttendance(Orderable):
    """One person at one session, with their role and outcome (drills) or score (assessed training)."""

    session = ParentalKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=120, blank=True)
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        personal = ("role", "outcome", "score")
        erase = "delete"

    class Meta(Orderable.Meta):
        verbose_name = _("attendee")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="lms_attendance_once")]

    def __str__(self) -> str:
        return str(self.person)


class ExportJob(models.Model):
    """One requested export: what, by whom, how far it got, and the finished workbook (private storage)."""

    class Kind(models.TextChoices):
        ARCHIVE = "archive", _("Training archive")
        PERSON = "person", _("Personal training file")
        MATRIX = "matrix", _("Training matrix")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    file = models.FileField(_("file"), storage=exports_storage, upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        personal = ("file",)
        actors = ("requested_by",)
        retention = "exports"
        retained_from = ("finished_at", "created_at")
        erase = "delete"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
