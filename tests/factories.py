"""factory-boy factories for the foundation (people, courses, lessons, enrollments).

Pages are created through the tree (``parent.add_child``), so they get paths and URLs like real pages.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Site

from courses.models import CourseIndexPage, CoursePage, Enrollment, LessonPage
from lms.people.models import Department, Person, Position


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pw-123456!")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"运营部 {n}")
    code = factory.Sequence(lambda n: f"dept-{n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"运营专员 {n}")
    code = factory.Sequence(lambda n: f"pos-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"张三{n}")
    department = factory.SubFactory(DepartmentFactory)
    position = factory.SubFactory(PositionFactory)
    hire_date = factory.LazyFunction(lambda: dt.date.today())


def course_index(title: str = "课程") -> CourseIndexPage:
    root = Site.objects.get(is_default_site=True).root_page
    existing = CourseIndexPage.objects.child_of(root).first()
    if existing:
        return existing
    index = CourseIndexPage(title=title, slug="courses")
    root.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_course(
    *, title: str = "安全管理培训", lessons: int = 3, index: CourseIndexPage | None = None, **fields
) -> CoursePage:
    """A published course with ``lessons`` published lessons."""
    index = index or course_index()
    slug = fields.pop("slug", None) or f"course-{CoursePage.objects.count() + 1}"
    course = CoursePage(title=title, slug=slug, summary=fields.pop("summary", "摘要"), **fields)
    index.add_child(instance=course)
    course.save_revision().publish()
    for i in range(lessons):
        make_lesson(course=course, title=f"第{i + 1}课", slug=f"lesson-{i + 1}")
    return CoursePage.objects.get(pk=course.pk)


def make_lesson(*, course: CoursePage, title: str = "第1课", slug: str | None = None, body=None) -> LessonPage:
    lesson = LessonPage(
        title=title,
        slug=slug or f"lesson-{LessonPage.objects.child_of(course).count() + 1}",
        body=body or [("paragraph", "<p>安全第一。</p>")],
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    course = factory.LazyFunction(make_course)
