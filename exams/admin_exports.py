"""Wagtail's admin list exports (``list_export``, CSV and XLSX) with every text cell neutralised, and the lists'
values in words (``exams.admin_display``).

Wagtail writes a cell as the field's value, or its ``str()`` for a related object: a name, title or badge number
that starts with ``=`` becomes a formula in the downloaded file, and a control character breaks the XLSX for
everyone. Every index view of ours that exports uses one of these classes (or the mixin), after Wagtail's own
preprocessing, so related objects' names are covered too; ``tests/test_admin_exports.py`` fails for a viewset with
``list_export`` that does not. Before that, a cell says yes or no instead of ``True``/``False``, is empty instead
of ``None``, names an account's person, and holds a time in the site's zone (Wagtail would write UTC).
"""

from __future__ import annotations

from wagtail.admin.views.generic import IndexView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

from exams.admin_display import ReadableColumnsMixin, export_value
from exams.spreadsheet_text import neutralise_value


class NeutralisedExportMixin:
    def preprocess_field_value(self, field, value, export_format):
        value = export_value(value, export_format)
        return neutralise_value(super().preprocess_field_value(field, value, export_format))


class NeutralisedIndexView(ReadableColumnsMixin, NeutralisedExportMixin, IndexView):
    """For a ``ModelViewSet``'s ``index_view_class``."""


class NeutralisedSnippetIndexView(ReadableColumnsMixin, NeutralisedExportMixin, SnippetIndexView):
    """For a ``SnippetViewSet``'s ``index_view_class``."""
