"""The cluster test's data, written once before the servers start (``python -c`` with the cluster settings; prints one
JSON line). Everything the test then checks goes through HTTP.

- a superuser (admin screens, API token; password PASSWORD, as every user here): deactivates a controller, changes
  the area's requirements, revokes a certificate, asks for an export;
- area "ops" requiring one certification; badge holders B100 and B200 with issued permits and current certificates;
- four door controllers for "ops": one to deactivate, one to ask about the revoked certificate, one to rate-limit,
  one to ask while the area's requirements change (and a certification nobody holds, to require);
- a course whose final exam (one numeric question: 24) grants a certification; two enrolled learners with API tokens,
  the lesson done: one earns the certificate through server A, the other submits the same attempt to A and B."""

from __future__ import annotations

import json

PASSWORD = "cluster-test-password"


def build() -> dict:
    from django.contrib.auth import get_user_model
    from django.test import override_settings
    from rest_framework.authtoken.models import Token

    from courses import services as course_services
    from courses.models import CoursePage
    from lms.permits import services as permit_services
    from tests.certificates.factories import CertificationFactory, issue
    from tests.exams.factories import assign, make_exam, make_question
    from tests.factories import PersonFactory, UserFactory, make_course
    from tests.lms.factories import issued_permit, permit_world

    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    world = permit_world()
    issued_permit(world)
    second = {**world, "person": PersonFactory(badge_number="B200")}
    issued_permit(second)
    with override_settings(LMS_CERTIFICATE_PDF_ON_ISSUE=False):  # the only PDF the workers render is the earned one
        issue(user=world["person"].user, certification=world["certification"])
        revocable = issue(user=second["person"].user, certification=world["certification"])
    controllers = {}
    for name in ("deactivate", "revoke", "rate", "area"):
        controller, token = permit_services.controller_create(name=f"door-{name}", areas=[world["area"]])
        controllers[name] = {"id": controller.pk, "token": token, "name": controller.name}

    exam = make_exam(questions=[make_question("numeric")], attempts_allowed=0, pass_percent=60)
    course = make_course(lessons=1, slug="cluster", completion_rule="all_lessons_and_exam")
    course.final_exam = exam
    course.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    earned = CertificationFactory(courses=[course], name="Cluster certification")
    learners = {}
    for name in ("earner", "racer"):
        user = UserFactory(username=name, password=PASSWORD)
        course_services.enrollment_create(user=user, course=course)
        course_services.lesson_complete(user=user, lesson=course.lessons().first())
        assign(exam, user)
        learners[name] = {"id": user.pk, "token": Token.objects.create(user=user).key}
    return {
        "boss": {"username": "boss", "password": PASSWORD, "token": Token.objects.create(user=boss).key},
        "area": {"id": world["area"].pk, "code": world["area"].code, "name": world["area"].name,
                 "required": [world["certification"].pk]},
        "extra_certification": CertificationFactory(name="Extra requirement").pk,
        "revocable_certificate": revocable.pk,
        "controllers": controllers,
        "exam": exam.pk,
        "earned_certification": earned.name,  # as the API names it
        "learners": learners,
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(build()))  # noqa: T201
