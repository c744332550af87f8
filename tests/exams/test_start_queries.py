"""The synchronised start (#16 item 4, docs/exams.md): starting an attempt costs at most 10 queries, whatever the
number of questions drawn, and the draw plan it keeps in the cache is forgotten on every change to the bank."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from courses.models import CoursePage, Enrollment
from exams import draw_plan
from exams.models import Attempt
from exams.services.attempts import attempt_start
from exams.services.authoring import category_ensure
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db

BUDGET = 10


def course_exam(drawn: int, *, pool: int | None = None, **fields):
    """An exam drawing ``drawn`` questions from a category of the bank (and a fixed one), the final exam of a course;
    a first person has started it already (the plan is kept, as on a site that has been running)."""
    for __ in range(pool or drawn + 5):
        make_question("single", category="安全/门禁")
    fixed = make_question("truefalse", category="安全/应急")
    exam = make_exam(questions=[fixed], draw=drawn, category=category_ensure(path="安全"), attempts_allowed=3,
                     time_limit_minutes=30, **fields)
    course = make_course(lessons=1, slug=f"course-{exam.pk}", completion_rule="all_lessons_and_exam")
    course.final_exam = exam
    course.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    attempt_start(exam=exam, user=UserFactory())
    return exam, course


def learner(course):
    user = UserFactory()
    Enrollment.objects.create(user=user, course=course)
    return user


def statements(ctx) -> list[str]:
    """The statements a start sends. The test runs in a transaction, so the start's own transaction is a savepoint
    here (SAVEPOINT / RELEASE); on a site it is the connection's BEGIN / COMMIT, which Django does not count."""
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.parametrize("drawn", [5, 50])
def test_an_api_start_takes_at_most_ten_queries_whatever_the_number_drawn(drawn, django_assert_max_num_queries):
    exam, course = course_exam(drawn)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=learner(course)).key}")
    with django_assert_max_num_queries(BUDGET):
        response = client.post(f"/api/exams/{exam.pk}/attempts/", {}, format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["questions"]) == drawn + 1


@pytest.mark.parametrize("drawn", [5, 50])
def test_a_start_from_the_learner_page_takes_at_most_ten_queries(drawn):
    exam, course = course_exam(drawn)
    client = APIClient()
    client.force_login(learner(course))
    assert client.get(f"/exams/{exam.pk}/").status_code == 200  # the start page comes first
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(f"/exams/{exam.pk}/", {})
    assert response.status_code == 302 and "/exams/attempts/" in response["Location"]
    assert len(statements(ctx)) <= BUDGET, "\n".join(statements(ctx))
    assert Attempt.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1])).questions.count() == drawn + 1


def test_a_retake_and_an_exam_room_stay_within_the_budget():
    """A second attempt also reads the questions seen before; a room with a network, a start code and one device
    per attempt adds no query."""
    from exams.services import room

    exam, course = course_exam(5, allowed_networks="127.0.0.0/8", requires_start_code=True, binds_device=True)
    user = learner(course)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    first = client.post(f"/api/exams/{exam.pk}/attempts/", {"start_code": room.current_code(exam).code}, format="json")
    assert first.status_code == 201, first.content
    client.post(f"/api/attempts/{first.json()['id']}/submit/")
    with CaptureQueriesContext(connection) as ctx:
        again = client.post(f"/api/exams/{exam.pk}/attempts/", {"start_code": room.current_code(exam).code},
                            format="json")
    assert again.status_code == 201, again.content
    assert again.json()["number"] == 2
    assert len(statements(ctx)) <= BUDGET, "\n".join(statements(ctx))
    assert Attempt.objects.get(pk=again.json()["id"]).device  # bound at once, with the insert


def test_the_kept_plan_is_forgotten_when_the_bank_changes(django_capture_on_commit_callbacks):
    exam, course = course_exam(3, pool=3)  # the pool is the whole draw: every start asks all of it
    kept = draw_plan.plan(exam)
    with django_capture_on_commit_callbacks(execute=True):
        added = make_question("single", category="安全/门禁")
    assert draw_plan.plan(exam) != kept
    assert added.pk in draw_plan.plan(exam)[0].pool


def test_a_kept_plan_naming_a_question_no_longer_live_draws_again():
    exam, course = course_exam(3, pool=3)
    kept = draw_plan.plan(exam)
    gone = kept[0].pool[0]
    from exams.models import Question

    Question.objects.filter(pk=gone).update(live=False)  # no signal: the kept plan still names it
    replacement = make_question("single", category="安全/门禁")  # a commit would forget the plan; tests never commit
    assert draw_plan.plan(exam) == kept
    attempt = attempt_start(exam=exam, user=learner(course))
    drawn = {row.question_id for row in attempt.questions.all()}
    assert gone not in drawn and replacement.pk in drawn and len(drawn) == 4


def test_an_assigned_person_starts_with_the_extra_time_and_attempts_of_their_override():
    """The override comes with the exam in one query: its extra time and attempts still count."""
    from exams.models import ExamOverride

    exam = make_exam(questions=[make_question("single")], attempts_allowed=1, time_limit_minutes=30)
    user = UserFactory()
    ExamOverride.objects.create(exam=exam, user=user, extra_minutes=15, extra_attempts=1)
    client = APIClient()
    client.force_login(user)
    first = client.post(f"/api/exams/{exam.pk}/attempts/", {}, format="json")
    assert first.status_code == 201, first.content
    attempt = Attempt.objects.get(pk=first.json()["id"])
    assert (attempt.deadline_at - attempt.started_at).total_seconds() == 45 * 60
    client.post(f"/api/attempts/{attempt.pk}/submit/")
    assert client.post(f"/api/exams/{exam.pk}/attempts/", {}, format="json").json()["number"] == 2  # 1 + 1 extra
    assert client.post(f"/api/exams/{exam.pk}/attempts/", {}, format="json").json()["number"] == 2  # resumed


@pytest.mark.parametrize("drawn", [5, 50])
def test_a_start_drawn_in_another_language_takes_no_more_queries(drawn, django_assert_max_num_queries):
    """Translations of the drawn questions come in the query that reads them (docs/translation.md)."""
    from django.utils import translation

    from tests.i18n.helpers import translate_snippet

    exam, course = course_exam(drawn)
    for question in exam.sections.get().fixed_questions.all():
        translate_snippet(question, "zh-hans", text="访客可以单独进入。")
    user = learner(course)
    with translation.override("zh-hans"), django_assert_max_num_queries(BUDGET):
        attempt = attempt_start(exam=exam, user=user)
    languages = [row.snapshot["language"] for row in attempt.questions.all()]
    assert len(languages) == drawn + 1 and languages.count("zh-hans") == 1
