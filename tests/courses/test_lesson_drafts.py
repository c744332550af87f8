"""A new lesson with an empty block is not saved, not even as an autosaved draft: nothing is created behind the
trainer's back, and the slug stays free for the lesson once its blocks are filled in."""

import json

import pytest
from django.contrib.auth.models import Group

from courses.models import LessonPage
from lms import roles
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db

TEXT = json.dumps({"blocks": [{"key": "k1", "text": "先刷卡登记。", "type": "unstyled", "depth": 0,
                               "inlineStyleRanges": [], "entityRanges": [], "data": {}}], "entityMap": {}})


def lesson_form(**block):
    form = {"title": "门禁流程", "slug": "door-rules", "estimated_minutes": "15", "body-count": "1",
            "body-0-deleted": "", "body-0-order": "0", "body-0-id": "b1"}
    return {**form, **{f"body-0-{name}": value for name, value in block.items()}}


@pytest.fixture
def trainer(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.TRAINER))
    client.force_login(user)
    return client


@pytest.mark.parametrize("block", [
    {"type": "heading", "value": ""},
    {"type": "h5p", "value-activity": "", "value-required": "on"},
    {"type": "video", "value-video": "", "value-caption": ""},
])
def test_an_empty_block_creates_no_draft_and_keeps_the_slug_free(trainer, block):
    course = make_course()
    url = f"/admin/pages/add/lms_courses/lessonpage/{course.pk}/"
    autosave = trainer.post(url, lesson_form(**block), HTTP_ACCEPT="application/json")
    assert autosave.status_code == 400 and not autosave.json()["success"]
    page = trainer.post(url, lesson_form(**block)).content.decode()  # "Save draft"
    assert "The page could not be created due to validation errors" in page
    assert not LessonPage.objects.filter(slug="door-rules").exists()

    response = trainer.post(url, {**lesson_form(type="paragraph", value=TEXT), "action-publish": "1"})
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="door-rules")
    assert lesson.live and lesson.get_parent().pk == course.pk


def test_a_draft_may_still_have_an_empty_body(trainer):
    course = make_course()
    form = {"title": "待写的课", "slug": "later", "estimated_minutes": "15", "body-count": "0"}
    assert trainer.post(f"/admin/pages/add/lms_courses/lessonpage/{course.pk}/", form).status_code == 302
    assert not LessonPage.objects.get(slug="later").live
