"""Every list screen our apps register shows its columns in words (#20): yes/no instead of True/False, people's
names, local times. The words come from ``ReadableColumnsMixin``; a list screen without it prints Python's
values to a Chinese reader, so each of ours must have it."""

from __future__ import annotations

import pytest
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from exams.admin_display import ReadableColumnsMixin
from tests.exams.factories import make_exam

OURS = ("exams", "courses", "certificates", "lms")


def our_model_viewsets():
    viewsets.populate()
    found = []
    for viewset in viewsets.viewsets:
        for member in getattr(viewset, "registerables", None) or [viewset]:
            if isinstance(member, ModelViewSet) and member.model.__module__.split(".")[0] in OURS:
                found.append(member)
    return found


def test_every_list_screen_of_ours_shows_words_not_python_values():
    plain = sorted(
        f"{type(viewset).__module__}.{type(viewset).__name__}"
        for viewset in our_model_viewsets()
        if not issubclass(viewset.index_view_class, ReadableColumnsMixin)
    )
    assert plain == [], "list screens that print True/False and raw values: " + ", ".join(plain)


@pytest.mark.django_db
def test_a_yes_no_column_reads_as_words(admin_client):
    make_exam(title="Night shift check")
    html = admin_client.get("/admin/snippets/lms_exams/exam/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = html[html.index("Night shift check"):]
    row = row[: row.index("</tr>")]
    assert ">True<" not in row.replace(" ", "").replace("\n", "")
    assert "Yes" in row
