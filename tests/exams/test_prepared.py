"""exams.prepared: a start's reads are compiled once per process and run again with each request's values
(docs/exams.md, "The synchronised start"). What they give must be exactly what the ORM gives, and one person's
values must never bring back another person's rows: on SQLite and PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import F, FilteredRelation, Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exams import selectors
from exams.models import Attempt, Exam, ExamOverride
from exams.prepared import Prepared
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempts_of(exam_id, user_id):
    return Attempt.objects.filter(exam_id=exam_id, user_id=user_id).order_by("number")


def exam_with_override(exam_id, user_id):
    found = Exam.objects.filter(pk=exam_id).annotate(
        own=FilteredRelation("overrides", condition=Q(overrides__user_id=user_id))
    )
    return found.annotate(own_minutes=F("own__extra_minutes"))[:1]


def attempt(exam, user, number):
    return Attempt.objects.create(exam=exam, user=user, number=number, started_at=timezone.now(), seed=number,
                                  max_score=Decimal("1"), state=Attempt.State.GRADED)


@pytest.fixture
def two_people():
    exam = make_exam(questions=[make_question("single")])
    other_exam = make_exam(questions=[make_question("truefalse")], title="保密考试")
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    for number in (1, 2):
        attempt(exam, ann, number)
    attempt(exam, bob, 1)
    attempt(other_exam, bob, 1)
    ExamOverride.objects.create(exam=exam, user=bob, extra_minutes=15)
    return exam, other_exam, ann, bob


def test_each_call_gets_its_own_values_rows_exactly_as_the_orm_gives_them(two_people):
    exam, other_exam, ann, bob = two_people
    prepared = Prepared(Attempt, attempts_of)
    for exam_id, user in [(exam.pk, ann), (exam.pk, bob), (other_exam.pk, bob), (other_exam.pk, ann),
                          (exam.pk, ann)]:
        got = prepared.rows(exam_id, user.pk)
        expected = list(attempts_of(exam_id, user.pk))
        assert [(a.pk, a.user_id, a.exam_id, a.number) for a in got] == [
            (a.pk, a.user_id, a.exam_id, a.number) for a in expected
        ]
        assert all(a.user_id == user.pk for a in got)  # never another person's attempts
        assert all(not a._state.adding and a._state.db == "default" for a in got)  # saved rows, as the ORM's are


def test_annotations_joins_and_slices_come_back_as_the_orm_gives_them(two_people):
    exam, other_exam, ann, bob = two_people
    prepared = Prepared(Exam, exam_with_override)
    assert prepared.first(exam.pk, bob.pk).own_minutes == 15
    assert prepared.first(exam.pk, ann.pk).own_minutes is None  # bob's override is not ann's
    found = prepared.first(other_exam.pk, bob.pk)
    assert (found.pk, found.title, found.own_minutes) == (other_exam.pk, "保密考试", None)
    assert prepared.first(other_exam.pk + 1000, bob.pk) is None


def test_values_lists_and_string_values(two_people):
    exam, __, ann, bob = two_people
    names = Prepared(Attempt, lambda username: Attempt.objects.filter(user__username=username)
                     .values_list("number", flat=True).order_by("number"))
    assert names.rows("ann") == [1, 2]
    assert names.rows("bob") == [1, 1]
    assert names.rows("nobody") == []
    assert names.rows("ann' OR '1'='1") == []  # a value stays a value


def test_the_sql_is_compiled_once_and_still_runs_one_query_a_call(two_people, monkeypatch):
    exam, __, ann, bob = two_people
    prepared = Prepared(Attempt, attempts_of)
    prepared.rows(exam.pk, ann.pk)  # compiles
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k))
    with CaptureQueriesContext(connection) as ctx:
        assert len(prepared.rows(exam.pk, bob.pk)) == 1
        assert len(prepared.rows(exam.pk, ann.pk)) == 2
    assert compiled == []
    assert len(ctx.captured_queries) == 2
    assert str(bob.pk) in ctx.captured_queries[0]["sql"]  # the query log shows the values, as for any query


def test_a_shape_whose_value_is_changed_on_its_way_is_built_as_usual_every_time(two_people):
    __, __, ann, bob = two_people
    # ``contains`` wraps the value in a pattern: it cannot be found among the parameters, so nothing is kept
    prepared = Prepared(Attempt, lambda part: Attempt.objects.filter(user__username__contains=part).order_by("pk"))
    assert {a.user_id for a in prepared.rows("an")} == {ann.pk}
    assert {a.user_id for a in prepared.rows("bo")} == {bob.pk}
    assert list(prepared._shapes.values()) == [None]


def test_a_string_where_an_int_was_compiled_gets_a_shape_of_its_own(two_people):
    exam, __, ann, __ = two_people
    prepared = Prepared(Attempt, attempts_of)
    assert [a.number for a in prepared.rows(exam.pk, ann.pk)] == [1, 2]
    assert [a.number for a in prepared.rows(str(exam.pk), str(ann.pk))] == [1, 2]
    assert set(prepared._shapes) == {("default", (int, int)), ("default", (str, str))}


def test_other_values_than_ints_and_strings_are_built_as_usual(two_people):
    exam, __, ann, __ = two_people
    prepared = Prepared(Attempt, attempts_of)
    assert prepared.rows(exam.pk, None) == []  # e.g. a person not signed in
    assert [a.number for a in prepared.rows(exam.pk, ann.pk)] == [1, 2]
    by_flag = Prepared(Attempt, lambda flag: Attempt.objects.filter(is_auto_closed=flag))
    assert [a.number for a in by_flag.rows(False)] != []
    assert prepared._shapes.get(("default", (int, int))) is not None  # the ints' shape is kept all the same


@pytest.mark.django_db(transaction=True)
def test_another_thread_runs_it_on_its_own_connection():
    exam = make_exam(questions=[make_question("single")])
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    attempt(exam, ann, 1)
    attempt(exam, bob, 1)
    attempt(exam, bob, 2)
    prepared = Prepared(Attempt, attempts_of)
    assert len(prepared.rows(exam.pk, ann.pk)) == 1  # compiled on this thread's connection
    seen, ours = {}, connections["default"]

    def other():
        theirs = connections["default"]
        try:
            seen["numbers"] = [a.number for a in prepared.rows(exam.pk, bob.pk)]
            seen["same connection"] = theirs is ours
        finally:
            theirs.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == {"numbers": [1, 2], "same connection": False}


def facts_seen(facts):
    return (
        facts.exam.pk, facts.exam.title,
        None if facts.override is None else (facts.override.pk, facts.override.extra_minutes),
        [(a.pk, a.user_id, a.number, a.state, a.started_at, a.submitted_at, a.score, a.max_score, a.is_passed, a.seed,
          a._state.adding, a.exam is facts.exam) for a in facts.attempts],
    )


def test_a_starts_facts_in_one_query_are_what_the_orm_reads_for_each_person(two_people, django_assert_num_queries):
    exam, other_exam, ann, bob = two_people
    graded = Attempt.objects.get(exam=exam, user=ann, number=2)
    graded.score, graded.score_percent, graded.is_passed = Decimal("0.75"), Decimal("75.00"), True
    graded.submitted_at = timezone.now()
    graded.save()
    carl = UserFactory(username="carl")
    for person in (ann, bob, carl, ann):
        for target in (exam, other_exam):
            with django_assert_num_queries(1):
                by_id = selectors.start_facts(exam=target.pk, user=person)
            by_instance = selectors.start_facts(exam=Exam.objects.get(pk=target.pk), user=person)
            assert facts_seen(by_id) == facts_seen(by_instance)
            assert all(a.user_id == person.pk for a in by_id.attempts)  # never another person's attempts
    assert [a.number for a in selectors.start_facts(exam=exam.pk, user=ann).attempts] == [1, 2]
    assert selectors.start_facts(exam=exam.pk, user=bob).override.extra_minutes == 15
    assert selectors.start_facts(exam=exam.pk, user=carl).attempts == ()
    assert all(selectors._EXAM_FOR_START._shapes.values())  # compiled and kept, not built each time
