"""Pages in the reader's language (Wagtail's localisation, docs/translation.md).

A translated page lives in its locale's tree at the same address as its source (no language prefix: the language
is the person's, ``lms.language``). Wagtail routes a reader through the tree of their language; two things make
that fit a learning site:

- ``ReadsInReadersLanguage`` (a mixin for the plugin's page types): a translation serves its *source* page, with
  the translation's words. Enrolments, progress, signatures and attempts belong to the source, whatever the
  language the course was read in; the template reads its words from ``content`` and shows a note when the page
  is not in the reader's language (``content_fallback``).
- ``serve_untranslated``: when the reader's tree has no such page (nobody translated it yet), the page is served
  from the site's own (original) tree instead of a 404, with the same note.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.functional import cached_property

from exams import localization


class ReadsInReadersLanguage:
    """Mixin for ``Page`` subclasses: records are the source's, words are the reader's (see the module's doc)."""

    @cached_property
    def source_page(self):
        """The original this page translates, or the page itself (one query, once per object)."""
        return localization.source_of(self)

    def serve(self, request, *args, **kwargs):
        if self.is_translation():
            source = self.source_page.specific
            source.content_page = self  # the words: this translation, as routed (or previewed)
            return source.serve(request, *args, **kwargs)
        return super().serve(request, *args, **kwargs)

    def is_translation(self) -> bool:
        """Whether this is a translation of another (original) page, which it then serves."""
        return self.source_page.pk != self.pk

    def content_for_reader(self):
        """The page whose words the reader gets: the one set by ``serve``, else the live translation in the
        active language, else this page."""
        return getattr(self, "content_page", None) or localization.content_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        content = self.content_for_reader()
        context["content"] = content
        context["content_fallback"] = not localization.reads_in_own_language(content)
        context["content_language"] = localization.language_of(content)
        return context


def serve_untranslated(request, response):
    """``response`` was a 404 from Wagtail's page view, for a reader routed through their language's tree: serve
    the page from the original tree instead, when it exists there. Returns the new response, or None."""
    if request.method not in ("GET", "HEAD") or not localization.enabled():
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.url_name != "wagtail_serve":
        return None
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page  # the original tree (translations of the site's root page are the other languages')
    if site.root_page.localized.pk == root.pk:
        return None  # the reader was routed through the original tree already: a real 404
    path = match.kwargs.get("path", match.args[0] if match.args else "")
    try:
        route = root.specific.route(request, [part for part in path.split("/") if part])
    except Http404:
        return None
    # Wagtail's serve view takes the route it finds for the request from this attribute (Page.route_for_request);
    # tests/i18n/test_pages.py fails if a Wagtail release stops reading it.
    request._wagtail_route_for_request = route
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()  # the handler renders before the middleware sees the response: this one comes later
    return response
