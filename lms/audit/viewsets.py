"""The auditors' screens: the ledger (list with filters, inspect with canonical JSON and hash links), "verify the
chain now", and the Excel export. Read-only for everyone (``ReadOnlyPermissionPolicy``); seeing the ledger is
the permission ``lms_audit.view_auditentry`` (auditors and security officers, docs/roles.md).

Entries show their sealed personal values (``AuditEntry.objects`` reveals them). Filtering and searching by a
person cannot look into the stored columns of a sealed entry (they hold references): they look in the sealed values
and find the person's accounts (``lms.audit.personal.actor_matches`` / ``text_matches``)."""

from __future__ import annotations

import json
import tempfile

import django_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from exams.admin_display import EMPTY, ReadableColumnsMixin
from exams.signals import personal_data_exported
from lms.audit import labels
from lms.audit.exports import ledger_export
from lms.audit.models import AuditEntry, AuditKind
from lms.audit.personal import actor_matches, text_matches
from lms.audit.verify import ledger_verify
from lms.people.models import Person
from lms.permits.reasons import describe
from lms.sheets.responses import XLSX

VIEW_PERMISSION = "lms_audit.view_auditentry"


def _object_types():
    return labels.object_type_choices(
        AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    )


class AuditEntryFilterSet(WagtailFilterSet):
    kind = django_filters.MultipleChoiceFilter(label=gettext_lazy("Kind"), choices=AuditKind.choices)
    actor = django_filters.CharFilter(label=gettext_lazy("By (name or username)"), method="filter_actor")
    object_type = django_filters.ChoiceFilter(label=gettext_lazy("Object type"), choices=_object_types)
    object_id = django_filters.CharFilter(label=gettext_lazy("Object id"), field_name="object_id")
    at = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = ["kind", "actor", "object_type", "object_id", "at"]

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        named = Person.objects.filter(name__icontains=value).values("user_id") if value else Person.objects.none()
        return queryset.filter(actor_matches(value) | Q(actor_id__in=named))


def filtered_entries(request):
    """The entries matching the list's filters in ``request.GET`` (shared by the list and the export)."""
    return AuditEntryFilterSet(request.GET, queryset=AuditEntry.objects.all(), request=request).qs


def _actor_cell(entry):
    name, username = getattr(entry, "actor_name", None), entry.actor_username
    if name and username and name != username:
        return format_html('{}<div class="w-help-text">{}</div>', name, username)
    return labels.actor_text(name, username, entry.actor_id)


class AuditEntryIndexView(ReadableColumnsMixin, IndexView):
    def get_base_queryset(self):
        return labels.with_names(super().get_base_queryset())

    @cached_property
    def columns(self):
        """The entry's title in words (``#12 Certificate: Issued — 刘专员 · 安全培训``) is the link to it, sorting by
        number."""
        title = self._get_title_column_class(TitleColumn)(
            "title", label=gettext_lazy("Entry"), accessor="title", sort_key="seq", get_url=self.get_inspect_url
        )
        return [title, *super().columns[1:]]

    def search_queryset(self, queryset):
        """The object or the actor's username containing the words (sealed or in clear), and every entry of the
        people whose name or employee number matches (as who acted or whom it is about)."""
        if not self.is_searching:
            return queryset
        text = self.search_query.strip()
        people = Person.objects.filter(Q(name__icontains=text) | Q(employee_number__iexact=text)).values("user_id")
        return queryset.filter(text_matches(text, people))

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        query = self.request.GET.urlencode()
        buttons.append(
            HeaderButton(label=_("Verify the chain now"), url=reverse("audit_ledger:verify"), icon_name="tick-inverse")
        )
        buttons.append(
            HeaderButton(
                label=_("Export to Excel"),
                url=reverse("audit_ledger:export") + (f"?{query}" if query else ""),
                icon_name="download",
            )
        )
        return buttons


class AuditEntryInspectView(InspectView):
    field_labels = {
        "canonical_json": gettext_lazy("Canonical JSON (what the hash covers)"),
        "hash_check": gettext_lazy("Own hash"),
        "reasons": gettext_lazy("Reasons"),
    }

    def get_fields(self):
        """An access decision's reasons in words, after its data."""
        fields = super().get_fields()
        entry = getattr(self, "object", None)  # Wagtail asks before it fetches the entry; setup() asks again
        if entry is not None and entry.kind == AuditKind.DECISION and entry.data.get("reasons"):
            fields.insert(fields.index("data") + 1, "reasons")
        return fields

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.fields = self.get_fields()  # again, now that the object is known

    def get_field_label(self, field_name, field):
        if field_name in self.field_labels:
            return self.field_labels[field_name]
        return super().get_field_label(field_name, field)

    def get_object(self, queryset=None):
        return get_object_or_404(labels.with_names(AuditEntry.objects.all()), pk=unquote(str(self.pk)))

    def get_kind_display_value(self):
        return self.object.kind_label

    def get_action_display_value(self):
        return labels.action_label(self.object.kind, self.object.action)

    def get_object_type_display_value(self):
        return labels.object_type_label(self.object.object_type) or EMPTY

    def get_object_repr_display_value(self):
        return self.object.object_text or EMPTY

    def get_actor_display_value(self):
        return labels.actor_text(self.object.actor_name, self.object.actor_username, self.object.actor_id)

    def get_reasons_display_value(self):
        return format_html_join("", "<p>{}</p>", ((line,) for line in describe(self.object.data.get("reasons", []))))

    def get_data_display_value(self):
        return format_html(
            '<pre style="white-space: pre-wrap">{}</pre>',
            json.dumps(self.object.data, ensure_ascii=False, indent=2, sort_keys=True),
        )

    def get_canonical_json_display_value(self):
        return format_html(
            '<pre style="white-space: pre-wrap; word-break: break-all">{}</pre>', self.object.canonical_json()
        )

    def get_prev_hash_display_value(self):
        seq = self.object.seq
        if seq == 1:
            return format_html("<code>{}</code> ({})", self.object.prev_hash, _("the start of the chain"))
        previous = AuditEntry.objects.filter(seq=seq - 1).values_list("hash", flat=True).first()
        if previous == self.object.prev_hash:
            note = _("matches entry %(seq)s") % {"seq": seq - 1}
        else:
            note = _("does NOT match entry %(seq)s") % {"seq": seq - 1}
        url = reverse("audit_ledger:inspect", args=[seq - 1])
        return format_html('<code>{}</code> (<a href="{}">{}</a>)', self.object.prev_hash, url, note)

    def get_hash_display_value(self):
        following = AuditEntry.objects.filter(seq=self.object.seq + 1).exists()
        if not following:
            return format_html("<code>{}</code>", self.object.hash)
        url = reverse("audit_ledger:inspect", args=[self.object.seq + 1])
        return format_html('<code>{}</code> (<a href="{}">{}</a>)', self.object.hash, url, _("next entry"))

    def get_hash_check_display_value(self):
        if self.object.is_intact:
            return _("SHA-256 of the previous hash and the canonical JSON matches the stored hash.")
        return _("MISMATCH: this entry's content does not match its hash.")


class AuditVerifyView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "lms/admin/audit_verify.html"
    page_title = gettext_lazy("Verify the audit ledger")
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items()[:-1],
            {"url": reverse("audit_ledger:index"), "label": AuditEntry._meta.verbose_name_plural},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["result"] = result = ledger_verify()
        if result.first_bad_seq and AuditEntry.objects.filter(seq=result.first_bad_seq).exists():
            context["bad_url"] = reverse("audit_ledger:inspect", args=[result.first_bad_seq])
        return context


class AuditExportView(View):
    def get(self, request):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        out = tempfile.TemporaryFile()  # written on disk, streamed back: memory stays flat however long the ledger
        rows = ledger_export(entries=filtered_entries(request), out=out)
        query = {key: request.GET.getlist(key) for key in sorted(request.GET)}
        personal_data_exported.send(sender=AuditEntry, user=request.user, export="audit_ledger", subject=None,
                                    details={"query": query, "rows": rows})
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename="audit-ledger.xlsx", content_type=XLSX)


class AuditEntryModelViewSet(ModelViewSet):
    """The audit ledger, read-only: nobody can add, edit or delete an entry (the permission policy refuses, the
    model refuses, and on PostgreSQL the database refuses)."""

    model = AuditEntry
    icon = "history"
    menu_label = gettext_lazy("Audit ledger")
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    index_view_class = AuditEntryIndexView
    inspect_view_class = AuditEntryInspectView
    # The first column is the entry's title (``AuditEntryIndexView.columns``): what happened to what, in words. Not
    # sortable by object: the rows of sealed entries store references, which sort at random.
    list_display = [
        "seq",
        "at",
        Column("object_type_label", label=gettext_lazy("Object type"),
               accessor=lambda entry: labels.object_type_label(entry.object_type)),
        Column("actor", label=gettext_lazy("By"), accessor=_actor_cell),
    ]
    filterset_class = AuditEntryFilterSet
    search_fields = ["object_repr", "actor_username"]
    inspect_view_fields = [
        "seq",
        "at",
        "kind",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "actor",
        "data",
        "prev_hash",
        "hash",
        "hash_check",
        "canonical_json",
    ]
    form_fields = []

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("verify/", AuditVerifyView.as_view(), name="verify"),
            path("export/", AuditExportView.as_view(), name="export"),
        ]
