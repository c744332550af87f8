"""Reads of appraisals. HR and auditors (``lms_appraisals.view_all_appraisals``) see every appraisal; a manager their
direct reports' (any period); everybody their own, once the period is closed."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lms.appraisals.models import Appraisal, AppraisalPeriod

SEE_ALL = "lms_appraisals.view_all_appraisals"


def sees_all(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(SEE_ALL))


def appraisals_visible_to(user) -> QuerySet[Appraisal]:
    if not user.is_authenticated or not user.is_active:
        return Appraisal.objects.none()
    if sees_all(user):
        return Appraisal.objects.all()
    return Appraisal.objects.filter(
        Q(person__manager__user=user) | Q(person__user=user, period__status=AppraisalPeriod.Status.CLOSED)
    )


def team_appraisals(user) -> QuerySet[Appraisal]:
    """The appraisals a manager scores: their direct reports' (never their own)."""
    if not user.is_authenticated or not user.is_active:
        return Appraisal.objects.none()
    return Appraisal.objects.filter(person__manager__user=user).exclude(person__user=user)


def my_closed_appraisals(user) -> QuerySet[Appraisal]:
    if not user.is_authenticated:
        return Appraisal.objects.none()
    return (
        Appraisal.objects.filter(person__user=user, period__status=AppraisalPeriod.Status.CLOSED)
        .select_related("period")
        .order_by("-period__starts_on")
    )
