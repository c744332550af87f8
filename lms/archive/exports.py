"""The archive export and a person's training file, through the one streaming exporter (writer.py).

Each sheet is ONE query (``values_list().iterator()``), so the number of queries never grows with the rows.
Headers and labels are in the active language (call under ``translation.override`` for another one).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, FloatField, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exams.localized_names import name_in_reading_language, name_table
from lms import conf
from lms.archive.models import RecordKind, TrainingRecord
from lms.people.models import Department, Person
from lms.sheets.cells import NEEDS_NEUTRALISING, neutralise, status_for
from lms.sheets.writer import Column, new_workbook, write_sheet

Progress = Callable[[int], None] | None

# The archive export: (values_list path, header, width).
ARCHIVE_FIELDS = (
    ("occurred_at", gettext_noop("Date"), 12),
    ("person__employee_number", gettext_noop("Employee number"), 14),
    ("person__name", gettext_noop("Name"), 14),
    ("person__department__name", gettext_noop("Department"), 16),
    ("kind", gettext_noop("Kind"), 16),
    ("title", gettext_noop("Title"), 36),
    ("hours", gettext_noop("Hours"), 8),
    ("score", gettext_noop("Score"), 8),
    ("max_score", gettext_noop("Maximum score"), 10),
    ("is_passed", gettext_noop("Result"), 10),
    ("organiser", gettext_noop("Organiser"), 18),
    ("trainer", gettext_noop("Trainer"), 14),
    ("place", gettext_noop("Place"), 16),
    ("scenario", gettext_noop("Scenario"), 24),
    ("role", gettext_noop("Role"), 14),
    ("outcome", gettext_noop("Outcome"), 24),
    ("reference", gettext_noop("Reference"), 16),
    ("valid_until", gettext_noop("Valid until"), 12),
)


def _header(label: str) -> str:
    return _(label)


# Outcomes written by the system as a code (``lms.archive.services.training_record_from_h5p_result``), shown as
# a label in the active language; any other outcome is a person's own text and is written as it is.
OUTCOME_LABELS = {
    "disputed": gettext_noop("Claimed score disputed (the server's score counts)"),
    "unverified": gettext_noop("Completed; the score the browser claimed is not counted"),
    "completed": gettext_noop("Completed"),
    "incomplete": gettext_noop("Not completed"),
}

PLAIN_FIELDS = frozenset({"hours", "score", "max_score", "valid_until"})  # numbers and dates: written as they are


class RowBuilder:
    """Turns ``values_list`` tuples into cell values: local dates, labels, neutralised text.

    The per-row function is generated once per sheet from the field names (our own constants, never user
    input), so a row costs one list display instead of a Python loop over its columns."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields
        namespace = {
            "tz": timezone.get_current_timezone(),
            "kinds": {value: str(label) for value, label in RecordKind.choices},
            "results": {True: _("Passed"), False: _("Failed"), None: None},
            "outcomes": {code: _(label) for code, label in OUTCOME_LABELS.items()},
            "needs": NEEDS_NEUTRALISING.search,
            "neutralise": neutralise,
            # department names in the export's language (an empty table in the site's: no query)
            "departments": name_table(Department) if "person__department__name" in fields else {},
        }
        cells = []
        for i, name in enumerate(fields):
            if name == "occurred_at":
                cells.append(f"r[{i}].astimezone(tz).date()")
            elif name == "kind":
                cells.append(f"kinds.get(r[{i}], r[{i}])")
            elif name == "is_passed":
                cells.append(f"results[r[{i}]]")
            elif name == "outcome":
                cells.append(f"(outcomes.get(r[{i}]) or (neutralise(r[{i}]) if r[{i}] and needs(r[{i}]) else r[{i}]))")
            elif name == "person__department__name":  # the name in the export's language, neutralised as text
                d = f"departments.get(r[{i}], r[{i}])"
                cells.append(f"(neutralise({d}) if {d} and needs({d}) else {d})")
            elif name in PLAIN_FIELDS:
                cells.append(f"r[{i}]")
            else:  # text
                cells.append(f"(neutralise(r[{i}]) if r[{i}] and needs(r[{i}]) else r[{i}])")
        source = "def rows(values):\n    for r in values:\n        yield [" + ", ".join(cells) + "]\n"
        exec(source, namespace)  # noqa: S102  (built from the field names above only)
        self.rows = namespace["rows"]


def _status_reader(fields: tuple[str, ...]):
    """``(column, status_of)`` for rows built by RowBuilder: the colour from the kind and result labels, looked
    up in a table made once per sheet."""
    index = {name: i for i, name in enumerate(fields)}
    kind_at, passed_at = index.get("kind"), index.get("is_passed")
    results = {_("Passed"): True, _("Failed"): False, None: None}
    table = {
        (str(kind_label) if kind_at is not None else None, result_label if passed_at is not None else None):
            status_for(kind=kind, is_passed=passed)
        for kind, kind_label in RecordKind.choices
        for result_label, passed in results.items()
    }
    k = kind_at if kind_at is not None else len(fields)
    p = passed_at if passed_at is not None else len(fields)
    get = table.get

    def status_of(row) -> str | None:
        return get((row[k] if k < len(row) else None, row[p] if p < len(row) else None))

    status_column = passed_at if passed_at is not None else kind_at
    return status_column, status_of


# A spreadsheet holds numbers as floats: read the decimals as floats in SQL and skip a Decimal per cell.
FLOAT_FIELDS = frozenset({"hours", "score", "max_score"})


def selected(paths: tuple[str, ...]) -> list:
    """What ``values_list`` selects for ``paths``: decimals cast to floats by the database."""
    return [Cast(path, FloatField()) if path in FLOAT_FIELDS else path for path in paths]


def write_records(
    workbook, *, title: str, records: QuerySet[TrainingRecord], fields: tuple, progress: Progress = None
) -> int:
    paths = tuple(f[0] for f in fields)
    builder = RowBuilder(paths)
    status_column, status_of = _status_reader(paths)
    values = records.order_by("occurred_at", "pk").values_list(*selected(paths))
    return write_sheet(
        workbook,
        title=title,
        columns=[Column(_header(label), width) for __, label, width in fields],
        rows=builder.rows(values.iterator(chunk_size=conf.EXPORT_CHUNK_SIZE)),
        status_column=status_column,
        status_of=status_of,
        progress=progress,
    )


def archive_export(*, records: QuerySet[TrainingRecord], out, progress: Progress = None) -> int:
    """Write the archive rows ``records`` to ``out`` (a path or a binary file); returns the row count."""
    workbook = new_workbook()
    count = write_records(workbook, title=_("Training archive"), records=records, fields=ARCHIVE_FIELDS,
                          progress=progress)
    workbook.save(out)
    return count


def _pick(*names: str) -> tuple:
    by_path = {f[0]: f for f in ARCHIVE_FIELDS}
    return tuple(by_path[name] for name in names)


PERSON_SHEETS = (
    (gettext_noop("Courses"), (RecordKind.COURSE, RecordKind.H5P, RecordKind.SCORM),
     _pick("occurred_at", "kind", "title", "hours", "score", "max_score", "is_passed")),
    (gettext_noop("Exams"), (RecordKind.EXAM,), _pick("occurred_at", "title", "score", "max_score", "is_passed")),
    (gettext_noop("Certificates"),
     (RecordKind.CERTIFICATE_ISSUED, RecordKind.CERTIFICATE_EXPIRED, RecordKind.CERTIFICATE_REVOKED),
     _pick("occurred_at", "kind", "title", "reference", "valid_until")),
    (gettext_noop("Offline training"), (RecordKind.INTERNAL, RecordKind.EXTERNAL),
     _pick("occurred_at", "kind", "title", "hours", "organiser", "trainer", "place", "score", "outcome")),
    (gettext_noop("Drills"), (RecordKind.DRILL_TABLETOP, RecordKind.DRILL_LIVE),
     _pick("occurred_at", "kind", "title", "scenario", "role", "outcome", "hours", "place")),
    (gettext_noop("Acknowledgements"), (RecordKind.ACKNOWLEDGEMENT,), _pick("occurred_at", "title", "reference")),
)


def person_file_export(*, person: Person, out, progress: Progress = None) -> int:
    """One person's whole training file: a summary sheet, then one sheet per kind of training."""
    person = Person.objects.select_related("department", "position", "manager").get(pk=person.pk)
    records = TrainingRecord.objects.filter(person=person)
    totals = {
        row["kind"]: row
        for row in records.order_by().values("kind").annotate(count=Count("pk"), hours=Sum("hours"))
    }
    workbook = new_workbook()
    summary = [
        (_("Employee number"), person.employee_number),
        (_("Name"), person.name),
        (_("Department"), name_in_reading_language(person.department)),
        (_("Position"), name_in_reading_language(person.position)),
        (_("Manager"), person.manager.name if person.manager else ""),
        (_("Hire date"), person.hire_date),
        (_("Status"), str(person.get_status_display())),
    ]
    for value, label in RecordKind.choices:
        row = totals.get(value)
        summary.append((str(label), _("%(count)d records, %(hours)s hours") % {
            "count": row["count"] if row else 0, "hours": (row["hours"] if row else None) or Decimal(0)}))
    summary.append((_("Total hours"), sum(((r["hours"] or Decimal(0)) for r in totals.values()), Decimal(0))))
    write_sheet(
        workbook,
        title=_("Summary"),
        columns=[Column(_("Item"), 26), Column(_("Value"), 40)],
        rows=([neutralise(str(k)), neutralise(v) if isinstance(v, str) and v else v] for k, v in summary),
    )
    done = 0
    for title, kinds, fields in PERSON_SHEETS:
        done += write_records(workbook, title=_(title), records=records.filter(kind__in=kinds), fields=fields)
        if progress is not None:
            progress(done)
    workbook.save(out)
    return done
