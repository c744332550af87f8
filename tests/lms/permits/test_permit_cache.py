"""The door's per-process copies (controller by token, area requirements) with a shared cache (Redis): kept in the
process, dropped when another process announces a change through the version key, never used while Redis is
unreachable. The cross-process behaviour itself, with real app servers, is tests/cluster/."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.permits import cache as permit_cache
from lms.permits import services
from lms.permits.models import Controller
from tests.certificates.factories import CertificationFactory, issue
from tests.lms.factories import issued_permit, permit_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(redis_cache, settings):
    settings.LMS_PERMIT_CACHE_CHECK_SECONDS = 0  # read the version key on every use: no waiting in tests
    permit_cache.forget()
    world = permit_world()
    issued_permit(world)
    issue(user=world["person"].user, certification=world["certification"])
    world["controller"], token = services.controller_create(name="门禁", areas=[world["area"]])
    world["hash"] = services.token_hash(token)
    return world


def queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def another_process_changed_something():
    """What another app server's change leaves behind here: only a new version in Redis."""
    cache.set(permit_cache.VERSION_KEY, "changed-elsewhere", None)


def test_copies_are_kept_in_the_process_not_read_again(world):
    assert permit_cache.controller_by_token_hash(world["hash"]) is not None
    assert queries(lambda: permit_cache.controller_by_token_hash(world["hash"])) == 0
    assert queries(lambda: permit_cache.area_rules(world["area"].pk)) > 0  # the area and its requirements, once
    assert queries(lambda: permit_cache.area_rules(world["area"].pk)) == 0


def test_a_change_elsewhere_drops_the_copies_here(world):
    assert permit_cache.controller_by_token_hash(world["hash"]) is not None
    Controller.objects.filter(pk=world["controller"].pk).update(is_active=False)  # no signal: "another process"
    assert permit_cache.controller_by_token_hash(world["hash"]) is not None  # the copy, as nothing was announced
    another_process_changed_something()
    assert permit_cache.controller_by_token_hash(world["hash"]) is None


def test_every_change_announces_a_new_version(world):
    seen = {cache.get(permit_cache.VERSION_KEY)}
    controller = world["controller"]
    controller.is_active = False
    services.controller_update(controller=controller, save=lambda: controller.save() or controller)
    seen.add(cache.get(permit_cache.VERSION_KEY))
    services.controller_rotate_token(controller=controller)
    seen.add(cache.get(permit_cache.VERSION_KEY))
    world["area"].required_certifications.add(CertificationFactory())
    seen.add(cache.get(permit_cache.VERSION_KEY))
    assert None not in seen and len(seen) == 4


def test_the_version_is_read_at_most_every_check_interval(world, settings):
    settings.LMS_PERMIT_CACHE_CHECK_SECONDS = 60
    permit_cache.forget()
    assert permit_cache.controller_by_token_hash(world["hash"]) is not None
    Controller.objects.filter(pk=world["controller"].pk).update(is_active=False)
    another_process_changed_something()
    assert permit_cache.controller_by_token_hash(world["hash"]) is not None  # until the next check
    permit_cache._next_check = 0.0  # the interval has passed
    assert permit_cache.controller_by_token_hash(world["hash"]) is None


def test_with_invalidation_off_a_copy_outlives_a_change_elsewhere(world, settings):
    settings.LMS_PERMIT_CACHE_INVALIDATION = False
    permit_cache.forget()
    assert permit_cache.controller_by_token_hash(world["hash"]) is not None
    Controller.objects.filter(pk=world["controller"].pk).update(is_active=False)
    another_process_changed_something()
    assert permit_cache.controller_by_token_hash(world["hash"]) is not None


def test_while_redis_is_unreachable_the_door_reads_the_database(world, settings, caplog):
    from exams import shared_cache
    from tests import redis_server

    assert permit_cache.controller_by_token_hash(world["hash"]) is not None  # a copy, kept
    settings.CACHES = redis_server.caches(f"redis://127.0.0.1:{redis_server.free_port()}/0")  # Redis gone
    Controller.objects.filter(pk=world["controller"].pk).update(is_active=False)
    with caplog.at_level("ERROR", logger="exams.shared_cache"):
        assert permit_cache.controller_by_token_hash(world["hash"]) is None  # read live, not the copy
    assert "unreachable" in caplog.text
    Controller.objects.filter(pk=world["controller"].pk).update(is_active=True)
    assert not shared_cache.available()
    reads = [queries(lambda: permit_cache.controller_by_token_hash(world["hash"])) for __ in range(3)]
    assert all(n > 0 for n in reads)  # nothing is kept while it is out


def test_the_api_answers_while_redis_is_unreachable(world, settings):
    """Redis down is no reason to keep a door shut: the decision is made from the database, rate limits count in
    this process (exams.shared_cache)."""
    from rest_framework.test import APIClient

    from tests import redis_server

    settings.CACHES = redis_server.caches(f"redis://127.0.0.1:{redis_server.free_port()}/0")
    __, token = services.controller_create(name="门禁2", areas=[world["area"]])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Controller {token}")
    for __ in range(3):
        body = client.post("/api/permits/decide/", {"subject": "B100", "area": "ops"}, format="json").json()
        assert body["allow"] is True
