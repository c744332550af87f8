"""Reads of requirements and the training matrix, in a constant number of queries whatever the number of
people or requirements (no query per person or per cell): the rows are fetched, then every status is computed
in Python by ``lms.requirements.rules``.

Visibility: HR, auditors and security officers (``lms_requirements.view_all_trainingmatrix``, or the archive's
``lms_archive.view_all_trainingrecords``) see everyone; anybody else themselves and their direct reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from certificates import conf as certificates_conf
from certificates.models import Certificate
from exams.localized_names import names_in_reading_language
from lms import conf
from lms.people.models import Person
from lms.requirements import area_permits, rules
from lms.requirements.models import TrainingRequirement
from lms.requirements.rules import Applicable, Cell, Lapse, Status

SEE_ALL = ("lms_requirements.view_all_trainingmatrix", "lms_archive.view_all_trainingrecords")
FORECAST_DAYS = (30, 60, 90)


def sees_everyone(user) -> bool:
    return bool(user.is_authenticated and user.is_active and any(user.has_perm(p) for p in SEE_ALL))


def people_for_matrix(user) -> QuerySet[Person]:
    """The people ``user`` may see in the matrix (people who have left are not in it)."""
    if not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    people = Person.objects.exclude(status=Person.Status.LEFT)
    if sees_everyone(user):
        return people
    return people.filter(Q(user=user) | Q(manager__user=user))


def _requirement_rules(requirements: Iterable[TrainingRequirement]) -> list[rules.Requirement]:
    return [
        rules.Requirement(
            id=r.pk,
            certification_id=r.certification_id,
            scope=r.scope,
            scope_id=r.scope_id,
            due_within_days=r.due_within_days,
            applies_from=r.applies_from,
        )
        for r in requirements
        if r.scope is not None
    ]


def _facts(person, permits) -> rules.PersonFacts:
    return rules.PersonFacts(
        id=person.pk,
        hire_date=person.hire_date,
        department_id=person.department_id,
        position_id=person.position_id,
        permits=permits.get(person.pk, {}),
    )


def applicable_requirements(person_ids: Iterable[int]) -> dict[int, list[Applicable]]:
    """For each person id, the requirements that apply to them with the assignment and due dates.

    At most three queries (people, requirements, permits), whatever the number of people. Every id asked for
    is a key (an empty list when nothing applies, or the person does not exist)."""
    ids = list(dict.fromkeys(int(pk) for pk in person_ids))
    result: dict[int, list[Applicable]] = {pk: [] for pk in ids}
    if not ids:
        return result
    requirements = _requirement_rules(TrainingRequirement.objects.all())
    if not requirements:
        return result
    people = list(Person.objects.filter(pk__in=ids).only("pk", "hire_date", "department_id", "position_id"))
    area_ids = {r.scope_id for r in requirements if r.scope == rules.Scope.AREA}
    permits = area_permits.open_permits(ids, area_ids)
    for person in people:
        result[person.pk] = rules.applicable(requirements, _facts(person, permits))
    return result


@dataclass(frozen=True)
class MatrixRow:
    person: Person
    cells: dict[int, Cell]  # requirement id -> cell; a requirement that does not apply has no cell

    def cells_for(self, requirements: Iterable[TrainingRequirement]) -> list[Cell | None]:
        return [self.cells.get(r.pk) for r in requirements]

    @property
    def is_compliant(self) -> bool:
        return all(c.is_compliant for c in self.cells.values())


@dataclass(frozen=True)
class ForecastEntry:
    person: Person
    requirement: TrainingRequirement
    lapse: Lapse

    @property
    def reason(self) -> str:
        return self.lapse.reason.value


def name_requirements(requirements: list[TrainingRequirement]) -> list[TrainingRequirement]:
    """Give each requirement (certification, position, department and area selected) its names in the reader's
    language (``read_names``): a query per kind of name, none in the site's language."""
    certifications = names_in_reading_language({r.certification for r in requirements})
    scopes = {
        kind: names_in_reading_language({getattr(r, kind) for r in requirements if getattr(r, f"{kind}_id")})
        for kind in ("position", "department", "area")
    }
    for r in requirements:
        kind = next((k for k in ("position", "department", "area") if getattr(r, f"{k}_id")), None)
        r.read_names = (certifications[r.certification_id], scopes[kind][getattr(r, f"{kind}_id")] if kind else "")
    return requirements


def _people_names(people: list[Person]) -> tuple[dict[int, str], dict[int, str]]:
    return (names_in_reading_language({p.department for p in people if p.department_id}),
            names_in_reading_language({p.position for p in people if p.position_id}))


@dataclass(frozen=True)
class Matrix:
    """People × requirements at ``at``. ``requirements`` are the columns (those that apply to someone in
    ``rows``); ``forecast[days]`` lists who falls out of compliance within ``days`` and why, soonest first."""

    at: datetime
    requirements: list[TrainingRequirement]
    rows: list[MatrixRow]
    forecast: dict[int, list[ForecastEntry]] = field(default_factory=dict)
    department_names: dict[int, str] = field(default_factory=dict)  # by id, in the reader's language
    position_names: dict[int, str] = field(default_factory=dict)

    def department_of(self, person: Person) -> str:
        return self.department_names.get(person.department_id, "") if person.department_id else ""

    def position_of(self, person: Person) -> str:
        return self.position_names.get(person.position_id, "") if person.position_id else ""

    def forecast_bands(self) -> list[tuple[int, int, list[ForecastEntry]]]:
        """The forecast as consecutive bands (0–30, 31–60, 61–90 days): ``(after_days, within_days, entries)``,
        each person and certification in the first band it falls in, so a list shows them once."""
        bands, shown, after = [], set(), 0
        for days in sorted(self.forecast):
            entries = [e for e in self.forecast[days] if (e.person.pk, e.lapse.certification_id) not in shown]
            shown.update((e.person.pk, e.lapse.certification_id) for e in entries)
            bands.append((after, days, entries))
            after = days
        return bands

    def counts(self) -> dict[str, int]:
        totals = {s.value: 0 for s in Status}
        for row in self.rows:
            for cell in row.cells.values():
                totals[cell.status.value] += 1
        return totals


def _notice(certification) -> timedelta:
    days = certification.notice_days
    return timedelta(days=certificates_conf.CERTIFICATE_NOTICE_DAYS if days is None else days)


def matrix_for(
    people_qs,
    *,
    at: datetime | None = None,
    status: str | None = None,
    forecast_days: Iterable[int] = FORECAST_DAYS,
) -> Matrix:
    """The matrix of ``people_qs`` (a queryset or list of people) at ``at``, in four queries: people,
    requirements, open permits to required areas, certificates of the required certifications.

    ``status`` keeps only the rows with at least one cell in that status."""
    at = at or timezone.now()
    tz = timezone.get_current_timezone()
    soon = timedelta(days=conf.DUE_SOON_DAYS)
    if isinstance(people_qs, QuerySet):
        people_qs = people_qs.select_related("department", "position")
    people = list(people_qs)
    requirements = name_requirements(
        list(TrainingRequirement.objects.select_related("certification", "position", "department", "area"))
    )
    by_id = {r.pk: r for r in requirements}
    facts = _requirement_rules(requirements)
    person_ids = [p.pk for p in people]
    permits = area_permits.open_permits(person_ids, {r.scope_id for r in facts if r.scope == rules.Scope.AREA})
    applicable = {p.pk: rules.applicable(facts, _facts(p, permits)) for p in people}

    certification_ids = {a.certification_id for items in applicable.values() for a in items}
    held: dict[tuple[int, int], list[rules.Held]] = defaultdict(list)
    if certification_ids:
        user_ids = [p.user_id for p in people]
        rows = Certificate.objects.filter(user_id__in=user_ids, certification_id__in=certification_ids).values_list(
            "user_id", "certification_id", "issued_at", "expires_at", "revoked_at"
        )
        for user_id, certification_id, issued_at, expires_at, revoked_at in rows:
            held[(user_id, certification_id)].append(rules.Held(issued_at, expires_at, revoked_at))

    horizons = {days: at + timedelta(days=days) for days in forecast_days}
    forecast: dict[int, list[ForecastEntry]] = {days: [] for days in horizons}
    matrix_rows = []
    used: set[int] = set()
    for person in people:
        cells = {}
        lapses = []
        for item in applicable[person.pk]:
            requirement = by_id[item.requirement_id]
            cell = rules.cell_status(
                applicable=item,
                held=held.get((person.user_id, item.certification_id), ()),
                at=at,
                tz=tz,
                notice=_notice(requirement.certification),
                soon=soon,
            )
            cells[item.requirement_id] = cell
            if horizons:
                lapse = rules.lapse(
                    person_id=person.pk, applicable=item, cell=cell, horizon=max(horizons.values()), tz=tz
                )
                if lapse is not None:
                    lapses.append((requirement, lapse))
        if status and not any(c.status == status for c in cells.values()):
            continue
        used.update(cells)
        matrix_rows.append(MatrixRow(person=person, cells=cells))
        for lapse in rules.earliest_lapses(lapse for __, lapse in lapses):  # a certification once, not per requirement
            requirement = by_id[lapse.requirement_id]
            for days, horizon in horizons.items():
                if lapse.when <= horizon:
                    forecast[days].append(ForecastEntry(person=person, requirement=requirement, lapse=lapse))
    for entries in forecast.values():
        entries.sort(key=lambda e: (e.lapse.when, e.person.employee_number, e.requirement.pk))
    department_names, position_names = _people_names([row.person for row in matrix_rows])
    return Matrix(
        at=at,
        requirements=[r for r in requirements if r.pk in used],
        rows=matrix_rows,
        forecast=forecast,
        department_names=department_names,
        position_names=position_names,
    )


@dataclass(frozen=True)
class MyRequirement:
    requirement: TrainingRequirement
    cell: Cell


def requirements_of(person: Person | None, *, at: datetime | None = None) -> list[MyRequirement]:
    """A learner's own requirements with their status, soonest due first ("My learning")."""
    if person is None:
        return []
    matrix = matrix_for([person], at=at, forecast_days=())
    if not matrix.rows:
        return []
    row = matrix.rows[0]
    items = [MyRequirement(requirement=r, cell=row.cells[r.pk]) for r in matrix.requirements if r.pk in row.cells]
    return sorted(items, key=lambda i: (i.cell.status == Status.DONE, i.cell.due_on, i.requirement.pk))


@dataclass
class MatrixFilters:
    """Filters of the matrix screen, its export and the API. Ids, not objects, so a job can store them."""

    department: int | None = None
    position: int | None = None
    status: str = ""

    def as_dict(self) -> dict:
        return {"department": self.department, "position": self.position, "status": self.status}

    @classmethod
    def from_dict(cls, data: dict) -> MatrixFilters:
        status = data.get("status") or ""
        if status and status not in Status.__members__.values():
            raise ValueError(status)
        return cls(department=data.get("department") or None, position=data.get("position") or None, status=status)


def matrix_people(people: QuerySet[Person], filters: MatrixFilters) -> QuerySet[Person]:
    if filters.department:
        people = people.filter(department_id=filters.department)
    if filters.position:
        people = people.filter(position_id=filters.position)
    return people.select_related("department", "position").order_by("employee_number")


def matrix_visible_to(user, filters: MatrixFilters, *, at: datetime | None = None) -> Matrix:
    """The matrix ``user`` may see, narrowed by ``filters``."""
    return matrix_for(matrix_people(people_for_matrix(user), filters), at=at, status=filters.status or None)
