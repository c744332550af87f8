"""Confidentiality agreement demo data: the published 员工保密协议 (version 2026-1) under the site, drawn from §4.2
(and §2.3–2.4, §3.3) of the policy, with a three-question comprehension check. The demo specialist has read it,
passed the check and signed; the demo new hire has not yet. Built through the services; idempotent."""

from __future__ import annotations

from decimal import Decimal

from wagtail.models import Site

from demo.data.foundation import DEMO_PASSWORD
from exams import localization
from exams import services as exam_services
from exams.models import Exam, Question
from lms.agreements import services
from lms.agreements.models import AgreementPage, AgreementSignature
from lms.people.models import Person

CHECK_CATEGORY = "保密协议理解测验"  # its own category, so the confidentiality course's draws never pick these
CHECK_TITLE = "保密协议理解测验"

# (external id, kind, text, content, key, feedback)
CHECK_QUESTIONS = [
    (
        "NDA1",
        "single",
        "下列哪一项属于保密协议要求保密的信息？",
        {
            "options": [
                {"id": "a", "text": "客户资料"},
                {"id": "b", "text": "公司已公开发布的招聘广告"},
                {"id": "c", "text": "公司官网上的办公地址"},
            ]
        },
        {"correct": ["a"]},
        "公司运营数据、业务信息和客户资料均属于保密信息。",
    ),
    (
        "NDA2",
        "truefalse",
        "只要对方是公司同事，就可以把客户资料告诉他。",
        {},
        {"correct": False},
        "保密信息不得泄露给任何无关人员，包括与该工作无关的同事。",
    ),
    (
        "NDA3",
        "single",
        "发现保密信息可能已经泄露时，应当怎么做？",
        {
            "options": [
                {"id": "a", "text": "立即向主管报告，并按应急预案采取措施"},
                {"id": "b", "text": "先自行删除相关记录"},
                {"id": "c", "text": "等到下次例会再说"},
            ]
        },
        {"correct": ["a"]},
        "发现泄露要立即报告并采取措施，隐瞒不报同样要承担责任。",
    ),
]

# The answers the demo specialist gave.
RIGHT = {"NDA1": "a", "NDA2": False, "NDA3": "a"}

P = "paragraph"
H = "heading"
BODY = [
    (H, "一、保密信息的范围"),
    (
        P,
        "<p>本协议所称保密信息，是指员工在工作中知悉或接触的公司运营数据、业务信息、客户资料，以及培训考试的试题等"
        "未经公司公开的信息。无论以书面、电子或口头形式存在，均属保密信息。</p>",
    ),
    (H, "二、员工的保密义务"),
    (
        P,
        "<ol><li>严格遵守公司保密制度，对保密信息予以保密，不得泄露给任何无关人员，包括与该工作无关的同事。</li>"
        "<li>传递、使用和存储保密信息时，采取加密、隔离等安全措施；不得通过私人邮箱、即时通讯软件或个人设备传递保密信息。</li>"
        "<li>运营区域内不使用外部通讯设备；硬盘、U 盘等数据存储介质的使用和传递须事先登记并经审批。</li>"
        "<li>保密材料用完后及时销毁，不得带出运营区域；离开工位时锁定电脑屏幕。</li></ol>",
    ),
    (H, "三、泄密事件的报告"),
    (
        P,
        "<p>发现保密信息可能泄露时，员工应立即向主管报告，并按照应急预案采取措施，控制影响范围，配合公司调查处理。"
        "隐瞒不报的，与泄密行为同等对待。</p>",
    ),
    (H, "四、责任"),
    (
        P,
        "<p>违反本协议造成保密信息泄露的，公司将依照规章制度追究相关人员的责任；给公司造成损失的，依法承担赔偿责任。</p>",
    ),
    (H, "五、期限与版本"),
    (
        P,
        "<p>本协议自签署之日起生效，在职期间及离职后均有效。协议更新为新版本时，适用人员须重新阅读、通过理解测验并重新签署。</p>",
    ),
]


def load(out) -> None:
    exam = _check_exam()
    page = _agreement(exam)
    version = page.current_version()
    signed = _sign_as("specialist", page) if version is not None else False
    count = AgreementSignature.objects.filter(page=page).count()
    note = " (specialist signed now)" if signed else ""
    out.write(f"  agreements: “{page.title}” version {page.version}, {count} signature(s){note}")


def _check_exam() -> Exam:
    existing = Exam.objects.filter(title=CHECK_TITLE).first()
    if existing is not None:
        return existing
    category = exam_services.category_ensure(path=CHECK_CATEGORY)
    questions = []
    for ext, kind, text, content, key, feedback in CHECK_QUESTIONS:
        written = localization.sources(Question.objects.filter(external_id=f"DEMO-{ext}"))  # not its translations
        question = written.first() or exam_services.question_save(
            external_id=f"DEMO-{ext}",
            category=category,
            kind=kind,
            text=text,
            content=content,
            key=key,
            points=Decimal(1),
            difficulty="easy",
            tags=["保密协议"],
            general_feedback=feedback,
            option_feedback={},
        )
        questions.append(question)
    return exam_services.exam_create(
        title=CHECK_TITLE,
        instructions="三道题，全部答对即通过。可以多次作答；协议更新后需要重新作答。",
        sections=[{"title": "理解测验", "fixed": questions}],
        attempts_allowed=0,
        pass_percent=Decimal(100),
        shuffle_questions=False,
        shuffle_options=False,
        layout="all",
        review_after_correctness=True,
        review_after_feedback=True,
    )


def _agreement(exam: Exam) -> AgreementPage:
    page = AgreementPage.objects.filter(slug="confidentiality-agreement").first()
    if page is not None:
        return page
    root = Site.objects.get(is_default_site=True).root_page
    page = AgreementPage(
        title="员工保密协议",
        slug="confidentiality-agreement",
        version="2026-1",
        summary="所有运营人员都必须签订保密协议（制度第四章第二节）。请通读全文，通过三道题的理解测验后，用登录密码签署。",
        body=BODY,
        exam=exam,
        applies_to_everyone=True,
    )
    root.add_child(instance=page)
    page.save_revision().publish()  # the publish makes version 2026-1 the one in force
    return AgreementPage.objects.get(pk=page.pk)


def _sign_as(username: str, page: AgreementPage) -> bool:
    person = Person.objects.select_related("user").filter(user__username=username).first()
    version = page.current_version()
    if person is None or AgreementSignature.objects.filter(person=person, version=version).exists():
        return False
    attempt = exam_services.attempt_start(exam=page.exam, user=person.user)
    by_id = {
        q.question.external_id.removeprefix("DEMO-"): q.position for q in attempt.questions.select_related("question")
    }
    exam_services.answers_save(
        attempt=attempt, seq=attempt.next_seq, responses={by_id[ext]: answer for ext, answer in RIGHT.items()}
    )
    exam_services.attempt_submit(attempt=attempt)
    services.agreement_sign(
        page=page, user=person.user, password=DEMO_PASSWORD, revision_id=page.live_revision_id, user_agent="demo"
    )
    return True
