"""Each counted H5P attempt lands in the archive once, with the server's score (not the browser's claim)."""

from decimal import Decimal as D

import pytest

from courses import services as course_services
from courses.h5p import services
from lms.archive.models import TrainingRecord
from tests.factories import PersonFactory, make_course
from tests.h5p.factories import import_sample, make_h5p_lesson
from tests.h5p.test_services import statement

pytestmark = pytest.mark.django_db


def test_h5p_attempts_are_archived_with_the_server_score(django_capture_on_commit_callbacks):
    activity = import_sample("truefalse")
    person = PersonFactory()
    course = make_course(lessons=1)
    make_h5p_lesson(course=course, activities=[activity])
    course_services.enrollment_create(user=person.user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        # the browser claims full marks for a wrong answer: the server's 0 counts
        forged = services.statement_record(user=person.user, activity=activity,
                                           statement=statement(activity, raw=1, response="true"))
        services.statement_record(user=person.user, activity=activity,
                                  statement=statement(activity, raw=1, response="false"))
    records = list(TrainingRecord.objects.filter(person=person, kind="h5p").order_by("occurred_at", "pk"))
    assert [(r.score, r.max_score, r.is_passed) for r in records] == [(D(0), D(1), False), (D(1), D(1), True)]
    assert records[0].outcome == "disputed" and records[0].source_id == forged.pk


def test_an_unverified_claim_is_archived_as_completed_without_its_score(django_capture_on_commit_callbacks):
    """Interactive Video: the server cannot re-score it and no trainer trusts it, so the browser's 100 % is archived
    as "unverified": no score, not passed, and the export says why in the reader's language."""
    from tests.abuse.test_h5p import interactive_video

    activity = interactive_video()
    person = PersonFactory()
    course = make_course(lessons=0, slug="iv")
    make_h5p_lesson(course=course, activities=[activity], required=False)
    course_services.enrollment_create(user=person.user, course=course)
    iri = f"http://testserver/h5p/activities/{activity.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_record(user=person.user, activity=activity, statement={
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}, "object": {"id": iri},
            "result": {"score": {"raw": 1, "max": 1}}})
    record = TrainingRecord.objects.get(person=person, kind="h5p")
    assert (record.score, record.is_passed, record.outcome) == (None, None, "unverified")
