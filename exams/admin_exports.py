"""Wagtail's admin list exports (``list_export``, CSV and XLSX) with every text cell neutralised, and the lists'
values in words (``exams.admin_display``).

Wagtail writes a cell as the field's value, or its ``str()`` for a related object: a name, title or badge number
that starts with ``=`` becomes a formula in the downloaded file, and a control character breaks the XLSX for
everyone. Every index view of ours that exports uses one of these classes (or the mixin), after Wagtail's own
preprocessing, so related objects' names are covered too; ``tests/test_admin_exports.py`` fails for a viewset with
``list_export`` that does not. Before that, a cell says yes or no instead of ``True``/``False``, is empty instead
of ``None``, names an account's person, and holds a time in the site's zone (Wagtail would write UTC).

Every export is also announced (``exams.signals.personal_data_exported``, ``export="admin_list"``) with who asked,
the model, the format, the filters, the columns and the number of rows, never the cells: the audit ledger records
it. The mixin does it, so every list that exports is recorded by construction (``tests/test_admin_exports.py``).
"""

from __future__ import annotations

from wagtail.admin.views.generic import IndexView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

from exams.admin_display import ReadableColumnsMixin, export_value
from exams.signals import personal_data_exported
from exams.spreadsheet_text import neutralise_value


class NeutralisedExportMixin:
    def preprocess_field_value(self, field, value, export_format):
        value = export_value(value, export_format)
        return neutralise_value(super().preprocess_field_value(field, value, export_format))

    def as_spreadsheet(self, queryset, spreadsheet_format):
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        model = getattr(queryset, "model", None) or getattr(self, "model", None)
        if model is None:  # a report built from a list: its permission policy names the model
            model = getattr(getattr(self, "permission_policy", None), "model", None)
        personal_data_exported.send(
            sender=model,
            user=self.request.user,
            export="admin_list",
            subject=None,
            details={
                "model": model._meta.label_lower if model is not None else "",
                "list": self.request.path,
                "format": spreadsheet_format,
                "query": {key: self.request.GET.getlist(key) for key in sorted(self.request.GET) if key != "export"},
                "columns": [str(field) for field in self.list_export],
                "rows": len(queryset) if isinstance(queryset, (list, tuple)) else queryset.count(),
            },
        )
        return response


class NeutralisedIndexView(ReadableColumnsMixin, NeutralisedExportMixin, IndexView):
    """For a ``ModelViewSet``'s ``index_view_class``."""


class NeutralisedSnippetIndexView(ReadableColumnsMixin, NeutralisedExportMixin, SnippetIndexView):
    """For a ``SnippetViewSet``'s ``index_view_class``."""
