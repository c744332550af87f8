"""H5P demo data: four activities about the policy's own subjects, in Chinese, imported through the services
and placed in a lesson of the course ``security``. Idempotent; a lesson an older demo filled with the raw samples
gets these in their place (``h5p_upgrade``).

The content is ours (``h5p_content/``); the content-type libraries come from the real sample packages in
../shared/h5p-samples (or ``$LMS_H5P_SAMPLES``), which stay test fixtures otherwise (``h5p_build``)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model

from courses import services as course_services
from courses.h5p import services
from courses.h5p.models import H5PActivity, H5PStatement
from courses.models import CoursePage, LessonPage
from demo.data import content_en, h5p_build, h5p_upgrade

REPO_ROOT = Path(__file__).resolve().parents[2]
# (content folder in h5p_content/, required for lesson completion); the title is the one in its h5p.json
PACKAGES = [
    ("visitor-escort-truefalse", True),
    ("area-pass-multichoice", True),
    ("security-quiz-questionset", True),
    ("visitor-register-blanks", False),
]
LESSON_SLUG = "h5p-practice"
INTRODUCTION = ("<p>用下面的互动练习检验你对《运营岗位封闭管理制度》的理解：访客管理、通行证、存储介质、"
                "双人复核和信息泄露的应急处置。标为“必做”的练习通过后，才能将本课标记为已完成。</p>")


def samples_dir() -> Path:
    return Path(os.environ.get("LMS_H5P_SAMPLES") or REPO_ROOT.parent / "shared" / "h5p-samples")


def load(out) -> None:
    folder = samples_dir()
    if not folder.is_dir():
        out.write(f"  h5p: skipped, no sample packages in {folder}")
        return
    course = CoursePage.objects.filter(slug="security").first()
    if course is None:
        out.write("  h5p: skipped, no course “security”")
        return
    uploader = get_user_model().objects.filter(username="admin").first()
    blocks = []
    index = h5p_build.library_index(folder)
    for name, required in PACKAGES:
        file_name = f"{name}.h5p"
        activity = H5PActivity.objects.filter(package_name=file_name).first()
        if activity is None:
            try:
                data = h5p_build.build(name, folder, index)
            except LookupError as error:
                out.write(f"  h5p: {name} skipped ({error})")
                continue
            title = json.loads((h5p_build.CONTENT_DIR / name / "h5p.json").read_text(encoding="utf-8"))["title"]
            activity = services.activity_import(file=io.BytesIO(data), name=file_name, user=uploader,
                                                may_install=True, title=title)
        blocks.append(("h5p", {"activity": activity, "required": required}))
    body = [("paragraph", INTRODUCTION), *blocks]
    lesson = LessonPage.objects.child_of(course).filter(slug=LESSON_SLUG).first()
    replaced = 0
    if blocks and lesson is None:
        lesson = LessonPage(title="互动练习：安全知识小测", slug=LESSON_SLUG, estimated_minutes=15, body=body)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    elif blocks:  # a lesson an older demo made still plays the raw samples: the policy activities take their place
        replaced = h5p_upgrade.replace_samples(lesson=lesson, body=body,
                                               english_texts=content_en.LESSONS[LESSON_SLUG][1])
    specialist = get_user_model().objects.filter(username="specialist").first()
    if specialist is not None:
        for _type, value in blocks:
            _pass(specialist, value["activity"])
    if replaced:
        withdrawn = h5p_upgrade.progress_recompute(lesson=lesson)
        out.write(f"  h5p: the older demo's sample activities replaced; {withdrawn} lesson completion(s) withdrawn")
    if specialist is not None and lesson is not None and course.enrollments.filter(user=specialist).exists():
        course_services.lesson_complete(user=specialist, lesson=lesson)
    out.write(f"  h5p: {len(blocks)} activities in “{course.title}”; 刘专员 (specialist) passed them")


VERB = "http://adlnet.gov/expapi/verbs/"


def _statement(activity, verb: str, raw, max_, response=None, sub=None) -> dict:
    iri = f"http://127.0.0.1:8000/h5p/activities/{activity.pk}/"
    data = {"verb": {"id": VERB + verb}, "object": {"id": iri + (f"?subContentId={sub}" if sub else "")},
            "result": {"score": {"raw": raw, "max": max_}, **({"response": response} if response else {})}}
    if sub:
        data["context"] = {"contextActivities": {"parent": [{"id": iri}]}}
    return data


def _right(params: dict) -> str:
    return "[,]".join(str(i) for i, a in enumerate(params.get("answers", [])) if a.get("correct"))


def _pass(user, activity: H5PActivity) -> None:
    """Record a right answer for the demo specialist, through the same service the player's POST uses."""
    if H5PStatement.objects.filter(user=user, activity=activity, is_attempt=True).exists():
        return
    main = activity.main_library.machine_name
    content = activity.content_json
    if main == "H5P.TrueFalse":
        statements = [_statement(activity, "answered", 1, 1, content.get("correct", "true"))]
    elif main == "H5P.MultiChoice":
        statements = [_statement(activity, "answered", 1, 1, _right(content))]
    elif main == "H5P.QuestionSet":
        drawn = content["questions"][: content.get("poolSize") or len(content["questions"])]
        statements = [_statement(activity, "answered", 1, 1, _right(q["params"]), sub=q["subContentId"])
                      for q in drawn]
        statements.append(_statement(activity, "completed", len(drawn), len(drawn)))
    else:
        return
    for statement in statements:
        services.statement_record(user=user, activity=activity, statement=statement)
