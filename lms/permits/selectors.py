"""Reads for permits: the live facts a decision is computed from, and the security officer's screens."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from certificates.models import Certificate, Certification
from courses.progress import CompletionRule
from exams.localized_names import source_rows
from lms.people.models import Person
from lms.permits import facts, rows, rules
from lms.permits.models import Permit, VisitorEntry
from lms.requirements.models import Area


def area_rules(area: Area | int) -> rules.Area:
    """The area's requirements (cached; every change to them clears the cache)."""
    from lms.permits.cache import area_rules as cached

    return cached(area if isinstance(area, int) else area.pk)


def exam_counts_for_permit(exam) -> bool:
    """Whether passing ``exam`` grants a certification that an active area requires for its permit: the exam is
    the final exam of a course that completes only when it is passed, and that course grants (certificates) a
    certification still issued and required by an area. One query, nothing cached: a change to a course, a
    certification or an area counts at once. ``exams.services.room``'s permit check (docs/exams.md, "Site
    default")."""
    if getattr(exam, "pk", None) is None:
        return False
    return source_rows(Certification).filter(  # a translation grants nothing (exams.localization)
        is_active=True,
        courses__final_exam=exam.pk,
        courses__completion_rule=CompletionRule.ALL_LESSONS_AND_EXAM.value,
        areas__is_active=True,
    ).exists()


def _area_id(area: Area | int) -> int:
    return area if isinstance(area, int) else area.pk


def person_by_subject(subject: str) -> Person | None:
    """A badge number or, failing that, an employee number."""
    if not subject:
        return None
    return Person.objects.filter(badge_number=subject).first() or Person.objects.filter(employee_number=subject).first()


def open_permit(*, person: Person, area: Area | int) -> Permit | None:
    return (
        Permit.objects.filter(person=person, area_id=_area_id(area)).exclude(status=rules.PermitStatus.REVOKED).first()
    )


def revoked_permit(*, person: Person, area: Area | int) -> Permit | None:
    """The person's most recently revoked permit for the area (what a deny names when no permit is open)."""
    return (
        Permit.objects.filter(person=person, area_id=_area_id(area), status=rules.PermitStatus.REVOKED)
        .order_by("-revoked_at", "-pk")
        .first()
    )


def current_permit(*, person: Person, area: Area | int) -> Permit | None:
    """The open permit, or else the last revoked one (so a decision says ``permit_revoked``, not ``no_permit``)."""
    return open_permit(person=person, area=area) or revoked_permit(person=person, area=area)


def open_permit_by_subject(*, subject: str, area_id: int) -> Permit | None:
    """The open permit for the person with this badge (or employee) number, with the person: one query."""
    if not subject:
        return None
    permits = (
        Permit.objects.filter(area_id=area_id)
        .exclude(status=rules.PermitStatus.REVOKED)
        .select_related("person")
        .order_by()
    )
    # Two indexed lookups rather than one OR, which would scan every permit of the area.
    for field in ("person__badge_number", "person__employee_number"):
        found = list(permits.filter(**{field: subject})[:1])
        if found:
            return found[0]
    return None


def certificates_of(*, user_id: int, certification_ids) -> list[rules.Certificate]:
    if not certification_ids:
        return []
    rows = Certificate.objects.filter(user_id=user_id, certification_id__in=list(certification_ids)).values_list(
        "certification_id", "issued_at", "expires_at", "revoked_at"
    )
    return [rules.Certificate(cid, issued, expires, revoked) for cid, issued, expires, revoked in rows]


_UNSET = object()


def staff_decision(
    *, person: Person | None, area: Area | int, at: datetime, permit=_UNSET, area_rule: rules.Area | None = None
) -> rules.Decision:
    """The decision for a staff member, from live data (``permit`` may be passed in when already read)."""
    area_rule = area_rule or area_rules(area)
    if person is None:
        return rules.decide(holder=None, area=area_rule, permit=None, certificates=[], at=at)
    if permit is _UNSET:
        permit = current_permit(person=person, area=area)
    return rules.decide(
        holder=rules.Holder(is_active=person.status != Person.Status.LEFT, position_id=person.position_id),
        area=area_rule,
        permit=None
        if permit is None
        else rules.Permit(rules.PermitStatus(permit.status), permit.valid_from, permit.valid_to),
        certificates=certificates_of(user_id=person.user_id, certification_ids=area_rule.required_certification_ids),
        at=at,
    )


def visitor_by_badge(*, badge: str, area: Area | int, at: datetime) -> VisitorEntry | None:
    """The visit that a visitor badge opens now (or the nearest one, so the deny can say why)."""
    visits = VisitorEntry.objects.filter(badge_number=badge, area_id=_area_id(area)).select_related("escort")
    current = visits.filter(entry_at__lte=at, expected_departure_at__gt=at).order_by("-entry_at").first()
    return current or visits.order_by("-entry_at").first()


def permits_losing_access(*, within: timedelta, now: datetime) -> list[dict]:
    """Issued permits whose holder will lose access within ``within``, and why (the earliest lapse).

    A constant number of queries however many permits are issued: the permits with their holders and areas,
    the areas' requirements (two), and every certificate those requirements concern (one); the decisions
    are then computed in memory by the same rules as at the door."""
    horizon = now + within
    permits = list(
        Permit.objects.filter(status=rules.PermitStatus.ISSUED)
        .select_related("person__user", "area")
        .prefetch_related("area__required_certifications", "area__allowed_positions")
    )
    area_rules_by_id = {
        permit.area_id: rules.Area(
            required_certification_ids=frozenset(c.pk for c in permit.area.required_certifications.all()),
            allowed_position_ids=frozenset(p.pk for p in permit.area.allowed_positions.all()),
        )
        for permit in permits
    }
    certificates_by_user: dict[int, list[rules.Certificate]] = {}
    certification_ids = set().union(*(rule.required_certification_ids for rule in area_rules_by_id.values()))
    if permits and certification_ids:
        rows = Certificate.objects.filter(
            user_id__in={permit.person.user_id for permit in permits}, certification_id__in=certification_ids
        ).values_list("user_id", "certification_id", "issued_at", "expires_at", "revoked_at")
        for user_id, *certificate in rows:
            certificates_by_user.setdefault(user_id, []).append(rules.Certificate(*certificate))

    def decision_at(permit: Permit, at: datetime) -> rules.Decision:
        person, area_rule = permit.person, area_rules_by_id[permit.area_id]
        return rules.decide(
            holder=rules.Holder(is_active=person.status != Person.Status.LEFT, position_id=person.position_id),
            area=area_rule,
            permit=rules.Permit(rules.PermitStatus(permit.status), permit.valid_from, permit.valid_to),
            certificates=[
                c
                for c in certificates_by_user.get(person.user_id, ())
                if c.certification_id in area_rule.required_certification_ids
            ],
            at=at,
        )

    result = []
    for permit in permits:
        decision = decision_at(permit, now)
        if not decision.allow:
            result.append({"permit": permit, "at": now, "reasons": decision.reasons})
            continue
        if decision.valid_until is not None and decision.valid_until <= horizon:
            later = decision_at(permit, decision.valid_until)
            result.append({"permit": permit, "at": decision.valid_until, "reasons": later.reasons})
    return sorted(result, key=lambda row: row["at"])


@dataclass(frozen=True)
class AllowedEntries:
    area_id: int
    person_id: int
    hour: datetime
    count: int
    last_at: datetime


def allowed_entries(
    *,
    area_id: int | None = None,
    person_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AllowedEntries]:
    """Allowed entries per area, person and hour (hours starting in [``since``, ``until``)), added up over
    the rows every process wrote (``DecisionTally``); newest hour first, then by area and person."""
    from lms.permits.models import DecisionTally

    tallies = DecisionTally.objects.order_by()
    if area_id is not None:
        tallies = tallies.filter(area_id=area_id)
    if since is not None:
        tallies = tallies.filter(hour__gte=since)
    if until is not None:
        tallies = tallies.filter(hour__lt=until)
    totals: dict[tuple[int, int, datetime], list] = {}
    wanted = None if person_id is None else str(person_id)
    for area, hour, people in tallies.values_list("area_id", "hour", "people").iterator():
        for person, (count, last_at) in people.items():
            if wanted is not None and person != wanted:
                continue
            at = datetime.fromisoformat(last_at)
            entry = totals.setdefault((area, int(person), hour), [0, at])
            entry[0] += count
            entry[1] = max(entry[1], at)
    return sorted(
        (AllowedEntries(area, person, hour, n, last) for (area, person, hour), (n, last) in totals.items()),
        key=lambda e: (-e.hour.timestamp(), e.area_id, e.person_id),
    )


def permits_for_person(person: Person):
    return Permit.objects.filter(person=person).select_related("area").order_by("area__name")


def _aware(value):
    """Raw SQL on SQLite returns naive UTC datetimes; PostgreSQL returns aware ones."""
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


@lru_cache(maxsize=32)
def _staff_facts_sql(certifications: int, *, whole_area: bool = False) -> str:
    """The hot-path query for an area requiring this many certifications (built once, not per decision): for
    one badge, or for every badge holder with an open permit for the area (``whole_area``, ordered by person,
    with each person's ``facts_version`` read in the same statement)."""
    person_t, permit_t = Person._meta.db_table, Permit._meta.db_table
    cert_t = Certificate._meta.db_table
    cert_condition = f"c.certification_id IN ({', '.join(['%s'] * certifications)})" if certifications else "1 = 0"
    # Only table names and placeholders are interpolated; every value is a parameter. CROSS JOIN makes
    # SQLite start from the badge's index rather than from every permit of the area.
    select = (
        "SELECT pe.id, pe.status, pe.position_id, p.status, p.valid_from, p.valid_to, "
        "c.certification_id, c.issued_at, c.expires_at, c.revoked_at, pe.facts_version "
    )
    joined = f"LEFT JOIN {cert_t} c ON c.user_id = pe.user_id AND {cert_condition} "
    if whole_area:
        return (
            f"{select}FROM {permit_t} p JOIN {person_t} pe ON pe.id = p.person_id {joined}"
            f"WHERE p.area_id = %s AND p.status <> %s AND pe.badge_number IS NOT NULL ORDER BY pe.id"
        )
    return (
        f"{select}FROM {person_t} pe CROSS JOIN {permit_t} p {joined}"
        f"WHERE pe.badge_number = %s AND p.person_id = pe.id AND p.area_id = %s AND p.status <> %s"
    )


@lru_cache(maxsize=4)
def _person_sql(table: str) -> str:
    return f"SELECT id, status, position_id, facts_version FROM {table} WHERE badge_number = %s"  # noqa: S608


def staff_facts_by_badge(*, badge: str, area_id: int, area_rule: rules.Area):
    """The door's hot path: person, open permit and the certificates the area requires.

    The person's row is read live every time; the permit and certificates come from this process's copy when
    the row's ``facts_version`` says they have not changed since (``lms.permits.facts``), otherwise from ONE
    query over the three tables. The first miss in an area copies all its badge holders at once. Returns
    (person_id, holder, permit, certificates, answers) or None when no open permit matches the badge (the caller
    then takes the general path, which also knows employee numbers, visitors and missing permits). ``answers``
    is a dict kept with the copy, for the caller's decisions from these facts (None when read live)."""
    alias = DEFAULT_DB_ALIAS
    if facts.usable(alias):
        found = rows.fetchall(_person_sql(Person._meta.db_table), [badge])
        if not found:
            return None
        person_id, status, position_id, version = found[0]
        key = (person_id, area_id, area_rule)
        copy = facts.get(key, version)
        if copy is None and facts.load_area(
            (area_id, area_rule),
            count=lambda: area_staff_count(area_id),
            read=lambda: area_staff_facts(area_id, area_rule),
        ):
            copy = facts.get(key, version)
        if copy is None:
            read = _staff_facts(badge, area_id, area_rule)
            if read is None:
                return None
            copy = facts.put(key, version, *read[2:])
        holder = rules.Holder(is_active=status != Person.Status.LEFT, position_id=position_id)
        return person_id, holder, *copy
    read = _staff_facts(badge, area_id, area_rule)
    return None if read is None else (*read, None)


def _staff_facts(badge: str, area_id: int, area_rule: rules.Area):
    """Person, open permit and the area's required certificates in ONE query (see ``staff_facts_by_badge``)."""
    ids = sorted(area_rule.required_certification_ids)
    found = rows.fetchall(_staff_facts_sql(len(ids)), [*ids, badge, area_id, rules.PermitStatus.REVOKED.value])
    if not found:
        return None
    return _facts(found)[:4]


def area_staff_facts(area_id: int, area_rule: rules.Area):
    """Every badge holder with an open permit for the area, as ``staff_facts_by_badge`` reads them one by one:
    (person_id, facts_version, permit, certificates) each, in ONE statement, so each version is the one its
    facts were read under."""
    ids = sorted(area_rule.required_certification_ids)
    sql = _staff_facts_sql(len(ids), whole_area=True)
    found = rows.fetchall(sql, [*ids, area_id, rules.PermitStatus.REVOKED.value])
    for _person_id, person_rows in groupby(found, key=itemgetter(0)):
        person_id, _holder, permit, certificates, version = _facts(list(person_rows))
        yield person_id, version, permit, certificates


def area_staff_count(area_id: int) -> int:
    """How many badge holders have an open permit for the area (what ``area_staff_facts`` would read)."""
    return (
        Permit.objects.filter(area_id=area_id, person__badge_number__isnull=False)
        .exclude(status=rules.PermitStatus.REVOKED)
        .count()
    )


def _facts(found: list[tuple]):
    """One person's rows of ``_staff_facts_sql`` → (person_id, holder, permit, certificates, facts_version)."""
    person_id, status, position_id, permit_status, valid_from, valid_to = found[0][:6]
    holder = rules.Holder(is_active=status != Person.Status.LEFT, position_id=position_id)
    permit = rules.Permit(rules.PermitStatus(permit_status), _aware(valid_from), _aware(valid_to))
    certificates = tuple(
        rules.Certificate(row[6], _aware(row[7]), _aware(row[8]), _aware(row[9])) for row in found if row[6] is not None
    )
    return person_id, holder, permit, certificates, found[0][10]


def open_permits_by_person(person_ids: list[int], area_ids: set[int]) -> dict[int, dict[int, object]]:
    """person id -> {area id: day applied} for open (not revoked) permits to ``area_ids``. One query. The
    requirements app reads it through ``lms.requirements.area_permits`` (registered in ``apps.py``)."""
    permits: dict[int, dict[int, object]] = defaultdict(dict)
    if not area_ids or not person_ids:
        return permits
    tz = timezone.get_current_timezone()
    rows = (
        Permit.objects.filter(person_id__in=person_ids, area_id__in=area_ids)
        .exclude(status=rules.PermitStatus.REVOKED.value)
        .values_list("person_id", "area_id", "requested_at")
    )
    for person_id, area_id, requested_at in rows:
        day = timezone.localtime(requested_at, tz).date()
        previous = permits[person_id].get(area_id)
        permits[person_id][area_id] = day if previous is None else min(previous, day)
    return permits
