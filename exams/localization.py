"""Content in several languages, with Wagtail's own localisation (``WAGTAIL_I18N_ENABLED``, docs/translation.md).

A translatable page or snippet has one row per locale, sharing a ``translation_key``. The first row of the group,
the one written before any translation of it (in a Chinese company, the Chinese text in the site's default
language), is the *source*: every record points at it (enrolments, attempts, signatures, permits, people's
departments), so that a translation never splits a course, a question or an area in two. A reader gets the
*content* of the translation in their language when there is a live one, else the source's, and is told so.

Lists of things (areas, certifications, courses, questions to draw) are lists of sources: ``sources(queryset)``.
With localisation off every row is a source and these functions change nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import translation


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAIL_I18N_ENABLED", False))


def sources_q(model) -> Q:
    """The filter of ``sources``: runs no query when built, so a form or filter field may build it at import."""
    if not enabled() or not hasattr(model, "translation_key"):
        return Q()
    earlier = model._base_manager.filter(translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
    return ~Q(Exists(earlier))


def sources(queryset: QuerySet) -> QuerySet:
    """The rows that records point at: each translation group's original (its first row), never a translation
    made from it. With localisation off, or on a model that is not translatable, every row."""
    return queryset.filter(sources_q(queryset.model))


def source_of(obj):
    """The row records point at for ``obj``: the original of its translation group (``obj`` itself, unless it is
    a translation)."""
    if not enabled() or not hasattr(obj, "translation_key") or obj.pk is None:
        return obj
    first = type(obj)._base_manager.filter(translation_key=obj.translation_key).order_by("pk").first()
    return obj if first is None or first.pk == obj.pk else first


def content_of(obj):
    """What a reader in the active language reads for ``obj``: the live translation in their language, else
    ``obj``. Records keep pointing at the source; only the words come from here."""
    if not enabled() or not hasattr(obj, "translation_key"):
        return obj
    prefetched = getattr(obj, "_reader_content", None)
    if prefetched is not None:
        return prefetched
    try:
        return obj.localized
    except ObjectDoesNotExist:  # no Locale for the active language, nor a default one: the row is what there is
        return obj


def content_language(code: str | None = None) -> str | None:
    """The content language (``WAGTAIL_CONTENT_LANGUAGES``) that ``code`` (default: the active language) reads in."""
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        return get_supported_content_language_variant(code or translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return None


_LOCALE_IDS: dict[str, int] = {}


def _forget_locale_ids(**kwargs) -> None:
    _LOCALE_IDS.clear()  # a Locale saved or deleted (or recreated after a test flush): look them up again


post_save.connect(_forget_locale_ids, sender="wagtailcore.Locale", dispatch_uid="lms_forget_locale_ids_save")
post_delete.connect(_forget_locale_ids, sender="wagtailcore.Locale", dispatch_uid="lms_forget_locale_ids_delete")


def locale_id(code: str | None) -> int | None:
    """The pk of the Locale for ``code``, remembered in the process until a Locale is saved or deleted."""
    if code and code not in _LOCALE_IDS:
        from wagtail.models import Locale

        _LOCALE_IDS.clear()
        _LOCALE_IDS.update(Locale.objects.values_list("language_code", "pk"))
    return _LOCALE_IDS.get(code) if code else None


def with_contents(objs):
    """``objs`` (a list of one model's rows), each with its content for the reader fetched in one query for them
    all (none when they are in the reader's language), so that ``content_of`` and
    ``{{ obj|in_reader_language:"title" }}`` ask nothing more."""
    objs = list(objs)
    if not enabled() or not objs or not hasattr(objs[0], "translation_key"):
        return objs
    from wagtail.models import DraftStateMixin

    reading = locale_id(content_language())
    others = {obj.translation_key for obj in objs if obj.locale_id != reading}
    translations = {}
    if reading is not None and others:
        model = type(objs[0])
        found = model._base_manager.filter(translation_key__in=others, locale_id=reading)
        if issubclass(model, DraftStateMixin):
            found = found.filter(live=True)
        translations = {t.translation_key: t for t in found}
    for obj in objs:
        obj._reader_content = translations.get(obj.translation_key, obj)
    return objs


def language_of(obj) -> str:
    """The language code of ``obj``'s locale, else the site's."""
    locale = getattr(obj, "locale", None) if enabled() else None
    return locale.language_code if locale is not None else settings.LANGUAGE_CODE


def reads_in_own_language(obj) -> bool:
    """Whether ``obj`` (as returned by ``content_of``) is in the reader's active language."""
    if not enabled():
        return True
    active = translation.get_language() or settings.LANGUAGE_CODE
    return translation.get_supported_language_variant(active) == translation.get_supported_language_variant(
        language_of(obj)
    )


def name_of(obj, field: str = "name") -> str:
    """One name in the reader's language (the translation's, else the source's)."""
    return getattr(content_of(obj), field)
