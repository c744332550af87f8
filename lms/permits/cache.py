"""Short-lived caching of what rarely changes on the decision path: a controller by its token, and an area's
requirements. Uses Django's cache (shared between app servers when the site configures a shared cache, e.g.
Redis); every change deletes the entry at once, and entries expire after ``LMS_PERMIT_CACHE_SECONDS`` anyway,
so with a per-process cache a change reaches the other processes within that time. Facts about people
(permits, certificates) are never cached: they are read live for every decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from lms import conf
from lms.permits import rules
from lms.permits.models import Area, Controller


@dataclass(frozen=True)
class ControllerInfo:
    pk: int
    area_ids_by_code: dict[str, int]


def _controller_key(token_hash: str) -> str:
    return f"lms-permit-controller:{token_hash}"


def controller_by_token_hash(token_hash: str) -> ControllerInfo | None:
    key = _controller_key(token_hash)
    info = cache.get(key)
    if info is None:
        controller = Controller.objects.filter(token_hash=token_hash, is_active=True).first()
        if controller is None:
            return None  # unknown tokens are not cached: a new controller works at once
        info = ControllerInfo(controller.pk, dict(controller.areas.values_list("code", "pk")))
        cache.set(key, info, conf.PERMIT_CACHE_SECONDS)
    return info


def _area_key(area_id: int) -> str:
    return f"lms-permit-area:{area_id}"


def area_rules(area_id: int) -> rules.Area:
    key = _area_key(area_id)
    rule = cache.get(key)
    if rule is None:
        area = Area.objects.get(pk=area_id)
        rule = rules.Area(
            required_certification_ids=frozenset(area.required_certifications.values_list("pk", flat=True)),
            allowed_position_ids=frozenset(area.allowed_positions.values_list("pk", flat=True)),
        )
        cache.set(key, rule, conf.PERMIT_CACHE_SECONDS)
    return rule


@receiver([post_save, post_delete], sender=Controller, dispatch_uid="lms_permit_cache_controller")
def _forget_controller(sender, instance, **kwargs):
    cache.delete(_controller_key(instance.token_hash))


@receiver(m2m_changed, sender=Controller.areas.through, dispatch_uid="lms_permit_cache_controller_areas")
def _forget_controller_areas(sender, instance, **kwargs):
    if isinstance(instance, Controller):
        cache.delete(_controller_key(instance.token_hash))
    else:  # changed from the area's side
        for token_hash in Controller.objects.filter(areas=instance).values_list("token_hash", flat=True):
            cache.delete(_controller_key(token_hash))


@receiver([post_save, post_delete], sender=Area, dispatch_uid="lms_permit_cache_area")
def _forget_area(sender, instance, **kwargs):
    cache.delete(_area_key(instance.pk))


@receiver(m2m_changed, sender=Area.required_certifications.through, dispatch_uid="lms_permit_cache_area_certs")
@receiver(m2m_changed, sender=Area.allowed_positions.through, dispatch_uid="lms_permit_cache_area_positions")
def _forget_area_requirements(sender, instance, **kwargs):
    if isinstance(instance, Area):
        cache.delete(_area_key(instance.pk))
    else:
        for area_id in Area.objects.filter(
            **({"required_certifications": instance} if sender is Area.required_certifications.through
               else {"allowed_positions": instance})
        ).values_list("pk", flat=True):
            cache.delete(_area_key(area_id))
