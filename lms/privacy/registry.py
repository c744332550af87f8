"""The registry of personal data: what every model holds about a person, and how long, and how it is erased.

Each model that holds personal information declares it next to its fields with a nested class (no import, so the
lower apps stay below this one)::

    class Attempt(models.Model):
        ...
        class PersonalData:
            person = "user"                 # the path to the account the row is about (None: nobody's own row)
            personal = ("device",)          # fields holding personal information (cleared when pseudonymised)
            sensitive = ()                  # of those, sensitive personal information (PIPL Art. 28)
            actors = ()                     # accounts named as having acted (kept: the account is pseudonymised)
            retention = "exam_answers"      # a key of LMS_PRIVACY_RETENTION (None: kept while the person is)
            retained_from = ("submitted_at", "started_at")  # the first non-empty of these starts the period
            erase = "delete"                # or "pseudonymise" (keep the row, clear ``personal``) or "keep"

Models of other packages (Django's, Wagtail's) are declared in ``lms.privacy.external``. ``undeclared()`` names
every model that points at an account or a person, or has a field named like personal information, and is not
declared: the test suite fails on it, so the registry cannot fall behind (docs/privacy.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

ERASE_MODES = ("delete", "pseudonymise", "keep")
PERSONAL_NAME = re.compile(
    r"(^|_)(name|employee_number|badge(_number)?|email|phone|mobile|ip_address|address|user_agent|signature"
    r"|id_number|identity|birth|holder)($|_)"
)
# Field names that match PERSONAL_NAME but never hold a person's data.
NOT_PERSONAL = re.compile(
    r"^(name|title|code|slug|url_path|.*_name_en|template_name|file_name|filename|content_type_name|app_name"
    r"|department_name|course_name|certification_name|area_name|machine_name|package_name|site_name"
    r"|provider_name|queue_name|backend_name"
    r"|author_name)$"  # wagtailembeds.Embed: the author of a public video or page that was embedded, not one of ours
)


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    person: str | None = None
    personal: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    retention: str | None = None
    retained_from: tuple[str, ...] = ()
    erase: str = "delete"
    files: tuple[str, ...] = ()
    # For rows that hold a copy of the person's employee number instead of a key (e.g. a push to a door system's
    # payload): the lookup that equals it, e.g. "payload__employee_number".
    employee_number_at: str | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name_plural


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _declaration(model, spec) -> Declaration:
    get = spec.get if isinstance(spec, dict) else lambda key, default=None: getattr(spec, key, default)
    personal = _as_tuple(get("personal", ()))
    files = tuple(
        name for name in personal
        if isinstance(_field(model, name), models.FileField)
    )
    return Declaration(
        model=model,
        person=get("person", None),
        personal=personal,
        sensitive=_as_tuple(get("sensitive", ())),
        actors=_as_tuple(get("actors", ())),
        retention=get("retention", None),
        retained_from=_as_tuple(get("retained_from", ())),
        erase=get("erase", "delete"),
        files=files,
        employee_number_at=get("employee_number_at", None),
    )


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # reported by lms.privacy.checks
        return None


@cache
def declarations() -> tuple[Declaration, ...]:
    """Every declared model, ours (nested ``PersonalData``) and other packages' (``lms.privacy.external``)."""
    from lms.privacy.external import EXTERNAL

    found = []
    for model in apps.get_models():
        spec = model.__dict__.get("PersonalData") or EXTERNAL.get(model._meta.label)
        if spec is not None:
            found.append(_declaration(model, spec))
    return tuple(found)


def declaration_for(model) -> Declaration | None:
    return next((d for d in declarations() if d.model is model), None)


def about_a_person() -> tuple[Declaration, ...]:
    """The declarations whose rows belong to one account (exported on request, erased with the person)."""
    return tuple(d for d in declarations() if d.person or d.employee_number_at)


def _points_at_people(model) -> list[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    person_model = apps.get_model("lms_people", "Person")
    own = [*model._meta.local_fields, *model._meta.local_many_to_many]  # a page's owner is wagtailcore.Page's
    return [f.name for f in own if getattr(f, "related_model", None) in (user_model, person_model)]


def _named_personal(model) -> list[str]:
    return [
        f.name for f in model._meta.local_concrete_fields
        if PERSONAL_NAME.search(f.name) and not NOT_PERSONAL.match(f.name) and not f.is_relation
    ]


def undeclared() -> list[tuple[str, list[str]]]:
    """Models that look personal (a key to an account or a person, or a personal-sounding field) and are not
    declared, with the fields that gave them away."""
    declared = {d.model for d in declarations()}
    missing = []
    for model in apps.get_models():
        if model in declared or model._meta.proxy:
            continue
        hints = _points_at_people(model) + _named_personal(model)
        if hints:
            missing.append((model._meta.label, hints))
    return missing


def uncovered_fields() -> list[tuple[str, str]]:
    """Fields of declared models that point at people but are neither the person path's first step nor an actor
    nor declared personal: a new column that the declaration forgot."""
    gaps = []
    for d in declarations():
        named = set(d.personal) | set(d.actors) | {(d.person or "").split("__")[0]}
        for name in _points_at_people(d.model) + _named_personal(d.model):
            if name not in named:
                gaps.append((d.label, name))
    return gaps
