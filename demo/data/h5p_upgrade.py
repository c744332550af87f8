"""A demo database made by an older demo: its H5P lesson holds the raw sample packages ("Hello World", the
blackcurrant photo, a German fill-in, a quiz titled "THIS IS THE TITLE"), imported under their file names.

``lms_load_demo`` brings it up to date here: the lesson (and its translations) gets the policy activities of
``demo.data.h5p`` in their place, the sample activities go with their results and the archive records of those
results, and the people enrolled in the course have their progress recomputed: a lesson completed by passing the
samples is no longer completed unless its new required activities are passed. On a database the current demo made
nothing matches, so running it again changes nothing."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from courses import services as course_services
from courses.h5p import selectors as h5p_selectors
from courses.h5p.models import H5PActivity, H5PStatement
from courses.models import LessonCompletion, LessonPage
from lms.archive.models import TrainingRecord

# The package names the older demo imported the raw samples under (its ``PACKAGES``).
OLD_PACKAGES = (
    "truefalse-hello-world.h5p",
    "multiple-choice-blackcurrant.h5p",
    "question-set-5-mcq.h5p",
    "security-xss-svg-in-blanks.h5p",
)


def replace_samples(*, lesson: LessonPage, body: list, english_texts: list | None) -> int:
    """Give ``lesson`` the ``body`` of the current demo when it still plays the older demo's samples, and remove
    them. ``english_texts`` are the paragraphs of its English translation (``content_en.LESSONS``). Returns how
    many sample activities went (0: the lesson was current already)."""
    shown = {pk for pk, _required in h5p_selectors.activities_in_body(lesson.body)}
    samples = H5PActivity.objects.filter(package_name__in=OLD_PACKAGES)
    if not samples.filter(pk__in=shown).exists():
        return 0
    lesson.body = body
    lesson.save_revision().publish()
    for translation in LessonPage.objects.filter(translation_key=lesson.translation_key).exclude(pk=lesson.pk):
        _replace_translation(translation, source=lesson, english_texts=english_texts)
    statements = H5PStatement.objects.filter(activity__in=samples).values("pk")
    TrainingRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(H5PStatement), source_id__in=statements
    ).delete()
    return samples.delete()[1].get(H5PActivity._meta.label, 0)


def _replace_translation(translation: LessonPage, *, source: LessonPage, english_texts: list | None) -> None:
    from demo.data.translations import lesson_body

    body = lesson_body(source.body, english_texts) if english_texts is not None else None
    translation.body = body if body is not None else [(block.block_type, block.value) for block in source.body]
    translation.save_revision().publish()


def progress_recompute(*, lesson: LessonPage) -> int:
    """After the lesson's activities changed: a completion that its new required activities do not back is
    withdrawn (a course already completed keeps it: the certificate was earned), and every open enrollment of the
    course is recomputed, so the home card, My learning and the course page agree. Returns the completions
    withdrawn."""
    withdrawn = 0
    completions = LessonCompletion.objects.filter(lesson=lesson, enrollment__completed_at__isnull=True)
    for completion in completions.select_related("enrollment__user"):
        if h5p_selectors.required_missing(user=completion.enrollment.user, lesson=lesson):
            completion.delete()
            withdrawn += 1
    course_services.course_enrollments_refresh(course=lesson.get_parent().specific)
    return withdrawn
