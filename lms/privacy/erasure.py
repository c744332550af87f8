"""Erasing personal information: rows past their retention (``lms_privacy_sweep``) and a person as a whole
(``erase_person``: someone who left, once nothing requires keeping their data, PIPL Art. 47).

Each declaration (lms/privacy/registry.py) says how its rows go: deleted, or pseudonymised in place (the row stays,
its personal fields are cleared and its files removed), or kept (rows that only name someone as having acted:
they keep pointing at the account, which is pseudonymised). Then every registered source (``lms.privacy.sources``)
erases the person its own way: the audit ledger is never rewritten, the person's sealed values and key are destroyed
instead (``lms.audit.privacy_source``, docs/audit.md), so the chain still verifies.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from lms.privacy.registry import Declaration, about_a_person, declaration_for
from lms.privacy.sources import sources

ERASED = "erased-{pk}"


def blank_value(field: models.Field, pk) -> object:
    """What a personal field holds once pseudonymised."""
    if isinstance(field, models.FileField):
        return ""
    if isinstance(field, models.JSONField):
        return field.get_default() if field.has_default() else ({} if not field.null else None)
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ERASED.format(pk=pk) if field.unique else ""
    return field.get_default()


def _delete_files(declaration: Declaration, queryset) -> None:
    if not declaration.files:
        return
    for row in queryset.only("pk", *declaration.files).iterator(chunk_size=500):
        for name in declaration.files:
            stored = getattr(row, name)
            if stored:
                stored.storage.delete(stored.name)


def erase_rows(declaration: Declaration, queryset) -> int:
    """Erase the rows of ``queryset`` (of ``declaration.model``) the declared way; returns how many."""
    if declaration.erase == "keep":
        return 0
    _delete_files(declaration, queryset)
    if declaration.erase == "delete":
        deleted = queryset.delete()[1]
        return deleted.get(declaration.model._meta.label, 0)
    fields = [declaration.model._meta.get_field(name) for name in declaration.personal]
    count = 0
    for pk in queryset.values_list("pk", flat=True).iterator(chunk_size=500):
        values = {field.attname: blank_value(field, pk) for field in fields}
        count += declaration.model._default_manager.filter(pk=pk).update(**values)
    return count


def still_personal(declaration: Declaration) -> models.Q:
    """Rows that still hold something personal (a pseudonymised row does not match, so sweeps are idempotent)."""
    if declaration.erase != "pseudonymise":
        return models.Q()
    condition = models.Q(pk__in=[])
    for name in declaration.personal:
        field = declaration.model._meta.get_field(name)
        if field.null:
            condition |= models.Q(**{f"{name}__isnull": False})
        elif isinstance(field, models.CharField | models.TextField | models.FileField):
            if field.unique:
                condition |= ~models.Q(**{f"{name}__startswith": "erased-"})
            else:
                condition |= ~models.Q(**{name: ""})
    return condition


def rows_of(declaration: Declaration, user_id: int):
    """The rows ``declaration`` says are about the account ``user_id``."""
    manager = declaration.model._default_manager
    if declaration.person:
        return manager.filter(**{declaration.person: user_id})
    from lms.people.models import Person

    number = Person.objects.filter(user_id=user_id).values_list("employee_number", flat=True).first()
    return manager.filter(**{declaration.employee_number_at: number}) if number else manager.none()


def _erase_records(user_id: int) -> dict[str, int]:
    """Every declared row about the person, except the account and the profile (done last). Rows that others
    protect (``on_delete=PROTECT``) wait for those others: up to as many rounds as there are declarations."""
    pending = [d for d in about_a_person() if d.model is not get_user_model() and d.label != "lms_people.Person"]
    counts: dict[str, int] = {}
    for _round in range(len(pending) + 1):
        blocked = []
        for declaration in pending:
            try:
                with transaction.atomic():
                    counts[declaration.label] = counts.get(declaration.label, 0) + erase_rows(
                        declaration, rows_of(declaration, user_id))
            except ProtectedError:
                blocked.append(declaration)
        if not blocked:
            return counts
        if len(blocked) == len(pending):
            raise ProtectedError(f"erasure is blocked by protected rows: {[d.label for d in blocked]}", set())
        pending = blocked
    return counts


def _scrub_action_logs(user) -> None:
    """Wagtail's action logs name the object they changed (its ``str()``) in ``label`` and sometimes in ``data``:
    for the person's account and profile, those name the person."""
    from wagtail.models import ModelLogEntry

    person = getattr(user, "lms_person", None)
    targets = [(ContentType.objects.get_for_model(user), str(user.pk))]
    if person is not None:
        targets.append((ContentType.objects.get_for_model(person), str(person.pk)))
    for content_type, object_id in targets:
        ModelLogEntry.objects.filter(content_type=content_type, object_id=object_id).update(
            label=ERASED.format(pk=object_id), data={})


def _end_sessions(user) -> int:
    from django.contrib.sessions.models import Session

    ended = 0
    for session in Session.objects.iterator(chunk_size=500):
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _pseudonymise_account(user) -> None:
    user.username = ERASED.format(pk=user.pk)
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _pseudonymise_person(person, now) -> None:
    from lms.people.models import Person

    declaration = declaration_for(Person)
    values = {f.attname: blank_value(f, person.pk) for f in (Person._meta.get_field(n) for n in declaration.personal)}
    values.update(status=Person.Status.LEFT, legal_hold=False, erased_at=now, manager=None)
    if person.left_on is None:
        values["left_on"] = timezone.localdate(now)
    Person.objects.filter(pk=person.pk).update(**values)
    Person.objects.filter(manager=person).update(manager=None)


class ErasureRefused(Exception):
    """The person is on legal hold (or otherwise may not be erased)."""


@transaction.atomic
def erase_person(user, *, by=None, now=None) -> dict[str, int]:
    """Erase everything about ``user`` the registry lists: their records deleted or pseudonymised, their files
    removed, their account and profile pseudonymised, their sessions ended; then each registered source erases them
    (the audit ledger: one entry records the erasure, and by whom, without naming them; their sealed values and key
    are destroyed). Refused on legal hold."""
    now = now or timezone.now()
    person = getattr(user, "lms_person", None)
    if person is not None and person.legal_hold:
        raise ErasureRefused("this person is on legal hold")
    counts = _erase_records(user.pk)
    _scrub_action_logs(user)
    counts["sessions"] = _end_sessions(user)
    if person is not None:
        _pseudonymise_person(person, now)
    _pseudonymise_account(user)
    records = sum(counts.values())
    for source in sources():
        counts.update(source.erase(user, by=by, records=records))
    return counts
