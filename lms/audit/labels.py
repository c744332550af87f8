"""The ledger in words on the screens and in the export: the kinds' and actions' labels and an entry's title
(``lms.audit.kinds``, re-exported here), object types by their model's name, people by their names.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Cast
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lms.audit.kinds import ACTIONS, AuditKind, action_label, entry_title, kind_label
from lms.people.models import Person

__all__ = [
    "ACTIONS", "AuditKind", "action_label", "actor_text", "entry_title", "kind_label", "object_type_choices",
    "object_type_label", "with_actor_names", "with_names",
]
def object_type_label(object_type: str) -> str:
    """``lms_exams.attempt`` as the model's name (``Exam attempt``); the code itself for a model that is gone."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(str(model._meta.verbose_name))


def actor_text(name: str | None, username: str, actor_id: int | None = None) -> str:
    """Who acted, as people know them: the person's name with the username as a detail; the username alone; the
    system when nobody (scheduled jobs, door controllers)."""
    if name and username and name != username:
        return f"{name} ({username})"
    return name or username or (str(actor_id) if actor_id else str(_("the system")))


def with_names(entries: QuerySet) -> QuerySet:
    """Each entry with ``actor_name`` (the acting person's name; None for an account without a person, or nobody)
    and, for an entry about an account, ``object_person_name`` (that person's name, shown before the username the
    entry keeps), in the same query."""
    about_account = Person.objects.annotate(account=Cast("user_id", CharField())).filter(
        account=OuterRef("object_id")
    )
    return entries.annotate(
        actor_name=Subquery(Person.objects.filter(user_id=OuterRef("actor_id")).values("name")[:1]),
        object_person_name=Case(
            When(object_type=get_user_model()._meta.label_lower, then=Subquery(about_account.values("name")[:1])),
            default=None,
        ),
    )


with_actor_names = with_names


def object_type_choices(object_types) -> list[tuple[str, str]]:
    """Filter choices for the object types that occur, by name."""
    return sorted(((t, object_type_label(t)) for t in object_types if t), key=lambda choice: choice[1])
