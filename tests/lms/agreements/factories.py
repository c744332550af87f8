"""Builders for the confidentiality agreement's tests: a published agreement page with a one-question
comprehension check, and taking that check (passing or failing) through the exam services."""

from __future__ import annotations

from datetime import datetime

from exams import services as exam_services
from lms.agreements.models import AgreementPage
from tests.exams.factories import make_exam, make_question
from tests.factories import course_index

BODY = [("heading", "一、保密信息"), ("paragraph", "<p>客户资料属于保密信息，不得泄露给任何无关人员。</p>")]


def make_agreement(*, version: str = "2026-1", parent=None, exam=None, publish: bool = True, **fields) -> AgreementPage:
    exam = exam or make_exam(questions=[make_question("truefalse")], title="保密协议理解测验", attempts_allowed=0)
    parent = parent or course_index()
    page = AgreementPage(
        title=fields.pop("title", "员工保密协议"),
        slug=fields.pop("slug", f"agreement-{AgreementPage.objects.count() + 1}"),
        version=version,
        body=fields.pop("body", BODY),
        exam=exam,
        live=publish,
        **fields,
    )
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return AgreementPage.objects.get(pk=page.pk)


def publish_new_version(page: AgreementPage, *, version: str | None = None, body=None) -> AgreementPage:
    """Edit and publish the page as an editor would (a new label, or the same label for a typo fix)."""
    page = AgreementPage.objects.get(pk=page.pk)
    if version is not None:
        page.version = version
    if body is not None:
        page.body = body
    page.save_revision().publish()
    return AgreementPage.objects.get(pk=page.pk)


def take_check(page: AgreementPage, user, *, passed: bool = True, now: datetime | None = None):
    """Start, answer (the truefalse sample's right answer is False) and submit the page's check."""
    attempt = exam_services.attempt_start(exam=page.exam, user=user, now=now)
    exam_services.answers_save(attempt=attempt, seq=attempt.next_seq, responses={1: not passed}, now=now)
    return exam_services.attempt_submit(attempt=attempt, now=now)
