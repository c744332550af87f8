import pytest
from rest_framework.test import APIClient

from courses import services
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


def test_my_enrollments_only_and_others_are_404():
    me, other = UserFactory(), UserFactory()
    course = make_course(lessons=2)
    mine = services.enrollment_create(user=me, course=course)
    theirs = services.enrollment_create(user=other, course=course)
    services.lesson_complete(user=other, lesson=course.lessons().first())
    client = APIClient()
    client.force_authenticate(me)
    listing = client.get("/api/enrollments/").json()
    assert [row["id"] for row in listing["results"]] == [mine.pk]
    assert client.get(f"/api/enrollments/{mine.pk}/").json()["progress_percent"] == 0
    assert client.get(f"/api/enrollments/{theirs.pk}/").status_code == 404


def test_anonymous_gets_nothing():
    assert APIClient().get("/api/enrollments/").status_code in (401, 403)


def test_enrollments_are_read_only():
    me = UserFactory()
    mine = services.enrollment_create(user=me, course=make_course())
    client = APIClient()
    client.force_authenticate(me)
    assert client.patch(f"/api/enrollments/{mine.pk}/", {"progress_percent": 100}).status_code == 405
    mine.refresh_from_db()
    assert mine.progress_percent == 0
