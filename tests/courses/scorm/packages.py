"""Builders for SCORM database tests: manifests and zips made in memory, activities installed through the services,
lessons that use them, and a quick way to drive an attempt.

A package is a ``{path: bytes}`` dict until ``zip_bytes`` (from the H5P tests) packs it.
"""

from __future__ import annotations

import io
import stat
import struct
from pathlib import Path
from xml.sax.saxutils import quoteattr

from courses import services as course_services
from courses.scorm import services
from courses.scorm.models import ScormActivity, ScormAttempt
from tests.factories import UserFactory, make_course, make_lesson
from tests.h5p.factories import zip_bytes
from tests.h5p.test_malicious_archives import _with_info

__all__ = ["zip_bytes"]

NS_12 = ('xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
         'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"')
NS_2004 = ('xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
           'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"')
PAGE = b"<!doctype html><title>SCO</title><script src='sco.js'></script><p>Hello</p>"


def manifest(scos: list[dict] | None = None, *, version: str = "1.2", title: str = "Fire Safety",
             identifier: str = "MANIFEST-1", doctype: str = "") -> bytes:
    """A manifest with one item per entry of ``scos`` (``identifier``, ``href``, optional ``title``, ``type``
    ("sco"/"asset"), ``mastery`` (1.2 percent, or 2004 minNormalizedMeasure), ``parameters``)."""
    scos = scos if scos is not None else [{"identifier": "SCO-1", "href": "index.html"}]
    is_12 = version == "1.2"
    schema = "1.2" if is_12 else "2004 4th Edition"
    items, resources = [], []
    for n, sco in enumerate(scos):
        ref = f"RES-{n}"
        extra = ""
        if sco.get("mastery") is not None:
            extra = (f"<adlcp:masteryscore>{sco['mastery']}</adlcp:masteryscore>" if is_12 else
                     "<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID='p'>"
                     f"<imsss:minNormalizedMeasure>{sco['mastery']}</imsss:minNormalizedMeasure>"
                     "</imsss:primaryObjective></imsss:objectives></imsss:sequencing>")
        params = f" parameters={quoteattr(sco['parameters'])}" if sco.get("parameters") else ""
        items.append(f"<item identifier={quoteattr(sco['identifier'])} identifierref='{ref}'{params}>"
                     f"<title>{sco.get('title', sco['identifier'])}</title>{extra}</item>")
        kind = sco.get("type", "sco")
        attr = "adlcp:scormtype" if is_12 else "adlcp:scormType"
        resources.append(f"<resource identifier='{ref}' type='webcontent' {attr}='{kind}' "
                         f"href={quoteattr(sco['href'])}/>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>{doctype}
<manifest identifier={quoteattr(identifier)} {NS_12 if is_12 else NS_2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>{schema}</schemaversion></metadata>
  <organizations default="ORG"><organization identifier="ORG"><title>{title}</title>{"".join(items)}
  </organization></organizations>
  <resources>{"".join(resources)}</resources>
</manifest>""".encode()


def package_files(scos: list[dict] | None = None, *, extra: dict[str, bytes] | None = None,
                  **manifest_options) -> dict[str, bytes]:
    """A valid package: its manifest, a page for every launch path, a script and a stylesheet."""
    scos = scos if scos is not None else [{"identifier": "SCO-1", "href": "index.html"}]
    files = {"imsmanifest.xml": manifest(scos, **manifest_options)}
    for sco in scos:
        files.setdefault(sco.get("file") or sco["href"].split("?")[0].split("#")[0], PAGE)
    files.update({"sco.js": b"var api = window.parent.API;", "css/style.css": b"p { color: red }"})
    files.update(extra or {})
    return files


def package(scos: list[dict] | None = None, **options) -> bytes:
    return zip_bytes(package_files(scos, **options))


MULTI_12 = [
    {"identifier": "SCO-A", "href": "a/index.html", "title": "Part A"},
    {"identifier": "SCO-B", "href": "b/index.html", "title": "Part B"},
    {"identifier": "ASSET", "href": "docs/handbook.html", "title": "Handbook", "type": "asset"},
]


def with_entry(files: dict[str, bytes], name: str, data: bytes, **attrs) -> bytes:
    """``files`` zipped, plus one entry whose ZipInfo carries ``attrs`` (a symlink's mode, say)."""
    return _with_info(files, name, data, **attrs)


def symlinked(files: dict[str, bytes], name: str = "link.html", target: bytes = b"/etc/passwd") -> bytes:
    return with_entry(files, name, target, external_attr=(stat.S_IFLNK | 0o777) << 16)


def encrypted(files: dict[str, bytes], name: str) -> bytes:
    """Set the "encrypted" bit of entry ``name`` in its local and central headers (zipfile cannot write one)."""
    out = bytearray(zip_bytes(files))
    encoded = name.encode()
    for signature, offset, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = out.find(signature)
        while at != -1:
            if out[at + name_at:at + name_at + len(encoded)] == encoded:
                struct.pack_into("<H", out, at + offset, struct.unpack_from("<H", out, at + offset)[0] | 0x1)
            at = out.find(signature, at + 4)
    return bytes(out)


def activity_from(data: bytes | None = None, *, name: str = "course.zip", **options) -> ScormActivity:
    """An activity installed through the services (a 1.2 single-SCO package by default)."""
    return services.activity_import(file=io.BytesIO(data if data is not None else package()), name=name, **options)


def lesson_using(activities: list[ScormActivity], *, course=None, required: bool = True):
    course = course or make_course(lessons=0)
    body = [("scorm", {"activity": a, "required": required}) for a in activities]
    return make_lesson(course=course, title="SCORM 练习", slug=f"scorm-{activities[0].pk}", body=body)


def learner_for(activity: ScormActivity, *, required: bool = True, user=None):
    """A user enrolled in a course whose live lesson uses ``activity``; returns (user, lesson)."""
    user = user or UserFactory()
    lesson = lesson_using([activity], required=required)
    course_services.enrollment_create(user=user, course=lesson.get_parent().specific)
    return user, lesson


def commit(attempt: ScormAttempt, cmi: dict, *, sco: str | None = None, seq: int | None = None,
           session: str = "s1", terminate: bool = False, user=None):
    """One commit of ``attempt``'s first tracked SCO (or ``sco``); ``seq`` defaults to one past the stored one."""
    sco = sco or attempt.package.tracked_scos[0]["identifier"]
    if seq is None:
        state = attempt.scos.filter(sco=sco).first()
        seq = (state.seq if state else 0) + 1
    return services.commit_record(user=user or attempt.user, attempt_id=attempt.pk, sco=sco, seq=seq,
                                  session=session, data=cmi, terminate=terminate)


def stored_files() -> set[str]:
    """Every file under the SCORM prefix of the storage (relative to its root)."""
    store = services.storage()
    root = Path(store.location)
    base = root / "lms_scorm"
    return {p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()} if base.exists() else set()
