"""Reads for certificates. Status is computed from dates at read time; filters translate it into date ranges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from certificates import conf, holders, validity
from certificates.models import Certificate, Certification
from courses.models import CoursePage
from exams.localized_names import names_in_reading_language


def certificate_list(*, user) -> QuerySet[Certificate]:
    """A person's own certificates, newest first (every cycle: the full history)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(user=user).select_related("certification", "course")


def can_see_all(user) -> bool:
    return user.is_authenticated and user.has_perm("lms_certificates.view_all_certificates")


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """Every certificate ``user`` may see: all of them with ``view_all_certificates`` (HR, auditors); else their own,
    plus, with ``view_certificate``, those of the people the site's ``LMS_CERTIFICATE_VISIBLE_USERS`` names (a
    manager's direct reports: ``lms.people.hooks.certificate_visible_users``)."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    if can_see_all(user):
        return Certificate.objects.all()
    scope = Q(user=user)
    if user.has_perm("lms_certificates.view_certificate"):
        others = holders.visible_users(user)
        if others is not None:
            scope |= Q(user__in=others)
    return Certificate.objects.filter(scope)


def certificate_for(*, user, pk: int) -> Certificate | None:
    """One certificate the user may see (``certificates_visible_to``)."""
    return certificates_visible_to(user).select_related("certification", "course", "user").filter(pk=pk).first()


def certificate_by_code(code: str) -> Certificate | None:
    from certificates import codes

    code = codes.normalise(code)
    if not codes.is_well_formed(code):
        return None
    return Certificate.objects.select_related("certification").filter(code=code).first()


def certificate_by_number(text: str) -> Certificate | None:
    """The certificate printed with this number (``codes.parse_number`` forgives how it was typed), or None. A number
    is no secret and numbers follow each other: callers show no holder for it (docs/certificates.md)."""
    from certificates import codes, conf

    found = codes.parse_number(text)
    if found is None:
        return None
    candidates = {found}
    prefix = conf.CERTIFICATE_NUMBER_PREFIX  # numbers keep the prefix as configured (parse_number upper-cases it)
    if found.startswith(f"{prefix.upper()}-"):
        candidates.add(prefix + found[len(prefix):])
    return Certificate.objects.select_related("certification").filter(number__in=candidates).order_by("pk").first()


@dataclass(frozen=True)
class HistoryGroup:
    certification: Certification
    current: Certificate | None
    certificates: list[Certificate]
    certification_name: str = ""  # in the reader's language (the translation's, else the source's)


def history_for(*, user, now: datetime | None = None) -> list[HistoryGroup]:
    """ "My certificates": per certification, the current certificate and every earlier one."""
    now = now or timezone.now()
    groups: dict[int, list[Certificate]] = {}
    for certificate in certificate_list(user=user).order_by("certification__name", "-cycle", "-issued_at"):
        groups.setdefault(certificate.certification_id, []).append(certificate)
    names = names_in_reading_language(items[0].certification for items in groups.values())
    result = []
    for items in groups.values():
        current = next((c for c in items if c.status_at(now) in (validity.Status.ACTIVE, validity.Status.EXPIRING)),
                       None)
        result.append(HistoryGroup(certification=items[0].certification, current=current, certificates=items,
                                   certification_name=names[items[0].certification_id]))
    return result


def certification_valid_until(
    user, certification: Certification, at: datetime | None = None
) -> tuple[bool, datetime | None]:
    """Does ``user`` hold a current ``certification`` at ``at``, and until when? ``(True, None)`` means it
    never expires. One indexed query (``lms_cert_valid_until_idx``); for permits."""
    at = at or timezone.now()
    rows = list(
        Certificate.objects.filter(user=user, certification=certification, issued_at__lte=at)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=at))
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))
        .values_list("expires_at", flat=True)
    )
    if not rows:
        return False, None
    if any(expires is None for expires in rows):
        return True, None
    return True, max(rows)


def filter_by_status(queryset: QuerySet[Certificate], status: str, *, now: datetime | None = None):
    """Translate a computed status into date conditions (uses the site notice; certifications with their own
    notice period are approximated by it in admin filters only)."""
    now = now or timezone.now()
    notice = timedelta(days=conf.CERTIFICATE_NOTICE_DAYS)
    live = queryset.filter(revoked_at__isnull=True)
    if status == validity.Status.REVOKED:
        return queryset.filter(revoked_at__isnull=False)
    if status == validity.Status.EXPIRED:
        return live.filter(expires_at__lte=now)
    if status == validity.Status.EXPIRING:
        return live.filter(expires_at__gt=now, expires_at__lte=now + notice)
    if status == validity.Status.ACTIVE:
        return live.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now + notice))
    return queryset


def courses_granting(certification_ids) -> dict[int, CoursePage]:
    """For each certification, the live course that grants it (the first in the page tree), where one does: the
    way to earn a missing certification or to renew one. One query, however many certifications."""
    first: dict[int, CoursePage] = {}
    links = (
        Certification.courses.through.objects.filter(certification_id__in=set(certification_ids),
                                                     coursepage__live=True)
        .select_related("coursepage").order_by("coursepage__path")
    )
    for link in links:
        first.setdefault(link.certification_id, link.coursepage)
    return first


def expiring_for(user, *, now: datetime | None = None) -> list[Certificate]:
    """The learner's dashboard: current certificates expiring within the notice period (or expired and not
    yet renewed), soonest first; each with ``renew_course``, the live course that renews it (its own course
    when that is still live and grants it, else another that does; None when there is none)."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return []
    horizon = now + timedelta(days=max(conf.CERTIFICATE_NOTICE_DAYS, 90))
    candidates = list(
        Certificate.objects.filter(user=user, revoked_at__isnull=True, expires_at__isnull=False,
                                   expires_at__lte=horizon)
        .select_related("certification", "course").order_by("expires_at")
    )
    newest: dict[int, int] = {}
    for c in Certificate.objects.filter(user=user, revoked_at__isnull=True).values("certification_id", "cycle"):
        newest[c["certification_id"]] = max(newest.get(c["certification_id"], 0), c["cycle"])
    expiring = [
        c for c in candidates
        if c.cycle == newest.get(c.certification_id) and c.status_at(now) in (validity.Status.EXPIRING,
                                                                            validity.Status.EXPIRED)
    ]
    if not expiring:
        return expiring
    granting = courses_granting(c.certification_id for c in expiring)
    names = names_in_reading_language(c.certification for c in expiring)
    for c in expiring:
        c.certification_name = names[c.certification_id]  # in the reader's language
    own = set(
        Certification.courses.through.objects.filter(
            certification_id__in={c.certification_id for c in expiring},
            coursepage_id__in={c.course_id for c in expiring if c.course_id}, coursepage__live=True,
        ).values_list("certification_id", "coursepage_id")
    )
    for c in expiring:
        c.renew_course = c.course if (c.certification_id, c.course_id) in own else granting.get(c.certification_id)
    return expiring
