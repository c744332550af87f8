"""The retention sweep (``manage.py lms_privacy_sweep``, daily): erase what is past its period.

For each declaration with a ``retention`` (lms/privacy/registry.py), rows whose period start (the first non-empty
of ``retained_from``; through a to-many relation, the latest) is before ``now`` minus the period are erased the
declared way. People who left are erased whole once ``people_after_leaving`` has passed since their leaving date.
Anyone on legal hold is skipped. Idempotent: what was erased no longer matches. Dry run by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from lms import conf
from lms.privacy import rules
from lms.privacy.erasure import erase_person, erase_rows, still_personal
from lms.privacy.registry import Declaration, declarations

CHUNK = 1000
LEAVERS = "people_after_leaving"


@dataclass
class SweepResult:
    counts: dict[str, int] = field(default_factory=dict)  # declaration label (or "people") -> rows
    dry_run: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _held_user_path(declaration: Declaration) -> str | None:
    if not declaration.person:
        return None
    return "lms_person__legal_hold" if declaration.person == "pk" else f"{declaration.person}__lms_person__legal_hold"


def due_rows(declaration: Declaration, now: datetime):
    """The rows of ``declaration`` past their retention period at ``now``, people on legal hold left out."""
    period = conf.PRIVACY_RETENTION[declaration.retention]
    cut = rules.cutoff(now, period)
    starts = [models.Max(path) for path in declaration.retained_from]
    start = starts[0] if len(starts) == 1 else Coalesce(*starts)
    rows = declaration.model._default_manager.filter(still_personal(declaration))
    held = _held_user_path(declaration)
    if held:
        rows = rows.exclude(**{held: True})
    due = rows.annotate(_privacy_start=start).filter(_privacy_start__lt=cut)
    return declaration.model._default_manager.filter(pk__in=due.values("pk"))


def due_leavers(now: datetime):
    from lms.people.models import Person

    cut = rules.cutoff(timezone.localdate(now), conf.PRIVACY_RETENTION[LEAVERS])
    return Person.objects.filter(left_on__lt=cut, legal_hold=False, erased_at__isnull=True).select_related("user")


def sweep(*, now: datetime | None = None, dry_run: bool = True) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult(dry_run=dry_run)
    for declaration in declarations():
        if declaration.retention is None or declaration.erase == "keep":
            continue
        rows = due_rows(declaration, now)
        if dry_run:
            result.counts[declaration.label] = rows.count()
            continue
        done = 0
        while True:
            chunk = list(rows.values_list("pk", flat=True)[:CHUNK])
            if not chunk:
                break
            with transaction.atomic():
                erased = erase_rows(declaration, declaration.model._default_manager.filter(pk__in=chunk))
            done += erased
            if erased < len(chunk):  # rows another model protects, or already gone: do not loop on them
                break
        result.counts[declaration.label] = done
    leavers = due_leavers(now)
    if dry_run:
        result.counts["people"] = leavers.count()
    else:
        result.counts["people"] = 0
        for person in leavers.iterator(chunk_size=100):
            erase_person(person.user, now=now)
            result.counts["people"] += 1
    return result
