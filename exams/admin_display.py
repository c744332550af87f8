"""How our admin screens show a value: words for yes and no, a dash for nothing, the site's time zone for times,
a person's name for an account (#20). One rule for the inspect pages, the list columns and the list exports.

Wagtail's inspect page prints a field through ``|localize``, which makes text of an aware datetime before the
template could move it into the current time zone: inspect pages showed UTC while the lists showed the site's
time, and ``True``, ``False`` and ``None`` as such. ``register()`` (``ExamsConfig.ready``) puts one display class
for every model field into Wagtail's ``display_class_registry``, so every inspect page of every app shows a time
in the site's zone and names it (``2026-12-04 14:03:05 (Asia/Shanghai)``: inspect pages are the evidence).

The people app names accounts (``register_person_name``: an account's person, else its full name); this app
knows no people.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import dateformat, formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.fields import register_display_class
from wagtail.admin.ui.tables import Column

EMPTY = "—"
TIME_FORMAT = "Y-m-d H:i"
EVIDENCE_TIME_FORMAT = "Y-m-d H:i:s"
DATE_FORMAT = "Y-m-d"

_person_name: Callable[[object], str] | None = None


def register_person_name(func: Callable[[object], str]) -> None:
    """``func(user) -> str``: the person's name of an account, or "" (the people app registers it)."""
    global _person_name
    _person_name = func


def account_name(user) -> str:
    """An account as people know it: the person's name, the username in brackets as a detail; the username
    alone when nobody is named."""
    username = user.get_username()
    name = (_person_name(user) if _person_name else "") or user.get_full_name()
    if not name or name == username:
        return username
    return f"{name} ({username})"


def local_time(value: dt.datetime, *, zone: bool = False) -> str:
    """An aware time in the current (the site's) time zone, ``2026-12-04 14:03``; with ``zone``, with seconds
    and the zone named: ``2026-12-04 14:03:05 (Asia/Shanghai)``."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if not zone:
        return dateformat.format(value, TIME_FORMAT)
    return f"{dateformat.format(value, EVIDENCE_TIME_FORMAT)} ({timezone.get_current_timezone_name()})"


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def text(value, *, zone: bool = False, empty: str = EMPTY) -> str:
    """``value`` as a person reads it (see the module's docstring); HTML-safe strings are kept as they are."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return empty
    if hasattr(value, "__html__") or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dt.datetime):
        return local_time(value, zone=zone)
    if isinstance(value, dt.date):
        return dateformat.format(value, DATE_FORMAT)
    if isinstance(value, get_user_model()):
        return account_name(value)
    if isinstance(value, (Decimal, float)):
        return formats.localize(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(text(item, zone=zone, empty="") for item in value) or empty
    return str(value)


class ValueDisplay(Component):
    """Wagtail's display class for a field on an inspect page (the registry gives it the field's value)."""

    def __init__(self, value):
        self.value = value

    def render_html(self, parent_context=None):
        return conditional_escape(text(self.value, zone=True))


class JsonDisplay(ValueDisplay):
    """A JSON field (a SCORM manifest, an H5P statement, a library's ``library.json``): structured data as JSON in a
    code block, as technical evidence is shown (the audit ledger's canonical JSON), never as Python's repr with its
    ``True`` / ``None`` and quotes."""

    def render_html(self, parent_context=None):
        value = self.value
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(i, (dict, list)) for i in value)):
            return format_html('<pre style="white-space: pre-wrap; word-break: break-word">{}</pre>',
                               json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str))
        return super().render_html(parent_context)


def language_name(code: str) -> str:
    """A language code (``zh-hans``) by its name in the reader's language (简体中文); nothing for nothing."""
    if not code:
        return EMPTY
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


class LanguageNamesMixin:
    """For an inspect view: the fields in ``language_fields`` (language codes) show the language's name."""

    language_fields = ("language",)

    def get_field_display_value(self, field_name, field):
        if field_name in self.language_fields:
            return language_name(getattr(self.object, field_name))
        return super().get_field_display_value(field_name, field)


def register() -> None:
    """Every model field, foreign keys to any model included (Wagtail's image and document displays, registered
    for their models, stay: the registry prefers the closer model); JSON fields as JSON."""
    register_display_class(models.Field, display_class=ValueDisplay)
    register_display_class(models.ForeignKey, to=models.Model, display_class=ValueDisplay)
    register_display_class(models.JSONField, display_class=JsonDisplay)


class ReadableCellMixin:
    """For a list column: yes/no, local times and people's names instead of the raw value (empty stays empty)."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        raw = context.get("raw_value")
        if isinstance(raw, (bool, dt.datetime, dt.date, get_user_model())):
            context["value"] = text(raw)
        return context


class ReadableColumn(ReadableCellMixin, Column):
    pass


class ReadableColumnsMixin:
    """For an index view: the columns made from ``list_display`` field names (the first, linked one included)
    show values in words."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = ReadableColumn
        elif not issubclass(column_class, ReadableCellMixin):
            column_class = type(column_class.__name__, (ReadableCellMixin, column_class), {})
        return super()._get_custom_column(field_name, column_class=column_class, **kwargs)


def export_value(value, export_format: str):
    """A cell of a list export: words for yes/no and people, nothing for nothing, times in the site's zone (a
    date-time cell in XLSX, text in CSV)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, get_user_model()):
        return account_name(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value if export_format == "xlsx" else dateformat.format(value, EVIDENCE_TIME_FORMAT)
    return value
