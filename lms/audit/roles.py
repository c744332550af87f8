"""Role changes that went past the signals: group memberships written straight into the join table (raw SQL,
``User.groups.through.objects.create``, ``bulk_create``), a group renamed with ``update()``, an account deleted in
SQL. ``m2m_changed`` never fires for those, so the ledger cannot record them when they happen; instead
``role_memberships_reconcile`` (run by ``manage.py lms_audit_verify``) replays the ledger's ``role`` entries,
compares what they say each account holds with the join table, and records every difference as a ``role`` /
``unrecorded_change`` entry (after which the ledger agrees with the table again, so it is recorded once).

A group renamed through ``save()`` (Wagtail's group editor, code) is recorded here as ``group_renamed``, so that
the replay follows the rename instead of reporting every member.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from lms.audit.context import current_actor
from lms.audit.ledger import ledger_append, ledger_batch
from lms.audit.models import AuditEntry, AuditKind
from lms.audit.personal import reveal_rows

_OLD_NAME = "_lms_audit_group_old_name"


@receiver(pre_save, sender=Group, dispatch_uid="lms_audit_group_before")
def audit_group_before(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or (update_fields is not None and "name" not in update_fields):
        return
    old = Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    if old is not None and old != instance.name:
        setattr(instance, _OLD_NAME, old)


@receiver(post_save, sender=Group, dispatch_uid="lms_audit_group_after")
def audit_group_after(sender, instance, created, raw=False, **kwargs) -> None:
    old = instance.__dict__.pop(_OLD_NAME, None)
    if raw or created or old is None:
        return
    ledger_append(kind=AuditKind.ROLE, action="group_renamed", obj=instance, actor=current_actor(), data={
        "group": instance.pk, "old": old, "new": instance.name, "members": instance.user_set.count(),
    })


@dataclass(frozen=True)
class RoleDifference:
    """One account whose groups differ from what the ledger says: ``granted`` are memberships the join table has
    and the ledger does not, ``revoked`` memberships the ledger has and the table does not."""

    user_id: int
    username: str
    granted: tuple[str, ...]
    revoked: tuple[str, ...]
    seq: int | None = None  # the entry that records it


def _replay(rows: Iterable[tuple[str, str, dict]]) -> tuple[dict[int, set[str]], dict[int, str]]:
    """What the ``role`` entries (action, object id, data; in ledger order) say each account holds, and the last
    username each names."""
    held: dict[int, set[str]] = {}
    usernames: dict[int, str] = {}
    for action, object_id, data in rows:
        data = data or {}
        if action == "group_renamed":
            for groups in held.values():
                if data.get("old") in groups:
                    groups.discard(data["old"])
                    groups.add(data["new"])
            continue
        user = data.get("user") or {}
        user_id = user.get("id") if user.get("id") is not None else (int(object_id) if object_id.isdigit() else None)
        if user_id is None:
            continue
        usernames[user_id] = user.get("username") or usernames.get(user_id, "")
        groups = held.setdefault(user_id, set())
        if action == "granted":
            groups |= set(data.get("groups", ()))
        elif action == "revoked":
            groups -= set(data.get("groups", ()))
        elif action == "unrecorded_change":
            groups |= set(data.get("granted", ()))
            groups -= set(data.get("revoked", ()))
    return held, usernames


def _memberships() -> dict[int, set[str]]:
    """Every account's groups as the join table has them (one query)."""
    field = get_user_model().groups.field
    user_column, group_column = field.m2m_field_name(), field.m2m_reverse_field_name()
    found: dict[int, set[str]] = {}
    rows = field.remote_field.through.objects.values_list(f"{user_column}_id", f"{group_column}__name")
    for user_id, name in rows.iterator(chunk_size=2000):
        found.setdefault(user_id, set()).add(name)
    return found


def role_memberships_reconcile(*, record: bool = True) -> list[RoleDifference]:
    """Compare the join table with the ledger's ``role`` entries and return each account that differs; with
    ``record``, each difference becomes a ``role`` / ``unrecorded_change`` entry (by the system: who wrote the
    change is unknown). Runs under the ledger's lock, so a role change committing meanwhile is seen whole or not at
    all. The first run on a site whose memberships predate the ledger records each of them once."""
    user_model = get_user_model()
    meta = user_model._meta
    with ledger_batch() as batch:
        entries = AuditEntry.objects.filter(kind=AuditKind.ROLE).order_by("seq")
        rows = reveal_rows(entries.values("seq", "action", "object_id", "data").iterator(chunk_size=2000))
        held, usernames = _replay((row["action"], row["object_id"], row["data"]) for row in rows)
        current = _memberships()
        changed = sorted(u for u in held.keys() | current.keys() if held.get(u, set()) != current.get(u, set()))
        names = dict(user_model._default_manager.filter(pk__in=changed).values_list("pk", user_model.USERNAME_FIELD))
        differences = []
        for user_id in changed:
            username = names.get(user_id) or usernames.get(user_id, "")
            granted = tuple(sorted(current.get(user_id, set()) - held.get(user_id, set())))
            revoked = tuple(sorted(held.get(user_id, set()) - current.get(user_id, set())))
            seq = None
            if record:
                seq = batch.append(
                    kind=AuditKind.ROLE, action="unrecorded_change", actor=None, subject=user_id,
                    object_type=f"{meta.app_label}.{meta.model_name}", object_id=str(user_id), object_repr=username,
                    data={"user": {"id": user_id, "username": username}, "granted": list(granted),
                          "revoked": list(revoked), "account_exists": user_id in names},
                ).seq
            differences.append(RoleDifference(user_id, username, granted, revoked, seq))
    return differences
