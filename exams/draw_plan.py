"""An exam's compiled draw plan: for each section, its fixed questions and the pool it draws from, as question ids
(``drawing.Section``). Compiling it reads the sections, their fixed questions, the category tree and each pool;
250 people starting the same exam in the same second would each read all of that, so the plan is kept in Django's
cache and every start of that exam reads it from there (docs/exams.md, "The synchronised start").

Invalidation: any change to a question, a category, a tag, an exam, a section or a section's fixed questions
starts a new generation of plans once its transaction commits, so a plan compiled from the old content is never
read again (a plan compiled meanwhile is kept under the old generation). With a cache shared by every process
(Redis) a change counts at once; with the per-process default (local memory) the other processes keep their plan
until it expires, after ``LMS_EXAMS_DRAW_PLAN_SECONDS``. The plan holds ids only: the questions' content is read
live for every start, and a drawn question that is no longer live makes the start compile the plan afresh
(``attempts.attempt_start``). A cache that fails is bypassed: the plan is compiled from the database."""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag

from exams import conf, drawing
from exams.models import Exam, ExamSection, Question, QuestionCategory, QuestionTag
from exams.selectors import category_children, category_tree_ids, section_pool

logger = logging.getLogger(__name__)

GENERATION_KEY = "lms-exams-draw-plan:generation"


def _plan_key(exam_id: int, generation: str) -> str:
    return f"lms-exams-draw-plan:{generation}:{exam_id}"


def compile_plan(exam: Exam) -> list[drawing.Section]:
    """The plan from the database: the sections (1 query), their live fixed questions (1), the category tree when a
    section draws from a category (1), and one query per section that draws."""
    sections = list(exam.sections.all().order_by("sort_order"))
    fixed: dict[int, list[int]] = {s.pk: [] for s in sections}
    through = ExamSection.fixed_questions.through
    for section_id, question_id in (
        through.objects.filter(examsection__in=[s.pk for s in sections], question__live=True)
        .order_by("question_id")
        .values_list("examsection_id", "question_id")
    ):
        fixed[section_id].append(question_id)
    trees: dict[int, set[int]] = {}
    if any(s.draw_count and s.draw_category_id for s in sections):
        children = category_children()
        trees = {s.draw_category_id: category_tree_ids(s.draw_category_id, children=children)
                 for s in sections if s.draw_category_id}
    return [
        drawing.Section(
            fixed=tuple(fixed[s.pk]),
            pool=tuple(section_pool(s, categories=trees.get(s.draw_category_id))),
            count=s.draw_count,
        )
        for s in sections
    ]


def plan(exam: Exam, *, fresh: bool = False) -> list[drawing.Section]:
    """The exam's plan from the cache, compiled and kept there when it is not (or, with ``fresh``, always)."""
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            generation = secrets.token_hex(8)
            if not cache.add(GENERATION_KEY, generation, None):  # another process made one first
                generation = cache.get(GENERATION_KEY) or generation
        key = _plan_key(exam.pk, generation)
        found = None if fresh else cache.get(key)
    except Exception:  # a cache that fails must not stop the exam: compile from the database
        logger.exception("draw plan cache unavailable")
        return compile_plan(exam)
    if found is not None:
        return found
    compiled = compile_plan(exam)
    try:
        cache.set(key, compiled, int(conf.EXAMS_DRAW_PLAN_SECONDS))
    except Exception:
        logger.exception("draw plan cache unavailable")
    return compiled


def new_generation() -> None:
    """Forget every plan: the next start of each exam compiles its plan again."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def _changed(**kwargs) -> None:
    # After the commit: a start that reads the new generation before then would compile the old content under it.
    transaction.on_commit(new_generation, robust=True)


for model in (Question, QuestionCategory, QuestionTag, Tag, Exam, ExamSection):
    post_save.connect(_changed, sender=model, dispatch_uid=f"lms_exams_draw_plan_{model._meta.label_lower}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"lms_exams_draw_plan_del_{model._meta.label_lower}")
m2m_changed.connect(_changed, sender=ExamSection.fixed_questions.through, dispatch_uid="lms_exams_draw_plan_fixed")
