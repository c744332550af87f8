"""The audit ledger as a source of personal data for lms.privacy (``lms.privacy.sources``), registered when the audit
app starts (``AuditConfig.ready``), so that privacy never imports the ledger (docs/architecture.md).

- A person's copy holds the entries they are in (``personal.personal_entries``), their sealed values revealed: in an
  entry about someone else (the person acted on another's records: a grader, HR, an officer), that other person's
  object and data are left out. The salts and sealed values themselves are not exported row by row.
- Erasing a person records the erasure in the ledger (without naming them) and then destroys their salt and sealed
  values (``erasure.forget_person``): their entries stay and still verify (docs/audit.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lms.audit.erasure import forget_person
from lms.audit.labels import action_label, kind_label, object_type_label
from lms.audit.ledger import ledger_append
from lms.audit.models import AuditEntry, AuditKind, PersonSalt, SealedValue
from lms.audit.personal import personal_entries
from lms.privacy.export_rows import Column, local_time
from lms.privacy.sources import Source, source_register

LABEL = AuditEntry._meta.label  # lms_audit.AuditEntry
CHUNK = 500


def title() -> str:
    return str(AuditEntry._meta.verbose_name_plural)


def count(user_id: int) -> int:
    return personal_entries(user_id).count()


def columns() -> list[Column]:
    def header(name: str) -> str:
        return capfirst(str(AuditEntry._meta.get_field(name).verbose_name))

    return [
        Column("seq", header("seq"), lambda e: e.seq),
        Column("at", header("at"), lambda e: local_time(e.at)),
        Column("kind", header("kind"), lambda e: kind_label(e.kind)),
        Column("action", header("action"), lambda e: action_label(e.kind, e.action)),
        Column("object_type", header("object_type"), lambda e: object_type_label(e.object_type)),
        Column("object_repr", header("object_repr"), lambda e: e.object_repr),
        Column("actor_username", header("actor_username"), lambda e: e.actor_username),
        Column("data", header("data"), lambda e: e.data),
    ]


def rows(user_id: int, cols: list[Column]) -> Iterator[dict]:
    """The entries where the person acted or is whom it is about, oldest first."""
    entries = personal_entries(user_id).order_by("seq").iterator(chunk_size=CHUNK)
    while chunk := list(islice(entries, CHUNK)):
        others = set(
            SealedValue.objects.filter(seq__in=[e.seq for e in chunk], role=SealedValue.Role.SUBJECT)
            .exclude(person_id=user_id).values_list("seq", flat=True)
        )
        for entry in chunk:
            if entry.seq in others:
                entry.object_repr, entry.data = _("(about another person)"), {}
            yield {c.name: c.read(entry) for c in cols}


def erase(user, *, by=None, records: int = 0) -> dict[str, int]:
    """One entry records the erasure (and by whom, and how many records) without naming the person; then their
    values in the ledger are destroyed."""
    ledger_append(kind=AuditKind.ACCOUNT, action="erased", object_type="auth.user", object_id=str(user.pk),
                  actor=by, data={"records": records})
    return {"ledger_values": forget_person(user.pk)}


SOURCE = Source(
    label=LABEL, title=title, count=count, columns=columns, rows=rows, erase=erase,
    replaces=(PersonSalt._meta.label, SealedValue._meta.label),
)


def register() -> None:
    source_register(SOURCE)
