"""exams.row_insert: the start's questions are written in one INSERT … RETURNING (docs/exams.md, "The synchronised
start"). What it stores must be exactly what the ORM stores, read back through the ORM, on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exams import row_insert
from exams.models import Attempt, AttemptQuestion
from exams.services.attempts import attempt_start
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def new_attempt():
    exam = make_exam(questions=[make_question("single")])
    return Attempt.objects.create(exam=exam, user=UserFactory(), number=1, started_at=timezone.now(), seed=1,
                                  max_score=Decimal("0"))


def rows(attempt, count, **fields):
    snapshot = {"kind": "single", "text": "门禁卡丢失后应当？ \"quoted\" \\ ü", "content": {"options": [{"id": "a"}]},
                "key": {"correct": ["a"]}, "nested": [None, True, 1.5]}
    return [AttemptQuestion(attempt=attempt, position=i, snapshot=snapshot, points=Decimal("2.50"), **fields)
            for i in range(1, count + 1)]


def test_rows_read_back_as_the_orm_wrote_them_and_get_their_keys():
    attempt = new_attempt()
    written = rows(attempt, 3, needs_manual=True)
    with CaptureQueriesContext(connection) as ctx:
        row_insert.insert_returning(written)
    assert len(ctx.captured_queries) == 1  # one statement, seen by the query log like any other
    assert all(r.pk and not r._state.adding for r in written)
    read = {r.pk: r for r in AttemptQuestion.objects.filter(attempt=attempt)}
    assert sorted(read) == sorted(r.pk for r in written)
    for row in written:
        stored = read[row.pk]
        assert stored.position == row.position and stored.snapshot == row.snapshot
        assert stored.points == Decimal("2.50") and stored.needs_manual is True
        assert stored.response is None and stored.earned is None and stored.grader_comment == ""


def test_more_rows_than_one_statement_takes_on_sqlite_are_all_written_in_order():
    attempt = new_attempt()
    written = rows(attempt, 150)  # 150 rows x 16 columns: more than SQLite's 999 parameters a statement
    row_insert.insert_returning(written)
    stored = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("pk").values_list("pk", "position"))
    assert stored == [(r.pk, r.position) for r in written]
    assert [p for __, p in stored] == list(range(1, 151))


def test_a_row_the_database_refuses_writes_none_of_them():
    attempt = new_attempt()
    written = rows(attempt, 3)
    written[2].position = 1  # the same position twice: the unique constraint refuses the statement
    with pytest.raises(IntegrityError), transaction.atomic():
        row_insert.insert_returning(written)
    assert not AttemptQuestion.objects.filter(attempt=attempt).exists()


def test_a_started_attempts_questions_are_saved_rows_not_new_ones():
    exam = make_exam(questions=[make_question("single"), make_question("truefalse")])
    attempt = attempt_start(exam=exam, user=UserFactory())
    shown = list(attempt.questions.all())
    stored = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    assert [(r.pk, r.position, r.snapshot) for r in shown] == [(r.pk, r.position, r.snapshot) for r in stored]
    shown[0].response = "a"
    shown[0].save()  # an update of the stored row, not a second insert
    assert AttemptQuestion.objects.filter(attempt=attempt).count() == 2
    assert AttemptQuestion.objects.get(pk=shown[0].pk).response == "a"


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the earlier batches would stay
def test_a_row_refused_in_a_later_batch_writes_none_of_the_earlier_ones():
    attempt = new_attempt()
    written = rows(attempt, 150)  # on SQLite, three statements
    written[-1].position = 1
    with pytest.raises(IntegrityError):
        row_insert.insert_returning(written)
    assert not AttemptQuestion.objects.filter(attempt=attempt).exists()
