"""Wagtail's admin list exports (``list_export``, CSV and XLSX) with every text cell neutralised.

Wagtail writes a cell as the field's value, or its ``str()`` for a related object: a name, title or badge number
that starts with ``=`` becomes a formula in the downloaded file, and a control character breaks the XLSX for
everyone. Every index view of ours that exports uses one of these classes (or the mixin), after Wagtail's own
preprocessing, so related objects' names are covered too; ``tests/test_admin_exports.py`` fails for a viewset with
``list_export`` that does not.
"""

from __future__ import annotations

from wagtail.admin.views.generic import IndexView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

from exams.spreadsheet_text import neutralise_value


class NeutralisedExportMixin:
    def preprocess_field_value(self, field, value, export_format):
        return neutralise_value(super().preprocess_field_value(field, value, export_format))


class NeutralisedIndexView(NeutralisedExportMixin, IndexView):
    """For a ``ModelViewSet``'s ``index_view_class``."""


class NeutralisedSnippetIndexView(NeutralisedExportMixin, SnippetIndexView):
    """For a ``SnippetViewSet``'s ``index_view_class``."""
