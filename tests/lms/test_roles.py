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
        (roles.LEARNER, [], ["wagtailadmin.access_admin", "lms_people.view_person"]),
        (roles.TRAINER, ["wagtailadmin.access_admin", "lms_people.view_person"], ["lms_people.change_person",
         "lms_people.add_person"]),
        (roles.HR, ["lms_people.add_person", "lms_people.change_person", "lms_courses.add_enrollment"],
         ["lms_audit.view_auditentry"]),
        (roles.MANAGER, ["lms_people.view_person"], ["lms_people.change_person", "lms_courses.add_enrollment"]),
        (roles.HR, ["lms_appraisals.add_appraisalperiod", "lms_appraisals.change_appraisalperiod",
         "lms_appraisals.review_appraisal",
                    "lms_appraisals.view_all_appraisals"], []),
        (roles.MANAGER, ["lms_appraisals.change_appraisal", "lms_appraisals.view_appraisal"],
         ["lms_appraisals.view_appraisalperiod", "lms_appraisals.review_appraisal",
          "lms_appraisals.view_all_appraisals"]),
        (roles.AUDITOR, ["lms_appraisals.view_appraisalperiod", "lms_appraisals.view_all_appraisals"],
         ["lms_appraisals.change_appraisal", "lms_appraisals.review_appraisal",
          "lms_appraisals.change_appraisalperiod"]),
        (roles.SECURITY_OFFICER, ["lms_audit.view_auditentry", "lms_permits.change_permit"],
         ["lms_people.change_person"]),
        (roles.AUDITOR, ["lms_people.view_person", "lms_courses.view_enrollment", "lms_audit.view_auditentry"],
         ["lms_people.change_person", "lms_courses.change_enrollment", "lms_people.add_inductionprogram"]),
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


# --- The permission matrix of docs/roles.md, parsed and compared with the groups ----------------------------------

import fnmatch  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

from django.contrib.auth.models import Permission  # noqa: E402

from tests.plugin_apps import plugin_labels  # noqa: E402

ROLES_MD = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
OUR_APPS = plugin_labels()


def matrix_rows(text: str | None = None) -> list[dict]:
    """The rows of the "Permission matrix" table: ``{"patterns": [...], "duty": "HR"|"security"|"–", role: bool}``."""
    text = text if text is not None else ROLES_MD.read_text(encoding="utf-8")
    section = text.split("## Permission matrix", 1)[1]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[:2] == ["permissions", "duty"] and header[2:] == list(roles.ROLES), header
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == len(header), line
        assert all(cell in ("yes", "–") for cell in cells[2:]), line
        assert cells[1] in ("HR", "security", "–"), line
        rows.append({
            "patterns": re.findall(r"`([^`]+)`", cells[0]),
            "duty": cells[1],
            **{role: cell == "yes" for role, cell in zip(roles.ROLES, cells[2:], strict=True)},
        })
    return rows


def row_of(perm: str, rows: list[dict]) -> dict | None:
    return next((row for row in rows if any(fnmatch.fnmatchcase(perm, p) for p in row["patterns"])), None)


def all_permissions() -> list[str]:
    return [f"{a}.{c}" for a, c in Permission.objects.values_list("content_type__app_label", "codename")]


def test_matrix_rows_parse_without_database():
    rows = matrix_rows("## Permission matrix\n\n| permissions | duty | " + " | ".join(roles.ROLES) + " |\n"
                       "| --- |\n| `lms_requirements.*_area` | security | – | – | – | – | yes | – |\n")
    assert rows == [{"patterns": ["lms_requirements.*_area"], "duty": "security", **{r: r == roles.SECURITY_OFFICER
                                                                             for r in roles.ROLES}}]
    assert row_of("lms_requirements.add_area", rows)["duty"] == "security"
    assert row_of("lms_people.add_person", rows) is None


def test_every_permission_of_our_apps_has_a_row_in_the_matrix():
    rows = matrix_rows()
    missing = [p for p in all_permissions() if p.split(".")[0] in OUR_APPS and row_of(p, rows) is None]
    assert not missing, f"docs/roles.md's permission matrix has no row for {missing}"


@pytest.mark.parametrize("role", roles.ROLES)
def test_groups_hold_exactly_what_the_documented_matrix_says(role):
    rows = matrix_rows()
    expected = {p for p in all_permissions() if (row := row_of(p, rows)) is not None and row[role]}
    held = {f"{a}.{c}" for a, c in Group.objects.get(name=role).permissions.values_list(
        "content_type__app_label", "codename")}
    assert sorted(held - expected) == [], f"{role} holds permissions docs/roles.md does not give it"
    assert sorted(expected - held) == [], f"{role} lacks permissions docs/roles.md gives it"


def test_no_role_holds_both_an_hr_duty_and_a_security_duty_permission():
    rows = matrix_rows()
    for role in roles.ROLES:
        perms = Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
        duties = {row["duty"] for a, c in perms if (row := row_of(f"{a}.{c}", rows)) is not None}
        assert not {"HR", "security"} <= duties, f"{role} holds both HR and security duties"
    hr_duty = {r["duty"] for r in rows if r[roles.HR]}
    assert "security" not in hr_duty and "HR" in hr_duty


@pytest.mark.parametrize("perm", [
    "lms_permits.change_backgroundcheck", "lms_permits.view_backgroundcheck", "lms_permits.add_controller",
        "lms_permits.change_permit",
    "lms_requirements.add_area", "lms_audit.view_auditentry", "lms_permits.add_visitorentry",
        "lms_permits.add_webhookendpoint",
])
def test_hr_holds_no_door_permission(perm):
    assert not user_in(roles.HR).has_perm(perm)


def migrated():
    """What the end of ``migrate`` does (the real command cannot run inside a test's transaction on SQLite)."""
    from django.core.management.sql import emit_post_migrate_signal

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


def test_sync_replaces_what_a_role_group_held_before():
    """An install migrated with an older matrix (HR with every permission of the door apps) loses the door
    permissions on the next migrate."""
    hr = Group.objects.get(name=roles.HR)
    hr.permissions.add(*Permission.objects.filter(content_type__app_label__in=["lms_permits", "lms_audit"],
                       codename__in=[
        "add_controller", "change_backgroundcheck", "view_auditentry"]))
    migrated()  # the post_migrate receiver syncs the groups
    assert not hr.permissions.filter(codename__in=["add_controller", "change_backgroundcheck",
                                                   "view_auditentry"]).exists()


def test_sync_replaces_page_permissions_of_role_groups(site_root):
    from wagtail.models import GroupPagePermission, Page

    hr = Group.objects.get(name=roles.HR)
    root = Page.get_first_root_node()
    GroupPagePermission.objects.create(group=hr, page=root, permission=Permission.objects.get(
        content_type__app_label="wagtailcore", codename="publish_page"))
    migrated()
    assert not GroupPagePermission.objects.filter(group=hr).exists()
    assert GroupPagePermission.objects.filter(group__name=roles.TRAINER, permission__codename="publish_page").exists()
