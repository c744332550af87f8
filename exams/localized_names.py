"""Names of translatable snippets (certifications, areas, departments, positions) with Wagtail's localisation.

The rules are those of ``exams.localization``: records point at the *source* row, a reader reads the translation in
their language, else the source's words. This module adds what long lists and forms need:

- ``names_in_reading_language(objects)``: ``{pk: name}`` for a whole list in one query (none at all when the
  reader's language is the site's, which is the source's), so a page or an export never runs a query per row;
- ``SourcesOnly``: the ``limit_choices_to`` of every foreign key and many-to-many field to these models, so admin
  forms, their filters, API serializers and ``full_clean()`` offer and accept sources only;
- ``source_rows(model)``: the sources as a queryset that runs no query when built (class-level form fields);
- ``source_by(queryset, **lookups)``: a lookup by code or name that finds the source, never a translation (which
  carries the same code).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.deconstruct import deconstructible

from exams import localization

content_language = localization.content_language  # the content language a code (default: the active one) reads in


def names_in_reading_language(objects: Iterable, field: str = "name") -> dict:
    """``{pk: name}`` for ``objects`` (sources, as records hold them) in the active language: the translation's
    name where there is one, else the object's own. One query for the whole list; none when they are in the
    reader's language already."""
    objects = [obj for obj in objects if obj is not None]
    names = {obj.pk: getattr(obj, field) for obj in objects}
    if not objects or not localization.enabled() or not hasattr(objects[0], "translation_key"):
        return names
    reading = content_language()
    if reading is None or all(obj.locale_id == localization.locale_id(reading) for obj in objects):
        return names  # already in the reader's language (the usual case: originals in the site's language)
    model = type(objects[0])
    translated = dict(
        model._base_manager.filter(
            translation_key__in={obj.translation_key for obj in objects}, locale__language_code=reading
        ).exclude(pk__in=[obj.pk for obj in objects]).values_list("translation_key", field)
    )
    return {obj.pk: translated.get(obj.translation_key) or names[obj.pk] for obj in objects}


def name_in_reading_language(obj, field: str = "name") -> str:
    """One name, as ``names_in_reading_language`` gives it (no query in the site's language); '' for None."""
    if obj is None:
        return ""
    return names_in_reading_language([obj], field)[obj.pk]


def name_in_language(obj, language: str, field: str = "name") -> str:
    """One name in ``language`` (a certificate's, an e-mail's), else the source's."""
    with translation.override(language):
        return name_in_reading_language(obj, field)


sources_q = localization.sources_q  # the filter of localization.sources, as a Q built without a query


def source_rows(model) -> QuerySet:
    """``sources(model.objects.all())`` without a query when it is built: for querysets declared in a class body
    (form and serializer fields), which are built at import."""
    return model._default_manager.filter(sources_q(model))


@deconstructible
class SourcesOnly:
    """``limit_choices_to=SourcesOnly("app_label.Model")``: a form, a filter, a serializer or ``full_clean()``
    offers and accepts the model's sources only, never a translation (evaluated when the form is built, so the
    default locale is read then, not at import)."""

    def __init__(self, model_label: str):
        self.model_label = model_label

    def __call__(self) -> Q:
        return sources_q(apps.get_model(self.model_label))

    def __eq__(self, other) -> bool:
        return isinstance(other, SourcesOnly) and other.model_label == self.model_label

    def __hash__(self) -> int:
        return hash(self.model_label)


def source_by(queryset: QuerySet, **lookups):
    """The source matching ``lookups`` (a code, a name in any language), or None. A translation found by its name
    leads to its source."""
    found = localization.sources(queryset.filter(**lookups)).first()
    if found is not None:
        return found
    other = queryset.filter(**lookups).first()
    return localization.source_of(other) if other is not None else None


class ValidatedPerLocale:
    """For a translatable model whose codes and names are unique per locale (``UniqueConstraint`` with
    ``locale``): the locale is not a form field, and Django skips a constraint on a field the form leaves out, so a
    duplicate code would reach the database. Once the locale is known (the admin's create view sets it before
    validating), validate with it."""

    def validate_constraints(self, exclude=None):
        if exclude and "locale" in exclude and self.locale_id is not None:
            exclude = set(exclude) - {"locale"}
        super().validate_constraints(exclude=exclude)


def name_table(model, field: str = "name") -> dict[str, str]:
    """``{source name: name in the reader's language}`` for every source of ``model`` that has a translation in
    it, for exports that read names as values (``values_list("person__department__name")``): the sources not in
    the reader's language in one query (none, usually, for a reader of the site's language), their names in one
    more. The table is empty when every name is in the reader's language already."""
    reading = content_language()
    if not localization.enabled() or reading is None:
        return {}
    sources = model._default_manager.filter(sources_q(model)).exclude(locale_id=localization.locale_id(reading))
    objects = list(sources.only("pk", field, "translation_key", "locale_id"))
    names = names_in_reading_language(objects, field)
    return {getattr(obj, field): names[obj.pk] for obj in objects if names[obj.pk] != getattr(obj, field)}
