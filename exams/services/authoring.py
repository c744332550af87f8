"""Writes of authoring: the question bank and exams, and the content review workflow (two-person rule) that
puts a second trainer between a change and the learners where it applies."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

from exams.models import Exam, ExamSection, Question, QuestionCategory, SecondTrainerApprovalTask


@transaction.atomic
def category_ensure(*, path: str) -> QuestionCategory:
    """The category for a path like "安全 / 门禁" (created level by level when missing)."""
    parent = None
    names = [n.strip() for n in path.replace("／", "/").split("/") if n.strip()]
    if not names:
        raise ValidationError(_("A category name is required."))
    for name in names:
        parent, __ = QuestionCategory.objects.get_or_create(parent=parent, name=name[:200])
    return parent


def review_applies(model) -> bool:
    """Whether live content of ``model`` (Question or Exam) changes only through the review workflow: the one gate
    every path asks (admin editor, Excel import, services, the shell), never a setting of its own."""
    return model.get_default_workflow() is not None


def _submit_for_review(obj, *, user) -> None:
    """Put the latest draft of ``obj`` in front of a second trainer (the workflow's first task). Without a user
    (a shell, a command) the draft waits until someone submits it in the admin."""
    if user is None:
        return
    state = obj.current_workflow_state
    if state is not None:  # the content changed since it was submitted: the reviewer sees the new version
        state.cancel(user=user)
    obj.get_default_workflow().start(obj, user)


@transaction.atomic
def question_save(
    *, question: Question | None = None, user=None, publish: bool = True, tags: list[str] | None = None, **fields
) -> Question:
    """Create or edit a question. Each save is a new revision (a version); attempts keep the one they drew.

    With ``publish`` the revision goes live at once, unless the review workflow applies (``review_applies``):
    then it is stored as a draft revision, submitted to the workflow in ``user``'s name, and learners keep the
    live version until a second trainer approves it. Without ``publish`` it is only a draft.
    """
    reviewed = publish and review_applies(Question)
    publish = publish and not reviewed
    question = question or Question(live=False)
    for name, value in fields.items():
        setattr(question, name, value)
    if tags is not None:
        question.tags.set(list(tags))
    question.full_clean(exclude=["latest_revision", "live_revision"])
    if question.pk is None or publish or not question.live:
        question.save()
    revision = question.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    elif reviewed:
        _submit_for_review(question, user=user)
    return Question.objects.get(pk=question.pk)


@transaction.atomic
def review_workflow_ensure(*, group_names: tuple[str, ...] = ("Trainer",)):
    """Make publishing a question or an exam go through a second trainer's approval (the two-person rule).

    Idempotent; run by the demo loader and ``manage.py exams_enable_review``. From then on every path that changes
    live content (editor, Excel import, services) waits for the approval (``review_applies``). The submitter can
    never approve their own change (``SecondTrainerApprovalTask``).
    """
    task = SecondTrainerApprovalTask.objects.filter(name="双人复核 · Second trainer approval").first()
    if task is None:
        task = SecondTrainerApprovalTask.objects.create(name="双人复核 · Second trainer approval")
    task.groups.set(Group.objects.filter(name__in=group_names))
    workflow, __ = Workflow.objects.get_or_create(name="题库与考试发布 · Exam content review")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for model in (Question, Exam):
        content_type = ContentType.objects.get_for_model(model)
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def exam_create(*, title: str, sections: list[dict], user=None, publish: bool = True, **fields) -> Exam:
    """Create an exam with its sections (each: ``title``, ``fixed`` questions, ``draw_count``,
    ``draw_category``, ``draw_tags``, ``draw_difficulty``) as a first revision; published unless told not to or
    the review workflow applies (then it waits for a second trainer, like ``question_save``)."""
    exam = Exam(title=title, live=False, **fields)
    exam.full_clean(exclude=["latest_revision", "live_revision"])
    exam.save()
    for order, spec in enumerate(sections):
        section = ExamSection(
            exam=exam, sort_order=order, title=spec.get("title", ""), draw_count=spec.get("draw_count", 0),
            draw_category=spec.get("draw_category"), draw_tags=spec.get("draw_tags", ""),
            draw_difficulty=spec.get("draw_difficulty", ""),
        )
        section.save()
        section.fixed_questions.set(spec.get("fixed", []))
        section.save()
    exam = Exam.objects.get(pk=exam.pk)
    revision = exam.save_revision(user=user)
    if publish and review_applies(Exam):
        _submit_for_review(exam, user=user)
    elif publish:
        revision.publish(user=user)
    return Exam.objects.get(pk=exam.pk)
