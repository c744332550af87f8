"""A saved blank answer is not an answer (issue #14; the rule is ``exams.scoring.is_answered``): emptying a text
or fill-in field, or clearing a choice, saves a blank with a save time, and the exam page must still show that
question as unanswered (its status line and, one question per page, its page link, which the submit confirmation
counts), as must the API."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from exams.services.attempts import answers_save, attempt_start
from tests.exams.factories import SAMPLES, as_learner, make_exam, make_question
from tests.factories import UserFactory

KINDS = ("fill", "multiple", "short", "matching", "essay", "single")


def blank_form(attempt, seq):
    """The form the page posts once every field was emptied and every choice cleared (what a browser sends:
    empty text fields and selects, no value for an unticked box)."""
    data = {"seq": seq, "action": "save"}
    for row in attempt.questions.all():
        name = f"q-{row.position}"
        kind = row.snapshot["kind"]
        if kind == "fill":
            data.update({f"{name}-0": "", f"{name}-1": "  "})
        elif kind == "matching":
            data.update({f"{name}-{p['id']}": "" for p in row.snapshot["content"]["prompts"]})
        elif kind in ("short", "essay"):
            data[name] = "   "
    return data


@pytest.fixture
def taken(db):
    exam = make_exam(questions=[make_question(k) for k in KINDS], title="保密考试", layout="one")
    user = UserFactory()
    attempt = attempt_start(exam=exam, user=user)
    rows = {r.position: r for r in attempt.questions.select_related("attempt")}
    answers_save(  # first every question answered, then (the next save) every one emptied or cleared
        attempt=attempt, seq=1, from_learner=True,
        responses={p: as_learner(r, {"fill": ["保密柜", "专人"], "multiple": ["a"], "short": "NDA",
                                     "matching": {"p1": "c1"}, "essay": "报告。", "single": "a"}[r.snapshot["kind"]])
                   for p, r in rows.items() if r.snapshot["kind"] != "single"},
    )
    client = APIClient()
    client.force_login(user)
    url = reverse("lms_exams:attempt", args=[attempt.pk])
    for page in range(1, len(KINDS) + 1):  # one question per page: each page posts its own question
        response = client.post(url, {**blank_form(attempt, seq=page + 1), "page": page})
        assert response.status_code == 302
    attempt.refresh_from_db()
    return client, attempt


def test_emptied_fields_and_cleared_choices_are_saved_but_not_answered(taken):
    client, attempt = taken
    assert not attempt.questions.filter(saved_at__isnull=True).exists()  # each page saved (the choice: untouched)
    page = client.get(reverse("lms_exams:attempt", args=[attempt.pk]) + "?page=2").content.decode()
    nav = re.search(r'<nav class="exam-pages".*?</nav>', page, re.S).group(0)
    assert 'class="answered"' not in nav  # no page link marked answered: the submit confirmation counts all six
    assert "Not answered yet" in page and "Saved <time" not in page


def test_an_answer_given_again_is_answered_on_its_page_link(taken):
    client, attempt = taken
    url = reverse("lms_exams:attempt", args=[attempt.pk])
    short = attempt.questions.get(snapshot__kind="short").position
    client.post(url, {"seq": attempt.next_seq, "action": "save", "page": short, f"q-{short}": "NDA"})
    page = client.get(url + "?page=1").content.decode()
    links = re.findall(r'<a href="\?page=(\d+)"[^>]*class="(answered)?"', page)
    assert [int(n) for n, answered in links if answered] == [short]


def test_the_api_says_which_questions_are_answered(taken):
    client, attempt = taken
    questions = client.get(f"/api/attempts/{attempt.pk}/").json()["questions"]
    assert [q["is_answered"] for q in questions] == [False] * len(KINDS)
    assert all(q["saved_at"] for q in questions)
    assert SAMPLES["fill"]["text"] in [q["text"] for q in questions]
