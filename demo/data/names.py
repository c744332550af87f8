"""Every certification, area, department and position of the demo in both languages: the source carries the name
in the site's language (LANGUAGE_CODE), and a translation in each other content locale carries its own
(docs/translation.md). Idempotent: the loader runs on every ``make run``; a translation once made is left alone,
so an editor's changes to it stay."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Locale

from exams import localization
from exams.localized_names import content_language


def source(model, *, code: str, names: dict[str, str], texts: dict[str, dict[str, str]] | None = None,
           **defaults):
    """``(source, created)`` of ``model`` with ``code``, with a translation in every other locale.

    ``names`` and ``texts`` (more translated fields, e.g. ``{"description": {"en": ...}}``) by language code."""
    texts = texts or {}
    site = content_language(settings.LANGUAGE_CODE) or settings.LANGUAGE_CODE
    obj = localization.sources(model.objects.filter(code=code)).first()
    created = obj is None
    if created:
        values = {field: by_language.get(site) or next(iter(by_language.values()))
                  for field, by_language in texts.items()}
        obj = model.objects.create(code=code, name=names.get(site) or next(iter(names.values())),
                                   **values, **defaults)
    translate(obj, names, texts)
    return obj, created


def translate(obj, names: dict[str, str], texts: dict[str, dict[str, str]] | None = None) -> None:
    if not localization.enabled():
        return
    for locale in Locale.objects.exclude(pk=obj.locale_id):
        name = names.get(locale.language_code)
        if not name or obj.has_translation(locale):
            continue
        copy = obj.copy_for_translation(locale)
        copy.name = name
        for field, by_language in (texts or {}).items():
            if by_language.get(locale.language_code):
                setattr(copy, field, by_language[locale.language_code])
        copy.save()
