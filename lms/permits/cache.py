"""Per-process copies of what rarely changes on the decision path: a controller by its token (with its areas'
requirements), and an area's requirements. Facts about people (permits, certificates) are not kept here: they are
read live for every decision (``facts.py`` keeps copies checked against the database on every decision).

Each process keeps its copies in a plain dict for ``LMS_PERMIT_CACHE_SECONDS`` (Django's cache API would pickle and
validate on every read, a tenth of the decision's time). Every change (a controller saved, deactivated, deleted or
its token rotated; an area's requirements or allowed positions changed) drops the copies it touches in the process
that made it, and, with a shared cache (Redis), writes a new random value under ``VERSION_KEY`` there, again when
the change commits. Every process reads that key at most every ``LMS_PERMIT_CACHE_CHECK_SECONDS`` (0.25 s) and
drops all its copies when it changed, so a change is answered by every app server within that time plus one
request. One read of one key per process four times a second costs nothing measurable on the door's path
(docs/operations.md), which pub/sub would save at the price of a thread and a second connection per process.

While the shared cache cannot be reached, a process keeps no copies: it drops them when the read fails and reads
the database on every decision until the key can be read again (fail-secure: nothing older than one check
interval is ever used; ``exams.shared_cache`` logs the outage). With Django's default local-memory cache (one
process, the embedded default) there is no key to read: a change drops this process's copies at once, and other
processes (several gunicorn workers without a shared cache) keep theirs until they expire
(``LMS_PERMIT_CACHE_SECONDS``). ``LMS_PERMIT_CACHE_INVALIDATION = False`` turns the shared key off (the copies then
behave as without a shared cache): only for showing that the cluster test catches it."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from exams import shared_cache
from lms import conf
from lms.permits import rules
from lms.permits.models import Controller
from lms.requirements.models import Area

VERSION_KEY = "lms-permit-cache-version"
_OFF = "off"  # no copy may be used or kept now (the shared cache is unreachable)
_LOCAL = "local"  # the version of every copy while the cache is per process: changes drop copies one by one

_local: dict[str, tuple[Any, float]] = {}  # key -> (value, monotonic expiry), all read under ``_version``
_local_lock = threading.Lock()
_version: str | None = None  # the shared version this process's copies were read under
_next_check = 0.0  # time.monotonic() of the next read of VERSION_KEY


def _current_version() -> str:
    """The version under which copies may be used and kept now: reads ``VERSION_KEY`` at most every
    ``PERMIT_CACHE_CHECK_SECONDS`` and drops every copy when it changed; ``_OFF`` while it cannot be read."""
    global _version, _next_check
    if shared_cache.per_process():
        return _LOCAL
    now = time.monotonic()
    if now < _next_check and _version is not None:
        return _version
    if not conf.PERMIT_CACHE_INVALIDATION:
        if _version is None:
            _version = _LOCAL
        return _version
    if not shared_cache.available():
        return _OFF
    try:
        version = cache.get(VERSION_KEY)
        if version is None:  # never set, or evicted: start one (whoever adds first wins)
            cache.add(VERSION_KEY, secrets.token_hex(8), None)
            version = cache.get(VERSION_KEY)
    except shared_cache.ERRORS as exc:
        shared_cache.failed("permit cache version", exc)
        forget()
        return _OFF
    shared_cache.succeeded()
    if version is None:  # a cache that keeps nothing (DummyCache): no copies
        return _OFF
    with _local_lock:
        if version != _version:
            _local.clear()
            _version = version
        _next_check = now + conf.PERMIT_CACHE_CHECK_SECONDS
    return version


def _get(key: str, version: str):
    if version == _OFF:
        return None
    item = _local.get(key)
    return item[0] if item is not None and item[1] > time.monotonic() else None


def _set(key: str, value, version: str) -> None:
    """Keep ``value``, read from the database after ``version`` was read, unless the version moved meanwhile."""
    with _local_lock:
        if version != _OFF and (version == _LOCAL or version == _version):
            _local[key] = (value, time.monotonic() + conf.PERMIT_CACHE_SECONDS)


def _delete(*keys: str) -> None:
    """Drop ``keys`` here, and tell every other process to drop its copies (a new shared version); both again when
    the transaction commits, in case a request copied the rows as they were before it ended."""
    with _local_lock:
        for key in keys:
            _local.pop(key, None)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _delete(*keys))
    if shared_cache.per_process() or not conf.PERMIT_CACHE_INVALIDATION:
        return
    try:
        cache.set(VERSION_KEY, secrets.token_hex(8), None)
    except shared_cache.ERRORS as exc:
        # The other processes cannot read the key either, so they keep no copies until it is back.
        shared_cache.failed("permit cache invalidation", exc)
        forget()
    else:
        shared_cache.succeeded()


def forget() -> None:
    """Drop every copy kept in this process, and read the shared version again on next use."""
    global _version, _next_check
    with _local_lock:
        _local.clear()
        _version = None
        _next_check = 0.0


@dataclass(frozen=True)
class ControllerInfo:
    pk: int
    area_ids_by_code: dict[str, int]
    # The requirements of those areas, so that a decision needs one cache read, not two. Every change to an
    # area's requirements also forgets the entries of the controllers serving it.
    area_rules_by_id: dict[int, rules.Area]


def _controller_key(token_hash: str) -> str:
    return f"lms-permit-controller:2:{token_hash}"  # 2: ControllerInfo carries the areas' rules


def controller_by_token_hash(token_hash: str) -> ControllerInfo | None:
    key = _controller_key(token_hash)
    version = _current_version()
    info = _get(key, version)
    if info is None:
        controller = Controller.objects.filter(token_hash=token_hash, is_active=True).first()
        if controller is None:
            return None  # unknown tokens are not cached: a new controller works at once
        areas = list(controller.areas.prefetch_related("required_certifications", "allowed_positions"))
        info = ControllerInfo(
            controller.pk, {area.code: area.pk for area in areas}, {area.pk: _rules_of(area) for area in areas}
        )
        _set(key, info, version)
    return info


def _area_key(area_id: int) -> str:
    return f"lms-permit-area:{area_id}"


def area_rules(area_id: int) -> rules.Area:
    key = _area_key(area_id)
    version = _current_version()
    rule = _get(key, version)
    if rule is None:
        rule = _rules_of(Area.objects.prefetch_related("required_certifications", "allowed_positions").get(pk=area_id))
        _set(key, rule, version)
    return rule


def _rules_of(area: Area) -> rules.Area:
    """From an area with ``required_certifications`` and ``allowed_positions`` prefetched."""
    return rules.Area(
        required_certification_ids=frozenset(c.pk for c in area.required_certifications.all()),
        allowed_position_ids=frozenset(p.pk for p in area.allowed_positions.all()),
    )


def _forget_controllers_of(area_ids) -> None:
    for token_hash in Controller.objects.filter(areas__in=area_ids).values_list("token_hash", flat=True):
        _delete(_controller_key(token_hash))


@receiver(pre_save, sender=Controller, dispatch_uid="lms_permit_cache_controller_old_token")
def _remember_old_token(sender, instance, **kwargs):
    if instance.pk is not None:
        instance._lms_old_token_hash = (
            Controller.objects.filter(pk=instance.pk).values_list("token_hash", flat=True).first()
        )


@receiver([post_save, post_delete], sender=Controller, dispatch_uid="lms_permit_cache_controller")
def _forget_controller(sender, instance, **kwargs):
    """Both the current and (after a rotation) the previous token: an old token stops working at once. Again
    on commit, in case a request cached the row as it was before the transaction ended."""
    keys = {_controller_key(instance.token_hash)}
    if getattr(instance, "_lms_old_token_hash", None):
        keys.add(_controller_key(instance._lms_old_token_hash))
    _delete(*keys)


@receiver(m2m_changed, sender=Controller.areas.through, dispatch_uid="lms_permit_cache_controller_areas")
def _forget_controller_areas(sender, instance, **kwargs):
    if isinstance(instance, Controller):
        _delete(_controller_key(instance.token_hash))
    else:  # changed from the area's side
        for token_hash in Controller.objects.filter(areas=instance).values_list("token_hash", flat=True):
            _delete(_controller_key(token_hash))


@receiver([post_save, post_delete], sender=Area, dispatch_uid="lms_permit_cache_area")
def _forget_area(sender, instance, **kwargs):
    _delete(_area_key(instance.pk))
    if kwargs["signal"] is post_save:  # a deleted area's controller links are gone: m2m_changed is not sent
        _forget_controllers_of([instance.pk])


@receiver(m2m_changed, sender=Area.required_certifications.through, dispatch_uid="lms_permit_cache_area_certs")
@receiver(m2m_changed, sender=Area.allowed_positions.through, dispatch_uid="lms_permit_cache_area_positions")
def _forget_area_requirements(sender, instance, **kwargs):
    if isinstance(instance, Area):
        area_ids = {instance.pk}
    else:  # changed from the certification's (position's) side: pk_set names the areas added or removed
        area_ids = set(kwargs.get("pk_set") or ()) | set(
            Area.objects.filter(
                **(
                    {"required_certifications": instance}
                    if sender is Area.required_certifications.through
                    else {"allowed_positions": instance}
                )
            ).values_list("pk", flat=True)
        )
    for area_id in area_ids:
        _delete(_area_key(area_id))
    _forget_controllers_of(area_ids)
