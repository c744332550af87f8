"""The confidentiality agreement end to end through the Django test client: read → pass the check for this
version → sign with the password → one signature and one archive record; new versions make people sign again."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lms.agreements.models import AgreementPage, AgreementSignature
from lms.agreements.selectors import has_signed_current, unsigned_people
from lms.archive.models import TrainingRecord
from lms.people.models import Person
from tests.factories import DepartmentFactory, PersonFactory
from tests.lms.agreements.factories import make_agreement, publish_new_version, take_check

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456!"


@pytest.fixture
def agreement():
    return make_agreement()


@pytest.fixture
def person():
    return PersonFactory(name="刘专员")


def sign(client, page, *, password=PASSWORD, revision=None):
    page = AgreementPage.objects.get(pk=page.pk)
    return client.post(
        f"/agreements/{page.pk}/sign/",
        {"password": password, "revision": revision or page.live_revision_id},
        HTTP_USER_AGENT="pytest-browser",
    )


def archive_rows(person):
    return TrainingRecord.objects.filter(person=person, kind=TrainingRecord.Kind.ACKNOWLEDGEMENT)


def test_cannot_sign_before_passing_the_check(client, agreement, person):
    client.force_login(person.user)
    html = client.get(agreement.url).content.decode()
    assert "客户资料属于保密信息" in html
    assert "Take the comprehension check" in html and f"/exams/{agreement.exam_id}/?return_to=" in html
    assert 'id="agreement-sign"' not in html  # no signing form yet

    take_check(agreement, person.user, passed=False)
    assert 'id="agreement-sign"' not in client.get(agreement.url).content.decode()
    response = sign(client, agreement)
    assert response.status_code == 400
    assert "Pass the comprehension check for version 2026-1 before signing." in response.content.decode()
    assert not AgreementSignature.objects.exists() and not archive_rows(person).exists()


def test_pass_then_sign_records_name_time_version_hash_and_lands_once_in_the_archive(client, agreement, person):
    client.force_login(person.user)
    attempt = take_check(agreement, person.user)
    html = client.get(agreement.url).content.decode()
    assert 'id="agreement-sign"' in html and "刘专员" in html  # the form shows the signer's full name

    response = sign(client, agreement)
    assert response.status_code == 302 and response["Location"] == agreement.url
    html = client.get(agreement.url).content.decode()
    assert "You signed version 2026-1" in html

    signature = AgreementSignature.objects.get()
    version = agreement.current_version()
    assert (signature.person, signature.page_id, signature.version, signature.version_label) == (
        person,
        agreement.pk,
        version,
        "2026-1",
    )
    assert signature.signed_name == "刘专员" and signature.attempt == attempt
    assert signature.revision_id == agreement.live_revision_id and len(signature.content_hash) == 64
    assert signature.content_hash == version.content_hash
    assert signature.user_agent == "pytest-browser" and signature.ip_address == "127.0.0.1"
    record = archive_rows(person).get()
    assert record.source == signature and record.reference == "2026-1" and record.title == "员工保密协议"
    assert record.source_type == ContentType.objects.get_for_model(AgreementSignature)

    assert sign(client, agreement).status_code == 302  # a double click: still one signature, one record
    assert AgreementSignature.objects.count() == 1 and archive_rows(person).count() == 1
    assert has_signed_current(person)


def test_wrong_password_records_nothing_and_is_rate_limited(client, agreement, person, settings):
    settings.LMS_AGREEMENT_PASSWORD_ATTEMPTS = (3, 900)
    client.force_login(person.user)
    take_check(agreement, person.user)
    response = sign(client, agreement, password="not-my-password")
    assert response.status_code == 400
    assert "The password is not correct. Nothing was signed." in response.content.decode()
    assert not AgreementSignature.objects.exists() and not archive_rows(person).exists()

    for _ in range(2):
        sign(client, agreement, password="still-wrong")
    response = sign(client, agreement)  # now even the right password waits
    assert "Too many wrong passwords" in response.content.decode()
    assert not AgreementSignature.objects.exists()
    cache.clear()  # the window passed
    assert sign(client, agreement).status_code == 302 and AgreementSignature.objects.count() == 1


def test_a_pass_on_an_older_version_does_not_count(client, agreement, person):
    client.force_login(person.user)
    take_check(agreement, person.user)
    publish_new_version(agreement, version="2026-2")
    response = sign(client, agreement)
    assert response.status_code == 400
    assert "Pass the comprehension check for version 2026-2 before signing." in response.content.decode()
    assert "Take the comprehension check" in client.get(agreement.url).content.decode()
    take_check(agreement, person.user)
    assert sign(client, agreement).status_code == 302
    assert AgreementSignature.objects.get().version_label == "2026-2"


def test_a_new_version_makes_people_unsigned_again_and_keeps_the_history(client, agreement, person):
    colleague = PersonFactory()
    client.force_login(person.user)
    take_check(agreement, person.user)
    sign(client, agreement)
    assert list(unsigned_people(agreement)) == [colleague]
    assert "Sign the confidentiality agreement" not in client.get("/my/").content.decode()

    publish_new_version(agreement, version="2026-2")
    assert not has_signed_current(person)
    assert set(unsigned_people(agreement)) == {person, colleague}
    html = client.get("/my/").content.decode()
    assert "Sign the confidentiality agreement “员工保密协议” (version 2026-2)" in html

    take_check(agreement, person.user)
    sign(client, agreement)
    assert has_signed_current(person)
    assert list(AgreementSignature.objects.filter(person=person).values_list("version_label", flat=True)) == [
        "2026-2",
        "2026-1",
    ]
    assert archive_rows(person).count() == 2
    html = client.get(agreement.url).content.decode()
    assert "2026-1" in html and "2026-2 · current" in html


def test_a_typo_fix_under_the_same_label_keeps_signatures_valid(client, agreement, person):
    client.force_login(person.user)
    take_check(agreement, person.user)
    sign(client, agreement)
    signed_hash = AgreementSignature.objects.get().content_hash
    fixed = publish_new_version(
        agreement, body=[("paragraph", "<p>客户资料属于保密信息，不得泄露给任何无关人员！</p>")]
    )
    assert has_signed_current(person)
    assert fixed.current_version().label == "2026-1"
    signature = AgreementSignature.objects.get()
    assert signature.content_hash == signed_hash and signature.revision_id != fixed.live_revision_id


def test_text_changed_while_reading_asks_to_read_again(client, agreement, person):
    client.force_login(person.user)
    take_check(agreement, person.user)
    read_revision = agreement.live_revision_id
    publish_new_version(agreement, body=[("paragraph", "<p>修订后的条款。</p>")])
    response = sign(client, agreement, revision=read_revision)
    assert response.status_code == 302
    assert "updated while you were reading" in client.get(response["Location"]).content.decode()
    assert not AgreementSignature.objects.exists()


def test_audience_by_department(client, person):
    ops = DepartmentFactory(name="运营部", code="ops")
    agreement = make_agreement(applies_to_everyone=False)
    agreement.departments.set([ops])
    agreement.save_revision().publish()
    insider = PersonFactory(department=ops)
    assert list(unsigned_people(agreement)) == [insider]
    assert has_signed_current(person)  # nothing applies to them

    client.force_login(person.user)
    take_check(agreement, person.user)
    assert "does not apply to you" in client.get(agreement.url).content.decode()
    assert "This agreement does not apply to you." in sign(client, agreement).content.decode()
    assert not AgreementSignature.objects.exists()


def test_people_who_left_are_not_asked(agreement, person):
    person.status = Person.Status.LEFT
    person.save()
    assert list(unsigned_people(agreement)) == []


def test_a_learner_sees_only_their_own_signatures(client, agreement, person):
    other = PersonFactory(name="王其他")
    take_check(agreement, other.user)
    client.force_login(other.user)
    sign(client, agreement)
    client.force_login(person.user)
    html = client.get(agreement.url).content.decode()
    assert "王其他" not in html and "Your signatures" not in html
    assert client.get("/admin/lms/agreements/signatures/").status_code in (302, 403)
    assert client.get("/admin/lms/agreements/status/").status_code in (302, 403)


def test_anonymous_visitors_are_asked_to_sign_in(client, agreement):
    html = client.get(agreement.url).content.decode()
    assert "Sign in to sign the agreement" in html
    assert client.post(f"/agreements/{agreement.pk}/sign/", {"password": "x", "revision": 1}).status_code == 302
    assert not AgreementSignature.objects.exists()


def test_a_draft_agreement_cannot_be_signed(client, person):
    draft = make_agreement(publish=False)
    client.force_login(person.user)
    assert sign(client, draft, revision=1).status_code == 404
    assert list(unsigned_people(draft)) == []


def test_the_exam_result_offers_the_way_back_to_the_agreement(client, agreement, person):
    client.force_login(person.user)
    client.get(f"/exams/{agreement.exam_id}/?return_to={agreement.url}")
    attempt = take_check(agreement, person.user)
    html = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    assert f'href="{agreement.url}"' in html and "Continue where you came from" in html

    client.get(f"/exams/{agreement.exam_id}/?return_to=https://evil.example/")
    html = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    assert "evil.example" not in html


@override_settings(LANGUAGE_CODE="zh-hans")
def test_my_learning_task_in_chinese(client, agreement, person):
    client.force_login(person.user)
    html = client.get("/my/", HTTP_ACCEPT_LANGUAGE="en").content.decode()  # the company's language wins
    assert "签署保密协议“员工保密协议”（版本 2026-1）" in html


# --- The editor's form -----------------------------------------------------------------------------------------


def editor_form(page, admin_user, **changes):
    page = AgreementPage.objects.get(pk=page.pk)
    form_class = AgreementPage.get_edit_handler().get_form_class()
    data = {
        "title": page.title,
        "slug": page.slug,
        "version": page.version,
        "summary": "",
        "exam": page.exam_id,
        "applies_to_everyone": "on",
        "body": streamfield([("paragraph", rich_text("<p>条款</p>"))]),
    }
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    return form_class(nested_form_data(data), instance=page, parent_page=page.get_parent(), for_user=admin_user)


def test_the_editor_cannot_go_back_to_an_old_label(agreement, admin_user):
    publish_new_version(agreement, version="2026-2")
    form = editor_form(agreement, admin_user, version="2026-1")
    assert not form.is_valid()
    assert "Version “2026-1” was used before." in str(form.errors["version"])
    assert editor_form(agreement, admin_user, version="2026-2").is_valid()
    assert editor_form(agreement, admin_user, version="2026-3").is_valid()


def test_the_editor_needs_an_audience_and_a_retakeable_check(agreement, admin_user):
    form = editor_form(agreement, admin_user, applies_to_everyone=None)
    assert not form.is_valid() and "Choose at least one department or position" in str(form.errors)
    exam = agreement.exam
    exam.attempts_allowed = 2
    exam.save()
    form = editor_form(agreement, admin_user)
    assert not form.is_valid() and "must allow unlimited attempts" in str(form.errors["exam"])


def test_signing_is_idempotent_under_a_replayed_service_call(agreement, person):
    from lms.agreements.services import agreement_sign

    take_check(agreement, person.user, now=timezone.now() + dt.timedelta(seconds=1))
    first = agreement_sign(page=agreement, user=person.user, password=PASSWORD, revision_id=agreement.live_revision_id)
    again = agreement_sign(page=agreement, user=person.user, password=PASSWORD, revision_id=agreement.live_revision_id)
    assert first.pk == again.pk and archive_rows(person).count() == 1


def test_my_learning_queries_do_not_grow_with_agreements(person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.agreements.selectors import pending_for

    make_agreement()
    with CaptureQueriesContext(connection) as one:
        assert len(pending_for(person)) == 1
    make_agreement()
    make_agreement()
    with CaptureQueriesContext(connection) as three:
        assert len(pending_for(person)) == 3
    assert len(three) == len(one)


def test_editors_can_create_and_edit_agreements_under_the_catalogue(client, agreement, admin_user):
    from tests.factories import course_index

    catalogue = course_index()
    assert AgreementPage.can_create_at(catalogue)
    client.force_login(admin_user)
    assert client.get(f"/admin/pages/add/lms_agreements/agreementpage/{catalogue.pk}/").status_code == 200
    html = client.get(f"/admin/pages/{agreement.pk}/edit/").content.decode()
    assert "Keep the label to correct a typo" in html


def test_the_signed_line_reads_as_one_sentence_after_an_evening_time(client, agreement, person):
    """The localized time ends with "p.m." in English: the line must not end in "p.m.."."""
    client.force_login(person.user)
    take_check(agreement, person.user)
    sign(client, agreement)
    evening = timezone.make_aware(dt.datetime(2026, 11, 27, 23, 44))
    AgreementSignature.objects.update(signed_at=evening)
    html = client.get(agreement.url).content.decode()
    assert "You signed version 2026-1 on Nov. 27, 2026, 11:44 p.m.</p>" in html
