"""Erasing a person from the audit ledger (docs/audit.md, "Personal data in the ledger"; called by
``lms.privacy.erasure.erase_person``). Beside ``personal`` rather than in it: the ledger imports ``personal``, and
erasing takes the ledger's lock."""

from __future__ import annotations

from django.db import transaction

from lms.audit.ledger import lock_ledger
from lms.audit.models import PersonSalt, SealedValue


@transaction.atomic
def forget_person(user_id: int) -> int:
    """Erase a person from the ledger: delete their sealed values and their salt; returns how many values. Their
    entries stay (nothing may change an entry) and still verify; they show "(erased)" where the values were. Takes
    the ledger's lock, so no append is sealing with the salt meanwhile. A person's name that another person's entry
    holds (e.g. a grader named in a candidate's grade) stays with that entry (docs/audit.md)."""
    lock_ledger()
    erased, __ = SealedValue.objects.filter(person_id=user_id).delete()
    PersonSalt.objects.filter(person_id=user_id).delete()
    return erased
