"""Learner pages and the attempts API, as a person sees them: no JavaScript needed, only their own attempts,
409 on stale saves, and no answer key or feedback in any response before the review options allow."""

import json
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from exams.models import Attempt
from exams.services.attempts import answers_save, attempt_start, attempt_submit
from tests.exams.factories import RIGHT, SAMPLES, as_learner, assign, make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Strings that only the answer keys and feedback contain: the fill-in answers, accepted short answers,
# per-option and general feedback.
SECRETS = ["保密柜", "专责人员", "NDA", "正确：先刷卡登记", "错误：禁止尾随进入", "通用反馈", '"correct"', '"pairs"',
           '"order"', '"answers"', "right_answer", "is_correct"]


def login(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def exam():
    return make_exam(questions=[make_question(k) for k in SAMPLES], title="保密考试", instructions="闭卷，独立完成。")


def form_for(attempt, responses, action="save"):
    """The posted form for answers written with the bank's ids (sent, as a browser does, with the opaque ids)."""
    data = {"seq": attempt.next_seq, "action": action}
    for row in attempt.questions.select_related("attempt"):
        name = f"q-{row.position}"
        kind = row.snapshot["kind"]
        value = as_learner(row, responses.get(kind))
        if value is None:
            continue
        if kind == "fill":
            for i, v in enumerate(value):
                data[f"{name}-{i}"] = v
        elif kind == "matching":
            for p, c in value.items():
                data[f"{name}-{p}"] = c
        elif kind == "ordering":
            for rank, item in enumerate(value, start=1):
                data[f"{name}-{item}"] = rank
        elif kind == "truefalse":
            data[name] = "true" if value else "false"
        else:
            data[name] = value
    return data


def test_start_page_shows_the_rules_and_starting_freezes_an_attempt(exam):
    user = UserFactory()
    assign(exam, user)
    client = login(user)
    page = client.get(reverse("lms_exams:start", args=[exam.pk])).content.decode()
    assert "闭卷，独立完成。" in page and "Start the exam" in page and "Pass mark: 60%" in page
    response = client.post(reverse("lms_exams:start", args=[exam.pk]))
    attempt = user.lms_attempts.get()
    assert response.url == reverse("lms_exams:attempt", args=[attempt.pk])
    page = client.get(response.url).content.decode()
    assert SAMPLES["single"]["text"] in page and 'name="seq" value="1"' in page


@pytest.mark.parametrize(("fields", "says_time_up"), [
    ({}, False), ({"time_limit_minutes": 20}, True),
])
def test_only_a_timed_exam_says_what_happens_when_time_is_up(fields, says_time_up):
    """An untimed check (the agreement's comprehension quiz) must not speak of time running out (issue #14)."""
    exam = make_exam(questions=[make_question("single")], **fields)
    user = UserFactory()
    assign(exam, user)
    page = login(user).get(reverse("lms_exams:start", args=[exam.pk])).content.decode()
    assert "Every answer is saved on the server as you give it." in page
    assert ("When the time is up" in page) is says_time_up


def test_the_submit_button_carries_the_unanswered_confirmation_in_the_page_language(exam):
    user = UserFactory()
    assign(exam, user)
    client = login(user)
    attempt_url = client.post(reverse("lms_exams:start", args=[exam.pk])).url
    client.cookies["django_language"] = "zh-hans"
    page = client.get(attempt_url).content.decode()
    assert 'data-confirm-many="{count} 道题未作答' in page


def test_a_whole_attempt_without_javascript(exam):
    user = UserFactory()
    client = login(user)
    attempt = attempt_start(exam=exam, user=user)
    response = client.post(reverse("lms_exams:attempt", args=[attempt.pk]), form_for(attempt, RIGHT))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Your answers were saved." in page and 'name="seq" value="2"' in page and "nda" in page
    attempt.refresh_from_db()
    assert attempt.questions.get(position=6).response == {"p1": "c1", "p2": "c2"}
    response = client.post(reverse("lms_exams:attempt", args=[attempt.pk]), form_for(attempt, RIGHT, "submit"))
    result = client.get(response.url).content.decode()
    assert "Your attempt was submitted." in result and "graded by a trainer" in result


def test_a_stale_form_is_not_saved_and_says_so(exam):
    user = UserFactory()
    client = login(user)
    attempt = attempt_start(exam=exam, user=user)
    client.post(reverse("lms_exams:attempt", args=[attempt.pk]), form_for(attempt, RIGHT))
    stale = form_for(attempt, {"single": "b"})  # the same seq again, as from a second tab
    page = client.post(reverse("lms_exams:attempt", args=[attempt.pk]), stale, follow=True).content.decode()
    assert "were not saved" in page
    assert attempt.questions.get(position=1).response == "a"
    autosave = client.post(reverse("lms_exams:attempt", args=[attempt.pk]), stale, HTTP_X_AUTOSAVE="1")
    assert autosave.status_code == 409 and autosave.json()["code"] == "stale"


def test_one_question_per_page(exam):
    exam.layout = "one"
    exam.save()
    user = UserFactory()
    client = login(user)
    attempt = attempt_start(exam=exam, user=user)
    page = client.get(reverse("lms_exams:attempt", args=[attempt.pk]) + "?page=2").content.decode()
    assert SAMPLES["multiple"]["text"] in page and SAMPLES["single"]["text"] not in page
    assert "Question 2 of 9" in page


def test_api_full_flow_and_409_on_replay(exam):
    user = UserFactory()
    assign(exam, user)
    client = login(user)
    started = client.post(f"/api/exams/{exam.pk}/attempts/")
    assert started.status_code == 201
    body = started.json()
    assert body["next_seq"] == 1 and len(body["questions"]) == 9
    pk = body["id"]
    rows = {r.position: r for r in Attempt.objects.get(pk=pk).questions.select_related("attempt")}
    answers = {q["position"]: as_learner(rows[q["position"]], RIGHT[q["kind"]]) for q in body["questions"]}
    saved = client.post(f"/api/attempts/{pk}/answers/", {"seq": 1, "answers": answers}, format="json")
    assert saved.status_code == 200 and saved.json()["next_seq"] == 2
    replay = client.post(f"/api/attempts/{pk}/answers/", {"seq": 1, "answers": {"1": "b"}}, format="json")
    detail = replay.json()["detail"]
    assert replay.status_code == 409 and replay.json() == {
        "detail": detail, "code": "stale", "next_seq": 2,
        "error": {"code": "stale", "message": detail, "fields": {}}}
    for wrong in ("zzz", "a"):  # "a" is the bank's id of the right option: the learner's ids are others
        bad = client.post(f"/api/attempts/{pk}/answers/", {"seq": 2, "answers": {"1": wrong}}, format="json")
        assert bad.status_code == 400
    assert client.get(f"/api/attempts/{pk}/").json()["questions"][0]["response"] == as_learner(rows[1], "a")
    assert rows[1].__class__.objects.get(pk=rows[1].pk).response == "a"  # stored in the bank's ids
    submitted = client.post(f"/api/attempts/{pk}/submit/")
    assert submitted.json()["state"] == "needs_grading"
    assert client.get(f"/api/attempts/{pk}/result/").json()["state"] == "needs_grading"


def test_other_peoples_attempts_do_not_exist(exam):
    attempt = attempt_start(exam=exam, user=UserFactory())
    other = login(UserFactory())
    for url in (f"/api/attempts/{attempt.pk}/", f"/api/attempts/{attempt.pk}/result/"):
        assert other.get(url).status_code == 404
    assert other.post(f"/api/attempts/{attempt.pk}/submit/").status_code == 404
    assert other.post(f"/api/attempts/{attempt.pk}/answers/", {"seq": 1, "answers": {}}, format="json").status_code \
        == 404
    assert other.get(reverse("lms_exams:attempt", args=[attempt.pk])).status_code == 404
    assert other.get(reverse("lms_exams:result", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.state == "in_progress" and attempt.next_seq == 1


def test_no_key_or_feedback_leaks_in_any_response_of_an_attempt(exam):
    """Scan every HTML and JSON response of a whole attempt (pages, autosaves, API, result) for the keys."""
    user = UserFactory()
    assign(exam, user)
    client = login(user)
    responses = [client.get(reverse("lms_exams:start", args=[exam.pk]))]
    responses.append(client.post(f"/api/exams/{exam.pk}/attempts/"))
    pk = responses[-1].json()["id"]
    attempt = Attempt.objects.get(pk=pk)
    responses.append(client.get(reverse("lms_exams:attempt", args=[pk])))
    responses.append(client.post(reverse("lms_exams:attempt", args=[pk]), form_for(attempt, {"single": "b"}),
                                 HTTP_X_AUTOSAVE="1"))
    responses.append(client.get(f"/api/attempts/{pk}/"))
    attempt.refresh_from_db()
    wrong = {"single": "b", "multiple": ["c"], "fill": ["x", "y"], "short": "n", "numeric": "1"}
    responses.append(client.post(f"/api/attempts/{pk}/answers/", {"seq": attempt.next_seq, "answers": {
        str(r.position): as_learner(r, wrong[r.snapshot["kind"]])
        for r in attempt.questions.select_related("attempt") if r.snapshot["kind"] in wrong
    }}, format="json"))
    responses.append(client.post(f"/api/attempts/{pk}/submit/"))
    responses.append(client.get(f"/api/attempts/{pk}/result/"))
    responses.append(client.get(f"/api/attempts/{pk}/"))
    responses.append(client.get(reverse("lms_exams:result", args=[pk])))
    responses.append(client.get(reverse("lms_exams:start", args=[exam.pk])))
    for response in responses:
        assert response.status_code in (200, 201), response
        text = response.content.decode()
        text = json.dumps(json.loads(text), ensure_ascii=False) if response["Content-Type"].startswith(
            "application/json") else text
        found = [s for s in SECRETS if s in text]
        assert not found, (response.request["PATH_INFO"], found)


def test_review_options_reveal_keys_and_feedback_only_when_allowed(exam):
    exam.review_after_answers = exam.review_after_feedback = exam.review_after_correctness = True
    exam.save()
    user = UserFactory()
    client = login(user)
    attempt = attempt_start(exam=exam, user=user)
    answers_save(attempt=attempt, seq=1, responses={1: "b"})
    attempt_submit(attempt=attempt)
    page = client.get(reverse("lms_exams:result", args=[attempt.pk])).content.decode()
    assert "Right answer" in page and "刷卡登记" in page and "错误：禁止尾随进入" in page and "Not correct" in page
    assert re.search(r"保密柜 / 保险柜", page)


def test_attempt_page_queries_do_not_grow_with_the_number_of_questions(django_assert_max_num_queries):
    def queries_for(count):
        user = UserFactory()
        exam = make_exam(questions=[make_question("single") for __ in range(count)])
        attempt = attempt_start(exam=exam, user=user)
        client = login(user)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("lms_exams:attempt", args=[attempt.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(2) == queries_for(20)


# --- an untouched ordering question is not answered (#20) ---------------------------------------------------------


def posted_as_shown(page: str) -> dict:
    """What the browser sends for the page as shown, nothing touched: every input's value (checkboxes unticked)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="checkbox"' in tag or 'type="radio"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    return data


def ordering_attempt():
    exam = make_exam(questions=[make_question("ordering", points=3)])
    user = UserFactory()
    return login(user), attempt_start(exam=exam, user=user)


def test_an_untouched_ordering_question_is_sent_as_not_answered_and_scores_zero():
    client, attempt = ordering_attempt()
    url = reverse("lms_exams:attempt", args=[attempt.pk])
    page = client.get(url).content.decode()
    assert "The order shown is my answer" in page and "Not answered yet" in page
    client.post(url, {**posted_as_shown(page), "action": "submit"})
    row = attempt.questions.get()
    attempt.refresh_from_db()
    assert row.response is None and row.earned == 0 and attempt.score == 0


def test_the_server_scores_an_ordering_with_no_numbers_zero_whatever_else_is_posted():
    client, attempt = ordering_attempt()
    items = [i["id"] for i in attempt.questions.get().snapshot["content"]["items"]]
    learner = [as_learner(attempt.questions.get(), [i])[0] for i in items]
    data = {"seq": attempt.next_seq, "action": "submit", **{f"q-1-{i}": "" for i in learner}}
    client.post(reverse("lms_exams:attempt", args=[attempt.pk]), data)
    row = attempt.questions.get()
    assert row.response is None and row.earned == 0


def test_keeping_the_shown_order_or_numbering_the_items_is_an_answer():
    client, attempt = ordering_attempt()
    url = reverse("lms_exams:attempt", args=[attempt.pk])
    page = client.get(url).content.decode()
    client.post(url, {**posted_as_shown(page), "q-1-keep": "1"})
    row = attempt.questions.get()
    assert row.response == [i["id"] for i in row.snapshot["content"]["items"]]  # the shown order, as chosen
    page = client.get(url).content.decode()
    assert "The order shown is my answer" not in page  # now the numbers are shown instead
    attempt.refresh_from_db()
    client.post(url, {**form_for(attempt, {"ordering": RIGHT["ordering"]}), "action": "submit"})
    row.refresh_from_db()
    assert row.response == RIGHT["ordering"] and row.earned == 3


# --- the result page: attempts left, try again, the way back (#20) -------------------------------------------------


def finish(user, exam, answer):
    attempt = attempt_start(exam=exam, user=user)
    answers_save(attempt=attempt, seq=attempt.next_seq, responses={1: answer})
    attempt_submit(attempt=attempt)
    return attempt


def test_the_result_page_says_how_many_attempts_are_left_and_offers_another_and_the_way_back():
    exam = make_exam(questions=[make_question("single")], attempts_allowed=2)
    user = UserFactory()
    assign(exam, user)
    client = login(user)
    client.get(reverse("lms_exams:start", args=[exam.pk]) + "?return_to=/training/security/")
    first = finish(user, exam, "b")
    page = client.get(reverse("lms_exams:result", args=[first.pk])).content.decode()
    assert "Not passed" in page and "You have 1 attempt left of 2." in page
    start_url = reverse("lms_exams:start", args=[exam.pk])
    assert f'action="{start_url}"' in page and "Take the exam again" in page
    assert 'href="/training/security/"' in page and "Continue where you came from" in page

    response = client.post(start_url)  # the retake button
    second = user.lms_attempts.get(number=2)
    assert response.url == reverse("lms_exams:attempt", args=[second.pk])
    page = client.get(reverse("lms_exams:result", args=[first.pk])).content.decode()
    assert "Continue your attempt" in page and "Take the exam again" not in page  # one attempt at a time

    answers_save(attempt=second, seq=second.next_seq, responses={1: "b"})
    attempt_submit(attempt=second)
    page = client.get(reverse("lms_exams:result", args=[second.pk])).content.decode()
    assert "You have used all your attempts." in page and "Take the exam again" not in page
    assert 'href="/training/security/"' in page


def test_without_a_page_to_return_to_the_result_leads_back_to_the_exam():
    exam = make_exam(questions=[make_question("single")], attempts_allowed=0)
    user = UserFactory()
    assign(exam, user)
    attempt = finish(user, exam, "a")
    page = login(user).get(reverse("lms_exams:result", args=[attempt.pk])).content.decode()
    assert "Passed" in page and "Attempts: unlimited." in page and "Take the exam again" in page
    assert f'href="{reverse("lms_exams:start", args=[exam.pk])}"' in page and "Back to the exam" in page


def test_the_course_sends_its_final_exam_the_way_back():
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    exam = make_exam(questions=[make_question("single")])
    request = RequestFactory().get("/training/security/")
    html = render_to_string("lms_courses/includes/final_exam.html", {"final_exam": {"exam": exam}}, request=request)
    assert f'href="/exams/{exam.pk}/?return_to=/training/security/"' in html
