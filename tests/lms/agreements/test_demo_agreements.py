"""The demo's confidentiality agreement: published under the site with a three-question check; the specialist
has signed (once, also after a second load), the new hire has not and sees the task on "My learning"."""

from io import StringIO

import pytest
from django.core.management import call_command

from exams import localization
from lms.agreements.models import AgreementPage, AgreementSignature
from lms.agreements.selectors import has_signed_current, unsigned_people
from lms.archive.models import TrainingRecord
from lms.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_agreement(client):
    call_command("lms_load_demo", stdout=StringIO())
    call_command("lms_load_demo", stdout=StringIO())
    page = localization.sources(AgreementPage.objects.all()).get()  # the Chinese original (an English copy too)
    assert page.live and page.version == "2026-1" and page.url  # routable under the site
    assert page.exam.sections.get().fixed_questions.count() == 3
    specialist = Person.objects.get(user__username="specialist")
    newhire = Person.objects.get(user__username="newhire")
    assert list(AgreementSignature.objects.values_list("person__user__username", flat=True)) == ["specialist"]
    assert TrainingRecord.objects.filter(person=specialist, kind="acknowledgement").count() == 1
    assert has_signed_current(specialist) and not has_signed_current(newhire)
    assert newhire in unsigned_people(page) and specialist not in unsigned_people(page)

    client.login(username="newhire", password="demo-pass-2026")
    html = client.get("/my/").content.decode()
    # the site speaks English here (tests/settings.py), and the agreement has an English translation
    assert "Sign the confidentiality agreement “Employee Confidentiality Agreement” (version 2026-1)" in html
    assert "Take the comprehension check" in client.get(page.url).content.decode()
    client.login(username="specialist", password="demo-pass-2026")
    assert "Sign the confidentiality agreement" not in client.get("/my/").content.decode()
    assert "You signed version 2026-1" in client.get(page.url).content.decode()
