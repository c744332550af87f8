"""HR sets a leaving date and a legal hold on a person's page; the erase command refuses a person on hold and
counts before it acts."""

import io

import pytest
from django.core.management import CommandError, call_command

from lms import roles
from lms.people.models import Person
from tests.exams.factories import make_attempt
from tests.factories import PersonFactory
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db


def edit(client, person, **changes):
    data = {"employee_number": person.employee_number, "name": person.name, "hire_date": "2025-01-06",
            "status": person.status, "badge_number": person.badge_number, "left_on": "", "legal_hold_reason": ""}
    data.update(changes)
    return client.post(f"/admin/snippets/lms/person/edit/{person.pk}/", data)


def test_hr_puts_a_person_on_legal_hold_with_a_reason(client):
    person = PersonFactory(hire_date="2025-01-06")
    client.force_login(user_in(roles.HR))
    refused = edit(client, person, legal_hold="on")
    assert refused.status_code == 200 and not Person.objects.get(pk=person.pk).legal_hold
    done = edit(client, person, legal_hold="on", legal_hold_reason="仲裁 2026-17", left_on="2026-11-30")
    assert done.status_code == 302, done.content.decode()[:1500]
    person.refresh_from_db()
    assert person.legal_hold and person.legal_hold_reason == "仲裁 2026-17" and str(person.left_on) == "2026-11-30"


def test_a_leaving_date_before_the_hire_date_is_refused(client):
    person = PersonFactory(hire_date="2025-01-06")
    client.force_login(user_in(roles.HR))
    response = edit(client, person, left_on="2024-12-31")
    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).left_on is None


def test_the_erase_command_counts_first_then_erases():
    person = PersonFactory(name="钱七", employee_number="E9001")
    make_attempt(user=person.user)
    out = io.StringIO()
    call_command("lms_privacy_erase", "E9001", stdout=out)
    assert "--apply" in out.getvalue()
    assert Person.objects.get(pk=person.pk).name == "钱七"
    call_command("lms_privacy_erase", "E9001", "--apply", stdout=io.StringIO())
    person.refresh_from_db()
    assert person.name == "" and person.erased_at is not None
    with pytest.raises(CommandError):
        call_command("lms_privacy_erase", person.employee_number, "--apply", stdout=io.StringIO())


def test_the_erase_command_refuses_a_person_on_legal_hold_and_changes_nothing():
    person = PersonFactory(name="孙八", legal_hold=True, legal_hold_reason="调查")
    with pytest.raises(CommandError, match="legal hold"):
        call_command("lms_privacy_erase", person.user.username, "--apply", stdout=io.StringIO())
    assert Person.objects.get(pk=person.pk).name == "孙八"


def test_an_unknown_person_is_a_clear_error():
    with pytest.raises(CommandError, match="Nobody"):
        call_command("lms_privacy_erase", "nobody-here", stdout=io.StringIO())
