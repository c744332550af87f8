"""The admin screens of background checks: every form records through ``services.background_check_record`` with
the person's separate consent (PIPL Art. 29, ``lms.permits.consent``); list and inspect show the consent."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from exams.admin_exports import NeutralisedIndexView
from lms.permits import consent, services
from lms.permits.background_files import FILES
from lms.permits.forms import BackgroundCheckForm
from lms.permits.models import BackgroundCheck


def _record_background_check(view) -> BackgroundCheck:
    """Both forms save through the service: it records who checked and when, and the person's consent, and a
    pass moves the person's applied permits on to "checked" (a plain form save would leave them waiting)."""
    data = view.form.cleaned_data
    return services.background_check_record(
        check=view.form.instance, person=data["person"], result=data["result"], notes=data.get("notes", ""),
        checked_by=view.request.user, health_certificate=data.get("health_certificate") or None,
        no_criminal_record=data.get("no_criminal_record") or None, consent_at=data.get("consent_at"),
    )


class BackgroundCheckFormViewMixin:
    """A refusal of the service (the form checks the same first, so only a race gets here) is shown on the form,
    and nothing is written (Wagtail saves in a transaction)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as refused:
            for field, messages in refused.message_dict.items():
                field = "consent_date" if field == "consent_at" else field
                form.add_error(field if field in form.fields else None, messages)
            return self.form_invalid(form)


class DownloadButtonsMixin:
    """The check's certificates, downloaded through ``lms.permits.background_files`` (the permission check and the
    ledger): the storage itself gives no link."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        labels = {"health": _("Download the health certificate"),
                  "record": _("Download the no-criminal-record certificate")}
        for priority, (kind, field) in enumerate(FILES.items(), start=40):
            if getattr(self.object, field):
                url = reverse("lms_background_check_file", args=[self.object.pk, kind])
                buttons.append(Button(labels[kind], url=url, icon_name="download", priority=priority))
        return buttons


class BackgroundCheckCreateView(BackgroundCheckFormViewMixin, generic.CreateView):
    def save_instance(self):
        return _record_background_check(self)


class BackgroundCheckEditView(DownloadButtonsMixin, BackgroundCheckFormViewMixin, generic.EditView):
    def save_instance(self):
        return _record_background_check(self)


class BackgroundCheckInspectView(DownloadButtonsMixin, generic.InspectView):
    pass


class ConsentPanel(HelpPanel):
    """Above the consent's date and box, the text the person signs (``lms.permits.consent``); once the check holds
    the consent, what was recorded instead."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            check = self.instance
            if self.form is not None and "consent_given" in self.form.fields:
                self.content = format_html("<h3>{} ({})</h3>{}", consent.CONSENT_TITLE,
                                           gettext("version %(version)s") % {"version": consent.CONSENT_VERSION},
                                           consent.consent_html())
            elif check is not None and check.consent_at is not None:
                self.content = format_html("<p>{}</p>", gettext(
                    "The person signed the consent (version %(version)s) on %(date)s; recorded by %(user)s."
                ) % {"version": check.consent_text_version, "date": date_format(localtime(check.consent_at)),
                     "user": check.consent_recorded_by or "–"})


class BackgroundCheckModelViewSet(ModelViewSet):
    """Background checks, each with the person's separate consent (PIPL Art. 29): the forms require it, the list
    and the inspect screen show when it was signed, which version, and who recorded it. The certificates
    themselves are not shown on the inspect screen; its buttons download them (``background_files``)."""

    index_view_class = NeutralisedIndexView
    model = BackgroundCheck
    add_view_class = BackgroundCheckCreateView
    edit_view_class = BackgroundCheckEditView
    copy_view_enabled = False  # a copy would carry the other check's consent and files to the form
    inspect_view_enabled = True
    inspect_view_class = BackgroundCheckInspectView
    icon = "doc-full"
    menu_label = _("Background checks")
    list_display = ["person", "result", "checked_by", "checked_at", "consent_at", "consent_text_version",
                    "consent_recorded_by"]
    list_filter = ["result"]
    search_fields = ["person__name", "person__employee_number"]
    inspect_view_fields = ["person", "result", "checked_by", "checked_at", "notes", "consent_at",
                           "consent_text_version", "consent_recorded_by"]
    edit_handler = ObjectList(
        [
            FieldPanel("person", widget=forms.Select), FieldPanel("health_certificate"),
            FieldPanel("no_criminal_record"), FieldPanel("result"), FieldPanel("notes"),
            MultiFieldPanel(
                [ConsentPanel(), FieldPanel("consent_given"), FieldPanel("consent_date")],
                heading=_("The person's consent"),
            ),
        ],
        base_form_class=BackgroundCheckForm,
    )

    def get_queryset(self, request):
        return BackgroundCheck.objects.select_related("person", "checked_by", "consent_recorded_by")
