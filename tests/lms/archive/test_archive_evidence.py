"""A session's evidence file is deleted from private storage when it is replaced or the session is deleted, once
the change commits (a rollback keeps the file)."""

import os

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from lms import roles
from lms.archive.models import TrainingSession
from tests.lms.factories import session_with, user_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_replaced_evidence_file_is_deleted_on_commit():
    session = session_with()
    session.evidence.save("sign-in.pdf", ContentFile(b"%PDF-1.4 first"))
    first = session.evidence.path
    session.evidence.save("sign-in-2.pdf", ContentFile(b"%PDF-1.4 second"))
    assert not os.path.exists(first)
    assert os.path.exists(session.evidence.path)


def test_a_rolled_back_replacement_keeps_the_old_file():
    session = session_with()
    session.evidence.save("sign-in.pdf", ContentFile(b"%PDF-1.4 first"))
    first = session.evidence.path
    with pytest.raises(RuntimeError), transaction.atomic():
        session.evidence.save("sign-in-2.pdf", ContentFile(b"%PDF-1.4 second"))
        raise RuntimeError
    assert os.path.exists(first)
    assert TrainingSession.objects.get(pk=session.pk).evidence.path == first


def test_replacing_the_file_in_the_admin_deletes_the_old_one(client):
    session = session_with()
    session.evidence.save("sign-in.pdf", ContentFile(b"%PDF-1.4 first"))
    first = session.evidence.path
    client.force_login(user_in(roles.TRAINER))
    url = f"/admin/snippets/lms/trainingsession/edit/{session.pk}/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "url")}
    data.update({
        "starts_at": session.starts_at.strftime("%Y-%m-%d %H:%M"),
        "evidence": ContentFile(b"%PDF-1.4 second", name="sign-in-2.pdf"),
        "attendance-TOTAL_FORMS": "0", "attendance-INITIAL_FORMS": "0", "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
    })
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    session.refresh_from_db()
    assert session.evidence.name.endswith(".pdf") and "sign-in-2" in session.evidence.name
    assert not os.path.exists(first)


def test_deleting_the_session_deletes_its_evidence_file():
    session = session_with()
    session.evidence.save("sign-in.pdf", ContentFile(b"%PDF-1.4 first"))
    path = session.evidence.path
    session.delete()
    assert not os.path.exists(path)
