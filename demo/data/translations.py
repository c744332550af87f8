"""English translations of the demo's Chinese content (#21): the course catalogue, the security course and its
lessons, the confidentiality agreement, the questions of its check and every question the security final exam can
draw, and (once exams are translatable) both exams' titles. The texts are in ``content_en``.

Made the way a translator makes them in the admin ("Translate": a copy in the English locale, edited and published),
so records keep pointing at the Chinese sources (exams/localization.py). Idempotent: a page or question that has an
English translation already (made here or by a person) is left as it is. Questions and exams are published directly,
as seed content: exams_review, which puts later edits behind a second trainer, runs after this loader.
"""

from __future__ import annotations

import re

from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale, Site

from courses.models import CoursePage, LessonPage
from demo.data import content_en
from demo.data.agreements import CHECK_QUESTIONS
from demo.data.exams import BANK
from exams import localization, selectors
from exams.models import Exam, Question
from lms.agreements.models import AgreementPage

LANGUAGE = "en"
COURSE_SLUG = "security"
AGREEMENT_SLUG = "confidentiality-agreement"
TEXT_BLOCKS = {"paragraph", "heading", "callout"}  # translated; any other block (H5P, SCORM, files) stays as it is
ITEM_FIELDS = ("options", "items", "prompts", "choices")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")


def load(out) -> None:
    locale = Locale.objects.get_or_create(language_code=LANGUAGE)[0]
    made: list[str] = []
    skipped: list[str] = []
    index = Site.objects.get(is_default_site=True).root_page.specific
    if _translate_page(index, locale, **content_en.INDEX):  # first, so that it is a translation, not an alias
        made.append("catalogue")
    course = localization.sources(CoursePage.objects.filter(slug=COURSE_SLUG)).first()
    if course is not None:
        made += _translate_course(course, locale, skipped)
    agreement = localization.sources(AgreementPage.objects.filter(slug=AGREEMENT_SLUG)).first()
    if agreement is not None and _translate_page(agreement, locale, version=agreement.version, **content_en.AGREEMENT):
        made.append("agreement")
    questions = [*(drawable(agreement.exam) if agreement and agreement.exam else []),
                 *(drawable(course.final_exam) if course and course.final_exam else [])]
    made += [q.external_id for q in questions if _translate_question(q, locale, skipped)]
    for exam in (agreement.exam if agreement else None, course.final_exam if course else None):
        if exam is not None and exam.title in content_en.EXAMS and _translate_exam(exam, *content_en.EXAMS[exam.title]):
            made.append(f"exam “{exam.title}”")
    note = f"; left in Chinese: {', '.join(skipped)}" if skipped else ""
    out.write(f"  translations: {len(made)} English translation(s) made{note}")


def drawable(exam: Exam) -> list[Question]:
    """Every question an attempt at ``exam`` can draw: each section's fixed questions and its live pool."""
    ids: set[int] = set()
    for section in exam.sections.all():
        ids.update(section.fixed_questions.filter(live=True).values_list("pk", flat=True))
        ids.update(selectors.section_pool(section))
    return list(Question.objects.filter(pk__in=ids).order_by("pk"))


# Pages ---------------------------------------------------------------------------------------------------------


def _translate_page(page, locale: Locale, **fields) -> bool:
    """Publish an English copy of ``page`` with ``fields``, unless it has a translation already. Returns whether
    one was made."""
    existing = page.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id is None:
        return False
    if existing is not None:  # a parent copied as an alias by an earlier translation: make it a page of its own
        ConvertAliasPageAction(existing).execute(skip_permission_checks=True)
        copy = existing
    else:
        copy = page.copy_for_translation(locale, copy_parents=True)
    copy = type(page).objects.get(pk=copy.pk)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return True


def _translate_course(course: CoursePage, locale: Locale, skipped: list[str]) -> list[str]:
    made = []
    if _translate_page(course, locale, **content_en.COURSES[course.slug]):
        made.append(f"course {course.slug}")
    for lesson in LessonPage.objects.child_of(course).live().order_by("path"):
        english = content_en.LESSONS.get(lesson.slug)
        body = lesson_body(lesson.body, english[1]) if english else None
        if body is None:
            skipped.append(f"lesson {lesson.slug}")
        elif _translate_page(lesson, locale, title=english[0], body=body):
            made.append(f"lesson {lesson.slug}")
    return made


def lesson_body(source, texts: list) -> list | None:
    """The English body: ``texts`` in place of the text blocks, in order; other blocks (activities, files) kept as
    they are, after a note that they stay in Chinese. None when the lesson no longer has as many text blocks as
    there are translations (someone rewrote it since the demo wrote it)."""
    if sum(block.block_type in TEXT_BLOCKS for block in source) != len(texts):
        return None
    english = iter(texts)
    body: list = []
    for block in source:
        if block.block_type in TEXT_BLOCKS:
            body.append(next(english))
            continue
        if not any(value == content_en.ACTIVITIES_NOTE for _type, value in body):
            body.append(("paragraph", content_en.ACTIVITIES_NOTE))
        body.append((block.block_type, block.value))
    return body


# Questions and exams -------------------------------------------------------------------------------------------


def _chinese(external_id: str) -> dict | None:
    """The question as the demo wrote it (before ``exams._scramble`` renamed its ids): text, item lists, feedback."""
    ext = external_id.removeprefix("DEMO-")
    for row in BANK:
        if row[0] == ext:
            return {"text": row[3], "content": row[4], "feedback": row[9], "option_feedback": row[10]}
    for row in CHECK_QUESTIONS:
        if row[0] == ext:
            return {"text": row[2], "content": row[3], "feedback": row[5], "option_feedback": {}}
    return None


def _english_fields(question: Question) -> dict | None:
    """The English text, content, key and feedback of ``question``, its ids kept; None when there is no English
    for it or it no longer reads as the demo wrote it."""
    ext = (question.external_id or "").removeprefix("DEMO-")
    english, chinese = content_en.QUESTIONS.get(ext), _chinese(ext)
    if english is None or chinese is None or question.text != chinese["text"]:
        return None
    words = {}  # Chinese text -> English, for every item of every list
    for field in ITEM_FIELDS:
        zh_items = chinese["content"].get(field, [])
        if zh_items and field not in english:
            return None
        words.update(zip((i["text"] for i in zh_items), english.get(field, []), strict=True))
    feedback = {chinese["option_feedback"][k]: v for k, v in english.get("option_feedback", {}).items()}
    try:
        fields = {
            "text": english["text"],
            "content": {name: [{**item, "text": words[item["text"]]} for item in value] if name in ITEM_FIELDS
                        else value for name, value in (question.content or {}).items()},
            "key": english.get("key", question.key),
            "general_feedback": english.get("feedback", ""),
            "option_feedback": {k: feedback[v] for k, v in (question.option_feedback or {}).items()},
        }
    except KeyError:  # an option or a feedback the demo did not write
        return None
    if CJK.search(repr(fields)) or bool(question.general_feedback) != bool(fields["general_feedback"]):
        return None
    return fields


def _translate_question(question: Question, locale: Locale, skipped: list[str]) -> bool:
    if question.get_translation_or_none(locale) is not None:
        return False
    fields = _english_fields(question)
    if fields is None:
        skipped.append(question.external_id or f"question {question.pk}")
        return False
    copy = question.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.full_clean(exclude=["latest_revision", "live_revision"])
    _publish(copy)
    return True


def _translate_exam(exam: Exam, title: str, instructions: str = "") -> bool:
    """An English title (and rules) for ``exam``, once exams are translatable (Wagtail snippets like questions)."""
    if not hasattr(Exam, "translation_key"):
        return False
    locale = Locale.objects.get(language_code=LANGUAGE)
    if exam.get_translation_or_none(locale) is not None:
        return False
    copy = exam.copy_for_translation(locale)
    copy.title = title
    copy.instructions = instructions or copy.instructions
    _publish(copy)
    return True


def _publish(copy) -> None:
    """Save a new snippet translation and publish it (as the admin's "Translate" then "Publish" do)."""
    copy.live = False
    copy.save()
    copy.save_revision().publish()
