"""Abuse tests for roles (issue #22): every role against every admin screen of our apps, generated from the
permission matrix in docs/roles.md; HR against privileged accounts; the roster-import takeover chain.

The screens are found from Wagtail's registered viewsets, so a screen added later is covered. For each role and
each screen: what the matrix does not give the role (``view`` for the list, ``add``, ``change``, ``delete``) must
not be reached (403, 404, or a redirect that does not end on the screen: never a 200); what it gives must open
(the list and the add form: object-level scope may narrow edit screens, e.g. a manager's team).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.viewsets import viewsets as admin_viewsets

from lms import roles
from lms.audit.models import AuditEntry
from lms.people.models import Person
from lms.people.roster.services import roster_import
from tests.access_world import world_of_a
from tests.factories import PersonFactory, UserFactory
from tests.lms.people.test_roster import workbook
from tests.lms.test_roles import matrix_rows, row_of
from tests.plugin_apps import plugin_labels

pytestmark = pytest.mark.django_db

OUR_LABELS = plugin_labels()

# Screens whose URL does something else than the action's name says, with the permission that really guards it
# (reviewed): the permission policy or a custom view decides, not the model permission alone.
SCREEN_PERMISSION = {
    # The "edit" URL of a permit is its lifecycle page: read-only without change_permit (POST is refused).
    ("lms_permits.permit", "edit"): "view",
    # An appraisal's and a period's "edit" URL is their screen, read-only without the change permission (POSTs are
    # refused by the services): auditors read it.
    ("lms_appraisals.appraisal", "edit"): "view",
    ("lms_appraisals.appraisalperiod", "edit"): "view",
    # Certificates are written by services: add goes to the issue form, edit and delete to the record.
    ("lms_certificates.certificate", "edit"): "view",
    ("lms_certificates.certificate", "delete"): "view",
}
# Screens refused to everyone whatever the matrix says (a permission policy), with the reason.
NOBODY = {
    ("lms_archive.trainingrecord", "add"): "archive records are written by services only",
    ("lms_appraisals.appraisal", "add"): "appraisals are created when a period opens",
    ("lms_appraisals.appraisal", "delete"): "appraisals are never deleted",
    ("lms_audit.auditentry", "add"): "the ledger is append-only",
    ("lms_agreements.agreementsignature", "add"): "signatures are made by the signer only",
    ("lms_exams.attempt", "add"): "attempts are started by the learner",
    ("lms_exams.regrade", "add"): "regrades come from an answer-key fix",
    ("lms_h5p.h5plibrary", "add"): "libraries come with a package upload (installing needs its own permission)",
    ("lms_h5p.h5pstatement", "add"): "results are sent by the player",
}

ACTION_PERMISSION = {"index": "view", "add": "add", "edit": "change", "delete": "delete"}


def screens() -> list[tuple[str, object]]:
    """(model label, viewset) for every admin ModelViewSet / SnippetViewSet of our apps' models."""
    reverse("wagtailadmin_home")  # loads the URLconf, which registers the admin viewsets
    found = {}
    for viewset in admin_viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, str):
            model = apps.get_model(model)
        if model is None or model._meta.app_label not in OUR_LABELS or not hasattr(viewset, "get_url_name"):
            continue
        found.setdefault(model._meta.label_lower, viewset)
    return sorted(found.items())


def held_by_matrix(role: str, perm: str, rows) -> bool:
    row = row_of(perm, rows)
    return bool(row and row[role])


def an_object(model, world):
    for value in world.values():
        if isinstance(value, model):
            return value
    return model._default_manager.order_by("pk").first()


def url_for(viewset, action: str, obj) -> str | None:
    try:
        if action in ("index", "add"):
            return reverse(viewset.get_url_name(action))
        if obj is None:
            return None
        return reverse(viewset.get_url_name(action), args=[obj.pk])
    except NoReverseMatch:
        return None


def opens(client, url: str) -> bool:
    """True when a GET of ``url`` ends on a 200 page other than the sign-in page or the admin's dashboard (where
    Wagtail sends people it refuses)."""
    response = client.get(url)
    for __ in range(3):
        if response.status_code not in (301, 302):
            break
        target = response["Location"]
        if "/login/" in target or target.rstrip("/") in ("/admin", ""):
            return False
        response = client.get(target)
    return response.status_code == 200


def user_of(role: str):
    user = UserFactory()
    user.groups.add(*Group.objects.filter(name__in={roles.LEARNER, role}))
    return user


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_role_reaches_exactly_the_admin_screens_of_its_column(client, role):
    rows = matrix_rows()
    world = world_of_a()
    client.force_login(user_of(role))
    wrong = []
    for label, viewset in screens():
        model = apps.get_model(label)
        obj = an_object(model, world)
        for action, verb in ACTION_PERMISSION.items():
            url = url_for(viewset, action, obj)
            if url is None:
                continue
            verb = SCREEN_PERMISSION.get((label, action), verb)
            perm = f"{model._meta.app_label}.{verb}_{model._meta.model_name}"
            allowed = held_by_matrix(role, perm, rows) and (label, action) not in NOBODY
            if action == "index" and not allowed:  # Wagtail's list opens with any of the model's permissions
                allowed = any(held_by_matrix(role, f"{model._meta.app_label}.{v}_{model._meta.model_name}", rows)
                              for v in ("add", "change", "delete"))
            reached = opens(client, url)
            if reached and not allowed:
                wrong.append(f"{role} reached {action} of {label} ({url}) without {perm}")
            elif allowed and not reached and action in ("index", "add"):
                wrong.append(f"{role} was refused {action} of {label} ({url}) though the matrix gives {perm}")
    assert not wrong, "\n".join(wrong)


def test_the_generated_screens_cover_the_door_screens():
    labels = {label for label, __ in screens()}
    assert {"lms_requirements.area", "lms_permits.backgroundcheck", "lms_permits.controller", "lms_permits.permit",
            "lms_people.person"} <= labels


# --- HR and privileged accounts ---------------------------------------------------------------------------------


def superuser_with_profile(email="root@example.com"):
    admin = UserFactory(username="admin", email=email, is_superuser=True, is_staff=True)
    PersonFactory(user=admin, employee_number="A0001", name="管理员")
    return admin


def roster_row(number, name, username, email):
    return [number, name, username, email, "ops", "运营部", "ops", "运营", "", "2024-01-02", "active", ""]


def test_hr_cannot_change_a_superusers_email_by_roster_import_or_admin(client):
    admin = superuser_with_profile()
    hr = user_of(roles.HR)
    roster_import(workbook([roster_row("A0001", "管理员", "admin", "hr-inbox@example.com")]), imported_by=hr)
    admin.refresh_from_db()
    assert admin.email == "root@example.com" and admin.is_superuser

    client.force_login(hr)
    edit = f"/admin/users/edit/{admin.pk}/"
    assert not opens(client, edit)
    client.post(edit, {"username": "admin", "email": "hr-inbox@example.com", "is_active": "on",
                       "is_superuser": "on", "password1": "", "password2": ""})
    admin.refresh_from_db()
    assert admin.email == "root@example.com"
    person = Person.objects.get(employee_number="A0001")
    response = client.get(f"/admin/snippets/lms/person/edit/{person.pk}/", follow=True)
    assert response.redirect_chain and "only an administrator may change it" in response.content.decode()


def test_hr_cannot_change_a_staff_members_email_by_roster_import():
    staff = UserFactory(username="ops-staff", email="staff@example.com", is_staff=True)
    PersonFactory(user=staff, employee_number="S0001")
    roster_import(workbook([roster_row("S0001", "职员", "ops-staff", "hr-inbox@example.com")]))
    staff.refresh_from_db()
    assert staff.email == "staff@example.com"


def test_the_takeover_chain_no_longer_reaches_the_superuser(client):
    """Roster import with HR's address on the admin's row, then "Forgot your password?" for that address: no link
    reaches HR, and the ledger names the attempt."""
    superuser_with_profile()
    hr = user_of(roles.HR)
    preview = roster_import(workbook([roster_row("A0001", "管理员", "admin", "hr-inbox@example.com")]),
                            imported_by=hr)
    assert preview.actions == {2: "refused"}
    client.post("/accounts/password/reset/", {"email": "hr-inbox@example.com"})
    assert not [m for m in mail.outbox if "hr-inbox@example.com" in m.to]
    entry = AuditEntry.objects.get(kind="account", action="roster_row_refused")
    assert (entry.actor_username, entry.data["old"], entry.data["new"]) == (
        hr.username, "root@example.com", "hr-inbox@example.com")


def test_the_takeover_chain_does_not_reach_a_learners_account_either(client):
    learner = UserFactory(username="wang", email="wang@example.com")
    PersonFactory(user=learner, employee_number="E0001")
    roster_import(workbook([roster_row("E0001", "王", "wang", "hr-inbox@example.com")]))
    client.post("/accounts/password/reset/", {"email": "hr-inbox@example.com"})
    assert not [m for m in mail.outbox if "hr-inbox@example.com" in m.to]
    learner.refresh_from_db()
    assert learner.email == "wang@example.com"


# --- HR applies for a permit (a request) and nothing more of the door ---------------------------------------------


def test_hr_applies_for_a_permit_but_cannot_check_approve_or_create_a_controller(client):
    from lms.permits.models import BackgroundCheck, Controller, Permit
    from lms.requirements.models import Area

    person = PersonFactory(name="新员工")
    area = Area.objects.create(name="运营区域", code="ops")
    hr = user_of(roles.HR)
    client.force_login(hr)
    response = client.post(reverse("permits:add"), {"person": person.pk, "area": area.pk, "reason": "上岗"},
                           follow=True)
    assert "Waiting for a passed background check." in response.content.decode()
    permit = Permit.objects.get(person=person, area=area)
    assert permit.requested_by == hr

    lifecycle = reverse("lms_permit_lifecycle", args=[permit.pk])
    assert client.post(lifecycle, {"action": "approve"}).status_code in (302, 403)  # Wagtail: back to the dashboard
    assert not permit.approvals.exists()
    assert not opens(client, reverse("background_checks:add"))
    client.post(reverse("background_checks:add"), {"person": person.pk, "result": "passed", "notes": "ok",
                                                   "consent_date": timezone.localdate(), "consent_given": "on"})
    assert not BackgroundCheck.objects.exists()
    assert not opens(client, reverse("controllers:add"))
    client.post(reverse("controllers:add"), {"name": "后门", "areas": [area.pk]})
    assert not Controller.objects.exists()
