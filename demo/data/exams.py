# ruff: noqa: E501  (a table of demo questions: one question per line reads best)
"""Exam demo data: a bank of Chinese questions drawn from the closed-area policy (every question type), and the
final exams of the security and confidentiality courses. Built through the exam services; idempotent."""

from __future__ import annotations

import random
from decimal import Decimal

from wagtail.models import Revision

from courses.models import CoursePage
from courses.progress import CompletionRule
from exams import localization
from exams.models import Exam, Question
from exams.services.authoring import category_ensure, exam_create, question_save


def _opts(*texts: str) -> dict:
    return {"options": [{"id": chr(97 + i), "text": t} for i, t in enumerate(texts)]}


SEC_ACCESS = "安全管理/门禁与出入"
SEC_ITEMS = "安全管理/通讯与物品"
SEC_SITE = "安全管理/安全设施"
CONF = "保密管理"
FLOW = "工作流程"
EMERG = "应急管理"

# (id, category, kind, text, content, key, points, difficulty, tags, feedback, option feedback)
BANK: list[tuple] = [
    ("S01", SEC_ACCESS, "single", "运营区域入口设置什么系统来限制人员进出？", _opts("门禁系统", "广播系统", "考勤系统", "排班系统"),
     {"correct": ["a"]}, 1, "easy", ["门禁"], "制度规定运营区域入口设置门禁系统。", {"a": "正确。", "b": "广播系统不能限制进出。"}),
    ("S02", SEC_ACCESS, "single", "外来人员进入运营区域，需满足以下哪项条件？",
     _opts("提前申请、经批准并由运营人员陪同", "出示身份证即可", "由保安口头同意", "工作时间内可自由进入"),
     {"correct": ["a"]}, 1, "medium", ["访客"], "外来人员须提前申请，批准后在运营人员陪同下进入。", {}),
    ("S03", SEC_ACCESS, "multiple", "外来人员进入运营区域时必须登记哪些信息？",
     _opts("姓名", "单位", "事由", "进入时间", "预计离开时间", "家庭住址"),
     {"correct": ["a", "b", "c", "d", "e"], "partial": True, "penalty": 0.5}, 2, "medium", ["访客"],
     "登记内容：姓名、单位、事由、进入时间、预计离开时间。", {"f": "家庭住址不在登记要求之内。"}),
    ("S04", SEC_ACCESS, "truefalse", "运营人员入职时需提交健康证明和无犯罪记录证明。", {}, {"correct": True}, 1, "easy",
     ["入职"], "入职需提交个人健康证明、无犯罪记录证明等材料。", {}),
    ("S05", SEC_ACCESS, "truefalse", "背景审查由运营部门单独完成。", {}, {"correct": False}, 1, "medium", ["入职"],
     "背景审查由人力资源部门和运营部门共同进行。", {}),
    ("S06", SEC_ACCESS, "fill", "新入职运营人员经____审查通过后，方可发放运营区域____。", {},
     {"blanks": [["背景"], ["通行证"]], "ignore_case": True, "fold_width": True}, 2, "medium", ["入职"],
     "审查通过后发放运营区域通行证。", {}),
    ("S07", SEC_ACCESS, "single", "运营人员离开运营区域时应当怎么做？",
     _opts("向主管领导报备并说明原因和预计返回时间", "直接离开", "告诉同事即可", "下班后统一说明"),
     {"correct": ["a"]}, 1, "easy", ["出入"], "离开运营区域需向主管领导报备。", {}),
    ("S08", SEC_ACCESS, "ordering", "请按正确顺序排列外来人员进入运营区域的步骤。",
     {"items": [{"id": "i1", "text": "向运营部门提前申请"}, {"id": "i2", "text": "获得批准"},
                {"id": "i3", "text": "登记姓名、单位、事由等信息"}, {"id": "i4", "text": "在运营人员陪同下进入"}]},
     {"order": ["i1", "i2", "i3", "i4"]}, 2, "medium", ["访客"], "先申请，再批准，登记后陪同进入。", {}),
    ("S09", SEC_ACCESS, "short", "运营区域与其他区域之间采用什么方式隔离？（四个字）", {},
     {"answers": ["物理隔离"], "fold_width": True}, 1, "easy", ["门禁"], "运营区域与其他区域进行物理隔离。", {}),
    ("S10", SEC_ITEMS, "multiple", "下列哪些物品严禁带入运营区域？", _opts("食品", "饮料", "易燃物品", "工作所需的文件"),
     {"correct": ["a", "b", "c"]}, 2, "easy", ["物品"], "非运营工作所需物品如食品、饮料、易燃物品严禁带入。", {}),
    ("S11", SEC_ITEMS, "single", "运营人员在运营区域内需要与外部联系时，应当使用什么？",
     _opts("区域内设置的专用通讯设备", "个人手机", "对讲机", "个人邮箱"), {"correct": ["a"]}, 1, "easy", ["通讯"],
     "运营区域内限制使用外部通讯设备。", {"b": "个人手机属于受限的外部通讯设备。"}),
    ("S12", SEC_ITEMS, "truefalse", "内部通讯可以使用任何方便的即时通讯软件。", {}, {"correct": False}, 1, "easy",
     ["通讯"], "内部通讯须采用公司统一的通讯工具。", {}),
    ("S13", SEC_ITEMS, "fill", "硬盘、U盘等数据存储介质的使用和传递必须进行____和____。", {},
     {"blanks": [["登记"], ["审批"]], "fold_width": True}, 2, "medium", ["物品", "数据"],
     "存储介质的使用和传递须登记和审批。", {}),
    ("S14", SEC_ITEMS, "matching", "将物品与管理要求配对。",
     {"prompts": [{"id": "p1", "text": "U盘"}, {"id": "p2", "text": "办公设备"}, {"id": "p3", "text": "饮料"}],
      "choices": [{"id": "c1", "text": "登记并审批后使用"}, {"id": "c2", "text": "专人管理、定期盘点"},
                  {"id": "c3", "text": "严禁带入"}, {"id": "c4", "text": "无需管理"}]},
     {"pairs": {"p1": "c1", "p2": "c2", "p3": "c3"}}, 3, "medium", ["物品"], "", {}),
    ("S15", SEC_ITEMS, "single", "运营区域内的办公用品和设备由谁负责管理和维护？",
     _opts("专人", "所有人轮流", "外包公司", "无需管理"), {"correct": ["a"]}, 1, "easy", ["物品"], "", {}),
    ("S16", SEC_SITE, "multiple", "运营区域应配备哪些安全设施？", _opts("监控设备", "消防设备", "防盗报警设备", "娱乐设施"),
     {"correct": ["a", "b", "c"], "partial": True, "penalty": 1}, 2, "easy", ["设施"], "", {}),
    ("S17", SEC_SITE, "truefalse", "安全设施只需在安装时检查一次。", {}, {"correct": False}, 1, "easy", ["设施"],
     "安全设施要定期检查和维护。", {}),
    ("S18", SEC_SITE, "essay", "在安全巡查中发现门禁故障，你会如何处置？请说明步骤。", {}, {}, 5, "hard", ["巡查"],
     "要点：立即报告、临时管控出入、登记、跟踪维修、复查。", {}),
    ("S19", SEC_SITE, "single", "加强安全巡查的目的是什么？", _opts("及时发现和消除安全隐患", "统计出勤", "检查着装", "记录访客"),
     {"correct": ["a"]}, 1, "easy", ["巡查"], "", {}),
    ("S20", SEC_ACCESS, "numeric", "某访客上午9:00进入，预计离开时间为11:30，其预计停留多少小时？", {},
     {"value": 2.5, "tolerance": 0.01}, 1, "medium", ["访客"], "11:30 − 9:00 = 2.5 小时。", {}),
    ("C01", CONF, "single", "运营人员入职时必须签订什么协议？", _opts("保密协议", "租赁协议", "采购协议", "无需签订"),
     {"correct": ["a"]}, 1, "easy", ["协议"], "", {}),
    ("C02", CONF, "multiple", "下列哪些信息属于必须保密的内容？", _opts("运营数据", "业务信息", "客户资料", "公司公开的招聘广告"),
     {"correct": ["a", "b", "c"], "partial": True, "penalty": 0.5}, 2, "medium", ["保密范围"], "", {}),
    ("C03", CONF, "truefalse", "保密信息可以告知与工作无关的同事，只要对方承诺不外传。", {}, {"correct": False}, 1, "easy",
     ["保密范围"], "不得泄露给任何无关人员。", {}),
    ("C04", CONF, "fill", "传递、使用和存储保密信息时，要采取____、____等安全措施。", {},
     {"blanks": [["加密"], ["隔离"]], "fold_width": True}, 2, "medium", ["措施"], "", {}),
    ("C05", CONF, "single", "发现保密信息泄露事件后，首先应当怎么做？",
     _opts("立即采取措施进行调查和处理", "等待下次例会再汇报", "删除相关记录", "自行联系媒体澄清"),
     {"correct": ["a"]}, 1, "medium", ["泄露"], "", {"c": "删除记录会妨碍调查。"}),
    ("C06", CONF, "short", "保密协议常用的英文缩写是什么？", {}, {"answers": ["NDA"], "ignore_case": True,
                                                          "fold_width": True}, 1, "easy", ["协议"], "", {}),
    ("C07", CONF, "essay", "请结合本岗位，说明你将如何保护客户资料。", {}, {}, 5, "hard", ["保密范围"], "", {}),
    ("C08", CONF, "matching", "将保密场景与正确做法配对。",
     {"prompts": [{"id": "p1", "text": "外部人员询问客户信息"}, {"id": "p2", "text": "需要传输运营数据"},
                  {"id": "p3", "text": "怀疑信息已经泄露"}],
      "choices": [{"id": "c1", "text": "拒绝并报告"}, {"id": "c2", "text": "加密后经审批传输"},
                  {"id": "c3", "text": "立即上报并配合调查"}]},
     {"pairs": {"p1": "c1", "p2": "c2", "p3": "c3"}}, 3, "medium", ["泄露"], "", {}),
    ("C09", CONF, "truefalse", "内部通讯要确保通讯内容的保密性和可追溯性。", {}, {"correct": True}, 1, "easy", ["通讯"],
     "", {}),
    ("C10", CONF, "single", "违反保密制度导致泄露，将会怎样？", _opts("追究相关人员的责任", "不作处理", "仅口头提醒", "由客户自行承担"),
     {"correct": ["a"]}, 1, "easy", ["泄露"], "", {}),
    ("C11", CONF, "ordering", "请按顺序排列处理保密信息泄露事件的步骤。",
     {"items": [{"id": "i1", "text": "发现并立即报告"}, {"id": "i2", "text": "采取措施控制影响"},
                {"id": "i3", "text": "调查原因"}, {"id": "i4", "text": "追究责任并整改"}]},
     {"order": ["i1", "i2", "i3", "i4"]}, 2, "hard", ["泄露"], "", {}),
    ("C12", CONF, "multiple", "数据存储应做到哪些？", _opts("采用安全可靠的方式", "定期备份", "防止数据丢失", "存放在个人网盘"),
     {"correct": ["a", "b", "c"]}, 2, "medium", ["数据"], "", {"d": "个人网盘不是安全可靠的存储方式。"}),
    ("F01", FLOW, "single", "对于关键业务操作，实行什么制度？", _opts("双人复核制度", "一人负责制", "事后抽查制", "自愿登记制"),
     {"correct": ["a"]}, 1, "easy", ["复核"], "关键业务操作实行双人复核制度。", {}),
    ("F02", FLOW, "ordering", "请按顺序排列运营人员的日常工作流程。",
     {"items": [{"id": "i1", "text": "按时到岗签到"}, {"id": "i2", "text": "进入运营区域"},
                {"id": "i3", "text": "按流程完成运营工作"}, {"id": "i4", "text": "总结记录当天工作"}]},
     {"order": ["i1", "i2", "i3", "i4"]}, 2, "easy", ["日常"], "", {}),
    ("F03", FLOW, "truefalse", "工作中发现异常情况，应及时向上级汇报并按应急预案处理。", {}, {"correct": True}, 1, "easy",
     ["日常"], "", {}),
    ("F04", FLOW, "multiple", "数据收集过程中要确保数据的哪些特性？", _opts("真实性", "完整性", "及时性", "趣味性"),
     {"correct": ["a", "b", "c"], "partial": True, "penalty": 0.5}, 2, "medium", ["数据"], "", {}),
    ("F05", FLOW, "numeric", "考核周期分为月度、季度和年度。一年共有多少次季度考核？", {}, {"value": 4, "tolerance": 0}, 1,
     "easy", ["考核"], "", {}),
    ("F06", FLOW, "short", "考核结果与绩效奖金、晋升和什么挂钩？（两个字）", {}, {"answers": ["奖励"], "fold_width": True}, 1,
     "medium", ["考核"], "", {}),
    ("E01", EMERG, "multiple", "应急预案应覆盖哪些突发事件？", _opts("火灾", "网络故障", "数据泄露", "节日聚餐"),
     {"correct": ["a", "b", "c"]}, 2, "easy", ["预案"], "", {}),
    ("E02", EMERG, "single", "应急演练包括哪两种形式？", _opts("桌面演练和实战演练", "线上和线下会议", "笔试和面试", "自学和讲座"),
     {"correct": ["a"]}, 1, "easy", ["演练"], "", {}),
    ("E03", EMERG, "truefalse", "突发事件发生时，运营人员应立即启动应急预案。", {}, {"correct": True}, 1, "easy",
     ["处置"], "", {}),
    ("E04", EMERG, "fill", "应急预案要明确应急处置____、责任____和应急资源保障等内容。", {},
     {"blanks": [["流程"], ["分工"]], "fold_width": True}, 2, "medium", ["预案"], "", {}),
    ("E05", EMERG, "matching", "将突发事件与首要处置配对。",
     {"prompts": [{"id": "p1", "text": "火灾"}, {"id": "p2", "text": "网络故障"}, {"id": "p3", "text": "数据泄露"}],
      "choices": [{"id": "c1", "text": "报警并组织疏散"}, {"id": "c2", "text": "切换备用链路并报告"},
                  {"id": "c3", "text": "隔离受影响系统并上报"}]},
     {"pairs": {"p1": "c1", "p2": "c2", "p3": "c3"}}, 3, "medium", ["处置"], "", {}),
    ("E06", EMERG, "essay", "描述一次你参加过的应急演练，并指出可改进之处。", {}, {}, 5, "hard", ["演练"], "", {}),
    ("E07", EMERG, "short", "突发事件后应尽量减少损失和什么？（两个字）", {},
     {"answers": ["影响"], "fold_width": True}, 1, "medium", ["处置"], "", {}),
]

# The exam room (#17): the security final exam grants 安全上岗资格, which the operations area's permit requires, so it
# is sat in the training building's exam room. The demo serves on this computer (make run: 127.0.0.1), so the room's
# network is the loopback; starting needs the code on the proctor's screen (the demo trainer's /admin/exams/proctor/),
# an attempt stays on the computer that started it, and leaving the page is recorded, never ends the attempt.
SECURITY_ROOM = {
    "allowed_networks": "127.0.0.0/8\n::1/128",
    "exam_room": "培训楼 301 考场",
    "requires_start_code": True,
    "binds_device": True,
    "leave_limit": 0,
}

SECURITY_RULES = "本考试为闭卷考试，请独立完成。计时由服务器控制，答案会自动保存；时间到后系统将自动交卷。"
CONF_RULES = "本考试考查保密管理制度。请勿与他人讨论试题内容。答案会自动保存，两次考试之间需间隔一小时。"


def _scramble(ext: str, kind: str, content: dict, key: dict, option_feedback: dict) -> tuple[dict, dict, dict]:
    """The bank above is written right option first, items in their right order, prompt N with choice N. Stored
    like that, the bank (and its Excel export, the template trainers copy) would teach "the key is a / i1, i2, … /
    pN→cN". So the demo stores each question with its options in a fixed random order (seeded by its id) and ids
    numbered in that order: the key lands anywhere."""
    field = {"single": "options", "multiple": "options", "ordering": "items", "matching": "choices"}.get(kind)
    if field is None:
        return content, key, option_feedback
    items = list(content[field])
    random.Random(ext).shuffle(items)  # noqa: S311 - demo content, not cryptography
    if kind == "ordering" and [i["id"] for i in items] == key["order"]:
        items.reverse()
    prefix = {"options": "", "items": "i", "choices": "c"}[field]
    renamed = {o["id"]: (chr(97 + n) if not prefix else f"{prefix}{n + 1}") for n, o in enumerate(items)}
    content = {**content, field: [{**o, "id": renamed[o["id"]]} for o in items]}
    if kind in ("single", "multiple"):
        key = {**key, "correct": sorted(renamed[i] for i in key["correct"])}
        option_feedback = {renamed.get(k, k): v for k, v in option_feedback.items()}
    elif kind == "ordering":
        key = {**key, "order": [renamed[i] for i in key["order"]]}
    else:
        key = {**key, "pairs": {p: renamed[c] for p, c in key["pairs"].items()}}
    return content, key, option_feedback


def load(out) -> None:
    created = 0
    for ext, category, kind, text, content, key, points, difficulty, tags, feedback, option_feedback in BANK:
        if Question.objects.filter(external_id=f"DEMO-{ext}").exists():
            continue
        content, key, option_feedback = _scramble(ext, kind, content, key, option_feedback)
        question_save(
            external_id=f"DEMO-{ext}", category=category_ensure(path=category), kind=kind, text=text,
            content=content, key=key, points=Decimal(points), difficulty=difficulty, tags=tags,
            general_feedback=feedback, option_feedback=option_feedback,
        )
        created += 1
    security = _exam(
        "安全管理结业考试",
        instructions=SECURITY_RULES,
        sections=[
            {"title": "门禁与出入", "draw_count": 6, "draw_category": category_ensure(path=SEC_ACCESS)},
            {"title": "通讯、物品与设施", "draw_count": 5,
             "draw_category": category_ensure(path="安全管理"), "draw_tags": ""},
            {"title": "应急处置", "fixed": [_bank_question("E05")]},
        ],
        time_limit_minutes=30, attempts_allowed=3, attempt_delay_minutes=0, pass_percent=Decimal(70),
        layout="all", review_after_correctness=True, review_after_feedback=True, **SECURITY_ROOM,
    )
    _room(security, SECURITY_ROOM)
    confidentiality = _exam(
        "保密管理结业考试",
        instructions=CONF_RULES,
        sections=[
            {"title": "保密制度", "draw_count": 8, "draw_category": category_ensure(path=CONF)},
            {"title": "论述", "fixed": [_bank_question("C07")]},
        ],
        time_limit_minutes=20, attempts_allowed=2, attempt_delay_minutes=60, pass_percent=Decimal(80),
        layout="one", requires_second_grader=True, grading_method="highest",
    )
    attached = [_attach(slug, exam) for slug, exam in (("security", security), ("confidentiality", confidentiality))]
    out.write(f"  exams: {localization.sources(Question.objects.all()).count()} questions ({created} new), 2 final exams, "
              f"attached to {sum(attached)} course(s)")


def _bank_question(ext: str) -> Question:
    """The demo's question ``ext`` as written (its translations share the external id: demo/data/translations.py)."""
    return localization.sources(Question.objects.filter(external_id=f"DEMO-{ext}")).get()


def _exam(title: str, *, sections: list[dict], **fields) -> Exam:
    existing = Exam.objects.filter(title=title).first()
    if existing is not None:
        return existing
    return exam_create(title=title, sections=sections, **fields)


def _room(exam: Exam, rules: dict) -> None:
    """Give the exam these exam-room rules, idempotently, also when it was loaded before the rules existed (a demo
    database from an older checkout): seed values, set as if the exam had been loaded with them before exams_review
    put exam content behind a second trainer. The live row and its stored versions (the live revision, and the
    latest one, which the editor opens and a second trainer may be reviewing) get the same values, so the next edit
    neither shows nor saves the old ones. No revision is added or published: a draft under review stays a draft."""
    if any(getattr(exam, name) != value for name, value in rules.items()):
        Exam.objects.filter(pk=exam.pk).update(**rules)
        for name, value in rules.items():
            setattr(exam, name, value)
    revision_ids = {exam.live_revision_id, exam.latest_revision_id} - {None}
    for revision in Revision.objects.filter(pk__in=revision_ids):
        if any(revision.content.get(name) != value for name, value in rules.items()):
            revision.content = {**revision.content, **rules}
            revision.save(update_fields=["content"])


def _attach(slug: str, exam: Exam) -> bool:
    course = CoursePage.objects.filter(slug=slug).first()
    if course is None:
        return False
    if course.final_exam_id != exam.pk or course.completion_rule != CompletionRule.ALL_LESSONS_AND_EXAM.value:
        course.final_exam = exam
        course.completion_rule = CompletionRule.ALL_LESSONS_AND_EXAM.value
        course.save_revision().publish()
    return True
