"""Translating content as a translator does in the admin ("Translate": a copy in the other locale, edited and
published). The tests' site language is English (tests/settings.py), so translations here are Chinese."""

from __future__ import annotations

from wagtail.models import Locale


def locale(code: str = "zh-hans") -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def translate_snippet(obj, code: str = "zh-hans", **fields):
    """A published translation of a snippet (a question) with ``fields`` changed."""
    copy = obj.copy_for_translation(locale(code))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.live = False
    copy.save()
    copy.save_revision().publish()
    return type(obj).objects.get(pk=copy.pk)


def translate_page(page, code: str = "zh-hans", *, publish: bool = True, **fields):
    """A translation of a page (its parents are copied as needed, as the admin's action does)."""
    copy = page.copy_for_translation(locale(code), copy_parents=True)
    copy = type(page).objects.get(pk=copy.pk)
    for name, value in fields.items():
        setattr(copy, name, value)
    revision = copy.save_revision()
    if publish:
        revision.publish()
    return type(page).objects.get(pk=copy.pk)
