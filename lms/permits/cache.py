"""Short-lived caching of what rarely changes on the decision path: a controller by its token, and an area's
requirements. Uses Django's cache (shared between app servers when the site configures a shared cache, e.g.
Redis); every change deletes the entry at once, and entries expire after ``LMS_PERMIT_CACHE_SECONDS`` anyway,
so with a per-process cache a change reaches the other processes within that time. With Django's default
local-memory cache, which is per process anyway, entries are kept in a plain dict with the same expiry:
LocMemCache pickles every value and validates every key on each read. Facts about people (permits,
certificates) are never cached: they are read live for every decision."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from exams.ratelimit import per_process_cache
from lms import conf
from lms.permits import rules
from lms.permits.models import Controller
from lms.requirements.models import Area

_local: dict[str, tuple[Any, float]] = {}  # key -> (value, monotonic expiry), while the cache is per process
_local_lock = threading.Lock()


def _get(key: str):
    if per_process_cache():
        item = _local.get(key)
        return item[0] if item is not None and item[1] > time.monotonic() else None
    return cache.get(key)


def _set(key: str, value) -> None:
    seconds = conf.PERMIT_CACHE_SECONDS
    if per_process_cache():
        with _local_lock:
            _local[key] = (value, time.monotonic() + seconds)
    else:
        cache.set(key, value, seconds)


def _delete(*keys: str) -> None:
    with _local_lock:
        for key in keys:
            _local.pop(key, None)
    cache.delete_many(keys)


def forget() -> None:
    """Drop every entry kept in this process (what ``cache.clear()`` does to a shared cache)."""
    with _local_lock:
        _local.clear()


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
    info = _get(key)
    if info is None:
        controller = Controller.objects.filter(token_hash=token_hash, is_active=True).first()
        if controller is None:
            return None  # unknown tokens are not cached: a new controller works at once
        areas = list(controller.areas.prefetch_related("required_certifications", "allowed_positions"))
        info = ControllerInfo(
            controller.pk, {area.code: area.pk for area in areas}, {area.pk: _rules_of(area) for area in areas}
        )
        _set(key, info)
    return info


def _area_key(area_id: int) -> str:
    return f"lms-permit-area:{area_id}"


def area_rules(area_id: int) -> rules.Area:
    key = _area_key(area_id)
    rule = _get(key)
    if rule is None:
        rule = _rules_of(Area.objects.prefetch_related("required_certifications", "allowed_positions").get(pk=area_id))
        _set(key, rule)
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
    transaction.on_commit(lambda: _delete(*keys))


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
