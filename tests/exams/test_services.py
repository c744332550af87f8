"""Attempt lifecycle on the database: frozen draws, sequenced autosave, deadlines, grading once, manual grading
with a second grader, regrade, and the attempt_finished signal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from exams import selectors
from exams.models import Attempt, ExamOverride, Regrade
from exams.services.attempts import Conflict, answers_save, attempt_close_overdue, attempt_start, attempt_submit
from exams.services.authoring import category_ensure, question_save
from exams.services.grades import grade_confirm, grade_record, question_regrade
from exams.signals import attempt_finished
from tests.exams.factories import RIGHT, SAMPLES, make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def answer_all(attempt, responses=None):
    rows = {r.position: r for r in attempt.questions.all()}
    given = {p: (responses or RIGHT)[r.snapshot["kind"]] for p, r in rows.items()}
    return answers_save(attempt=attempt, seq=attempt.next_seq, responses=given)


def test_every_type_right_scores_full_marks_after_manual_grading():
    exam = make_exam(questions=[make_question(k) for k in SAMPLES])
    learner, grader = UserFactory(), UserFactory()
    attempt = attempt_start(exam=exam, user=learner)
    answer_all(attempt)
    attempt = attempt_submit(attempt=attempt)
    assert attempt.state == Attempt.State.NEEDS_GRADING and attempt.score is None
    essay = attempt.questions.get(needs_manual=True)
    grade_record(attempt_question=essay, grader=grader, points=Decimal(1), comment="很好")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
    assert attempt.score == attempt.max_score == Decimal(9)
    assert attempt.is_passed is True


def test_the_attempt_keeps_the_version_it_drew():
    question = make_question("single")
    exam = make_exam(questions=[question])
    attempt = attempt_start(exam=exam, user=UserFactory())
    question_save(question=question, text="改过的题目", key={"correct": ["b"]})
    row = attempt.questions.get()
    assert row.snapshot["text"] == SAMPLES["single"]["text"] and row.snapshot["key"] == {"correct": ["a"]}
    assert row.revision_id != question.revisions.order_by("-pk").first().pk
    answer_all(attempt)
    assert attempt_submit(attempt=attempt).score == 1  # scored against the key it drew


def test_draft_edits_never_reach_a_learner():
    question = make_question("single")
    question_save(question=question, text="未审核的草稿", publish=False)
    exam = make_exam(questions=[question])
    attempt = attempt_start(exam=exam, user=UserFactory())
    assert attempt.questions.get().snapshot["text"] == SAMPLES["single"]["text"]


def test_replayed_and_stale_saves_change_nothing():
    attempt = attempt_start(exam=make_exam(questions=[make_question("single")]), user=UserFactory())
    answers_save(attempt=attempt, seq=1, responses={1: "a"})
    for __ in range(1000):
        with pytest.raises(Conflict) as caught:
            answers_save(attempt=attempt, seq=1, responses={1: "b"})
        assert caught.value.code == "stale" and caught.value.next_seq == 2
    with pytest.raises(Conflict):
        answers_save(attempt=attempt, seq=5, responses={1: "b"})  # from the future: also refused
    attempt.refresh_from_db()
    assert attempt.next_seq == 2 and attempt.questions.get().response == "a"


def test_bad_answers_are_refused_and_change_nothing():
    attempt = attempt_start(exam=make_exam(questions=[make_question("multiple")]), user=UserFactory())
    for bad in (["z"], "a", {"a": 1}, ["a", "a"]):
        with pytest.raises(ValidationError):
            answers_save(attempt=attempt, seq=1, responses={1: bad})
    with pytest.raises(ValidationError):
        answers_save(attempt=attempt, seq=1, responses={7: ["a"]})
    attempt.refresh_from_db()
    assert attempt.next_seq == 1 and attempt.questions.get().response is None


def test_answers_after_deadline_and_grace_are_refused_and_the_attempt_finishes_with_saved_answers():
    exam = make_exam(questions=[make_question("single"), make_question("truefalse")], time_limit_minutes=10,
                     grace_seconds=30)
    start = timezone.now()
    attempt = attempt_start(exam=exam, user=UserFactory(), now=start)
    assert attempt.deadline_at == start + timedelta(minutes=10)
    answers_save(attempt=attempt, seq=1, responses={1: "a"}, now=start + timedelta(minutes=10, seconds=29))
    with pytest.raises(Conflict) as caught:
        answers_save(attempt=attempt, seq=2, responses={2: False}, now=start + timedelta(minutes=11))
    assert caught.value.code == "overdue"
    assert attempt_close_overdue(now=start + timedelta(minutes=11)) == 1
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED and attempt.is_auto_closed
    assert attempt.score == 1  # the saved answer counts, the refused one does not
    assert attempt_close_overdue(now=start + timedelta(minutes=12)) == 0


def test_close_overdue_command(capsys):
    exam = make_exam(questions=[make_question("single")], time_limit_minutes=1, grace_seconds=0)
    attempt = attempt_start(exam=exam, user=UserFactory(), now=timezone.now() - timedelta(minutes=5))
    call_command("exams_close_overdue")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
    assert "1" in capsys.readouterr().out


def test_submitting_twice_grades_once_and_announces_once(django_capture_on_commit_callbacks):
    attempt = attempt_start(exam=make_exam(questions=[make_question("single")]), user=UserFactory())
    answer_all(attempt)
    received = []
    attempt_finished.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t-once")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = attempt_submit(attempt=attempt)
            second = attempt_submit(attempt=attempt)
    finally:
        attempt_finished.disconnect(dispatch_uid="t-once")
    assert first.graded_at == second.graded_at
    assert len(received) == 1 and received[0]["is_passed"] is True and received[0]["score_percent"] == 100


def test_start_is_idempotent_and_respects_attempts_delay_and_overrides():
    exam = make_exam(questions=[make_question("single")], attempts_allowed=1, attempt_delay_minutes=60)
    user = UserFactory()
    first = attempt_start(exam=exam, user=user)
    assert attempt_start(exam=exam, user=user) == first
    attempt_submit(attempt=first)
    with pytest.raises(PermissionDenied):
        attempt_start(exam=exam, user=user)
    ExamOverride.objects.create(exam=exam, user=user, extra_attempts=1)
    with pytest.raises(PermissionDenied, match="later"):
        attempt_start(exam=exam, user=user)
    second = attempt_start(exam=exam, user=user, now=timezone.now() + timedelta(minutes=61))
    assert second.number == 2


def test_extra_time_override_moves_the_deadline():
    exam = make_exam(questions=[make_question("single")], time_limit_minutes=30)
    user = UserFactory()
    ExamOverride.objects.create(exam=exam, user=user, extra_minutes=15)
    attempt = attempt_start(exam=exam, user=user)
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=45)


def test_window_closed_or_not_open_refuses_start():
    now = timezone.now()
    closed = make_exam(questions=[make_question("single")], close_at=now - timedelta(hours=1))
    later = make_exam(questions=[make_question("single")], open_at=now + timedelta(hours=1))
    with pytest.raises(PermissionDenied, match="closed"):
        attempt_start(exam=closed, user=UserFactory())
    with pytest.raises(PermissionDenied, match="not open"):
        attempt_start(exam=later, user=UserFactory())


def test_draws_avoid_questions_seen_in_earlier_attempts():
    category = category_ensure(path="安全/抽题")
    questions = [make_question("single", category="安全/抽题") for __ in range(6)]
    exam = make_exam(draw=3, category=category, attempts_allowed=0)
    user = UserFactory()
    first = attempt_start(exam=exam, user=user)
    attempt_submit(attempt=first)
    second = attempt_start(exam=exam, user=user)
    ids = lambda a: {r.question_id for r in a.questions.all()}  # noqa: E731
    assert len(ids(first)) == len(ids(second)) == 3
    assert not ids(first) & ids(second)
    assert ids(first) | ids(second) == {q.pk for q in questions}


def test_draw_from_subcategories_tags_and_difficulty():
    make_question("single", category="应急/消防", tags=["消防"], difficulty="hard")
    make_question("single", category="应急/消防", tags=["消防"], difficulty="easy")
    make_question("single", category="应急", tags=["其他"], difficulty="hard")
    exam = make_exam(draw=5, category=category_ensure(path="应急"))
    section = exam.sections.get()
    section.draw_tags, section.draw_difficulty = "消防", "hard"
    section.save()
    attempt = attempt_start(exam=exam, user=UserFactory())
    assert attempt.questions.count() == 1


def test_second_grader_must_differ_before_the_grade_counts():
    exam = make_exam(questions=[make_question("essay", points=10)], requires_second_grader=True)
    learner, first, second = UserFactory(), UserFactory(), UserFactory()
    attempt = attempt_start(exam=exam, user=learner)
    answer_all(attempt)
    attempt_submit(attempt=attempt)
    row = attempt.questions.get()
    with pytest.raises(PermissionDenied):
        grade_record(attempt_question=row, grader=learner, points=Decimal(10))
    with pytest.raises(ValidationError):
        grade_record(attempt_question=row, grader=first, points=Decimal(11))
    grade_record(attempt_question=row, grader=first, points=Decimal(7), comment="要点齐全")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.NEEDS_GRADING
    assert list(selectors.grading_queue()) == [row]
    with pytest.raises(PermissionDenied):
        grade_confirm(attempt_question=row, grader=first)
    grade_confirm(attempt_question=row, grader=second)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED and attempt.score == Decimal(7)
    assert list(selectors.grading_queue()) == []


def test_regrade_after_a_key_fix_records_old_and_new_scores():
    question = make_question("single")
    exam = make_exam(questions=[question])
    attempts = []
    for choice in ("a", "b"):
        attempt = attempt_start(exam=exam, user=UserFactory())
        answers_save(attempt=attempt, seq=1, responses={1: choice})
        attempts.append(attempt_submit(attempt=attempt))
    assert [a.score for a in attempts] == [1, 0]
    question_save(question=question, key={"correct": ["b"]})
    changes = question_regrade(question=question, reason="答案有误")
    assert {(r.old_score, r.new_score) for r in changes} == {(1, 0), (0, 1)}
    assert Regrade.objects.count() == 2
    for attempt in attempts:
        attempt.refresh_from_db()
    assert [a.score for a in attempts] == [0, 1]


def test_grading_method_decides_the_final_result():
    exam = make_exam(questions=[make_question("single")], attempts_allowed=0, grading_method="last")
    user = UserFactory()
    for choice in ("a", "b"):
        attempt = attempt_start(exam=exam, user=user)
        answers_save(attempt=attempt, seq=1, responses={1: choice})
        attempt_submit(attempt=attempt)
    assert selectors.final_result(exam=exam, user=user) == (Decimal(0), False)
    exam.grading_method = "highest"
    exam.save()
    assert selectors.final_result(exam=exam, user=user) == (Decimal(100), True)


def test_a_person_sees_only_their_own_attempts():
    attempt = attempt_start(exam=make_exam(questions=[make_question("single")]), user=UserFactory())
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.attempt_for(user=UserFactory(), pk=attempt.pk)
    assert selectors.attempt_for(user=attempt.user, pk=attempt.pk) == attempt
