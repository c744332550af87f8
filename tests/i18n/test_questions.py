"""Questions are Wagtail translations: an attempt draws the source questions and shows each in the reader's
language (exams/services/attempts.py); a translation is never drawn as a question of its own."""

from __future__ import annotations

import pytest
from django.utils import translation

from exams.models import Question
from exams.services import attempts as attempt_services
from exams.services.grades import question_regrade
from tests.exams.factories import make_exam, make_question
from tests.factories import UserFactory
from tests.i18n.helpers import translate_snippet

pytestmark = pytest.mark.django_db

ZH_FILL = {"text": "钥匙由____保管。", "key": {"blanks": [["专人"]], "ignore_case": True}}


def _single_pair():
    source = make_question("single", text="What must you do before entering?")
    zh = translate_snippet(source, text="进入前必须做什么？")
    return source, zh


def test_a_chinese_reader_draws_the_source_and_reads_its_translation():
    source, zh = _single_pair()
    exam = make_exam(questions=[source])
    with translation.override("zh-hans"):
        attempt = attempt_services.attempt_start(exam=exam, user=UserFactory())
    row = attempt.questions.get()
    assert attempt.language == "zh-hans"
    assert row.question_id == source.pk  # records point at the source
    assert row.snapshot["text"] == "进入前必须做什么？" and row.snapshot["language"] == "zh-hans"
    assert row.revision_id == zh.live_revision_id


def test_an_english_reader_reads_the_source_and_a_missing_translation_falls_back():
    source, _zh = _single_pair()
    untranslated = make_question("truefalse", text="Visitors may enter alone.")
    exam = make_exam(questions=[source, untranslated])
    with translation.override("en"):
        english = attempt_services.attempt_start(exam=exam, user=UserFactory())
    assert [r.snapshot["text"] for r in english.questions.order_by("position")] == [
        "What must you do before entering?", "Visitors may enter alone."]
    with translation.override("zh-hans"):
        chinese = attempt_services.attempt_start(exam=exam, user=UserFactory())
    texts = [(r.snapshot["text"], r.snapshot["language"]) for r in chinese.questions.order_by("position")]
    assert texts == [("进入前必须做什么？", "zh-hans"), ("Visitors may enter alone.", "en")]


def test_a_draft_translation_is_not_shown():
    source = make_question("single", text="Source text")
    zh = translate_snippet(source, text="已发布的译文")
    zh.text = "草稿译文"
    zh.save_revision()  # a draft, not published
    Question.objects.filter(pk=zh.pk).update(live=False)
    with translation.override("zh-hans"):
        attempt = attempt_services.attempt_start(exam=make_exam(questions=[source]), user=UserFactory())
    assert attempt.questions.get().snapshot["text"] == "Source text"


def test_a_category_draw_counts_each_question_once_whatever_its_translations():
    sources = [make_question("single", category="安全/翻译", text=f"Q{i}") for i in range(3)]
    for q in sources:
        translate_snippet(q, text=f"题{q.pk}")
    exam = make_exam(draw=10, category=sources[0].category)
    with translation.override("zh-hans"):
        attempt = attempt_services.attempt_start(exam=exam, user=UserFactory())
    assert sorted(attempt.questions.values_list("question_id", flat=True)) == sorted(q.pk for q in sources)
    assert all(r.snapshot["language"] == "zh-hans" for r in attempt.questions.all())


def test_the_chinese_answer_is_scored_with_the_chinese_key_and_a_regrade_keeps_it():
    source = make_question("fill", text="Keys are kept by ____.", key={"blanks": [["a named person"]]})
    zh = translate_snippet(source, **ZH_FILL)
    exam = make_exam(questions=[source])
    user = UserFactory()
    with translation.override("zh-hans"):
        attempt = attempt_services.attempt_start(exam=exam, user=user)
    attempt_services.answers_save(attempt=attempt, seq=attempt.next_seq, responses={1: ["专人"]})
    attempt = attempt_services.attempt_submit(attempt=attempt)
    assert attempt.is_passed
    question_regrade(question=zh, reason="typo")  # a regrade from the translation regrades the source's rows
    attempt.refresh_from_db()
    assert attempt.is_passed and attempt.questions.get().snapshot["key"]["blanks"] == [["专人"]]


def test_a_translation_asking_another_kind_of_question_is_not_used():
    source = make_question("single", text="Pick one")
    translate_snippet(source, text="判断", kind="truefalse", content={}, key={"correct": True})
    with translation.override("zh-hans"):
        attempt = attempt_services.attempt_start(exam=make_exam(questions=[source]), user=UserFactory())
    assert attempt.questions.get().snapshot["text"] == "Pick one"


def test_an_exam_title_is_read_in_the_reader_language_and_its_translation_cannot_be_sat(client):
    from django.conf import settings

    from tests.exams.factories import assign

    exam = make_exam(questions=[make_question("single")], title="Door security exam")
    zh = translate_snippet(exam, title="门禁安全考试", instructions="闭卷，限时。")
    user = UserFactory()
    assign(exam, user)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(f"/exams/{exam.pk}/").content.decode()
    assert "门禁安全考试" in page and "闭卷，限时。" in page and "Door security exam" not in page
    assert client.get(f"/exams/{zh.pk}/").status_code == 404  # only the original is sat


def test_a_course_offers_only_original_exams_as_its_final_exam():
    from courses.models import CoursePage

    exam = make_exam(questions=[make_question("single")], title="Final")
    zh = translate_snippet(exam, title="结业考试")
    from django.forms import modelform_factory

    form = modelform_factory(CoursePage, fields=["final_exam"])()
    choices = set(form.fields["final_exam"].queryset.values_list("pk", flat=True))
    assert exam.pk in choices and zh.pk not in choices
