"""Concurrency on PostgreSQL: a submit from several tabs / app servers at once grades once; two starts at once
create one attempt; concurrent autosaves with the same sequence number: one wins, the others get 409."""

import threading

import pytest
from django.db import connection, connections

from exams.models import Attempt
from exams.services.attempts import Conflict, answers_save, attempt_start, attempt_submit
from exams.signals import attempt_finished
from tests.conftest import skip_or_fail
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        import os

        if os.environ.get("LMS_TEST_DATABASE") == "postgres":
            skip_or_fail("PostgreSQL is configured but not in use")
        pytest.skip("PostgreSQL-only: run with LMS_TEST_DATABASE=postgres")


def in_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for __ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


def test_a_double_submit_grades_once():
    attempt = attempt_start(exam=make_exam(questions=[make_question("single")]), user=UserFactory())
    answers_save(attempt=attempt, seq=1, responses={1: "a"})
    received = []
    attempt_finished.connect(lambda **kw: received.append(kw["attempt"].pk), weak=False, dispatch_uid="t-pg")
    try:
        results, errors = in_threads(8, lambda: attempt_submit(attempt=attempt))
    finally:
        attempt_finished.disconnect(dispatch_uid="t-pg")
    assert not errors
    assert len({r.graded_at for r in results}) == 1
    assert received == [attempt.pk]


def test_two_starts_at_once_make_one_attempt():
    exam = make_exam(questions=[make_question("single")], attempts_allowed=3)
    user = UserFactory()
    results, errors = in_threads(6, lambda: attempt_start(exam=exam, user=user))
    assert not errors
    assert len({a.pk for a in results}) == 1 and Attempt.objects.filter(exam=exam, user=user).count() == 1


def test_concurrent_saves_with_one_sequence_number_apply_once():
    attempt = attempt_start(exam=make_exam(questions=[make_question("essay")]), user=UserFactory())

    def work():
        return answers_save(attempt=attempt, seq=1, responses={1: threading.current_thread().name})

    results, errors = in_threads(6, work)
    assert len(results) == 1 and len(errors) == 5
    assert all(isinstance(e, Conflict) for e in errors)
    attempt.refresh_from_db()
    assert attempt.next_seq == 2
