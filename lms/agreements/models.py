"""The confidentiality agreement (保密协议, policy §4.2): a versioned Wagtail page, its versions and the signatures.

``AgreementPage`` is authored by HR/trainers in the page tree. ``AgreementVersion`` rows are written by
``lms.agreements.services.agreement_version_sync`` when a page is published with a new version label (receiver of
Wagtail's ``page_published``). ``AgreementSignature`` rows are written only by
``lms.agreements.services.agreement_sign``, which also writes the archive record. See docs/agreements.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from courses.page_language import ReadsInReadersLanguage
from courses.pages import Page
from exams.localized_names import SourcesOnly
from exams.models.exam import original_exams
from lms.agreements.blocks import AgreementStreamBlock
from lms.agreements.forms import AgreementPageForm, SignForm
from lms.people.models import Department, Person, Position


class AgreementPage(ReadsInReadersLanguage, Page):
    """A policy a person must read, pass a short comprehension check on, and sign with their password."""

    version = models.CharField(
        _("version"),
        max_length=40,
        help_text=_(
            "A label such as 2026-1. Change it when the agreement changes in substance: once the page is published "
            "with a new label, everyone it applies to must read it, pass the check and sign again. Keep the label "
            "to correct a typo: existing signatures stay valid (each one keeps the text it was signed against)."
        ),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences shown above the text."))
    body = StreamField(AgreementStreamBlock(), verbose_name=_("agreement text"))
    exam = models.ForeignKey(
        "lms_exams.Exam",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=original_exams,
        verbose_name=_("comprehension check"),
        help_text=_(
            "A short exam from the exam engine. It must allow unlimited attempts: people retake it for every new "
            "version, and only a pass started after the version was published counts."
        ),
    )
    applies_to_everyone = models.BooleanField(
        _("applies to everyone"),
        default=True,
        help_text=_("Untick to choose departments and positions: then it applies to people in any of them."),
    )
    departments = ParentalManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("departments"),
        limit_choices_to=SourcesOnly("lms_people.Department"),
    )
    positions = ParentalManyToManyField(
        Position, blank=True, related_name="+", verbose_name=_("positions"),
        limit_choices_to=SourcesOnly("lms_people.Position"),
    )

    base_form_class = AgreementPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("version"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("exam"), FieldPanel("applies_to_everyone"), FieldPanel("departments"), FieldPanel("positions")],
            heading=_("Check and audience"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    subpage_types: list[str] = []
    template = "lms/agreements/agreement_page.html"

    class Meta:
        verbose_name = _("confidentiality agreement")
        verbose_name_plural = _("confidentiality agreements")

    # What the page shows the person reading it: (page, user) -> dict. The app sets it when it starts
    # (``lms.agreements.selectors.agreement_view_for``, in apps.py), so that this module, which the selectors
    # read, does not import them back.
    view_context: ClassVar[Callable[..., dict]] = staticmethod(lambda *, page, user: {})

    def content_for_reader(self):
        # A translation left at an older version is not the text in force: its reader gets the source's.
        content = super().content_for_reader()
        return content if content.pk == self.pk or content.version == self.version else self

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(type(self).view_context(page=self, user=request.user))
        if context.get("can_sign"):  # the revision of the text shown: the one the signature will name
            context["sign_form"] = SignForm(initial={"revision": context["content"].live_revision_id})
        return context

    def current_version(self) -> AgreementVersion | None:
        """The version in force: the newest one published. None before the first publication."""
        return self.versions.order_by("-effective_at", "-pk").first()


class AgreementVersion(models.Model):
    """One version of an agreement: from the moment it was first published with this label. Written by
    ``agreement_version_sync``; the newest row of a page is its current version."""

    page = models.ForeignKey(
        AgreementPage, on_delete=models.CASCADE, related_name="versions", verbose_name=_("agreement")
    )
    label = models.CharField(_("version"), max_length=40)
    effective_at = models.DateTimeField(_("in force since"))
    revision_id = models.PositiveBigIntegerField(_("first revision"), null=True, blank=True)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)

    class Meta:
        ordering = ["page", "-effective_at", "-pk"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [models.UniqueConstraint(fields=["page", "label"], name="lms_agreementversion_once")]

    def __str__(self) -> str:
        return f"{self.page.title} · {self.label}"


class AgreementSignature(models.Model):
    """A person's signature of one version, with the exact text signed (hash and page revision). Written only by
    ``lms.agreements.services.agreement_sign``; read-only in the admin (AgreementSignatureModelViewSet)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="agreement_signatures", verbose_name=_("person")
    )
    page = models.ForeignKey(AgreementPage, on_delete=models.PROTECT, related_name="+", verbose_name=_("agreement"))
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("version")
    )
    version_label = models.CharField(_("version"), max_length=40)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    revision_id = models.PositiveBigIntegerField(_("page revision"))
    language = models.CharField(
        _("language of the text"), max_length=16, blank=True,
        help_text=_("The language of the text that was read and signed: the source's or a translation's."),
    )
    signed_name = models.CharField(_("name as signed"), max_length=120)
    attempt = models.ForeignKey(
        "lms_exams.Attempt",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comprehension check attempt"),
    )
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        personal = ("signed_name", "ip_address", "user_agent")
        erase = "delete"

    class Meta:
        ordering = ["-signed_at", "-pk"]
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="lms_agreementsignature_once_per_version"),
        ]
        indexes = [models.Index(fields=["page", "signed_at"], name="lms_signature_page_date")]

    def __str__(self) -> str:
        return f"{self.person} · {self.page.title} {self.version_label}"


class AgreementReminder(models.Model):
    """One reminder e-mailed to a person who had not signed a version, on one day. Written only by
    ``lms.agreements.services.agreement_reminders_send``: at most one a person, version and day (a second click,
    a second HR officer or two app servers send nothing more), and the row is the record of who asked, when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("version")
    )
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("sent by"),
    )

    class PersonalData:  # lms.privacy (docs/privacy.md)
        person = "person__user"
        actors = ("sent_by",)
        erase = "delete"

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("agreement reminder")
        verbose_name_plural = _("agreement reminders")
        constraints = [
            models.UniqueConstraint(fields=["person", "version", "sent_on"], name="lms_agreementreminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.version} · {self.sent_on}"
