"""Filtering content.json by the libraries' semantics, like H5P core's ``H5PContentValidator``. Pure: no Django.

h5p-standalone inserts content.json text as HTML and filters nothing, so we filter on upload: a ``text``
field with ``tags`` keeps only those tags (plus core's defaults ``div span p br`` and the related ones),
safe attributes, ``http(s)``/``mailto``/relative links and ``text-align`` styles; a ``text`` field without
``tags`` is plain text and is HTML-escaped (``htmlspecialchars`` without double encoding, as core does).
Groups, lists and nested ``library`` values (sub-content) are walked with the right semantics.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from typing import Any

DEFAULT_TAGS = {"div", "span", "p", "br"}
VOID = {"br", "hr", "img", "col"}
ATTRIBUTES = {"href", "title", "target", "rel", "class", "alt", "lang", "dir", "colspan", "rowspan", "scope",
              "start", "type", "abbr", "headers", "border", "cellpadding", "cellspacing", "style"}
SAFE_URL = re.compile(r"^(https?:|mailto:|ftp:|#|/|\.{0,2}/|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
STYLE = re.compile(r"^\s*(text-align\s*:\s*(center|left|right|justify)|"
                   r"(color|background-color)\s*:\s*(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|[a-z]+)|"
                   r"font-size\s*:\s*[\d.]+(em|rem|px|%)|font-family\s*:\s*[\w\s,'\"-]+)\s*;?\s*$", re.IGNORECASE)
ENTITY = re.compile(r"&(?!#?\w+;)")


def plain(text: str) -> str:
    """PHP's ``htmlspecialchars($text, ENT_QUOTES, 'UTF-8', false)``."""
    return (ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#039;"))


def allowed_tags(tags: list[str]) -> set[str]:
    result = DEFAULT_TAGS | {str(t).lower() for t in tags}
    if "table" in result:
        result |= {"tr", "td", "th", "colgroup", "thead", "tbody", "tfoot"}
    if "b" in result:
        result.add("strong")
    if "i" in result:
        result.add("em")
    if "ul" in result or "ol" in result:
        result.add("li")
    if "del" in result or "strike" in result:
        result.add("s")
    return result


class _Filter(HTMLParser):
    def __init__(self, tags: set[str]):
        super().__init__(convert_charrefs=False)
        self.tags = tags
        self.out: list[str] = []
        self.open: list[str] = []
        self.skip = 0  # inside <script>/<style>: drop the text too

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "iframe", "object", "embed", "template", "noscript"):
            self.skip += 1
            return
        if tag not in self.tags or self.skip:
            return
        kept = []
        for name, value in attrs:
            value = value or ""
            if name not in ATTRIBUTES or name.startswith("on"):
                continue
            if name == "href" and not SAFE_URL.match(html.unescape(value).strip().replace(" ", "")):
                continue
            if name == "style":
                value = "; ".join(d.strip() for d in value.split(";") if d.strip() and STYLE.match(d))
                if not value:
                    continue
            kept.append(f' {name}="{html.escape(html.unescape(value), quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.open and tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "iframe", "object", "embed", "template", "noscript"):
            self.skip = max(self.skip - 1, 0)
            return
        if tag in self.open and not self.skip:
            while self.open:
                last = self.open.pop()
                self.out.append(f"</{last}>")
                if last == tag:
                    break

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data.replace("<", "&lt;").replace(">", "&gt;"))

    def handle_entityref(self, name):
        if not self.skip:
            self.out.append(f"&{name};")

    def handle_charref(self, name):
        if not self.skip:
            self.out.append(f"&#{name};")

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.open))


def filter_html(text: str, tags: list[str]) -> str:
    parser = _Filter(allowed_tags(tags))
    parser.feed(text)
    return parser.result()


Semantics = list[dict[str, Any]]
Lookup = Callable[[str], Semantics | None]  # "H5P.MultiChoice 1.16" -> that library's semantics


def _value(field: Mapping[str, Any], value: Any, lookup: Lookup, depth: int) -> Any:
    kind = field.get("type")
    if depth > 50:
        return None
    if kind == "text":
        if not isinstance(value, str):
            return value if value is None else str(value)
        return filter_html(value, field["tags"]) if isinstance(field.get("tags"), list) else plain(value)
    if kind == "group":
        fields = [f for f in field.get("fields") or [] if isinstance(f, dict)]
        if len(fields) == 1 and not field.get("isSubContent") and not (
            isinstance(value, dict) and fields[0].get("name") in value
        ):
            return _value(fields[0], value, lookup, depth + 1)  # core flattens single-field groups
        return _fields(fields, value, lookup, depth + 1) if isinstance(value, dict) else value
    if kind == "list":
        if not isinstance(value, list) or not isinstance(field.get("field"), dict):
            return value
        return [_value(field["field"], item, lookup, depth + 1) for item in value]
    if kind == "library":
        if not isinstance(value, dict) or not isinstance(value.get("library"), str):
            return value
        semantics = lookup(value["library"])
        if semantics is not None and isinstance(value.get("params"), dict):
            value = {**value, "params": _fields(semantics, value["params"], lookup, depth + 1)}
        return value
    if kind in ("image", "video", "audio", "file") and isinstance(value, (dict, list)):
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("path"), str) and not SAFE_URL.match(item["path"]):
                item["path"] = ""
        return value
    return value


def _fields(fields: Semantics, params: dict[str, Any], lookup: Lookup, depth: int) -> dict[str, Any]:
    result = dict(params)
    for field in fields:
        name = field.get("name") if isinstance(field, dict) else None
        if name in result:
            result[name] = _value(field, result[name], lookup, depth)
    return result


def filter_content(params: dict[str, Any], semantics: Semantics | None, lookup: Lookup) -> dict[str, Any]:
    """content.json filtered by the main library's semantics (unchanged when the library has none)."""
    if not isinstance(semantics, list):
        return params
    return _fields(semantics, params, lookup, 0)
