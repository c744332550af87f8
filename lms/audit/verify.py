"""Verifying the ledger: walk it in ``seq`` order in batches (constant memory), recompute every hash, check every
sealed personal value against the reference its entry stores, and name the first bad entry. Used by
``manage.py lms_audit_verify`` and the auditors' "verify now" screen. Erased values are not a problem: the chain
covers the references, never the values."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lms.audit import chain
from lms.audit.models import STORED_FIELDS, AuditEntry, AuditHead
from lms.audit.personal import sealed_problems

BATCH = 2000
FIELDS = STORED_FIELDS


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int  # entries checked and found intact
    first_bad_seq: int | None = None
    code: str = ""
    message: str = ""
    last_hash: str = ""  # the hash of the last intact entry: keep it elsewhere now and then (docs/audit.md)


def _message(problem: chain.Problem) -> str:
    if problem.code == "missing":
        first, __, last = problem.detail.partition("..")
        if first == last:
            return _("Entry %(seq)s is missing: it was deleted.") % {"seq": first}
        return _("Entries %(first)s to %(last)s are missing: they were deleted.") % {"first": first, "last": last}
    if problem.code == "reordered":
        return _(
            "Entry %(seq)s is out of order: in the chain it follows entry %(other)s, not entry %(before)s "
            "(entries were reordered)."
        ) % {"seq": problem.seq, "other": problem.detail, "before": problem.seq - 1}
    if problem.code == "broken_link":
        return _(
            "Entry %(seq)s does not follow entry %(before)s (its previous hash does not match): entry "
            "%(before)s was rewritten, or entries were removed or reordered."
        ) % {"seq": problem.seq, "before": problem.seq - 1}
    if problem.code == "edited":
        return _("Entry %(seq)s was edited: its content does not match its hash.") % {"seq": problem.seq}
    if problem.code == "sealed_edited":
        return _(
            "A personal value sealed in entry %(seq)s was edited: it does not match the reference the entry stores."
        ) % {"seq": problem.seq}
    if problem.code == "sealed_unsalted":
        return _(
            "A personal value sealed in entry %(seq)s cannot be checked: its person's salt is missing (an erasure "
            "that did not finish, or a deleted salt)."
        ) % {"seq": problem.seq}
    return _("The ledger's head names entry %(seq)s, which is not its last intact entry.") % {"seq": problem.seq}


def _locate(hash_value: str) -> int | None:
    return AuditEntry.objects.filter(hash=hash_value).values_list("seq", flat=True).first()


def ledger_verify(*, batch: int = BATCH) -> VerifyResult:
    """Check the whole chain; stop at the first problem."""
    walker = chain.ChainWalker(locate=_locate)
    # The head first: entries appended while we walk (after it) are left for the next run.
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    entries = AuditEntry.objects.order_by("seq")
    if head is not None:
        entries = entries.filter(seq__lte=head[0])
    last_seq = 0
    while True:
        rows = [dict(zip(FIELDS, row, strict=True))
                for row in entries.filter(seq__gt=last_seq).values_list(*FIELDS)[:batch]]
        # The sealed values of this batch's entries, checked in one query.
        sealed = sealed_problems({r["seq"]: r for r in rows}, after=last_seq, upto=rows[-1]["seq"]) if rows else {}
        for values in rows:
            link = chain.Link(
                seq=values["seq"],
                prev_hash=values["prev_hash"],
                hash=values["hash"],
                payload=chain.payload(**{k: v for k, v in values.items() if k not in ("prev_hash", "hash")}),
            )
            problem = walker.check(link)
            if problem is not None:
                return VerifyResult(False, walker.count, problem.seq, problem.code, _message(problem), walker.prev_hash)
            if link.seq in sealed:  # the entry is intact, a value it seals is not: the last intact one is before it
                problem = chain.Problem(link.seq, sealed[link.seq])
                return VerifyResult(False, walker.count - 1, problem.seq, problem.code, _message(problem),
                                    link.prev_hash)
        if len(rows) < batch:
            break
        last_seq = rows[-1]["seq"]
    problem = walker.check_head(head_seq=head[0] if head else None, head_hash=head[1] if head else None)
    if problem is not None:
        return VerifyResult(False, walker.count, problem.seq, problem.code, _message(problem), walker.prev_hash)
    message = _("The ledger is intact: %(count)d entries verified.") % {"count": walker.count}
    return VerifyResult(True, walker.count, message=message, last_hash=walker.prev_hash)
