"""exams.row_insert_joint: an attempt and its questions written together (one statement on PostgreSQL, two in one
transaction elsewhere). What it stores must be exactly what the ORM stores, all or none, on SQLite and PostgreSQL."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exams import row_insert_joint
from exams.models import Attempt, AttemptQuestion
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SNAPSHOT = {"kind": "single", "text": "门禁卡丢失后应当？ \"quoted\" \\ ü ' %s %(x)s",
            "content": {"options": [{"id": "a"}]}, "key": {"correct": ["a"]}, "nested": [None, True, 1.5, {"": ""}]}


def new(exam, user, count, **fields):
    now = timezone.now()
    attempt = Attempt(exam=exam, user=user, number=1, started_at=now, deadline_at=now + datetime.timedelta(minutes=30),
                      seed=2**61, max_score=Decimal("12.50"), language="zh-hans", device="d" * 20)
    children = [AttemptQuestion(attempt=attempt, position=i, snapshot=SNAPSHOT, points=Decimal("2.50"), **fields)
                for i in range(1, count + 1)]
    return attempt, children


@pytest.fixture
def exam():
    return make_exam(questions=[make_question("single")])


def test_the_attempt_and_its_questions_read_back_as_the_orm_wrote_them(exam):
    attempt, children = new(exam, UserFactory(), 3, needs_manual=True)
    with CaptureQueriesContext(connection) as ctx:
        row_insert_joint.insert_with_children(attempt, children, link="attempt")
    inserts = [q["sql"] for q in ctx.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 2)
    assert attempt.pk and not attempt._state.adding
    assert all(c.pk and not c._state.adding and c.attempt_id == attempt.pk and c.attempt is attempt for c in children)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.seed, stored.max_score, stored.language, stored.device) == (2**61, Decimal("12.50"), "zh-hans",
                                                                              "d" * 20)
    assert stored.started_at == attempt.started_at and stored.deadline_at == attempt.deadline_at
    assert stored.score is None and stored.submitted_at is None and stored.state == Attempt.State.IN_PROGRESS
    read = {r.pk: r for r in AttemptQuestion.objects.filter(attempt=attempt)}
    assert sorted(read) == sorted(c.pk for c in children)
    for child in children:
        row = read[child.pk]
        assert (row.position, row.snapshot, row.points, row.needs_manual) == (child.position, SNAPSHOT,
                                                                              Decimal("2.50"), True)
        assert row.response is None and row.earned is None and row.grader_comment == "" and row.saved_at is None


def test_a_refused_question_writes_neither_the_attempt_nor_any_question(exam):
    user = UserFactory()
    attempt, children = new(exam, user, 3)
    children[2].position = 1  # the same position twice: the unique constraint refuses it
    with pytest.raises(IntegrityError):
        row_insert_joint.insert_with_children(attempt, children, link="attempt")
    assert not Attempt.objects.filter(user=user).exists()
    assert not AttemptQuestion.objects.filter(attempt__user=user).exists()
    Attempt.objects.create(exam=exam, user=UserFactory(), number=1, started_at=timezone.now(), seed=1,
                           max_score=Decimal("0"))  # the caller's transaction goes on


@pytest.mark.django_db(transaction=True)  # no transaction around it: the statement stands alone
def test_a_second_attempt_in_progress_is_refused_whole_outside_any_transaction(exam):
    user = UserFactory()
    first, children = new(exam, user, 2)
    row_insert_joint.insert_with_children(first, children, link="attempt")
    second, children = new(exam, user, 2)
    second.number = 2  # another number, still in progress: one attempt in progress per person and exam
    with pytest.raises(IntegrityError):
        row_insert_joint.insert_with_children(second, children, link="attempt")
    assert list(Attempt.objects.filter(user=user).values_list("number", flat=True)) == [1]
    assert AttemptQuestion.objects.filter(attempt__user=user).count() == 2


def test_a_value_json_cannot_hold_is_refused_as_the_orm_refuses_it_and_nothing_is_written(exam):
    for value in (b"bytes", datetime.timedelta(seconds=1)):  # columns of these kinds take the two-statement path
        with pytest.raises(TypeError):
            row_insert_joint._plain(value)
    assert row_insert_joint._plain(Decimal("1E+1")) == "1E+1"
    assert row_insert_joint._plain(uuid.UUID(int=1)) == str(uuid.UUID(int=1))
    user = UserFactory()
    attempt, children = new(exam, user, 2)
    children[1].snapshot = {"text": "x", "when": datetime.date(2026, 12, 6)}  # not JSON: never silently a string
    with pytest.raises(TypeError):
        row_insert_joint.insert_with_children(attempt, children, link="attempt")
    assert not Attempt.objects.filter(user=user).exists()
