"""The exam room: an exam that decides who may enter the operations area is sat by that person, where the company
says, on one computer (issue #17, docs/exams.md).

- **Networks**: an exam's allowed networks (or, for an exam that counts for a permit and names none, the site's
  ``LMS_EXAMS_PERMIT_NETWORKS``); outside them an attempt can be neither started nor continued. The client's
  address is ``exams.ratelimit.client_ip``: ``REMOTE_ADDR``, or ``X-Forwarded-For`` only behind
  ``LMS_TRUSTED_PROXIES``.
- **Start code**: the code on the proctor's screen (``room_rules.start_code``), rate-limited per person and exam.
- **One device**: the attempt keeps a hash of the device token of the browser session that started it (an API
  client: of its token); a save or submit from anywhere else is refused until a proctor releases it.
- **Leaving the page**: the page reports events (best effort); after the exam's limit the attempt ends.
- **Proctor actions** (``services.proctor``): add time, end an attempt, release its device; each one recorded.

Refusals and proctor actions send ``exams.signals`` that the audit ledger records. Learner views and the API call
``require_for_start`` and ``require_for_attempt``; the trusted internal ``services.attempts`` functions do not.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exams import conf, ratelimit, room_rules, signals
from exams.models import Attempt, AttemptEvent, Exam

logger = logging.getLogger(__name__)

SESSION_KEY = "lms_exam_device"
EVENTS_PER_REQUEST = 50
REFUSAL_RECORD_EVERY = timedelta(minutes=1)  # a refused device retrying every second is one line a minute


class RoomRefused(PermissionDenied):
    """The exam room's rules refuse this request; ``code`` says which (network, start_code, start_code_rate,
    device), ``message`` what to do about it."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


# ---- which exams count for a permit (filled by a higher app; exams imports none of them) -----------------------

PermitCheck = Callable[[Exam], bool]
_PERMIT_CHECKS: list[PermitCheck] = []


def register_permit_check(check: PermitCheck) -> PermitCheck:
    """``check(exam) -> bool``: True when passing ``exam`` counts toward a permit to enter the operations area."""
    if check not in _PERMIT_CHECKS:
        _PERMIT_CHECKS.append(check)
    return check


def counts_for_permit(exam: Exam) -> bool:
    for check in list(_PERMIT_CHECKS):
        try:
            if check(exam):
                return True
        except Exception:  # a broken check must not lift the room's rules: when in doubt, it counts
            logger.exception("permit check %r failed", check)
            return True
    return False


@dataclass(frozen=True)
class Rules:
    networks: list[room_rules.Network]
    site_default: bool  # the networks are the site's default for permit exams
    room: str
    requires_start_code: bool
    binds_device: bool
    leave_limit: int
    networks_unreadable: bool = False  # the stored list does not parse: nobody can sit the exam until it is fixed

    @property
    def applies(self) -> bool:
        return bool(self.networks or self.requires_start_code or self.binds_device or self.leave_limit)


def rules(exam: Exam) -> Rules:
    """The room's rules for ``exam``. A list that does not parse (written around the form's check) allows no
    network: the exam is closed rather than open to everyone."""
    own = (exam.allowed_networks or "").strip()
    site_default = unreadable = False
    try:
        if own:
            networks = room_rules.parse_networks(own)
        else:
            default = conf.EXAMS_PERMIT_NETWORKS
            networks = room_rules.parse_networks(default) if default and counts_for_permit(exam) else []
            site_default = bool(networks)
    except room_rules.BadNetwork:
        logger.error("exam %s: unreadable allowed networks; nobody can sit it until they are fixed", exam.pk)
        networks, unreadable = [room_rules.parse_networks("0.0.0.0/32")[0]], True
    return Rules(
        networks=networks, site_default=site_default, room=exam.exam_room, requires_start_code=exam.requires_start_code,
        binds_device=exam.binds_device, leave_limit=exam.leave_limit, networks_unreadable=unreadable,
    )


# ---- networks ---------------------------------------------------------------------------------------------------

def client_address(request) -> str:
    return ratelimit.client_ip(request)


def network_refusal(exam: Exam, address: str) -> str:
    if exam.exam_room:
        return _("This exam can be sat only in %(room)s. This computer (%(address)s) is not on that room's network: "
                 "sit it from a computer there.") % {"room": exam.exam_room, "address": address}
    return _("This exam can be sat only from the company's exam room network. This computer (%(address)s) is not "
             "on it: ask your trainer where to sit it.") % {"address": address}


def _rules_of_request(request, exam: Exam) -> Rules:
    """``rules(exam)``, worked out once per request (a start checks the network twice: before it, and for the attempt
    it returns; the site default asks the database whether the exam counts for a permit)."""
    kept = getattr(request, "_lms_exam_rules", None)
    about = (exam.pk, exam.allowed_networks, str(conf.EXAMS_PERMIT_NETWORKS))
    if kept is None or kept[0] != about:
        kept = (about, rules(exam))
        try:
            request._lms_exam_rules = kept
        except AttributeError:  # a request object that takes no attributes: worked out each time
            pass
    return kept[1]


def in_allowed_network(request, exam: Exam) -> bool:
    return room_rules.address_allowed(client_address(request), _rules_of_request(request, exam).networks)


def _check_network(request, exam: Exam, *, attempt: Attempt | None) -> None:
    address = client_address(request)
    if room_rules.address_allowed(address, _rules_of_request(request, exam).networks):
        return
    if attempt is None or _record_refusal(attempt, AttemptEvent.Kind.OUTSIDE_NETWORK_REFUSED, address=address):
        _refused(exam=exam, user=request.user, attempt=attempt, reason="network", address=address)
    raise RoomRefused(network_refusal(exam, address), code="network")


# ---- start codes ------------------------------------------------------------------------------------------------

def _secret() -> bytes:
    return salted_hmac("lms.exams.start_code", "start codes").digest()


def current_code(exam: Exam, *, now: float | None = None) -> room_rules.ShownCode:
    """The code the proctor's screen shows now, and the seconds until it changes."""
    return room_rules.start_code(
        secret=_secret(), exam_id=exam.pk, now=time.time() if now is None else now,
        period=int(conf.EXAMS_START_CODE_SECONDS),
    )


def _check_start_code(request, exam: Exam, code: str | None) -> None:
    if not exam.requires_start_code:
        return
    limit, window = conf.EXAMS_START_CODE_RATE
    key = f"{exam.pk}:{request.user.pk}"
    counted_at = time.time()
    if not ratelimit.hit(scope="exam-start-code", key=key, limit=int(limit), window=int(window)):
        _refused(exam=exam, user=request.user, attempt=None, reason="start_code_rate", address=client_address(request))
        raise RoomRefused(
            _("Too many wrong start codes. Wait a few minutes, then enter the code on the proctor's screen."),
            code="start_code_rate",
        )
    given = (code or "")[:32]
    if given and room_rules.start_code_matches(
        given, secret=_secret(), exam_id=exam.pk, now=counted_at, period=int(conf.EXAMS_START_CODE_SECONDS)
    ):
        ratelimit.give_back(scope="exam-start-code", key=key, window=int(window), counted_at=counted_at)
        return
    _refused(exam=exam, user=request.user, attempt=None, reason="start_code", address=client_address(request))
    if not given:
        raise RoomRefused(_("Enter the start code shown on the proctor's screen."), code="start_code")
    raise RoomRefused(
        _("That start code is not right. Enter the code shown on the proctor's screen now (it changes every few "
          "minutes)."),
        code="start_code",
    )


# ---- one device per attempt -------------------------------------------------------------------------------------

def device_token(request) -> str | None:
    """The device of this request: an API client's token, or a random token kept in the browser session (made on
    first use; it survives the session key's rotation at sign-in). None when there is neither."""
    auth = getattr(request, "auth", None)
    key = getattr(auth, "key", None) or getattr(auth, "pk", None) if auth is not None else None
    if key:
        return f"token:{key}"
    session = getattr(request, "session", None)
    if session is None:
        return None
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return f"session:{token}"


def device_for_start(*, request, exam: Exam) -> str:
    """What a new attempt at ``exam`` started by ``request`` is bound to (exams with one device per attempt): the
    fingerprint of the request's device, written with the attempt; empty otherwise."""
    if not exam.binds_device:
        return ""
    token = device_token(request)
    return room_rules.device_fingerprint(token) if token else ""


def bind(*, attempt: Attempt, request) -> None:
    """Bind a new attempt to the device that started it (exams with one device per attempt)."""
    if attempt.exam.binds_device and not attempt.device:
        token = device_token(request)
        if token:
            attempt.device = room_rules.device_fingerprint(token)
            Attempt.objects.filter(pk=attempt.pk, device="").update(device=attempt.device)


def _check_device(request, attempt: Attempt) -> None:
    if not attempt.exam.binds_device:
        return
    token = device_token(request)
    mine = room_rules.device_fingerprint(token) if token else ""
    if not attempt.device and mine:  # started by trusted code, or released by a proctor: the next device takes it
        if Attempt.objects.filter(pk=attempt.pk, device="").update(device=mine):
            attempt.device = mine
            return
        attempt.device = Attempt.objects.values_list("device", flat=True).get(pk=attempt.pk)
    if mine and hmac.compare_digest(attempt.device, mine):
        return
    if _record_refusal(attempt, AttemptEvent.Kind.OTHER_DEVICE_REFUSED, address=client_address(request)):
        _refused(
            exam=attempt.exam, user=request.user, attempt=attempt, reason="device", address=client_address(request)
        )
    raise RoomRefused(
        _("This attempt is open on another computer or browser. Continue it there, or ask the proctor to release "
          "it to this one."),
        code="device",
    )


# ---- what the learner views and the API call -------------------------------------------------------------------

def require_for_start(*, request, exam: Exam, code: str | None) -> None:
    """Refuse (``RoomRefused``) a start from outside the allowed networks or without the current start code."""
    _check_network(request, exam, attempt=None)
    _check_start_code(request, exam, code)


def require_for_attempt(*, request, attempt: Attempt) -> None:
    """Refuse (``RoomRefused``) reading, saving or submitting an attempt from outside the allowed networks or from
    another device than the one it is bound to."""
    _check_network(request, attempt.exam, attempt=attempt)
    _check_device(request, attempt)


# ---- the page's events ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EventsOutcome:
    recorded: int
    leaves: int  # page-leaving events of the attempt so far
    limit: int
    ended: bool


def events_record(*, attempt: Attempt, events: Iterable[dict], now: datetime | None = None) -> EventsOutcome:
    """Store what the exam page reported (``[{"kind": "focus_lost", "at": "<ISO time on the computer>"}, ...]``),
    and end the attempt with its saved answers once it has left the page as often as the exam allows. Unknown kinds
    are refused (ValidationError, nothing stored); at most ``LMS_EXAMS_EVENTS_PER_ATTEMPT`` are kept."""
    from exams.services.attempts import attempt_submit

    now = now or timezone.now()
    batch = list(events)[: EVENTS_PER_REQUEST + 1]
    if len(batch) > EVENTS_PER_REQUEST:
        raise ValidationError(_("Too many events in one report."))
    rows = []
    for event in batch:
        kind = event.get("kind") if isinstance(event, dict) else None
        if kind not in room_rules.PAGE_EVENTS:
            raise ValidationError(_("Unknown event."))
        try:  # the candidate's clock says anything: an unreadable or impossible time is stored as none
            client_at = parse_datetime(str(event.get("at") or "")[:40]) if event.get("at") else None
        except ValueError:
            client_at = None
        if client_at is not None and timezone.is_naive(client_at):
            client_at = None
        rows.append(AttemptEvent(attempt=attempt, kind=kind, occurred_at=now, client_at=client_at))
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
        if locked.is_finished:
            raise ValidationError(_("This attempt is already finished."))
        stored = AttemptEvent.objects.filter(attempt=locked, kind__in=room_rules.PAGE_EVENTS).count()
        reported = len(rows)
        rows = rows[: max(int(conf.EXAMS_EVENTS_PER_ATTEMPT) - stored, 0)]  # past the cap, counted but not kept
        AttemptEvent.objects.bulk_create(rows)
        leaves = stored + reported
        limit = locked.exam.leave_limit
        ended = room_rules.ends_for_leaving(count=leaves, limit=limit)
        if ended:
            attempt_submit(attempt=locked, now=now)
            AttemptEvent.objects.create(
                attempt=locked, kind=AttemptEvent.Kind.ENDED_FOR_LEAVING, occurred_at=now,
                reason=_site_language(
                    gettext_noop("Left the exam page %(count)d times (the exam allows %(limit)d)."),
                    count=leaves, limit=limit,
                ),
            )
            transaction.on_commit(lambda: signals.attempt_ended_for_leaving.send(
                sender=Attempt, attempt=locked, count=leaves
            ))
    return EventsOutcome(recorded=len(rows), leaves=leaves, limit=limit, ended=ended)


def _site_language(message: str, **values) -> str:
    """A recorded reason in the site's language, whoever's request wrote it (the candidate's may differ from the
    proctor's and the auditor's)."""
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % values


# ---- records ---------------------------------------------------------------------------------------------------

def _record_refusal(attempt: Attempt, kind: str, *, address: str) -> bool:
    """Record a refusal on the attempt's timeline, at most once a minute per kind. True when it was recorded."""
    now = timezone.now()
    if AttemptEvent.objects.filter(attempt=attempt, kind=kind, occurred_at__gte=now - REFUSAL_RECORD_EVERY).exists():
        return False
    AttemptEvent.objects.create(attempt=attempt, kind=kind, occurred_at=now, address=address[:45])
    return True


def _refused(*, exam: Exam, user, attempt: Attempt | None, reason: str, address: str) -> None:
    """Tell the listeners (the audit ledger) about a refusal: once a minute per person, exam and reason, so a
    script retrying a start cannot fill the hash-chained ledger with one row per request."""
    key = f"{exam.pk}:{getattr(user, 'pk', None)}:{reason}"
    if not ratelimit.hit(scope="exam-room-refusal", key=key, limit=1, window=int(REFUSAL_RECORD_EVERY.total_seconds())):
        return
    signals.room_refused.send(sender=Exam, exam=exam, user=user, attempt=attempt, reason=reason, address=address)
