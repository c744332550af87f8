"""The role matrix of docs/roles.md, as the groups hold it after migrate."""

import pytest
from django.contrib.auth.models import Group

from lms import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_in(role):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


def test_all_roles_exist():
    assert set(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == set(roles.ROLES)


@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        (roles.LEARNER, [], ["wagtailadmin.access_admin", "lms.view_person"]),
        (roles.TRAINER, ["wagtailadmin.access_admin", "lms.view_person"], ["lms.change_person", "lms.add_person"]),
        (roles.HR, ["lms.add_person", "lms.change_person", "lms_courses.add_enrollment"], ["lms.view_auditentry"]),
        (roles.MANAGER, ["lms.view_person"], ["lms.change_person", "lms_courses.add_enrollment"]),
        (roles.HR, ["lms.add_appraisalperiod", "lms.change_appraisalperiod", "lms.review_appraisal",
                    "lms.view_all_appraisals"], []),
        (roles.MANAGER, ["lms.change_appraisal", "lms.view_appraisal"],
         ["lms.view_appraisalperiod", "lms.review_appraisal", "lms.view_all_appraisals"]),
        (roles.AUDITOR, ["lms.view_appraisalperiod", "lms.view_all_appraisals"],
         ["lms.change_appraisal", "lms.review_appraisal", "lms.change_appraisalperiod"]),
        (roles.SECURITY_OFFICER, ["lms.view_auditentry", "lms.change_permit"], ["lms.change_person"]),
        (roles.AUDITOR, ["lms.view_person", "lms_courses.view_enrollment", "lms.view_auditentry"],
         ["lms.change_person", "lms_courses.change_enrollment", "lms.add_inductionprogram"]),
    ],
)
def test_model_permissions(role, allowed, denied):
    user = user_in(role)
    for perm in allowed:
        assert user.has_perm(perm), f"{role} should have {perm}"
    for perm in denied:
        assert not user.has_perm(perm), f"{role} must not have {perm}"


def test_trainers_may_publish_courses_and_hr_may_not(site_root):
    from tests.factories import make_course

    course = make_course()
    trainer, hr = user_in(roles.TRAINER), user_in(roles.HR)
    assert course.permissions_for_user(trainer).can_publish()
    assert course.permissions_for_user(trainer).can_edit()
    assert not course.permissions_for_user(hr).can_publish()
    assert not course.permissions_for_user(hr).can_edit()


def test_trainer_cannot_open_people_admin_but_hr_can(client):
    trainer, hr = user_in(roles.TRAINER), user_in(roles.HR)
    client.force_login(trainer)
    assert client.get("/admin/snippets/lms/person/add/").status_code in (302, 403)
    client.force_login(hr)
    assert client.get("/admin/snippets/lms/person/add/").status_code == 200


def test_learner_cannot_reach_admin(client):
    client.force_login(user_in(roles.LEARNER))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
