"""SCORM demo data: one SCORM 1.2 package about the policy's emergency response, in Chinese, built from the files in
``scorm_content/`` (ours), imported through the services as a vendor's package would be, and placed (optional) in
the lesson “应急处置” of the course ``emergency``. Idempotent."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model

from courses.models import CoursePage, LessonPage
from courses.scorm import services
from courses.scorm.models import ClaimPolicy, ScormActivity

CONTENT_DIR = Path(__file__).resolve().parent / "scorm_content"
PACKAGE = "emergency-response-12"
LESSON_SLUG = "response"


def build(name: str) -> bytes:
    """The package as a zip, its files at the top level (as authoring tools export them)."""
    folder = CONTENT_DIR / name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def load(out) -> None:
    course = CoursePage.objects.filter(slug="emergency").first()
    lesson = LessonPage.objects.child_of(course).filter(slug=LESSON_SLUG).first() if course else None
    if lesson is None:
        out.write("  scorm: skipped, no lesson “emergency/response”")
        return
    file_name = f"{PACKAGE}.zip"
    activity = ScormActivity.objects.filter(versions__package_name=file_name).first()
    if activity is None:
        uploader = get_user_model().objects.filter(username="trainer").first()
        activity = services.activity_import(file=io.BytesIO(build(PACKAGE)), name=file_name, user=uploader,
                                            claim_policy=ClaimPolicy.TRUST)
    body = lesson.specific.body
    if not any(block.block_type == "scorm" for block in body):
        body.append(("scorm", {"activity": activity, "required": False}))
        lesson = lesson.specific
        lesson.body = body
        lesson.save_revision().publish()
    out.write(f"  scorm: “{activity.title}” (SCORM {activity.current.scorm_version}) in the lesson “{lesson.title}”")
