"""A trainer writes every question type in the admin's question editor, without typing any JSON: options with
the right ones marked, blanks with accepted variants, a number with its tolerance, pairs, an order; the live
preview shows the question as a learner will (never the key); what is stored is the shape scoring reads. Then an
exam section's fixed questions are found by text, category and tag instead of one list of the whole bank."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from exams.models import Exam, Question
from exams.services.authoring import category_ensure
from lms import roles
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ADD = "/admin/snippets/lms_exams/question/add/"
ROWS = {"Option": "option", "Item": "item", "Choice": "choice", "Prompt": "prompt", "Accepted answer": "answer"}


def sign_in(page, live_server):
    trainer = UserFactory(username="trainer")
    trainer.groups.add(Group.objects.get(name=roles.TRAINER))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "trainer")
    page.fill("#id_password", "pw-123456!")
    page.click("button[type=submit]:not(.lang-switch button)")
    page.wait_for_url("**/admin/")


def new_question(page, live_server, *, kind: str, text: str, category) -> None:
    page.goto(f"{live_server.url}{ADD}")
    # the category's own chooser is Wagtail's (not under test here): its hidden input gets the choice
    page.eval_on_selector("#id_category", "(input, pk) => { input.value = pk; }", str(category.pk))
    page.select_option("#id_kind", kind)
    page.fill("#id_text", text)
    expect(page.locator(".lms-qe__form")).to_have_attribute("data-kind", kind)


def publish(page) -> None:
    page.click("footer .w-dropdown__toggle")
    page.click("button[name='action-publish']")
    # the list, for the locale the question is in (Wagtail adds ?locale= once content is translatable)
    page.wait_for_url(re.compile(r".*/admin/snippets/lms_exams/question/(\?locale=[\w-]+)?$"))


def preview(page):
    body = page.locator(".lms-qe__preview-body")
    expect(body.locator("fieldset.exam-question")).to_be_visible()
    return body


def fill_list(page, label: str, values: list[str]) -> None:
    """Type one value per row of a list, adding rows as needed (the editor starts with two option or item rows,
    one answer or blank row)."""
    for i, value in enumerate(values, start=1):
        field = page.get_by_label(f"{label} {i}", exact=True)
        if not field.count():
            page.locator(f"button[data-add='{ROWS[label]}']").click()
        page.get_by_label(f"{label} {i}", exact=True).fill(value)


def test_a_trainer_writes_every_question_type_without_json(live_server, page, shot):
    category = category_ensure(path="安全管理/门禁与出入")
    sign_in(page, live_server)

    # single choice: the right option marked, feedback for a wrong one; the preview shows the options, not the key
    new_question(page, live_server, kind="single", text="进入运营区域前必须做什么？", category=category)
    fill_list(page, "Option", ["直接进入", "刷卡登记", "电话告知"])
    page.locator("li[data-option='b'] input[type=radio]").check()
    page.locator("li[data-option='a'] .lms-qe__feedback").fill("禁止直接进入。")
    body = preview(page)
    expect(body).to_contain_text("刷卡登记")
    expect(body.locator("input[type=radio]")).to_have_count(3)
    assert "禁止直接进入" not in body.inner_html()
    expect(page.locator("textarea[name='key']")).to_be_hidden()  # no JSON in sight
    shot(page, "editor-01-single-choice")
    publish(page)
    q = Question.objects.get(kind="single")
    assert q.live and q.content == {"options": [{"id": "a", "text": "直接进入"}, {"id": "b", "text": "刷卡登记"},
                                                {"id": "c", "text": "电话告知"}]}
    assert q.key == {"correct": ["b"]} and q.option_feedback == {"a": "禁止直接进入。"}

    # multiple choice with partial credit; an option moved up and one removed
    new_question(page, live_server, kind="multiple", text="哪些物品禁止带入运营区域？", category=category)
    fill_list(page, "Option", ["个人手机", "工作证", "U盘", "相机"])
    page.locator("li[data-option='d'] button[aria-label^='Move up']").click()  # 相机 before U盘
    page.locator("li[data-option='b'] button[aria-label^='Remove']").click()  # 工作证 is allowed: gone
    for option in ("a", "c", "d"):
        page.locator(f"li[data-option='{option}'] input[type=checkbox]").check()
    page.get_by_label("Partial credit: each right pick earns its share").check()
    page.get_by_label("Penalty for a wrong pick (0–1 of a share)").fill("0.5")
    expect(preview(page).locator("input[type=checkbox]")).to_have_count(3)
    shot(page, "editor-02-multiple-choice")
    publish(page)
    q = Question.objects.get(kind="multiple")
    assert [o["text"] for o in q.content["options"]] == ["个人手机", "相机", "U盘"]
    assert sorted(q.key["correct"]) == ["a", "c", "d"] and q.key["partial"] is True and q.key["penalty"] == 0.5

    # true / false
    new_question(page, live_server, kind="truefalse", text="访客可以单独进入运营区域。", category=category)
    page.get_by_label("False", exact=True).first.check()
    publish(page)
    assert Question.objects.get(kind="truefalse").key == {"correct": False}

    # fill in the blanks: two blanks, the first with an accepted variant
    new_question(page, live_server, kind="fill", text="涉密文件须存放在____内，钥匙由____保管。", category=category)
    page.get_by_label("Blank 1 · Accepted answer 1", exact=True).fill("保密柜")
    page.locator("li[data-blank='0']").get_by_role("button", name="Add an accepted variant").click()
    page.get_by_label("Blank 1 · Accepted answer 2", exact=True).fill("保险柜")
    page.locator("button[data-add='blank']").click()
    page.get_by_label("Blank 2 · Accepted answer 1", exact=True).fill("专人")
    page.get_by_label("Full-width and half-width characters alike").check()
    expect(preview(page).locator("input[type=text]")).to_have_count(2)
    assert "保险柜" not in page.locator(".lms-qe__preview-body").inner_html()
    shot(page, "editor-03-fill-in")
    publish(page)
    q = Question.objects.get(kind="fill")
    assert q.key == {"blanks": [["保密柜", "保险柜"], ["专人"]], "ignore_case": False, "fold_width": True}

    # numeric with a tolerance
    new_question(page, live_server, kind="numeric", text="门禁卡丢失后须在几小时内报告？", category=category)
    page.get_by_label("Right value").fill("24")
    page.get_by_label("Tolerance (±)").fill("0.5")
    publish(page)
    assert Question.objects.get(kind="numeric").key == {"value": 24, "tolerance": 0.5}

    # matching: two prompts, three choices (one a distractor), each prompt given its match
    new_question(page, live_server, kind="matching", text="将事件与处置方式配对。", category=category)
    fill_list(page, "Choice", ["制止并报告", "拨打119并疏散", "忽略"])
    fill_list(page, "Prompt", ["尾随", "火警"])
    page.get_by_label("Matches (Prompt 1)").select_option(label="制止并报告")
    page.get_by_label("Matches (Prompt 2)").select_option(label="拨打119并疏散")
    expect(preview(page).locator("select")).to_have_count(2)
    shot(page, "editor-04-matching")
    publish(page)
    q = Question.objects.get(kind="matching")
    assert q.content["prompts"] == [{"id": "p1", "text": "尾随"}, {"id": "p2", "text": "火警"}]
    assert len(q.content["choices"]) == 3 and q.key == {"pairs": {"p1": "c1", "p2": "c2"}}

    # ordering: the items in their right order, one moved into place
    new_question(page, live_server, kind="ordering", text="按顺序排列进入流程。", category=category)
    fill_list(page, "Item", ["刷卡", "登记", "安检"])
    page.locator("li[data-item='i2'] button[aria-label^='Move up']").click()  # 登记 first
    publish(page)
    q = Question.objects.get(kind="ordering")
    order = [next(i["text"] for i in q.content["items"] if i["id"] == item) for item in q.key["order"]]
    assert order == ["登记", "刷卡", "安检"]

    # short answer with two accepted answers, case ignored
    new_question(page, live_server, kind="short", text="保密协议的英文缩写？", category=category)
    fill_list(page, "Accepted answer", ["NDA", "保密协议"])
    page.get_by_label("Ignore upper / lower case").check()
    publish(page)
    assert Question.objects.get(kind="short").key == {"answers": ["NDA", "保密协议"], "ignore_case": True,
                                                       "fold_width": False, "manual": False}

    # essay: nothing to key in
    new_question(page, live_server, kind="essay", text="简述发现可疑人员时的处置流程。", category=category)
    expect(page.locator(".lms-qe__form")).to_contain_text("graded by a person")
    expect(preview(page).locator("textarea")).to_have_count(1)
    publish(page)
    assert Question.objects.get(kind="essay").key == {}
    assert Question.objects.filter(live=True).count() == 9


def test_a_wrong_question_is_refused_with_its_reason_and_changes_nothing(live_server, page, shot):
    category = category_ensure(path="安全管理")
    sign_in(page, live_server)
    new_question(page, live_server, kind="single", text="没有标出正确选项的题目", category=category)
    fill_list(page, "Option", ["甲", "乙"])
    publish_attempt = page.locator("footer .w-dropdown__toggle")
    publish_attempt.click()
    page.click("button[name='action-publish']")
    problems = page.locator(".lms-qe__problems")
    expect(problems).to_contain_text("Mark at least one right option.")
    expect(page.get_by_label("Option 1", exact=True)).to_have_value("甲")  # what was typed is kept
    shot(page, "editor-05-refused")
    assert not Question.objects.exists()


def test_fixed_questions_are_found_by_text_category_and_tag(live_server, page, shot):
    make_question("single", category="安全管理/门禁", tags=["门禁"])
    wanted = make_question("truefalse", category="安全管理/访客", tags=["访客"])
    make_question("essay", category="应急/消防")
    exam = make_exam(questions=[], title="访客管理考试")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/snippets/lms_exams/exam/edit/{exam.pk}/")
    picker = page.locator("[data-question-picker]").first
    expect(picker).to_contain_text("No fixed questions yet")
    picker.locator("[data-qp-category]").select_option(label="安全管理")
    results = picker.locator(".lms-qp__results li")
    expect(results).to_have_count(2)  # the category and below, not 应急
    picker.locator("[data-qp-tag]").fill("访客")
    picker.locator("[data-qp-tag]").press("Enter")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("访客可以单独进入运营区域")
    results.first.get_by_role("button", name="Add").click()
    expect(picker.locator(".lms-qp__chosen li")).to_have_count(1)
    shot(page, "editor-06-fixed-question-picker")
    page.click("footer .w-dropdown__toggle")
    page.click("button[name='action-publish']")
    page.wait_for_url("**/admin/snippets/lms_exams/exam/")
    exam = Exam.objects.get(pk=exam.pk)
    assert list(exam.sections.get().fixed_questions.values_list("pk", flat=True)) == [wanted.pk]
