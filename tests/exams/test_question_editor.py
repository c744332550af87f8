"""The question editor's server side: the editor and picker widgets on the admin pages (our own script, no inline
one), the live preview (the learner's template, never the key, only for authors), the fixed-question search,
and the server's checks as the final word on what the editor posts."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from exams.bank import check_question, preview_question
from exams.models import Question
from exams.services.authoring import category_ensure
from lms import roles
from tests.exams.factories import SAMPLES, make_exam, make_question
from tests.factories import UserFactory


def member(role):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def test_the_preview_of_a_fill_in_question_counts_its_blanks_and_holds_no_answer():
    question = preview_question(kind="fill", text="____ 和 ____", content={}, key=SAMPLES["fill"]["key"], points=1)
    assert question["blanks"] == 2 and "保密柜" not in json.dumps(question, ensure_ascii=False)
    broken = preview_question(kind="single", text="x", content={"options": ["a", {"id": 1}]}, key=[], points=1)
    assert broken["options"] == [{"id": "1", "text": ""}]


@pytest.mark.django_db
def test_the_editor_and_its_script_are_on_the_question_page():
    client = member(roles.TRAINER)
    html = client.get("/admin/snippets/lms_exams/question/add/").content.decode()
    assert "data-question-editor" in html and "lms_exams/question_editor.js" in html
    assert 'data-question-json="key"' in html and "Options and answer key" in html
    question = make_question("matching")
    html = client.get(f"/admin/snippets/lms_exams/question/edit/{question.pk}/").content.decode()
    assert "拨打119并疏散" in html  # the stored options, for the editor to read


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(SAMPLES))
def test_the_preview_is_the_learners_question_without_its_key(kind):
    client = member(roles.TRAINER)
    sample = SAMPLES[kind]
    response = client.post("/admin/exams/questions/preview/", {
        "kind": kind, "text": sample["text"], "points": "2",
        "content": json.dumps(sample["content"]), "key": json.dumps(sample["key"]),
    })
    html = response.content.decode()
    assert response.status_code == 200 and sample["text"] in html and 'class="exam-question' in html
    for option in sample["content"].get("options", []):
        assert option["text"] in html
    assert "Right answer" not in html and "正确：先刷卡登记" not in html
    if kind == "fill":
        assert html.count('type="text"') == 2 and "保密柜" not in html
    if kind == "short":
        assert "NDA" not in html


@pytest.mark.django_db
def test_only_authors_get_a_preview():
    learner = Client()
    learner.force_login(UserFactory())
    response = learner.post("/admin/exams/questions/preview/", {"kind": "single", "text": "x"})
    assert response.status_code in (302, 403) and "exam-question" not in response.content.decode()
    response = member(roles.AUDITOR).post("/admin/exams/questions/preview/", {"kind": "single", "text": "x"})
    assert response.status_code in (302, 403) and "exam-question" not in response.content.decode()


@pytest.mark.django_db
def test_the_fixed_question_search_by_text_category_tag_and_type():
    gate = make_question("single", category="安全管理/门禁", tags=["门禁"])
    visitor = make_question("truefalse", category="安全管理/访客", tags=["访客"])
    make_question("essay", category="应急/消防")
    client = member(roles.TRAINER)

    def found(**params):
        data = client.get("/admin/exams/questions/pick/", params).json()
        return [row["id"] for row in data["results"]]

    assert sorted(found(category=category_ensure(path="安全管理").pk)) == sorted([gate.pk, visitor.pk])
    assert found(tag="访客") == [visitor.pk]
    assert found(q="运营 单独") == [visitor.pk]
    assert found(kind="single") == [gate.pk]
    assert found(category="nonsense") == []
    row = client.get("/admin/exams/questions/pick/", {"tag": "门禁"}).json()["results"][0]
    assert row["category"] == "安全管理 / 门禁" and row["kind"] == "Single choice" and row["tags"] == ["门禁"]


@pytest.mark.django_db
def test_an_exam_section_lists_only_its_fixed_questions():
    chosen = make_question("single")
    other = make_question("short")
    exam = make_exam(questions=[chosen])
    html = member(roles.TRAINER).get(f"/admin/snippets/lms_exams/exam/edit/{exam.pk}/").content.decode()
    picked = re.search(r'<select name="sections-0-fixed_questions".*?</select>', html, re.S).group(0)
    assert f'<option value="{chosen.pk}" selected>' in picked and f'value="{other.pk}"' not in picked
    assert "保密协议的英文缩写" not in html  # the rest of the bank is searched, not listed


@pytest.mark.django_db
def test_what_the_editor_posts_is_checked_by_the_server_and_bad_input_changes_nothing():
    client = member(roles.TRAINER)
    category = category_ensure(path="安全管理")
    form = {
        "category": category.pk, "kind": "single", "difficulty": "medium", "points": "1", "text": "题目",
        "content": json.dumps({"options": [{"id": "a", "text": "甲"}, {"id": "b", "text": "乙"}]}),
        "key": json.dumps({"correct": []}), "option_feedback": "{}", "general_feedback": "", "tags": "",
        "external_id": "", "action-publish": "action-publish",
    }
    html = client.post("/admin/snippets/lms_exams/question/add/", form).content.decode()
    assert "Mark at least one right option." in html and not Question.objects.exists()
    form["key"] = json.dumps({"correct": ["b"]})
    assert client.post("/admin/snippets/lms_exams/question/add/", form).status_code == 302
    question = Question.objects.get()
    assert question.live and question.key == {"correct": ["b"]}


def test_an_empty_option_left_in_the_editor_is_refused():
    options = {"options": [{"id": "a", "text": "刷卡登记"}, {"id": "b", "text": "  "}]}
    assert check_question(kind="single", content=options, key={"correct": ["a"]}) == [
        "Every option, prompt, choice and item needs a text (remove the empty ones)."]
    items = {"items": [{"id": "i1", "text": "登记"}, {"id": "i2", "text": ""}]}
    assert check_question(kind="ordering", content=items, key={"order": ["i1", "i2"]})
    assert check_question(kind="single", content=SAMPLES["single"]["content"], key={"correct": ["a"]}) == []
