"""The admin side as trainers see it: bank and exam lists, the grading queue with a second grader, item
analysis with its Excel export, the bank import report; auditors may look but not change."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from openpyxl import load_workbook

from exams.models import Attempt
from exams.services.attempts import answers_save, attempt_start, attempt_submit
from exams.services.authoring import question_save
from lms import roles
from tests.exams.factories import RIGHT, SAMPLES, make_exam, make_question
from tests.exams.test_bank_excel import GOOD, workbook
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member(role):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return user, client


def finished(exam, response):
    attempt = attempt_start(exam=exam, user=UserFactory())
    rows = list(attempt.questions.all())
    answers_save(attempt=attempt, seq=1, responses={
        r.position: response(r.snapshot["kind"]) for r in rows})
    return attempt_submit(attempt=attempt)


def test_trainer_sees_the_exam_admin_lists():
    exam = make_exam(questions=[make_question("single")])
    finished(exam, RIGHT.get)
    __, client = member(roles.TRAINER)
    for url in ("/admin/snippets/lms_exams/question/", "/admin/snippets/lms_exams/exam/",
                "/admin/snippets/lms_exams/questioncategory/", "/admin/exam_attempts/", "/admin/exam_overrides/",
                f"/admin/snippets/lms_exams/exam/edit/{exam.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "进入运营区域前必须做什么" in client.get("/admin/snippets/lms_exams/question/").content.decode()


def test_grading_queue_with_two_graders():
    exam = make_exam(questions=[make_question("essay", points=5)], requires_second_grader=True)
    attempt = finished(exam, RIGHT.get)
    row = attempt.questions.get()
    first, first_client = member(roles.TRAINER)
    __, second_client = member(roles.TRAINER)
    page = first_client.get("/admin/exams/grading/").content.decode()
    assert "立即报告安保部门。" in page and "The learner" in page and "answer" in page
    assert SAMPLES["essay"]["text"] in page and attempt.user.username in page
    first_client.post(f"/admin/exams/grading/{row.pk}/", {"points": "4", "comment": "好", "action": "grade"})
    page = first_client.post(f"/admin/exams/grading/{row.pk}/", {"action": "confirm"}, follow=True).content.decode()
    assert "A second, different grader must confirm this grade." in page
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.NEEDS_GRADING
    second_client.post(f"/admin/exams/grading/{row.pk}/", {"action": "confirm"})
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED and attempt.score == Decimal(4)
    assert "Nothing is waiting for grading." in second_client.get("/admin/exams/grading/").content.decode()


def test_item_analysis_page_and_excel_export():
    questions = [make_question("single"), make_question("truefalse")]
    exam = make_exam(questions=questions, attempts_allowed=0)
    finished(exam, RIGHT.get)
    finished(exam, lambda kind: "b" if kind == "single" else False)
    finished(exam, lambda kind: "c" if kind == "single" else True)
    __, client = member(roles.AUDITOR)
    page = client.get(f"/admin/exams/analysis/{exam.pk}/").content.decode()
    assert "Graded attempts: 3" in page and "a: 1, b: 1, c: 1" in page
    xlsx = client.get(f"/admin/exams/analysis/{exam.pk}/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Question", "Responses", "Facility index", "Discrimination index"]
    assert values[1][1] == 3 and abs(values[1][2] - 1 / 3) < 0.01


def test_bank_import_page_reports_problems_and_imports_nothing():
    __, client = member(roles.TRAINER)
    bad = io.BytesIO(workbook([GOOD, {**GOOD, "id": "X", "answer": "Z"}]))
    bad.name = "bank.xlsx"
    page = client.post("/admin/exams/bank/import/", {"file": bad}).content.decode()
    assert "Nothing was imported" in page and "Row 3, column “answer”" in page
    good = io.BytesIO(workbook([GOOD]))
    good.name = "bank.xlsx"
    page = client.post("/admin/exams/bank/import/", {"file": good}, follow=True).content.decode()
    assert "Imported: 1 new, 0 changed, 0 unchanged questions." in page
    export = client.get("/admin/exams/bank/export/")
    assert load_workbook(io.BytesIO(export.content)).active["D2"].value == "题目"


def test_auditor_cannot_grade_or_import():
    exam = make_exam(questions=[make_question("essay")])
    row = finished(exam, RIGHT.get).questions.get()
    __, client = member(roles.AUDITOR)
    assert client.post(f"/admin/exams/grading/{row.pk}/", {"points": "1"}).status_code in (302, 403)
    assert client.get("/admin/exams/bank/import/").status_code in (302, 403)
    row.refresh_from_db()
    assert row.grader_id is None
    assert client.get("/admin/exam_attempts/").status_code == 200  # auditors may look
    assert client.get("/admin/exam_attempts/edit/1/").status_code in (302, 403)


def test_regrade_page_after_a_key_fix():
    question = make_question("single")
    exam = make_exam(questions=[question], attempts_allowed=0)
    attempt = finished(exam, lambda kind: "b")
    question_save(question=question, key={"correct": ["b"]})
    __, client = member(roles.TRAINER)
    page = client.get(f"/admin/exams/analysis/{exam.pk}/").content.decode()
    assert f"/admin/exams/regrade/{question.pk}/" in page
    page = client.get(f"/admin/exams/regrade/{question.pk}/").content.decode()
    assert "1 finished attempts drew this question" in page
    page = client.post(f"/admin/exams/regrade/{question.pk}/", {"reason": "答案更正"}, follow=True).content.decode()
    assert "Regraded 1 attempts; 1 scores changed." in page
    attempt.refresh_from_db()
    assert attempt.score == 1 and attempt.regrades.get().reason == "答案更正"


def test_the_grading_queue_names_the_learner_and_says_no_answer_for_an_empty_one():
    from tests.factories import PersonFactory

    exam = make_exam(questions=[make_question("essay", points=5)], requires_second_grader=True)
    person = PersonFactory(name="陈新")
    attempt = attempt_start(exam=exam, user=person.user)
    attempt_submit(attempt=attempt)  # nothing written
    __, client = member(roles.TRAINER)
    page = client.get("/admin/exams/grading/").content.decode()
    assert "陈新" in page and "no answer" in page and SAMPLES["essay"]["text"] in page


def test_the_second_grader_sees_the_first_graders_name_not_their_username():
    from tests.factories import PersonFactory

    exam = make_exam(questions=[make_question("essay", points=5)], requires_second_grader=True)
    row = finished(exam, RIGHT.get).questions.get()
    grader = PersonFactory(name="李培训", user__username="li.trainer").user
    grader.groups.add(Group.objects.get(name=roles.TRAINER))
    first = Client()
    first.force_login(grader)
    first.post(f"/admin/exams/grading/{row.pk}/", {"points": "4", "comment": "好", "action": "grade"})
    __, second = member(roles.TRAINER)
    page = second.get("/admin/exams/grading/").content.decode()
    assert "李培训 (li.trainer) gave 4.00 of 5.00 points." in page


def test_the_question_bank_is_searched_by_text_and_by_external_id():
    """The id in the import sheet is what a trainer has in hand; searching for it answered 500 once."""
    found = make_question("single")
    other = make_question("single", text="访客进入运营区域须由谁陪同？")
    Question = type(found)
    Question.objects.filter(pk=found.pk).update(external_id="SEC-0042")
    __, client = member(roles.TRAINER)
    by_id = client.get("/admin/snippets/lms_exams/question/", {"q": "SEC-0042"})
    assert by_id.status_code == 200
    page = by_id.content.decode()
    assert f"/edit/{found.pk}/" in page and f"/edit/{other.pk}/" not in page
    by_text = client.get("/admin/snippets/lms_exams/question/", {"q": "陪同"}).content.decode()
    assert f"/edit/{other.pk}/" in by_text and f"/edit/{found.pk}/" not in by_text


def test_an_attempts_inspect_page_names_its_language_and_shows_no_codes():
    from django.test import override_settings

    exam = make_exam(questions=[make_question("single")])
    attempt = finished(exam, RIGHT.get)
    Attempt.objects.filter(pk=attempt.pk).update(language="zh-hans")
    __, client = member(roles.TRAINER)
    with override_settings(LANGUAGE_CODE="zh-hans"):
        page = client.get(f"/admin/exam_attempts/inspect/{attempt.pk}/").content.decode()
    assert "简体中文" in page and "zh-hans" not in page.split("<main")[-1].replace('lang="zh-hans"', "")
    assert "已评分" in page and ">graded<" not in page and "True" not in page.split("<main")[-1]
