"""Builders for the exam engine's tests: questions of every type, exams, attempts. Content goes through the
services (revisions, publishing) like the admin and the Excel import do."""

from __future__ import annotations

from decimal import Decimal

from exams.models import Exam, ExamSection, Question
from exams.services.authoring import category_ensure, question_save
from tests.factories import UserFactory

SAMPLES: dict[str, dict] = {
    "single": {
        "text": "进入运营区域前必须做什么？",
        "content": {"options": [{"id": "a", "text": "刷卡登记"}, {"id": "b", "text": "直接进入"},
                                {"id": "c", "text": "电话告知"}]},
        "key": {"correct": ["a"]},
        "option_feedback": {"a": "正确：先刷卡登记。", "b": "错误：禁止尾随进入。"},
    },
    "multiple": {
        "text": "哪些物品禁止带入运营区域？",
        "content": {"options": [{"id": "a", "text": "个人手机"}, {"id": "b", "text": "U盘"},
                                {"id": "c", "text": "工作证"}, {"id": "d", "text": "相机"}]},
        "key": {"correct": ["a", "b", "d"], "partial": True, "penalty": 0.5},
    },
    "truefalse": {"text": "访客可以单独进入运营区域。", "content": {}, "key": {"correct": False}},
    "fill": {
        "text": "涉密文件须存放在____内，钥匙由____保管。",
        "content": {},
        "key": {"blanks": [["保密柜", "保险柜"], ["专人", "专责人员"]], "ignore_case": True, "fold_width": True},
    },
    "numeric": {"text": "门禁卡丢失后须在几小时内报告？", "content": {}, "key": {"value": 24, "tolerance": 0}},
    "matching": {
        "text": "将事件与处置方式配对。",
        "content": {"prompts": [{"id": "p1", "text": "火警"}, {"id": "p2", "text": "尾随"}],
                    "choices": [{"id": "c1", "text": "拨打119并疏散"}, {"id": "c2", "text": "制止并报告"},
                                {"id": "c3", "text": "忽略"}]},
        "key": {"pairs": {"p1": "c1", "p2": "c2"}},
    },
    "ordering": {
        "text": "按顺序排列进入流程。",
        "content": {"items": [{"id": "i1", "text": "登记"}, {"id": "i2", "text": "刷卡"},
                              {"id": "i3", "text": "安检"}]},
        "key": {"order": ["i1", "i2", "i3"]},
    },
    "short": {"text": "保密协议的英文缩写？", "content": {}, "key": {"answers": ["NDA"], "ignore_case": True}},
    "essay": {"text": "简述发现可疑人员时的处置流程。", "content": {}, "key": {}},
}

RIGHT = {
    "single": "a",
    "multiple": ["a", "b", "d"],
    "truefalse": False,
    "fill": ["保密柜", "专人"],
    "numeric": "24",
    "matching": {"p1": "c1", "p2": "c2"},
    "ordering": ["i1", "i2", "i3"],
    "short": "nda",
    "essay": "立即报告安保部门。",
}


def make_question(kind: str = "single", *, category: str = "安全/门禁", points=1, tags=(), difficulty="medium",
                  **overrides) -> Question:
    sample = {**SAMPLES[kind], **overrides}
    return question_save(
        category=category_ensure(path=category),
        kind=kind,
        text=sample["text"],
        content=sample["content"],
        key=sample["key"],
        option_feedback=sample.get("option_feedback", {}),
        general_feedback=sample.get("general_feedback", "通用反馈：请复习门禁制度。"),
        points=Decimal(points),
        difficulty=difficulty,
        tags=tags,
    )


def make_exam(*, questions=(), draw=0, category=None, publish=True, **fields) -> Exam:
    fields.setdefault("title", "门禁安全考试")
    fields.setdefault("pass_percent", 60)
    fields.setdefault("shuffle_questions", False)
    fields.setdefault("shuffle_options", False)
    exam = Exam(live=False, **fields)
    exam.save()
    section = ExamSection(exam=exam, title="第一部分", draw_count=draw, draw_category=category, sort_order=0)
    section.save()
    section.fixed_questions.set(list(questions))
    section.save()
    if publish:
        exam.save_revision().publish()
    return Exam.objects.get(pk=exam.pk)


def make_attempt(*, exam: Exam | None = None, user=None, kinds=("single",)):
    from exams.services.attempts import attempt_start

    user = user or UserFactory()
    exam = exam or make_exam(questions=[make_question(k) for k in kinds])
    return attempt_start(exam=exam, user=user)


def assign(exam: Exam, *users) -> None:
    """Let people take ``exam`` from the learner pages and the API (``exams.access``: a trainer's override)."""
    from exams.models import ExamOverride

    for user in users:
        ExamOverride.objects.get_or_create(exam=exam, user=user)


def as_learner(row, value):
    """A response written with the bank's ids as the learner's browser must send it (the attempt's opaque ids)."""
    from exams.option_ids import IdMap

    return IdMap.for_row(row).response_to_learner(value)
