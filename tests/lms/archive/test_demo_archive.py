"""The demo loader for the archive runs twice without changing anything."""

import io

import pytest

from lms.archive.models import TrainingRecord, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_archive_is_idempotent(site_root, django_capture_on_commit_callbacks):
    from demo.data import archive, foundation

    with django_capture_on_commit_callbacks(execute=False):
        foundation.load(io.StringIO())
    archive.load(io.StringIO())
    first = sorted(TrainingRecord.objects.values_list("person__user__username", "kind", "title"))
    archive.load(io.StringIO())
    assert sorted(TrainingRecord.objects.values_list("person__user__username", "kind", "title")) == first
    assert TrainingSession.objects.count() == 4
    kinds = {kind for __, kind, __ in first}
    assert {"course", "internal", "external", "drill_tabletop", "drill_live"} <= kinds
    # The specialist finished the whole induction: every course completion is in the archive.
    assert sum(1 for user, kind, __ in first if user == "specialist" and kind == "course") == 4
