"""SVG checks and sanitising with lxml. Pure: no Django imports.

An SVG opened directly runs its scripts on the serving origin. Library SVGs (icon fonts) must contain no
active content at all; content SVGs are rewritten without it (``sanitise``). Serving adds a CSP sandbox on
top (see ``courses.h5p.views``).
"""

from __future__ import annotations

from lxml import etree

ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "from", "to", "values", "by"}


class UnsafeSvg(ValueError):
    """The SVG could not be parsed safely (not XML, DTD entities, ...)."""


def _parse(data: bytes) -> etree._Element:
    if b"<!ENTITY" in data or b"<!entity" in data:
        raise UnsafeSvg("entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnsafeSvg(str(exc)) from exc
    if root is None or etree.QName(root).localname.lower() != "svg":
        raise UnsafeSvg("not an svg document")
    return root


def _local(name: str) -> str:
    return etree.QName(name).localname.lower()


def _bad_attribute(name: str, value: str) -> bool:
    local = _local(name)
    if local.startswith("on"):
        return True
    compact = "".join(value.split()).lower()
    if local in URL_ATTRIBUTES and (compact.startswith(("javascript:", "vbscript:", "data:text", "data:application"))
                                    or (local != "href" and "javascript:" in compact)):
        return True
    return local == "style" and ("javascript:" in compact or "expression(" in compact)


def _problems(root: etree._Element):
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _local(el.tag) in ACTIVE_ELEMENTS:
            yield el, None
            continue
        for name, value in el.attrib.items():
            if _bad_attribute(name, value):
                yield el, name


def has_active_content(data: bytes) -> bool:
    return any(True for _ in _problems(_parse(data)))


def sanitise(data: bytes) -> bytes:
    """The SVG without scripts, event handlers, foreign objects or script URLs; ``data`` itself when clean."""
    root = _parse(data)
    problems = list(_problems(root))
    if not problems:
        return data
    for el, attribute in problems:
        if attribute is None:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
        elif attribute in el.attrib:
            del el.attrib[attribute]
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
