"""What learners see and may do on course pages."""

import pytest

from courses import services
from courses.models import Enrollment, LessonCompletion
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


def test_enrolment_is_post_only(client):
    user, course = UserFactory(), make_course()
    client.force_login(user)
    assert client.get(f"/learn/courses/{course.pk}/enroll/").status_code == 405
    assert not Enrollment.objects.exists()
    response = client.post(f"/learn/courses/{course.pk}/enroll/")
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=user, course=course).count() == 1


def test_enrolment_needs_login(client):
    course = make_course()
    response = client.post(f"/learn/courses/{course.pk}/enroll/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enrollment.objects.exists()


def test_enrolment_needs_csrf_token():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    user, course = UserFactory(), make_course()
    csrf_client.force_login(user)
    assert csrf_client.post(f"/learn/courses/{course.pk}/enroll/").status_code == 403
    assert not Enrollment.objects.exists()


def test_lesson_redirects_people_who_are_not_enrolled(client):
    course = make_course()
    client.force_login(UserFactory())
    response = client.get(course.lessons().first().url)
    assert response.status_code == 302 and response["Location"] == course.url


def test_learner_completes_lesson_and_sees_progress(client):
    user, course = UserFactory(), make_course(lessons=2)
    services.enrollment_create(user=user, course=course)
    client.force_login(user)
    first, second = list(course.lessons())
    response = client.post(f"/learn/lessons/{first.pk}/complete/", {"next": second.pk})
    assert response.status_code == 302 and response["Location"] == second.url
    page = client.get(course.url).content.decode()
    assert 'aria-valuenow="50"' in page
    assert "50% done" in page


def test_dashboard_shows_only_my_enrollments(client):
    me, other = UserFactory(), UserFactory()
    mine, theirs = make_course(title="我的课程"), make_course(title="别人的课程")
    services.enrollment_create(user=me, course=mine)
    services.enrollment_create(user=other, course=theirs)
    client.force_login(me)
    html = client.get("/my/").content.decode()
    assert "我的课程" in html and "别人的课程" not in html


def test_another_persons_progress_is_not_visible(client):
    """My lesson page shows my progress, never someone else's; completing needs my own enrollment."""
    me, other = UserFactory(), UserFactory()
    course = make_course(lessons=2)
    services.enrollment_create(user=other, course=course)
    for lesson in course.lessons():
        services.lesson_complete(user=other, lesson=lesson)
    client.force_login(me)
    assert 'aria-valuenow="100"' not in client.get(course.url).content.decode()
    response = client.post(f"/learn/lessons/{course.lessons().first().pk}/complete/")
    assert response.status_code == 302
    assert not LessonCompletion.objects.filter(enrollment__user=me).exists()


def test_unknown_or_unpublished_course_is_404(client):
    client.force_login(UserFactory())
    course = make_course()
    course.unpublish()
    assert client.post(f"/learn/courses/{course.pk}/enroll/").status_code == 404
    assert client.post("/learn/courses/999999/enroll/").status_code == 404


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Enrol in this course"), ("zh-hans", "报名参加本课程")]
)
def test_course_page_renders_in_both_languages(client, language, expected):
    course = make_course()
    client.force_login(UserFactory())
    client.cookies["django_language"] = language
    html = client.get(course.url).content.decode()
    assert expected in html
    assert f'lang="{language}"' in html


def test_a_completed_course_stays_completed_when_lessons_are_added(client):
    from tests.factories import make_lesson

    user, course = UserFactory(), make_course(lessons=1)
    services.enrollment_create(user=user, course=course)
    services.lesson_complete(user=user, lesson=course.lessons().first())
    make_lesson(course=course, title="新增课时", slug="added")
    client.force_login(user)
    html = client.get(course.url).content.decode()
    assert 'aria-valuenow="100"' in html and "Completed" in html and "Continue" not in html


def _shown_percents(client, course) -> dict[str, set[str]]:
    """The percentage each of the three screens shows for ``course``: the catalogue's card, My learning, the course."""
    import re

    from tests.factories import course_index

    screens = {"card": course_index().url, "my learning": "/my/", "course page": course.url}
    found = {}
    for name, url in screens.items():
        html = client.get(url).content.decode()
        pattern = r'aria-valuenow="(\d+)"[^>]*aria-label="(?:Course progress|' + re.escape(course.title) + ')"'
        found[name] = set(re.findall(pattern, html))
    return found


def test_every_screen_shows_one_progress_figure_when_lessons_are_added_and_removed(
        client, django_capture_on_commit_callbacks):
    """Issue #14: 67 % on the home card and My learning, 40 % on the course page. One rule, one number."""
    from tests.factories import make_lesson

    user, course = UserFactory(), make_course(lessons=3)
    services.enrollment_create(user=user, course=course)
    first, second, __ = list(course.lessons())
    services.lesson_complete(user=user, lesson=first)
    services.lesson_complete(user=user, lesson=second)
    client.force_login(user)
    assert _shown_percents(client, course) == {"card": {"67"}, "my learning": {"67"}, "course page": {"67"}}

    with django_capture_on_commit_callbacks(execute=True):
        added = make_lesson(course=course, title="新增课时", slug="added")
    assert _shown_percents(client, course) == {"card": {"50"}, "my learning": {"50"}, "course page": {"50"}}

    with django_capture_on_commit_callbacks(execute=True):
        added.unpublish()
    assert _shown_percents(client, course) == {"card": {"67"}, "my learning": {"67"}, "course page": {"67"}}
