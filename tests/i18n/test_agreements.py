"""An agreement is signed in the language it was read in (lms/agreements): the signature keeps which text —
version and language — was signed, the comprehension check is drawn in that language, and a translation left at
an older version is never offered for signing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from exams.models import Attempt
from lms import roles
from lms.agreements.models import AgreementPage, AgreementSignature, AgreementVersion
from lms.agreements.selectors import page_content_hash
from lms.audit.models import AuditEntry
from tests.exams.factories import make_exam, make_question
from tests.factories import PersonFactory
from tests.i18n.helpers import translate_page, translate_snippet
from tests.lms.agreements.factories import make_agreement, publish_new_version, take_check
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456!"
ZH_BODY = [("heading", "一、保密信息"), ("paragraph", "<p>客户资料属于保密信息。</p>")]
EN_BODY = [("heading", "1. Confidential information"), ("paragraph", "<p>Customer data is confidential.</p>")]


@pytest.fixture
def agreement():
    question = make_question("truefalse", text="Visitors may enter alone.")
    translate_snippet(question, text="访客可以单独进入。")
    exam = make_exam(questions=[question], title="Agreement check", attempts_allowed=0)
    source = make_agreement(title="Employee confidentiality agreement", body=EN_BODY, exam=exam)
    translate_page(source, title="员工保密协议", body=ZH_BODY)
    return AgreementPage.objects.get(pk=source.pk)


@pytest.fixture
def reader(client):
    person = PersonFactory(name="刘专员")
    client.force_login(person.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return person


def _chinese(page):
    return page.get_translation(page.locale.__class__.objects.get(language_code="zh-hans"))


def _sign(client, page, revision):
    return client.post(f"/agreements/{page.pk}/sign/", {"password": PASSWORD, "revision": revision})


def test_a_chinese_reader_reads_signs_and_the_signature_names_the_chinese_text(client, agreement, reader):
    zh = _chinese(agreement)
    html = client.get(agreement.url).content.decode()
    assert "客户资料属于保密信息。" in html and "Customer data" not in html
    with translation.override("zh-hans"):
        attempt = take_check(agreement, reader.user)
    assert attempt.language == "zh-hans" and attempt.questions.get().snapshot["text"] == "访客可以单独进入。"
    html = client.get(agreement.url).content.decode()
    assert f'value="{zh.live_revision_id}"' in html  # the form names the text shown

    assert _sign(client, agreement, zh.live_revision_id).status_code == 302
    signature = AgreementSignature.objects.get()
    assert signature.page_id == agreement.pk and signature.version == agreement.current_version()  # the source's
    assert (signature.language, signature.revision_id) == ("zh-hans", zh.live_revision_id)
    assert signature.content_hash == page_content_hash(zh) != page_content_hash(agreement)
    entry = AuditEntry.objects.filter(kind="agreement", action="signed").get()
    assert entry.data["text_language"] == "zh-hans" and entry.data["revision"] == zh.live_revision_id
    client.force_login(user_in(roles.AUDITOR))  # the ledger shows the signature with the language of its text
    html = client.get(f"/admin/lms/audit/inspect/{entry.seq}/").content.decode()
    assert "&quot;text_language&quot;: &quot;zh-hans&quot;" in html or '"text_language": "zh-hans"' in html


def test_publishing_a_translation_makes_no_version_of_its_own(agreement):
    assert AgreementVersion.objects.filter(page=agreement).count() == 1
    assert not AgreementVersion.objects.exclude(page=agreement).exists()


def test_a_translation_left_at_an_older_version_is_not_signed_the_source_is(client, agreement, reader):
    zh = _chinese(agreement)
    publish_new_version(agreement, version="2027-1", body=[("paragraph", "<p>New rules.</p>")])
    html = client.get(agreement.url).content.decode()
    assert "New rules." in html and "客户资料" not in html and "data-content-fallback" in html
    with translation.override("zh-hans"):
        take_check(agreement, reader.user)
    _sign(client, agreement, zh.live_revision_id)  # the outdated Chinese text: "read it again"
    assert not AgreementSignature.objects.exists()
    source = AgreementPage.objects.get(pk=agreement.pk)
    assert _sign(client, agreement, source.live_revision_id).status_code == 302
    assert AgreementSignature.objects.get().language == "en"


def test_a_revision_of_another_page_or_a_draft_is_refused(client, agreement, reader):
    other = make_agreement(title="Another agreement")
    zh = _chinese(agreement)
    draft = zh.save_revision()  # a draft of the translation, never published
    with translation.override("zh-hans"):
        take_check(agreement, reader.user)
    for revision in (other.live_revision_id, draft.pk):
        assert _sign(client, agreement, revision).status_code == 302  # "read it again": back to the page
        assert not AgreementSignature.objects.exists()


def test_the_agreement_is_listed_once_for_the_person_whatever_its_translations(client, agreement, reader):
    from lms.agreements.selectors import pending_for

    assert [p.page.pk for p in pending_for(reader)] == [agreement.pk]
    assert Attempt.objects.count() == 0
