"""The auditors' Excel export of the ledger: the streaming exporter (openpyxl write-only, ``values().iterator()``,
every text cell neutralised), one sheet of entries and one sheet with the verification result at export time.
Entries show their sealed personal values ("(erased)" where they were erased), a chunk of rows per query; the hashes
cover what the rows store (their canonical JSON is on the inspect screen and in the API)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import conf
from lms.audit import chain, labels
from lms.audit.models import AuditKind
from lms.audit.personal import reveal_rows
from lms.audit.verify import ledger_verify
from lms.sheets.cells import neutralise
from lms.sheets.writer import Column, new_workbook, write_sheet

FIELDS = (
    "seq",
    "at",
    "kind",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "actor_id",
    "actor_username",
    "actor_name",
    "object_person_name",
    "data",
    "prev_hash",
    "hash",
)
MAX_CELL = 32000  # Excel holds at most 32,767 characters per cell


def _columns() -> list[Column]:
    return [
        Column(_("Number"), 8),
        Column(_("At (%(zone)s)") % {"zone": timezone.get_current_timezone_name()}, 22),
        Column(_("Kind"), 16),
        Column(_("Action"), 24),
        Column(_("Object type"), 18),
        Column(_("Object id"), 10),
        Column(_("Object"), 28),
        Column(_("By"), 24),
        Column(_("Data (canonical JSON)"), 60),
        Column(_("Previous hash"), 66),
        Column(_("Hash"), 66),
    ]


def _object_text(person: str | None, shown: str, erased: bool) -> str:
    """An account by its person's name, the username as a detail (as ``AuditEntry.object_text``)."""
    return f"{person} ({shown})" if person and shown and person != shown and not erased else shown


def _rows(entries: QuerySet):
    tz = timezone.get_current_timezone()
    kinds = {value: str(label) for value, label in AuditKind.choices}
    types: dict[str, str] = {}
    rows = labels.with_names(entries).order_by("seq").values(*FIELDS)
    for row in reveal_rows(rows.iterator(chunk_size=conf.EXPORT_CHUNK_SIZE), chunk_size=conf.EXPORT_CHUNK_SIZE):
        seq, at, kind, action, object_type, object_id, shown, actor_id, username, name, person, data, prev, own = (
            row[field] for field in FIELDS
        )
        if object_type not in types:
            types[object_type] = labels.object_type_label(object_type)
        text = chain.canonical_json(data).decode("utf-8")
        if len(text) > MAX_CELL:
            text = text[:MAX_CELL] + "…"
        yield [
            seq,
            at.astimezone(tz).replace(tzinfo=None),
            neutralise(kinds.get(kind, kind)),
            neutralise(labels.action_label(kind, action)),
            neutralise(types[object_type]),
            neutralise(object_id),
            neutralise(_object_text(person, shown, row.get("is_erased"))),
            neutralise(labels.actor_text(name, username, actor_id)),
            neutralise(text),
            prev,
            own,
        ]


def ledger_export(*, entries: QuerySet, out) -> int:
    """Write ``entries`` (filtered by the caller) and the chain's verification to ``out``; returns the rows."""
    workbook = new_workbook()
    count = write_sheet(workbook, title=_("Audit ledger"), columns=_columns(), rows=_rows(entries))
    result = ledger_verify()
    write_sheet(
        workbook,
        title=_("Verification"),
        columns=[
            Column(_("Checked at"), 20),
            Column(_("Intact"), 8),
            Column(_("Entries verified"), 12),
            Column(_("First bad entry"), 12),
            Column(_("Result"), 80),
            Column(_("Hash of the last intact entry"), 66),
        ],
        rows=[
            [
                timezone.localtime().replace(tzinfo=None),
                _("Yes") if result.ok else _("No"),
                result.count,
                result.first_bad_seq,
                neutralise(result.message),
                result.last_hash,
            ]
        ],
    )
    workbook.save(out)
    return count
