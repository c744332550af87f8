"""Who proctors the exam room and who reads an attempt's timeline (#17; docs/roles.md, "The exam room"): trainers
proctor, security officers deliberately do not; trainers, HR and auditors read the timeline as they read attempts;
nobody edits it."""

import pytest

from lms import roles
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db

PROCTOR = "lms_exams.proctor_exam"
VIEW_EVENTS = "lms_exams.view_attemptevent"
EDIT_EVENTS = ("lms_exams.add_attemptevent", "lms_exams.change_attemptevent", "lms_exams.delete_attemptevent")


@pytest.mark.parametrize(("role", "proctors", "reads_timeline"), [
    (roles.TRAINER, True, True),
    (roles.HR, False, True),
    (roles.AUDITOR, False, True),
    (roles.SECURITY_OFFICER, False, False),
    (roles.MANAGER, False, False),
    (roles.LEARNER, False, False),
])
def test_who_proctors_and_who_reads_the_timeline(role, proctors, reads_timeline):
    user = user_in(role)
    assert user.has_perm(PROCTOR) is proctors
    assert user.has_perm(VIEW_EVENTS) is reads_timeline
    assert user.has_perm("lms_exams.view_attempt") is reads_timeline  # the timeline follows the attempts
    assert not any(user.has_perm(perm) for perm in EDIT_EVENTS)


def test_a_trainer_keeps_the_rest_of_the_exam_engine():
    trainer = user_in(roles.TRAINER)
    assert trainer.has_perm("lms_exams.change_exam") and trainer.has_perm("lms_exams.change_attempt")
