"""A background check keeps the person's separate consent (PIPL Art. 29): without it nothing is recorded."""

import datetime as dt
import html

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms import roles
from lms.audit.models import AuditEntry
from lms.permits import consent, services
from lms.permits.models import BackgroundCheck
from lms.requirements.models import Area
from tests.factories import PersonFactory, UserFactory
from tests.lms.archive.test_validators import private_files

pytestmark = pytest.mark.django_db
ADD = "/admin/background_checks/new/"


def user_in(role, **kw):
    user = UserFactory(**kw)
    user.groups.add(Group.objects.get(name=role))
    return user


def form(person, *, day=None, given=True, **extra):
    data = {"person": person.pk, "result": "passed", "notes": "证明已核验",
            "consent_date": (day or timezone.localdate()).isoformat(), **extra}
    if given:
        data["consent_given"] = "on"
    return data


def page(response) -> str:
    return html.unescape(response.content.decode())


def nothing_written():
    return not BackgroundCheck.objects.exists() and not AuditEntry.objects.filter(kind="background_check").exists()


@pytest.fixture
def officer(client):
    officer = user_in(roles.SECURITY_OFFICER, username="officer")
    client.force_login(officer)
    return officer


@pytest.fixture
def applied(officer):
    """A person whose permit for the operations area waits for a passed background check."""
    person = PersonFactory(name="新员工")
    area = Area.objects.create(name="运营区域", code="ops")
    return services.permit_apply(person=person, area=area, requested_by=user_in(roles.HR))


def test_the_add_form_shows_the_consent_text_its_version_and_the_box(client, officer):
    text = page(client.get(ADD))
    assert str(consent.CONSENT_TITLE) in text and f"version {consent.CONSENT_VERSION}" in text
    assert all(str(paragraph) in text for paragraph in consent.CONSENT_PARAGRAPHS)
    assert 'name="consent_given"' in text and 'name="consent_date"' in text
    assert f"The person has signed the consent to the background check (version {consent.CONSENT_VERSION})" in text


def test_the_form_without_the_consent_box_is_refused_and_nothing_is_written(client, officer, applied):
    response = client.post(ADD, form(applied.person, given=False))
    assert response.status_code == 200
    assert "cannot be recorded without the person's separate consent" in page(response)
    assert nothing_written()
    applied.refresh_from_db()
    assert applied.status == "applied"


def test_the_form_with_the_consent_box_keeps_who_when_and_which_version(client, officer, applied):
    day = timezone.localdate() - dt.timedelta(days=1)
    if day < consent.CONSENT_VERSION_SINCE:
        day = timezone.localdate()
    health = SimpleUploadedFile("health.pdf", b"%PDF-1.4 health")
    response = client.post(ADD, form(applied.person, day=day, health_certificate=health))
    assert response.status_code == 302
    check = BackgroundCheck.objects.get()
    assert check.health_certificate.name.endswith(".pdf")
    assert (check.person, check.consent_recorded_by, check.consent_text_version) == (
        applied.person, officer, consent.CONSENT_VERSION)
    assert timezone.localtime(check.consent_at).date() == day
    applied.refresh_from_db()
    assert applied.status == "checked"
    entry = AuditEntry.objects.get(kind="background_check")
    assert entry.data["consent_text_version"] == consent.CONSENT_VERSION and entry.data["consent_at"]


@pytest.mark.parametrize("day", [
    pytest.param(lambda: timezone.localdate() + dt.timedelta(days=1), id="future"),
    pytest.param(lambda: consent.CONSENT_VERSION_SINCE - dt.timedelta(days=1), id="before-the-text-existed"),
])
def test_a_consent_date_in_the_future_or_before_the_text_is_refused(client, officer, applied, day):
    response = client.post(ADD, form(applied.person, day=day()))
    assert response.status_code == 200
    assert "The date of the consent cannot be in the future." in page(response) or (
        "it cannot have been signed before" in page(response))
    assert nothing_written()


def test_the_service_without_consent_raises_and_writes_nothing(applied):
    before = private_files()
    with pytest.raises(ValidationError) as refused:
        services.background_check_record(
            person=applied.person, result="passed", checked_by=UserFactory(),
            health_certificate=SimpleUploadedFile("health.pdf", b"%PDF-1.4 health"),
        )
    assert "without the person's separate consent" in refused.value.message_dict["consent_at"][0]
    assert nothing_written() and private_files() == before
    applied.refresh_from_db()
    assert applied.status == "applied"


def test_the_service_refuses_a_future_consent_and_another_text(applied):
    hr = UserFactory()
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.background_check_record(person=applied.person, result="passed", checked_by=hr,
                                         consent_at=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="must sign the current text"):
        services.background_check_record(person=applied.person, result="passed", checked_by=hr,
                                         consent_at=timezone.now(), consent_text_version="2020-1")
    assert nothing_written()


def test_an_edit_keeps_the_consent_and_cannot_move_the_check_to_another_person(client, officer, applied):
    signed = timezone.now() - dt.timedelta(minutes=5)
    check = services.background_check_record(person=applied.person, result="pending", checked_by=officer,
                                             consent_at=signed)
    other = PersonFactory(name="别人")
    client.force_login(user_in(roles.SECURITY_OFFICER))
    text = page(client.get(reverse("background_checks:edit", args=[check.pk])))
    assert f"signed the consent (version {consent.CONSENT_VERSION})" in text and "recorded by officer" in text
    assert 'name="consent_given"' not in text
    response = client.post(reverse("background_checks:edit", args=[check.pk]),
                           {"person": other.pk, "result": "passed", "notes": "证明已核验"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.person, check.result, check.consent_at, check.consent_recorded_by) == (
        applied.person, "passed", signed, officer)
    with pytest.raises(ValidationError):  # the service: another person's check needs that person's consent
        services.background_check_record(check=check, person=other, result="passed", checked_by=officer)
    check.refresh_from_db()
    assert check.person == applied.person


def test_a_check_recorded_before_consent_was_kept_needs_it_on_its_next_change(client, officer, applied):
    legacy = BackgroundCheck.objects.create(person=applied.person, result="pending")  # as the migration leaves it
    url = reverse("background_checks:edit", args=[legacy.pk])
    response = client.post(url, {"person": applied.person.pk, "result": "passed", "notes": ""})
    assert response.status_code == 200 and "separate consent" in page(response)
    legacy.refresh_from_db()
    assert (legacy.result, legacy.consent_at) == ("pending", None)
    assert client.post(url, form(applied.person)).status_code == 302
    legacy.refresh_from_db()
    assert (legacy.result, legacy.consent_text_version, legacy.consent_recorded_by) == (
        "passed", consent.CONSENT_VERSION, officer)


def test_the_list_and_the_inspect_screen_show_the_consent(client, officer, applied):
    check = services.background_check_record(person=applied.person, result="passed", checked_by=officer,
                                             consent_at=timezone.now())
    auditor = user_in(roles.AUDITOR)
    for user in (officer, auditor):
        client.force_login(user)
        listing = page(client.get(reverse("background_checks:index")))
        inspect = page(client.get(reverse("background_checks:inspect", args=[check.pk])))
        for text in (listing, inspect):
            assert consent.CONSENT_VERSION in text and "officer" in text
        assert "Consent signed on" in inspect and "Consent recorded by" in inspect


@pytest.mark.parametrize("role", [roles.HR, roles.TRAINER, roles.MANAGER, roles.AUDITOR, roles.LEARNER])
def test_no_other_role_can_record_a_check_even_with_consent(client, applied, role):
    """Today only security officers (and superusers) may record a background check (lms.roles)."""
    client.force_login(user_in(role))
    response = client.post(ADD, form(applied.person))
    assert response.status_code in (302, 403)
    assert nothing_written()
    applied.refresh_from_db()
    assert applied.status == "applied"
