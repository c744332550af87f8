"""The demo loader issues the specialist's certificates through the services, idempotently."""

from io import StringIO

import pytest

from certificates import selectors
from certificates.models import Certificate, Certification
from exams.localization import sources

pytestmark = pytest.mark.django_db


def holder_from_person(user):
    """What lms.people.hooks.certificate_holder is expected to do (lms is above certificates)."""
    from lms.people.models import Person

    person = Person.objects.filter(user=user).only("name", "employee_number").first()
    if person is None:
        return user.get_full_name() or user.get_username(), ""
    return person.name, person.employee_number


def test_demo_certificates(settings):
    settings.LMS_CERTIFICATE_HOLDER = "tests.certificates.test_demo.holder_from_person"
    from demo.data import certificates, foundation

    foundation.load(StringIO())
    certificates.load(StringIO())
    certificates.load(StringIO())
    assert sources(Certification.objects.all()).count() == 4  # each with a translation (docs/translation.md)
    assert Certification.objects.count() == 8
    held = Certificate.objects.filter(user__username="specialist")
    assert held.count() == 4
    assert set(held.values_list("holder_name", flat=True)) == {"刘专员"}
    assert [c.certification.code for c in selectors.expiring_for(held.first().user)] == ["emergency"]
