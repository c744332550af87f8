""""My learning" leads somewhere: each certification a person still needs links to a live course that grants it,
and the box of expiring certificates links to the course that renews each one (#20)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.certificates.factories import CertificationFactory, issue
from tests.factories import make_course
from tests.lms.factories import matrix_world

pytestmark = pytest.mark.django_db


def requirements_section(html: str) -> str:
    return html.split('data-testid="my-requirements"')[1].split("</section>")[0]


def test_each_certification_not_done_links_to_a_live_course_that_grants_it(client):
    certification, __, people = matrix_world()
    draft = make_course(title="旧版安全课", lessons=0, slug="old-safety")
    draft.unpublish()
    course = make_course(title="安全上岗培训", lessons=1, slug="safety")
    certification.courses.add(draft, course)

    client.force_login(people["missing"].user)
    section = requirements_section(client.get("/my/").content.decode())
    assert f'href="{course.url}"' in section and "Earn it: 安全上岗培训" in section
    assert "旧版安全课" not in section  # a course that is not live leads nowhere

    client.force_login(people["expired"].user)
    section = requirements_section(client.get("/my/").content.decode())
    assert f'href="{course.url}"' in section and "Renew it: 安全上岗培训" in section

    client.force_login(people["done"].user)
    section = requirements_section(client.get("/my/").content.decode())
    assert "安全上岗培训" not in section  # nothing to do


def test_a_certification_no_course_grants_says_whom_to_ask(client):
    __, __, people = matrix_world()
    client.force_login(people["missing"].user)
    section = requirements_section(client.get("/my/").content.decode())
    assert "No course grants it yet; ask your trainer." in section


def test_the_expiring_box_links_to_the_course_that_renews_the_certificate(client):
    certification = CertificationFactory(name="技能上岗证", validity_days=365)
    course = make_course(title="技能复训", lessons=1, slug="skills")
    certification.courses.add(course)
    at = timezone.now() - timedelta(days=350)
    certificate = issue(certification=certification, course=course, completed_at=at, now=at)
    client.force_login(certificate.user)
    html = client.get("/my/").content.decode()
    box = html.split('id="expiring-certificates"')[1].split("</section>")[0]
    assert "技能上岗证" in box and f'href="{course.url}"' in box and "Renew: 技能复训" in box


def test_my_learning_queries_do_not_grow_with_the_requirements(client, django_assert_max_num_queries):
    from tests.lms.factories import requirement_for

    certification, __, people = matrix_world()
    certification.courses.add(make_course(title="安全上岗培训", lessons=0, slug="safety"))
    user = people["missing"].user
    client.force_login(user)
    client.get("/my/")
    with django_assert_max_num_queries(60) as one:
        client.get("/my/")
    for i in range(4):
        other = CertificationFactory(name=f"证书{i}")
        other.courses.add(make_course(title=f"课程{i}", lessons=0, slug=f"c{i}"))
        requirement_for(other, position=people["missing"].position, days=30)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get("/my/").content.decode()
    assert all(f"Earn it: 课程{i}" in html for i in range(4))
