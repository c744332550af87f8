"""Pages in the reader's language (courses/page_language.py): the same address in both languages, the
translation's words, the source's records, and a note when a page is not translated yet."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from courses.models import Enrollment, LessonCompletion
from tests.factories import UserFactory, make_course
from tests.i18n.helpers import translate_page

pytestmark = pytest.mark.django_db

NOTE = "data-content-fallback"


@pytest.fixture
def course():
    course = make_course(title="Site security", lessons=2, summary="Rules of the operations area")
    translate_page(course, title="场地安全", summary="运营区域的规定")
    first = course.lessons().first()
    translate_page(first, title="门禁规定", body=[("paragraph", "<p>刷卡进入，禁止尾随。</p>")])
    return course


def _reader(client, language: str):
    user = UserFactory()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return user


def test_a_chinese_reader_reads_the_translation_at_the_same_address(client, course):
    _reader(client, "zh-hans")
    page = client.get(course.url).content.decode()
    assert "场地安全" in page and "运营区域的规定" in page and "Site security" not in page
    assert NOTE not in page
    assert "门禁规定" in page  # the translated lesson's title in the list


def test_an_english_reader_reads_the_source(client, course):
    _reader(client, "en")
    page = client.get(course.url).content.decode()
    assert "Site security" in page and "场地安全" not in page and NOTE not in page


def test_enrolment_and_progress_belong_to_the_source_whatever_the_language(client, course):
    user = _reader(client, "zh-hans")
    page = client.get(course.url).content.decode()
    assert reverse("lms_courses:enroll", args=[course.pk]) in page  # the form posts to the source course
    client.post(reverse("lms_courses:enroll", args=[course.pk]))
    assert Enrollment.objects.filter(user=user, course=course).exists()
    first = course.lessons().first()
    lesson_page = client.get(first.url).content.decode()
    assert "刷卡进入，禁止尾随。" in lesson_page
    assert reverse("lms_courses:complete_lesson", args=[first.pk]) in lesson_page
    client.post(reverse("lms_courses:complete_lesson", args=[first.pk]))
    assert LessonCompletion.objects.filter(enrollment__user=user, lesson=first).exists()


def test_a_page_nobody_translated_is_served_in_the_source_language_with_a_note(client, course):
    user = _reader(client, "zh-hans")
    Enrollment.objects.create(user=user, course=course)
    second = course.lessons().last()
    response = client.get(second.url)
    assert response.status_code == 200  # not a 404 from the Chinese tree, which has no such page
    page = response.content.decode()
    assert f'{NOTE}="en"' in page and second.title in page


def test_an_unknown_address_is_still_a_404_in_every_language(client, course):
    _reader(client, "zh-hans")
    assert client.get(course.url + "no-such-lesson/").status_code == 404


def test_a_draft_translation_is_not_shown_to_readers(client):
    course = make_course(title="Fire drills", lessons=0)
    translate_page(course, title="消防演练（草稿）", publish=False)
    _reader(client, "zh-hans")
    page = client.get(course.url).content.decode()
    assert "Fire drills" in page and "草稿" not in page and NOTE in page
