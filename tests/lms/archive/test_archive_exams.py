"""A finished exam attempt lands in the archive once, with its score and result."""

import pytest

from exams.services import attempt_submit
from lms.archive.models import TrainingRecord
from tests.exams.factories import make_attempt
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_submitted_attempt_is_archived_once(django_capture_on_commit_callbacks):
    person = PersonFactory()
    attempt = make_attempt(user=person.user)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt)  # a double submit grades, and archives, once
    (record,) = TrainingRecord.objects.filter(person=person, kind="exam")
    attempt.refresh_from_db()
    assert record.title == attempt.exam.title and record.source_id == attempt.pk
    assert (record.score, record.max_score, record.is_passed) == (attempt.score, attempt.max_score, False)
