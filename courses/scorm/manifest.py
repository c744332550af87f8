"""SCORM package manifests (``imsmanifest.xml``): what a package launches, in which order, with which settings.
Pure: no Django imports.

SCORM 1.2 (IMS CP 1.1.2 + ADL CP 1.2) and SCORM 2004 2nd to 4th edition (IMS CP 1.1.4 + ADL CP 1.3 + IMS SS)
are read by the elements' local names, because vendors bind the same elements to many namespace URIs (and some
to none). A refusal is a ``ManifestError`` carrying a machine ``rule``; ``courses.scorm.messages`` words it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from urllib.parse import unquote

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

MAX_ITEMS = 1000
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
VERSIONS = {
    "1.2": "1.2",
    "cam 1.3": "2004-2",
    "2004 2nd edition": "2004-2",
    "2004 3rd edition": "2004-3",
    "2004 4th edition": "2004-4",
}
SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)  # what a browser reads as "another scheme"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # browsers drop tabs and newlines from URLs: "java\tscript:" runs
NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
CENT = Decimal("0.01")


class ManifestError(Exception):
    """The manifest was refused: ``rule`` is the machine code, ``detail`` the offending value (a path, an
    identifier), ``params`` anything else the message may name."""

    def __init__(self, rule: str, detail: str = "", **params: object) -> None:
        self.rule = rule
        self.detail = detail
        self.params = params
        super().__init__(f"{rule}: {detail}" if detail else rule)


@dataclass(frozen=True)
class Sco:
    identifier: str  # the <item identifier>
    title: str
    href: str  # launch address inside the package: xml:base applied, item parameters appended
    path: str  # the file the address names (no query, no fragment, percent-decoded): it must be in the package
    scorm_type: str  # "sco" (tracked) or "asset" (launched, never talks to the runtime)
    mastery_score: Decimal | None  # percent 0..100
    time_limit_action: str
    max_time_allowed: str  # 1.2 timespan or 2004 duration, as written
    launch_data: str


@dataclass(frozen=True)
class Manifest:
    version: str  # "1.2", "2004-2", "2004-3", "2004-4"
    identifier: str
    title: str
    scos: tuple[Sco, ...]  # the launchable items of the default organization, in document order
    toc: tuple[tuple[int, str, str | None], ...]  # (depth, title, sco identifier; None for a folder item)


def parse(data: bytes, *, names: Collection[str] | None = None) -> Manifest:
    """Read a manifest, or raise ``ManifestError`` naming the broken rule. ``names`` (the package's file paths,
    POSIX, no leading "./"), when given, must hold every launch path."""
    root = _read(data)
    if _local(root) != "manifest":
        raise ManifestError("not-a-manifest", _local(root))
    count = sum(1 for element in root.iter() if _local(element) == "item")
    if count > MAX_ITEMS:
        raise ManifestError("too-many-items", str(count), limit=MAX_ITEMS)
    version = _version(root)
    organizations = _child(root, "organizations")
    organization = _default_organization(organizations) if organizations is not None else None
    if organization is None:
        raise ManifestError("no-sco")
    resources = _resources(root)
    sequencings = {_attr(seq, "id"): seq for collection in _children(root, "sequencingcollection")
                   for seq in _children(collection, "sequencing")}
    scos: list[Sco] = []
    toc: list[tuple[int, str, str | None]] = []
    for number, (depth, item) in enumerate(_walk(organization), start=1):
        identifier = _attr(item, "identifier") or f"item-{number}"
        title = _text(_child(item, "title")) or identifier
        ref = _attr(item, "identifierref")
        if not ref:
            toc.append((depth, title, None))
            continue
        if ref not in resources:
            raise ManifestError("missing-resource", ref, item=identifier)
        bases, href, scorm_type = resources[ref]
        if not href:
            raise ManifestError("missing-launch", "", item=identifier, resource=ref)
        launch, path = _launch(bases, href, _attr(item, "parameters"))
        if names is not None and path not in names:
            raise ManifestError("missing-launch", path, item=identifier)
        if any(sco.identifier == identifier for sco in scos):  # its data and its launch would be the other's
            raise ManifestError("duplicate-identifier", identifier)
        mastery, action, limit, launch_data = _settings(item, version, sequencings)
        scos.append(Sco(identifier=identifier, title=title, href=launch, path=path, scorm_type=scorm_type,
                        mastery_score=mastery, time_limit_action=action, max_time_allowed=limit,
                        launch_data=launch_data))
        toc.append((depth, title, identifier))
    if not scos:
        raise ManifestError("no-sco")
    identifier = _attr(root, "identifier")
    return Manifest(version=version, identifier=identifier, title=_text(_child(organization, "title")) or identifier,
                    scos=tuple(scos), toc=tuple(toc))


def with_parameters(href: str, parameters: str) -> str:
    """The launch address of an item: its resource's href with the item's ``parameters`` appended after the
    SCORM 2004 CAM's algorithm (a leading "?" or "&" ignored; a "#fragment" only when the href has none; joined
    with "&" when the href already has a query), keeping the href's own fragment last where it belongs."""
    parameters = parameters.strip().lstrip("?&")
    if not parameters:
        return href
    if parameters.startswith("#"):
        return href if "#" in href else href + parameters
    address, hash_, fragment = href.partition("#")
    query, extra_hash, extra_fragment = parameters.partition("#")
    if query:
        address += query if address.endswith(("?", "&")) else ("&" if "?" in address else "?") + query
    if hash_:
        return f"{address}#{fragment}"
    return f"{address}#{extra_fragment}" if extra_hash else address


def _read(data: bytes) -> Element:
    try:
        return SafeElementTree.fromstring(data, forbid_dtd=True)  # no DTD, no entity, no external reference
    except DefusedXmlException as exc:
        raise ManifestError("unsafe-xml", type(exc).__name__) from exc
    except (SafeElementTree.ParseError, LookupError, ValueError) as exc:  # LookupError: an unknown encoding
        raise ManifestError("malformed", str(exc)) from exc


def _local(element: Element) -> str:
    """The lower-case local name: 1.2 writes ``masteryscore``, 2004 ``timeLimitAction``, vendors either."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rpartition("}")[2].lower()


def _children(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [child for child in element if _local(child) == name]


def _child(element: Element | None, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _attr(element: Element | None, name: str) -> str:
    """An attribute by lower-case local name, whatever its namespace (``adlcp:scormtype``, ``adlcp:scormType``)."""
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if key.rpartition("}")[2].lower() == name:
            return value.strip()
    return ""


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _version(root: Element) -> str:
    """The <schemaversion>; without a known one, the ADL namespace the manifest uses."""
    declared = _text(_child(_child(root, "metadata"), "schemaversion"))
    key = " ".join(declared.lower().split()).removeprefix("scorm ")
    if key in VERSIONS:
        return VERSIONS[key]
    uris = set()
    for element in root.iter():
        uris.add(element.tag.partition("}")[0] if isinstance(element.tag, str) else "")
        uris.update(name.partition("}")[0] for name in element.attrib)
        uris.update(value for name, value in element.attrib.items() if name.endswith("}schemaLocation"))
    namespaces = " ".join(uris).lower()
    if "adlcp_rootv1p2" in namespaces:
        return "1.2"
    if "adlcp_v1p3" in namespaces:
        return "2004-3"  # 4th edition kept the 3rd's namespace: without <schemaversion> the two look alike
    raise ManifestError("unknown-version", declared)


def _default_organization(organizations: Element) -> Element | None:
    found = _children(organizations, "organization")
    default = _attr(organizations, "default")
    return next((o for o in found if _attr(o, "identifier") == default), found[0] if found else None)


def _walk(organization: Element) -> Iterator[tuple[int, Element]]:
    """The organization's items in document order with their depth (0 at the top), without recursion: a chain
    of a thousand nested items would exceed Python's recursion limit."""
    stack = [(0, item) for item in reversed(_children(organization, "item"))]
    while stack:
        depth, item = stack.pop()
        yield depth, item
        stack.extend((depth + 1, child) for child in reversed(_children(item, "item")))


def _resources(root: Element) -> dict[str, tuple[tuple[str, ...], str, str]]:
    """Resource identifier → (the xml:base of manifest, resources and resource; href; "sco" or "asset")."""
    resources_element = _child(root, "resources")
    outer = (_base(root), _base(resources_element))
    return {
        _attr(resource, "identifier"): (
            tuple(b for b in (*outer, _base(resource)) if b),
            _attr(resource, "href"),
            "sco" if _attr(resource, "scormtype").lower() == "sco" else "asset",
        )
        for resource in _children(resources_element, "resource")
    }


def _base(element: Element | None) -> str:
    return "" if element is None else element.get(XML_BASE, "").strip(" ")


def _absolute(href: str) -> bool:
    """Would a browser leave the package for it, whatever base it is joined to: a scheme, a host, a root path."""
    return bool(SCHEME.match(href)) or href.startswith(("/", "\\")) or unquote(href).startswith(("/", "\\"))


def _launch(bases: tuple[str, ...], href: str, parameters: str) -> tuple[str, str]:
    """(launch address, file path) of a resource href under its xml:base values, each read as a folder (vendors
    write ``content`` as often as ``content/``). An address that could leave the package or run script is refused."""
    href = href.strip(" ")
    for part in (*bases, href):  # an absolute part would replace what comes before it, not extend it
        if _absolute(part):
            raise ManifestError("unsafe-href", part)
    launch = with_parameters("".join(b if b.endswith("/") else b + "/" for b in bases) + href, parameters)
    decoded = unquote(re.split(r"[?#]", launch, maxsplit=1)[0])  # the file, as the server will look it up
    segments = decoded.split("/")
    if "\\" in launch or "\\" in decoded or CONTROL.search(launch) or CONTROL.search(decoded) or ".." in segments:
        raise ManifestError("unsafe-href", launch)
    path = "/".join(s for s in segments if s not in ("", "."))
    if not path:
        raise ManifestError("missing-launch", launch)
    return launch, path


def _settings(item: Element, version: str, sequencings: dict[str, Element]) -> tuple[Decimal | None, str, str, str]:
    """What the item tells the runtime: (mastery score, time limit action, time limit, launch data)."""
    action, launch_data = _text(_child(item, "timelimitaction")), _text(_child(item, "datafromlms"))
    if version == "1.2":
        mastery = _mastery(_text(_child(item, "masteryscore")), measure=False)
        return mastery, action, _text(_child(item, "maxtimeallowed")), launch_data
    own = _child(item, "sequencing")
    shared = sequencings.get(_attr(own, "idref")) if _attr(own, "idref") else None  # from <sequencingCollection>
    chain = [s for s in (own, shared) if s is not None]

    def first(name: str) -> Element | None:  # an element the item defines replaces the shared one
        return next((found for s in chain if (found := _child(s, name)) is not None), None)

    primary = _child(first("objectives"), "primaryobjective")
    mastery = _mastery(_text(_child(primary, "minnormalizedmeasure")), measure=True)
    return mastery, action, _attr(first("limitconditions"), "attemptabsolutedurationlimit"), launch_data


def _mastery(text: str, *, measure: bool) -> Decimal | None:
    """A 1.2 masteryscore (0..100) or a 2004 minNormalizedMeasure (-1..1, below 0 counted as 0) as a percent."""
    if not text:
        return None
    if not NUMBER.fullmatch(text):
        raise ManifestError("invalid-mastery", text)
    value = Decimal(text)
    low, high = (Decimal(-1), Decimal(1)) if measure else (Decimal(0), Decimal(100))
    if not low <= value <= high:
        raise ManifestError("invalid-mastery", text)
    percent = max(value, Decimal(0)) * 100 if measure else value
    return percent.quantize(CENT, rounding=ROUND_HALF_UP)
