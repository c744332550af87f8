"""Two app servers completing the same course at once issue one certificate (PostgreSQL only)."""

import threading

import pytest
from django.db import close_old_connections, connection

from certificates import services
from certificates.models import Certificate
from tests.certificates.factories import CertificationFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); run with LMS_TEST_DATABASE=postgres")


def test_concurrent_completion_events_issue_one_certificate():
    user, certification = UserFactory(), CertificationFactory()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def complete():
        try:
            barrier.wait()
            results.append(services.certificate_issue(user=user, certification=certification).pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.filter(user=user, certification=certification).count() == 1
    assert len(set(results)) == 1
