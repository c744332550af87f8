"""The demo ships the security course, the confidentiality agreement, its check and the final exam in English
(#21, demo/data/translations.py): live English translations of the Chinese originals, made once, read by an
English reader at the same addresses, and drawn in English by an attempt started in English."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import translation
from wagtail.models import Locale, Site

from courses.models import CoursePage, LessonPage
from courses.services import enrollment_create
from demo.data import CONTENT_LANGUAGE, content_en, translations
from demo.data.translations import TEXT_BLOCKS, drawable
from exams import localization
from exams.models import Exam, Question
from exams.services.attempts import attempt_start
from exams.services.authoring import review_applies
from lms.agreements.models import AgreementPage
from lms.agreements.selectors import texts_in_force

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
NOTE = "data-content-fallback"
COUNTED = ["wagtailcore.Page", "wagtailcore.Revision", "wagtailcore.Locale", "lms_exams.Question",
           "lms_exams.Exam", "lms_courses.LessonPage", "lms_agreements.AgreementVersion"]


@pytest.fixture
def demo():
    call_command("lms_load_demo", stdout=StringIO())
    return {
        "en": Locale.objects.get(language_code="en"),
        "course": localization.sources(CoursePage.objects.filter(slug="security")).get(),
        "agreement": localization.sources(AgreementPage.objects.filter(slug="confidentiality-agreement")).get(),
    }


def _english(obj, locale):
    found = obj.get_translation_or_none(locale)
    assert found is not None, f"no English for {obj}"
    assert found.live, f"the English of {obj} is not published"
    return found


def _texts(body) -> str:
    return " ".join(str(block.value) for block in body if block.block_type in TEXT_BLOCKS)


def _drawable(demo) -> list[Question]:
    return [*drawable(demo["agreement"].exam), *drawable(demo["course"].final_exam)]


def test_every_page_of_the_security_course_and_the_agreement_has_a_live_english_translation(demo):
    en = demo["en"]
    index = _english(Site.objects.get(is_default_site=True).root_page.specific, en)
    assert index.title == "Operations Training Centre" and not CJK.search(index.title + index.intro)
    assert index.alias_of_id is None  # a page of its own, not an alias that follows the Chinese
    course = _english(demo["course"], en)
    assert course.title == "Security Management Training" and not CJK.search(course.summary + course.description)
    lessons = list(LessonPage.objects.child_of(demo["course"]).live())
    assert len(lessons) >= 3
    for lesson in lessons:
        english = _english(lesson, en)
        assert not CJK.search(english.title + _texts(english.body)), lesson.slug
        kept = [(b.block_type, b.value) for b in lesson.body if b.block_type not in TEXT_BLOCKS]
        assert [(b.block_type, b.value) for b in english.body if b.block_type not in TEXT_BLOCKS] == kept
        assert (content_en.ACTIVITIES_NOTE in _texts(english.body)) == bool(kept), lesson.slug
    agreement = _english(demo["agreement"], en)
    assert agreement.version == demo["agreement"].version and not CJK.search(agreement.title + _texts(agreement.body))
    assert agreement in texts_in_force(demo["agreement"])  # offered for signing


def test_every_question_the_check_and_the_final_exam_can_draw_has_a_live_english_translation(demo):
    questions = _drawable(demo)
    assert len(questions) == 3 + 21  # the three check questions; S01–S20 and E05 for the final exam
    for question in questions:
        english = _english(question, demo["en"])
        assert english.kind == question.kind and english.external_id == question.external_id
        words = [english.text, english.general_feedback, english.content, english.key, english.option_feedback]
        assert not CJK.search(repr(words)), question.external_id
        assert bool(english.general_feedback) == bool(question.general_feedback)
        for field in ("options", "items", "prompts", "choices"):
            ids = [i["id"] for i in question.content.get(field, [])]
            assert [i["id"] for i in english.content.get(field, [])] == ids
        assert english.option_feedback.keys() == question.option_feedback.keys()
        if question.kind not in ("fill", "short"):
            assert english.key == question.key, question.external_id  # choices, order and pairs are ids
    fill = Question.objects.get(external_id="DEMO-S06", locale=demo["en"])
    assert fill.text.count("____") == len(fill.key["blanks"]) == 2


def test_exams_get_english_titles_once_they_are_translatable(demo):
    if not hasattr(Exam, "translation_key"):
        pytest.skip("exams are not translatable in this checkout yet")
    for exam, (title, _rules) in ((demo["course"].final_exam, content_en.EXAMS["安全管理结业考试"]),
                                  (demo["agreement"].exam, content_en.EXAMS["保密协议理解测验"])):
        assert _english(exam, demo["en"]).title == title


def test_loading_again_creates_nothing(demo):
    counts = {label: apps.get_model(label).objects.count() for label in COUNTED}
    out = StringIO()
    call_command("lms_load_demo", stdout=out)
    assert {label: apps.get_model(label).objects.count() for label in COUNTED} == counts
    assert "translations: 0 English translation(s) made" in out.getvalue()
    assert "left in Chinese" not in out.getvalue()


def test_a_translation_missing_from_an_older_demo_is_made_and_published_with_review_on(demo):
    """A demo database loaded before the translations existed already has exam content behind a second trainer
    (exams_review): the loader's seed translations are published all the same, as the Chinese seed content was."""
    assert review_applies(Question)
    question = Question.objects.get(external_id="DEMO-S14", locale=demo["en"])
    lesson = LessonPage.objects.child_of(demo["course"]).get(slug="closed-area").get_translation(demo["en"])
    question.delete()
    lesson.delete()
    with override_settings(LANGUAGE_CODE=CONTENT_LANGUAGE):
        translations.load(StringIO())
    question = Question.objects.get(external_id="DEMO-S14", locale=demo["en"])
    assert question.live and question.current_workflow_state is None and not question.has_unpublished_changes
    lesson = LessonPage.objects.child_of(demo["course"]).get(slug="closed-area")
    assert _english(lesson, demo["en"]).title == content_en.LESSONS["closed-area"][0]


def _read(client, page, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    return response.content.decode()


@pytest.fixture
def newhire(client, demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="newhire")
    enrollment_create(user=user, course=demo["course"])
    client.force_login(user)
    return user


def test_readers_read_the_course_its_lessons_and_the_agreement_in_their_language(client, demo, newhire):
    en = demo["en"]
    html = _read(client, demo["course"], "en")
    assert "Security Management Training" in html and content_en.COURSES["security"]["summary"] in html
    assert demo["course"].title not in html and NOTE not in html
    for lesson in LessonPage.objects.child_of(demo["course"]).live():
        html = _read(client, lesson, "en")
        english = lesson.get_translation(en)
        first_paragraph = next(b for b in english.body if b.block_type == "paragraph")
        assert english.title in html and str(first_paragraph.value)[:60] in html, lesson.slug
        assert lesson.title not in html and NOTE not in html, lesson.slug
    html = _read(client, demo["agreement"], "en")
    assert "Employee Confidentiality Agreement" in html and "1. Scope of confidential information" in html
    assert demo["agreement"].title not in html and NOTE not in html
    # the same addresses in Chinese
    html = _read(client, demo["course"], "zh-hans")
    assert demo["course"].title in html and "Security Management Training" not in html and NOTE not in html
    lesson = LessonPage.objects.child_of(demo["course"]).live().first()
    html = _read(client, lesson, "zh-hans")
    assert lesson.title in html and content_en.LESSONS[lesson.slug][0] not in html and NOTE not in html
    html = _read(client, demo["agreement"], "zh-hans")
    assert "一、保密信息的范围" in html and "Scope of confidential information" not in html and NOTE not in html


def test_an_attempt_started_in_english_draws_every_question_in_english(demo, newhire):
    exam = demo["course"].final_exam
    with translation.override("en"):
        attempt = attempt_start(exam=exam, user=newhire)
    rows = list(attempt.questions.all())
    assert attempt.language == "en" and len(rows) == 12
    assert all(row.snapshot["language"] == "en" for row in rows)
    assert not [row.snapshot["text"] for row in rows if CJK.search(repr(row.snapshot))]
    assert {row.question_id for row in rows} <= {q.pk for q in drawable(exam)}  # the sources, not the translations
    with translation.override("zh-hans"):
        check = attempt_start(exam=demo["agreement"].exam, user=newhire)
    assert {row.snapshot["language"] for row in check.questions.all()} == {"zh-hans"}
