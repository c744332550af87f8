"""Export jobs: the admin asks for an export, a background task (django-tasks) writes the workbook to
private storage and records its progress on ``ExportJob``; the admin page polls it and offers the file.

Each kind of export is registered here (``export_kind_register``): the archive's own (the archive, one person's
training file) below, the training matrix by the requirements app, which is above this one, at start-up.

The task re-checks what the requester may see when it runs: HR and auditors everything, a manager their
team, anyone else themselves.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from exams.signals import personal_data_exported
from lms import conf
from lms.archive.exports import archive_export, person_file_export
from lms.archive.models import ExportJob, TrainingRecord
from lms.archive.periods import PeriodError
from lms.archive.selectors import ArchiveFilters, archive_filter, person_for_viewer_or_404, records_visible_to
from lms.people.models import Person

PROGRESS_SECONDS = 0.5


def export_records(*, user, filters: ArchiveFilters):
    """The archive rows ``user`` may export with ``filters`` (raises ValidationError on a bad period)."""
    try:
        return archive_filter(records_visible_to(user), filters)
    except PeriodError as exc:
        raise ValidationError({"period": _("Use a year (2026), a quarter (2026-Q3), a month (2026-07) or a range "
                                           "(2026-03-01..2026-05-31).")}) from exc


Total = Callable[[int], None]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportKind:
    """One kind of background export. ``permission`` is needed to ask for it; ``clean(user, filters)`` returns the
    filters to record or raises ValidationError / PermissionDenied; ``write(job, user, out, total, progress)``
    writes the workbook (calling ``total`` once with the number of rows) and returns (rows written, file name)."""

    permission: str
    clean: Callable[[object, dict], dict]
    write: Callable[[ExportJob, object, object, Total, Progress], tuple[int, str]]


_KINDS: dict[str, ExportKind] = {}


def export_kind_register(kind: str, export_kind: ExportKind) -> None:
    _KINDS[kind] = export_kind


def export_kinds_for(user) -> list[str]:
    """The kinds ``user`` may ask for, in the order of ``ExportJob.Kind``."""
    return [k for k in ExportJob.Kind.values if k in _KINDS and user.has_perm(_KINDS[k].permission)]


def _clean_person(user, filters: dict) -> dict:
    try:
        person_for_viewer_or_404(user=user, pk=filters.get("person"))
    except Http404 as exc:
        raise PermissionDenied from exc
    return filters


def _clean_archive(user, filters: dict) -> dict:
    export_records(user=user, filters=ArchiveFilters.from_dict(filters))
    return filters


def _write_person(job, user, out, total: Total, progress: Progress) -> tuple[int, str]:
    person = person_for_viewer_or_404(user=user, pk=job.filters.get("person"))
    total(TrainingRecord.objects.filter(person=person).count())
    return person_file_export(person=person, out=out, progress=progress), f"training-file-{person.employee_number}.xlsx"


def _write_archive(job, user, out, total: Total, progress: Progress) -> tuple[int, str]:
    records = export_records(user=user, filters=ArchiveFilters.from_dict(job.filters))
    total(records.count())
    return archive_export(records=records, out=out, progress=progress), \
        f"training-archive-{timezone.localdate():%Y%m%d}.xlsx"


export_kind_register(
    ExportJob.Kind.ARCHIVE, ExportKind("lms_archive.view_trainingrecord", _clean_archive, _write_archive)
)
export_kind_register(ExportJob.Kind.PERSON, ExportKind("lms_archive.view_trainingrecord", _clean_person, _write_person))


def export_job_create(*, user, kind: str, filters: dict, language: str | None = None) -> ExportJob:
    """Record the request and queue the task (after commit). Checks the filters and the requester's right
    to what they name; raises ValidationError / PermissionDenied and records nothing otherwise."""
    export_kind = _KINDS.get(kind)
    if export_kind is None:
        raise ValidationError({"kind": _("Unknown export.")})
    if not user.has_perm(export_kind.permission):
        raise PermissionDenied
    filters = export_kind.clean(user, filters)
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind, filters=filters, requested_by=user,
            language=language or conf.EXPORT_LANGUAGE or translation.get_language() or "en",
        )
        transaction.on_commit(lambda: export_job_run.enqueue(job_id=job.pk))
    return job


@task()
def export_job_run(job_id: int) -> None:
    """The background task. Idempotent: a job that is already done or failed is left alone."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    try:
        with translation.override(job.language):
            export_job_write(job)
    except Exception as exc:  # the job records the failure for the admin; the task itself must not crash
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise


def export_job_write(job: ExportJob) -> None:
    user = get_user_model().objects.get(pk=job.requested_by_id)
    last = [0.0]

    def progress(done: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    totals = [0]

    def total(rows: int) -> None:
        totals[0] = rows
        ExportJob.objects.filter(pk=job.pk).update(rows_total=rows)

    with tempfile.TemporaryFile() as tmp:
        count, name = _KINDS[job.kind].write(job, user, tmp, total, progress)
        tmp.seek(0)
        job.refresh_from_db()
        job.file.save(f"{job.uuid.hex}-{name}", File(tmp), save=False)
    job.rows_done = count
    job.rows_total = max(totals[0], count)
    job.status = ExportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "rows_done", "rows_total", "status", "finished_at"])


def export_job_for_download(*, user, uuid, kind: str | None = None) -> ExportJob:
    """The finished job of ``user`` (404 for anyone else's, one not finished, or one of another ``kind`` when
    given), about to be downloaded: each download is announced for the audit ledger (``personal_data_exported``:
    the kind, the filters, the rows; for one person's file, that person)."""
    job = ExportJob.objects.filter(uuid=uuid, status=ExportJob.Status.DONE).first()
    if job is None or (job.requested_by_id != user.pk and not user.is_superuser) or not job.file:
        raise Http404
    if kind is not None and job.kind != kind:
        raise Http404
    person = Person.objects.filter(pk=job.filters.get("person")).first() if job.kind == ExportJob.Kind.PERSON else None
    personal_data_exported.send(
        sender=ExportJob, user=user, export=job.kind, subject=person or job,
        details={"job": str(job.uuid), "filters": job.filters, "rows": job.rows_done,
                 "requested_by": job.requested_by_id, "finished_at": job.finished_at},
    )
    return job
