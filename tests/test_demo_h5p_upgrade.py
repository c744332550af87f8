"""``lms_load_demo`` on a database an older demo made, whose H5P lesson played the raw sample packages (issue #14):
the lesson gets the policy activities in Chinese, the samples go with their results and archive records, and the
progress of the people in the course is recomputed (a lesson "completed" on the samples is not completed any more
until its new required activities are passed). A second run changes nothing."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model

from courses import progress
from courses import selectors as course_selectors
from courses.h5p import services as h5p_services
from courses.h5p.models import H5PActivity, H5PStatement
from courses.models import CoursePage, Enrollment, LessonCompletion, LessonPage
from courses.services import enrollment_create, lesson_complete
from demo.data import content_en, foundation, h5p, h5p_upgrade, translations
from lms.archive.models import TrainingRecord
from tests.test_demo_h5p import SAMPLE_TEXT

pytestmark = pytest.mark.django_db

# What the older demo imported (demo/data/h5p.py before the policy content): file, title, required.
OLD = [
    ("truefalse-hello-world.h5p", "判断题：Hello World", True),
    ("multiple-choice-blackcurrant.h5p", "单选题：黑加仑的颜色", True),
    ("question-set-5-mcq.h5p", "小测验：五道选择题", True),
    ("security-xss-svg-in-blanks.h5p", "填空题（含已净化的 SVG 图片）", False),
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def older_demo() -> tuple[LessonPage, object]:
    """The state the older demo left: its lesson of the four samples, passed and completed by the specialist and by
    a learner, and (as a demo that translated afterwards left it) an English copy holding the samples too."""
    folder = h5p.samples_dir()
    if not folder.is_dir():
        pytest.fail(f"the shared H5P samples are missing: {folder}")
    foundation.load(StringIO())
    users = get_user_model().objects
    course = CoursePage.objects.get(slug="security", locale__language_code="zh-hans")
    blocks = [("h5p", {"activity": h5p_services.activity_import(file=folder / name, name=name, may_install=True,
                                                               user=users.get(username="admin"), title=title),
                       "required": required}) for name, title, required in OLD]
    lesson = LessonPage(title="互动练习：安全知识小测", slug=h5p.LESSON_SLUG, estimated_minutes=15,
                        body=[("paragraph", "<p>用下面的互动练习检验你对本课程的理解。</p>"), *blocks])
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    learner = users.get(username="newhire")
    for user in (users.get(username="specialist"), learner):
        enrollment_create(user=user, course=course, source="induction")
        for _type, value in blocks:
            h5p._pass(user, value["activity"])
        lesson_complete(user=user, lesson=lesson)
    translations.load(StringIO())
    assert LessonPage.objects.filter(translation_key=lesson.translation_key, locale__language_code="en").exists()
    return lesson, learner


def played(page: LessonPage) -> list[str]:
    page = LessonPage.objects.get(pk=page.pk)
    return [block.value["activity"].package_name for block in page.body if block.block_type == "h5p"]


def test_a_second_run_replaces_the_samples_with_the_policy_and_recomputes_progress(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the archive records results on commit
        lesson, learner = older_demo()
    enrollment = Enrollment.objects.get(user=learner, course=lesson.get_parent())
    assert LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()
    assert TrainingRecord.objects.filter(title__contains="Hello World").exists()
    before = enrollment.progress_percent

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        h5p.load(out)
    assert "sample activities replaced; 1 lesson completion(s) withdrawn" in out.getvalue()

    policy = [f"{name}.h5p" for name, _required in h5p.PACKAGES]
    english = LessonPage.objects.get(translation_key=lesson.translation_key, locale__language_code="en")
    assert played(lesson) == policy and played(english) == policy
    assert "《运营岗位封闭管理制度》" in str(LessonPage.objects.get(pk=lesson.pk).body)
    assert "Closed Management Policy for Operations Positions" in str(LessonPage.objects.get(pk=english.pk).body)
    assert not H5PActivity.objects.filter(package_name__in=h5p_upgrade.OLD_PACKAGES).exists()
    for activity in H5PActivity.objects.all():
        assert CJK.search(activity.title), activity.title
    titles = list(TrainingRecord.objects.filter(kind=TrainingRecord.Kind.H5P).values_list("title", flat=True))
    assert titles and not [t for t in titles for sample in [*SAMPLE_TEXT, "黑加仑", "五道选择题"] if sample in t]
    assert H5PStatement.objects.filter(user__username="specialist").exclude(activity__package_name__in=policy) \
        .count() == 0

    # The learner "completed" the lesson on the samples: not any more, and every screen's figure follows.
    enrollment.refresh_from_db()
    assert not LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()
    state = course_selectors.course_state(course=lesson.get_parent().specific, enrollment=enrollment, user=learner)
    assert enrollment.progress_percent < before
    assert enrollment.progress_percent == progress.shown_percent(state, completed=enrollment.completed_at is not None)
    specialist = Enrollment.objects.get(user__username="specialist", course=lesson.get_parent())
    assert LessonCompletion.objects.filter(enrollment=specialist, lesson=lesson).exists()  # passed the new ones

    # Idempotent: nothing more to replace, no new revision, the same figures.
    revisions = LessonPage.objects.get(pk=lesson.pk).revisions.count()
    again = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        h5p.load(again)
    assert "replaced" not in again.getvalue()
    assert LessonPage.objects.get(pk=lesson.pk).revisions.count() == revisions
    assert Enrollment.objects.get(pk=enrollment.pk).progress_percent == enrollment.progress_percent
    assert played(lesson) == policy


def test_a_lesson_the_current_demo_made_is_left_alone():
    foundation.load(StringIO())
    h5p.load(StringIO())
    lesson = LessonPage.objects.get(slug=h5p.LESSON_SLUG)
    revisions = lesson.revisions.count()
    assert h5p_upgrade.replace_samples(lesson=lesson, body=[], english_texts=None) == 0
    assert lesson.revisions.count() == revisions
    assert content_en.LESSONS[h5p.LESSON_SLUG]
