"""Writes for permits: the lifecycle with its two-person rule, controllers, decisions, visitors."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.people.models import Person
from lms.permits import cache, consent, deny_queue, push, rows, rules, selectors, tally
from lms.permits.models import BackgroundCheck, Controller, Decision, Permit, PermitApproval, PermitEvent, VisitorEntry
from lms.permits.reasons import describe
from lms.requirements.models import Area
from lms.signals import record

logger = logging.getLogger(__name__)
S = rules.PermitStatus


def _event(permit: Permit, action: str, by, reason: str = "") -> None:
    PermitEvent.objects.create(permit=permit, action=action, by=by, reason=reason)
    record(kind="permit", action=action, obj=permit, actor=by, data={
        "person": permit.person.employee_number, "area": permit.area.code, "status": permit.status,
        "reason": reason, "valid_from": permit.valid_from, "valid_to": permit.valid_to,
    })


def _locked(permit: Permit) -> Permit:
    return Permit.objects.select_for_update().get(pk=permit.pk)


@transaction.atomic
def permit_apply(*, person: Person, area: Area, requested_by, reason: str = "") -> Permit:
    """Apply for a permit. If the person's background check has passed, the permit goes straight to checked."""
    if not area.is_active:
        raise ValidationError(_("This area is not in use."))
    try:
        with transaction.atomic():
            permit = Permit.objects.create(person=person, area=area, requested_by=requested_by, reason=reason)
    except IntegrityError as exc:
        raise ValidationError(
            _("%(person)s already has an open permit for %(area)s.") % {"person": person, "area": area}
        ) from exc
    _event(permit, PermitEvent.Action.APPLIED, requested_by, reason)
    if BackgroundCheck.objects.filter(person=person, result=BackgroundCheck.Result.PASSED).exists():
        permit.status = S.CHECKED
        permit.save(update_fields=["status"])
        _event(permit, PermitEvent.Action.CHECKED, requested_by, _("Background check already passed."))
    return permit


@transaction.atomic
def background_check_record(
    *, person: Person, result: str, checked_by, notes: str = "", health_certificate=None, no_criminal_record=None,
    check: BackgroundCheck | None = None, consent_at: datetime | None = None,
    consent_text_version: str = consent.CONSENT_VERSION,
) -> BackgroundCheck:
    """Record a background check, or a new result of an existing one (``check``, e.g. from the admin's edit
    form). A new result records who checked and when; a pass moves the person's applied permits on to "checked".

    The person's separate consent (PIPL Art. 29, ``lms.permits.consent``) is required: ``consent_at``, when they
    signed ``consent_text_version`` (the current text), recorded with ``checked_by`` as who recorded it. A check
    that already holds its person's consent keeps it when ``consent_at`` is not given. Refused
    (``ValidationError``, nothing written) without one, or for another text, or dated in the future or before the
    text came into use."""
    if result not in BackgroundCheck.Result.values:
        raise ValidationError(_("Unknown result."))
    previous = consented_at = consenting_person_id = None
    if check is None:
        check = BackgroundCheck()
    elif check.pk is not None:
        stored = BackgroundCheck.objects.filter(pk=check.pk).values_list("result", "consent_at", "person_id").first()
        previous, consented_at, consenting_person_id = stored or (None, None, None)
    if consent_at is not None or consented_at is None or consenting_person_id != person.pk:
        consent.consent_validate(consent_at=consent_at, version=consent_text_version)
        check.consent_at, check.consent_text_version = consent_at, consent_text_version
        check.consent_recorded_by = checked_by
    check.person, check.result, check.notes = person, result, notes
    if previous != result:
        check.checked_by, check.checked_at = checked_by, timezone.now()
    if health_certificate is not None:
        check.health_certificate = health_certificate
    if no_criminal_record is not None:
        check.no_criminal_record = no_criminal_record
    check.full_clean()
    check.save()
    record(kind="background_check", action=result, obj=check, actor=checked_by,
           data={"person": person.employee_number, "notes": notes, "consent_at": check.consent_at,
                 "consent_text_version": check.consent_text_version})
    if result == BackgroundCheck.Result.PASSED:
        for permit in Permit.objects.select_for_update().filter(person=person, status=S.APPLIED):
            permit.status = S.CHECKED
            permit.save(update_fields=["status"])
            _event(permit, PermitEvent.Action.CHECKED, checked_by, notes)
    return check


@transaction.atomic
def permit_approve(*, permit: Permit, approver) -> Permit:
    """One approval. Two different people, neither the requester nor the holder, make it approved."""
    permit = _locked(permit)
    if permit.status != S.CHECKED:
        raise ValidationError(_("Only a permit whose background check has passed can be approved."))
    if approver.pk in (permit.requested_by_id, permit.person.user_id):
        raise PermissionDenied(_("You cannot approve a permit you requested or that is your own."))
    if PermitApproval.objects.filter(permit=permit, approver=approver).exists():
        raise PermissionDenied(_("You have already approved this permit; a second person must approve it."))
    PermitApproval.objects.create(permit=permit, approver=approver)
    record(kind="permit", action="approval", obj=permit, actor=approver,
           data={"person": permit.person.employee_number, "area": permit.area.code})
    approvers = list(PermitApproval.objects.filter(permit=permit).values_list("approver_id", flat=True))
    ok, _reason = rules.approvals_valid(requester_id=permit.requested_by_id, approver_ids=approvers)
    if ok:
        permit.status = S.APPROVED
        permit.save(update_fields=["status"])
        _event(permit, PermitEvent.Action.APPROVED, approver)
    return permit


@transaction.atomic
def permit_issue(*, permit: Permit, issued_by, valid_to: datetime | None = None) -> Permit:
    permit = _locked(permit)
    if permit.status != S.APPROVED:
        raise ValidationError(_("Only an approved permit can be issued."))
    now = timezone.now()
    if valid_to is not None and valid_to <= now:
        raise ValidationError(_("The end of validity must be in the future."))
    permit.status, permit.issued_at, permit.valid_from, permit.valid_to = S.ISSUED, now, now, valid_to
    permit.save(update_fields=["status", "issued_at", "valid_from", "valid_to"])
    _event(permit, PermitEvent.Action.ISSUED, issued_by)
    push.permit_push_refresh(permit=permit, event="permit_issued")
    return permit


@transaction.atomic
def permit_revoke(*, permit: Permit, revoked_by, reason: str) -> Permit:
    if not reason.strip():
        raise ValidationError(_("Give a reason for revoking the permit."))
    permit = _locked(permit)
    if permit.status == S.REVOKED:
        return permit
    permit.status, permit.revoked_at, permit.revoke_reason = S.REVOKED, timezone.now(), reason.strip()
    permit.save(update_fields=["status", "revoked_at", "revoke_reason"])
    _event(permit, PermitEvent.Action.REVOKED, revoked_by, reason.strip())
    push.permit_push_refresh(permit=permit, event="permit_revoked")
    return permit


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _controller_data(controller: Controller) -> dict:
    """What the ledger keeps of a controller: never its token, only the first characters everyone may see."""
    return {
        "name": controller.name, "token_prefix": controller.token_prefix, "is_active": controller.is_active,
        "areas": sorted(controller.areas.values_list("code", flat=True)),
    }


@transaction.atomic
def controller_create(*, name: str, areas: list[Area], created_by=None) -> tuple[Controller, str]:
    """A new controller and its token. The token is returned once and only its hash is stored; the audit ledger
    records the controller (``created``), never the token."""
    token = secrets.token_urlsafe(32)
    controller = Controller(name=name, token_hash=token_hash(token), token_prefix=token[:8])
    controller.full_clean()
    controller.save()
    controller.areas.set(areas)
    record(kind="controller", action="created", obj=controller, actor=created_by,
           data=_controller_data(controller))
    return controller, token


@transaction.atomic
def controller_rotate_token(*, controller: Controller, rotated_by=None) -> str:
    """A new token (returned once); the old one stops working at once. Ledger: ``token_rotated``, with the old
    and new prefixes only."""
    controller = Controller.objects.select_for_update().get(pk=controller.pk)
    old_prefix = controller.token_prefix
    token = secrets.token_urlsafe(32)
    controller.token_hash, controller.token_prefix = token_hash(token), token[:8]
    controller.save(update_fields=["token_hash", "token_prefix"])
    record(kind="controller", action="token_rotated", obj=controller, actor=rotated_by,
           data={**_controller_data(controller), "old_token_prefix": old_prefix})
    return token


@transaction.atomic
def controller_update(*, controller: Controller, save: Callable[[], Controller], changed_by=None) -> Controller:
    """Save a change to a controller (``save`` writes it, e.g. the admin form with its areas) and record it in
    the ledger with before and after: ``deactivated``, ``activated`` or ``changed``."""
    before = _controller_data(Controller.objects.get(pk=controller.pk)) if controller.pk else None
    controller = save()
    after = _controller_data(controller)
    if before != after:
        if before is not None and before["is_active"] != after["is_active"]:
            action = "activated" if after["is_active"] else "deactivated"
        else:
            action = "changed" if before is not None else "created"
        record(kind="controller", action=action, obj=controller, actor=changed_by,
               data={"before": before, "after": after})
    return controller


def _area_data(area: Area) -> dict:
    """What the ledger keeps of an area: its fields and what it requires (certification and position ids and
    names), so a before/after shows exactly which requirement was added or removed."""
    return {
        "name": area.name, "code": area.code, "parent": area.parent_id, "is_active": area.is_active,
        "owner": area.owner_id, "description": area.description,
        "required_certifications": [
            {"id": pk, "name": name}
            for pk, name in area.required_certifications.order_by("pk").values_list("pk", "name")
        ],
        "allowed_positions": [
            {"id": pk, "name": name} for pk, name in area.allowed_positions.order_by("pk").values_list("pk", "name")
        ],
    }


@transaction.atomic
def area_save(*, area: Area, save: Callable[[], Area], changed_by=None) -> Area:
    """Create or change an area (``save`` writes it, e.g. the admin form with its requirements) and record it in
    the audit ledger (``created`` / ``changed``) with before and after, required certifications included."""
    before = _area_data(Area.objects.get(pk=area.pk)) if area.pk else None
    area = save()
    after = _area_data(area)
    if before != after:
        record(kind="area", action="changed" if before is not None else "created", obj=area,
               actor=changed_by, data={"before": before, "after": after})
    return area


def decide(*, area: Area | int, subject: str, controller: Controller | int | None = None,
           at: datetime | None = None, area_rule: rules.Area | None = None) -> rules.Decision:
    """Answer "may ``subject`` (badge or employee number) enter ``area`` now?" from live data.

    Fail-secure: any error while deciding is a deny with the reason "error". Denies are always logged at
    once; allows are counted per person, area and hour (``tally``). The hot path reads the person and their
    open permit and the certificates the area requires in one query; the area's requirements come from a cache
    that every change clears (``lms.permits.cache``), or from the caller (``area_rule``, the API passes the
    ones cached with the controller).
    """
    at = at or timezone.now()
    area_id = area if isinstance(area, int) else area.pk
    controller_id = controller if isinstance(controller, int) or controller is None else controller.pk
    person = visit = None
    try:
        if area_rule is None:
            area_rule = cache.area_rules(area_id)
        found = selectors.staff_facts_by_badge(badge=subject, area_id=area_id, area_rule=area_rule) if subject else None
        if found is not None:  # the common case: a staff badge with an open permit, answered from one read
            person_id, holder, permit_rule, certificates, answers = found
            decision = _decide_steady(answers, holder, area_rule, permit_rule, certificates, at)
            _log(decision=decision, area_id=area_id, person_id=person_id, visit=None, subject=subject,
                 controller_id=controller_id, at=at)
            return decision
        permit = selectors.open_permit_by_subject(subject=subject, area_id=area_id)
        person = permit.person if permit is not None else selectors.person_by_subject(subject)
        if person is None and subject:
            visit = selectors.visitor_by_badge(badge=subject, area=area_id, at=at)
        if visit is not None:
            escort = selectors.staff_decision(person=visit.escort, area=area_id, at=at)
            decision = rules.decide_visitor(
                visit=rules.Visit(visit.status == VisitorEntry.Status.APPROVED, visit.entry_at,
                                  visit.expected_departure_at),
                escort_decision=escort,
                at=at,
            )
        else:
            if permit is None and person is not None:  # no open permit: a revoked one says so (permit_revoked)
                permit = selectors.revoked_permit(person=person, area=area_id)
            decision = selectors.staff_decision(person=person, area=area_id, at=at, permit=permit,
                                                area_rule=area_rule)
    except Exception:  # fail secure: whatever went wrong, the door stays shut
        logger.exception("permit decision failed for %s in area %s", subject, area_id)
        decision = rules.Decision.deny(rules.Reason.ERROR)
    return _log(decision=decision, area_id=area_id, person_id=person.pk if person else None, visit=visit,
                subject=subject, controller_id=controller_id, at=at)


def _decide_steady(answers: dict | None, holder, area_rule, permit, certificates, at) -> rules.Decision:
    """``rules.decide``, reusing the answer for the same facts while ``at`` stays inside the interval in which
    it cannot change (``rules.steady_interval``): a door asks about the same people all day. ``answers`` is kept
    with the copy of the facts (``lms.permits.facts``), so it goes when they change; None when read live."""
    if answers is not None:
        memo = answers.get(holder)
        if memo is not None:
            decision, lo, hi = memo
            if (lo is None or lo <= at) and (hi is None or at < hi):
                return decision
    decision = rules.decide(holder=holder, area=area_rule, permit=permit, certificates=certificates, at=at)
    if answers is not None:
        answers[holder] = (decision, *rules.steady_interval(permit=permit, certificates=certificates, at=at))
    return decision


_DECISION_COLUMNS = ("at", "controller", "area", "person", "visitor", "subject", "allow", "reasons", "valid_until")


def _log(*, decision: rules.Decision, area_id, person_id, visit, subject, controller_id, at) -> rules.Decision:
    """Denies are written at once (their ledger entries follow in batches); allows are counted. A row the
    database cannot take within ``LMS_PERMIT_DOOR_LOCK_WAIT_MS`` goes to the local deny queue (on disk before the
    answer; ``deny_queue``), so the door never waits for a lock and no deny is lost. A failure to log even there
    turns an allow into a deny."""
    try:
        if decision.allow and person_id is not None:
            tally.count(area_id=area_id, person_id=person_id, at=at)
        else:  # a deny, or an allowed visitor: one plain INSERT (``rows``), no save signals or ids needed
            row = (at, controller_id, area_id, person_id, visit.pk if visit else None, subject[:64], decision.allow,
                   list(decision.reasons), decision.valid_until)
            try:
                with deny_queue.door_writes():
                    rows.insert(Decision, _DECISION_COLUMNS, [row])
            except Exception:
                logger.warning("could not write a permit decision at once; queued", exc_info=True)
                deny_queue.put(row)
            else:
                if deny_queue.waiting():  # the database takes writes again: the queued rows follow this one
                    try:
                        deny_queue.replay(quick=True)
                    except Exception:  # they stay queued for the next flush or the minute's job
                        logger.exception("could not replay the deny queue")
            if not decision.allow:
                tally.deny_written()  # its audit ledger entry follows with the next flush (``lms.audit.denies``)
    except Exception:  # logging must never turn a deny into an allow, nor an allow into an error
        logger.exception("could not record a permit decision")
        if decision.allow:
            return rules.Decision.deny(rules.Reason.ERROR)
    return decision


@transaction.atomic
def visitor_register(
    *,
    name: str,
    organisation: str,
    reason: str,
    area: Area,
    escort: Person,
    entry_at: datetime,
    expected_departure_at: datetime,
    registered_by,
    badge_number: str = "",
) -> VisitorEntry:
    """Register a visit in advance. The escort must hold a permit that lets them into the area for the
    whole visit, as far as can be known now."""
    visit = VisitorEntry(
        name=name,
        organisation=organisation,
        reason=reason,
        area=area,
        escort=escort,
        entry_at=entry_at,
        expected_departure_at=expected_departure_at,
        registered_by=registered_by,
        badge_number=badge_number,
    )
    if expected_departure_at <= entry_at:  # before full_clean, whose constraint message is generic
        raise ValidationError(_("The expected departure must be after the entry time."))
    visit.full_clean()
    escort_now = selectors.staff_decision(person=escort, area=area, at=entry_at)
    if not escort_now.allow:
        raise ValidationError(
            _("The escort may not enter this area at the time of the visit: %(reasons)s")
            % {"reasons": " ".join(describe(escort_now.reasons))}
        )
    visit.save()
    return visit


@transaction.atomic
def visitor_decide(*, visit: VisitorEntry, approve: bool, decided_by) -> VisitorEntry:
    """The area's owner (or a security officer) approves or rejects a visit."""
    visit = VisitorEntry.objects.select_for_update().select_related("area").get(pk=visit.pk)
    if visit.area.owner_id not in (None, decided_by.pk) and not decided_by.has_perm("lms_permits.change_visitorentry"):
        raise PermissionDenied(_("Only the area's owner or a security officer may approve visits."))
    if visit.registered_by_id == decided_by.pk:
        raise PermissionDenied(_("The person who registered a visit cannot approve it."))
    visit.status = VisitorEntry.Status.APPROVED if approve else VisitorEntry.Status.REJECTED
    visit.decided_by, visit.decided_at = decided_by, timezone.now()
    visit.save(update_fields=["status", "decided_by", "decided_at"])
    record(kind="visitor", action=visit.status, obj=visit, actor=decided_by, data={
        "name": visit.name, "organisation": visit.organisation, "area": visit.area.code,
        "entry_at": visit.entry_at, "expected_departure_at": visit.expected_departure_at,
    })
    return visit
