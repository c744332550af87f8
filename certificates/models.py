"""Certification (what a course grants), certificate templates (snippets), and certificates (learner records).

Certificates, reminders and signing keys are written only by ``certificates.services``. Status is never stored:
``certificates.validity.status`` computes it from the dates when it is read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin, TranslatableMixin

from certificates import rendering, validity
from courses.models import CoursePage
from exams.localized_names import SourcesOnly, ValidatedPerLocale
from exams.private_files import CERTIFICATES, NamedStorage


def private_storage() -> NamedStorage:
    """Where certificate PDFs are stored: the named storage ``lms_certificates`` (``exams.private_files``)."""
    return NamedStorage(CERTIFICATES)


class SignatoryBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"))
    title = blocks.CharBlock(label=_("title"), required=False)

    class Meta:
        icon = "user"
        label = _("signatory")


class CertificateTemplate(PreviewableMixin, models.Model):
    """How a certificate looks. Managed in the admin (CertificateTemplateSnippetViewSet), with a preview."""

    Language = rendering.Language
    PageSize = rendering.PageSize

    name = models.CharField(_("name"), max_length=120, unique=True)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS)
    page_size = models.CharField(_("page size"), max_length=20, choices=PageSize.choices,
                                 default=PageSize.A4_LANDSCAPE)
    title = models.CharField(_("title"), max_length=200, help_text=_("Placeholders allowed, e.g. {course}."))
    body = models.TextField(
        _("body"),
        help_text=_("Placeholders: {name} {employee_number} {course} {certification} {score} {issued_on} "
                    "{expires_on} {code} {number}"),
    )
    signatories = StreamField([("signatory", SignatoryBlock())], verbose_name=_("signatories"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("logo"),
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel([FieldPanel("language"), FieldPanel("page_size")], heading=_("Format")),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("signatories"),
        FieldPanel("logo"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.name

    def get_preview_template(self, request, mode_name):
        return "lms_certificates/pdf/certificate.html"

    def get_preview_context(self, request, mode_name):
        return rendering.sample_context(template=self)


class Certification(ValidatedPerLocale, TranslatableMixin, models.Model):
    """What completing a course grants, e.g. "Security induction". Permits require certifications.

    Managed in the admin (CertificationSnippetViewSet). Translatable (a copy per locale, "Translate" in the admin):
    certificates, requirements and areas point at the source, readers see the name in their language
    (docs/translation.md)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=60)
    courses = models.ManyToManyField(
        CoursePage, related_name="lms_certifications", blank=True, verbose_name=_("granted by courses"),
        help_text=_("Completing any of these courses (including passing its final exam) issues the certificate."),
    )
    validity_days = models.PositiveIntegerField(
        _("validity (days)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Empty: the certificate never expires."),
    )
    recertification_days = models.PositiveIntegerField(
        _("recertification window (days)"), default=30,
        help_text=_("The course reopens this many days before the certificate expires."),
    )
    notice_days = models.PositiveIntegerField(
        _("expiry notice (days)"), null=True, blank=True,
        help_text=_("A certificate shows as expiring this many days before expiry. Empty: the site default."),
    )
    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="certifications",
        verbose_name=_("template"),
    )
    is_active = models.BooleanField(_("issued"), default=True, help_text=_("Untick to stop issuing it."))

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("courses"),
        MultiFieldPanel(
            [FieldPanel("validity_days"), FieldPanel("recertification_days"), FieldPanel("notice_days")],
            heading=_("Validity"),
        ),
        FieldPanel("template"),
        FieldPanel("is_active"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [  # per locale: a translation copies the code (and, until translated, the name)
            models.UniqueConstraint(
                fields=["code", "locale"], name="lms_certification_code_per_locale",
                violation_error_message=_("A certification with this code already exists in this language."),
            ),
            models.UniqueConstraint(
                fields=["name", "locale"], name="lms_certification_name_per_locale",
                violation_error_message=_("A certification with this name already exists in this language."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """One certificate of one person for one certification in one cycle. Written by ``certificates.services``
    (certificate_issue, certificate_revoke, certificate_reissue, certificate_render_pdf). Never deleted: the
    person's history across recertification cycles is every row."""

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("certification"),
        limit_choices_to=SourcesOnly("lms_certificates.Certification"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lms_certificates", verbose_name=_("holder")
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("course")
    )
    cycle = models.PositiveIntegerField(_("cycle"), default=1)
    code = models.CharField(_("verification code"), max_length=26, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=40, blank=True, editable=False)
    holder_name = models.CharField(_("holder name"), max_length=200)
    employee_number = models.CharField(_("employee number"), max_length=40, blank=True)
    course_title = models.CharField(_("course title"), max_length=255, blank=True)
    score_percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), help_text=_("The completion that earned it."))
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="certificates/%Y/", blank=True,
                           editable=False)
    credential = models.TextField(_("signed credential (JWT)"), blank=True, editable=False)
    expiry_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    course_reopened_at = models.DateTimeField(null=True, blank=True, editable=False)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "user"
        personal = ("holder_name", "employee_number", "pdf", "credential", "revoke_reason")
        actors = ("issued_by", "revoked_by")
        erase = "pseudonymise"

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [("view_all_certificates", _("Can see and download every person's certificates"))]
        constraints = [
            # Exactly one live certificate per person, certification and cycle, however many events arrive.
            models.UniqueConstraint(
                fields=["user", "certification", "cycle"],
                condition=models.Q(revoked_at__isnull=True),
                name="lms_certificates_once_per_cycle",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("issued_at")),
                name="lms_certificates_expires_after_issue",
            ),
        ]
        indexes = [
            # certification_valid_until(user, certification, at): one index range scan.
            models.Index(fields=["user", "certification", "expires_at"], name="lms_cert_valid_until_idx"),
            models.Index(fields=["expires_at"], name="lms_cert_expires_idx"),
            # The public verification by the printed number (selectors.certificate_by_number).
            models.Index(fields=["number"], name="lms_cert_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.certification}"

    @cached_property
    def notice_days(self) -> int:
        from certificates import conf

        days = self.certification.notice_days
        return conf.CERTIFICATE_NOTICE_DAYS if days is None else days

    def status_at(self, now) -> validity.Status:
        from datetime import timedelta

        return validity.status(expires_at=self.expires_at, revoked_at=self.revoked_at, now=now,
                               notice=timedelta(days=self.notice_days))

    @property
    def status(self) -> validity.Status:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def status_list_index(self) -> int:
        """Position in the revocation status list (the primary key: unique, never reused)."""
        return self.pk


STATUS_LABELS = {
    validity.Status.ACTIVE: _("Active"),
    validity.Status.EXPIRING: _("Expiring"),
    validity.Status.EXPIRED: _("Expired"),
    validity.Status.REVOKED: _("Revoked"),
}


class Reminder(models.Model):
    """A reminder stage of a certificate, sent (or superseded) once. Written by ``services.reminders_send``."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    is_superseded = models.BooleanField(_("superseded"), default=False)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "certificate__user"
        erase = "delete"

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="lms_certificates_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.days_before}"


class SigningKey(models.Model):
    """An Ed25519 key that signs credentials. Created and rotated by ``manage.py certificates_signing_key``;
    retired keys stay published in the JWKS so older credentials still verify."""

    kid = models.CharField(max_length=64, unique=True)
    private_key_pem = models.TextField()
    public_x = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.kid

    @property
    def public_jwk(self) -> dict:
        return {"kty": "OKP", "crv": "Ed25519", "x": self.public_x, "kid": self.kid, "alg": "EdDSA", "use": "sig"}
