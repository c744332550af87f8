"""Walk the URL resolver: every route of the site as (route string, name, callback), so generated tests cover
routes added later without anyone listing them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "api/attempts/<int:pk>/" or "^api/" for regex parts
    name: str  # "namespace:name" or ""
    callback: object

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def module(self) -> str:
        cls = self.view_class
        return (cls or self.callback).__module__


def _pattern_text(pattern) -> str:
    return str(pattern.pattern)


def routes(resolver=None, prefix: str = "", namespace: str = "") -> list[Route]:
    resolver = resolver or get_resolver()
    found: list[Route] = []
    for entry in resolver.url_patterns:
        text = prefix + _pattern_text(entry)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            found += routes(entry, text, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            found.append(Route(text, f"{namespace}{entry.name}" if entry.name else "", entry.callback))
    return found


OUR_APPS = ("lms", "courses", "exams", "certificates")


def is_ours(route: Route) -> bool:
    return route.module.split(".")[0] in OUR_APPS
