"""Installing packages, libraries per minor version, permissions, statements, re-scoring, grading,
required activities and lesson completion."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from courses import services as course_services
from courses.h5p import selectors, services
from courses.h5p.models import H5PActivity, H5PLibrary, H5PStatement
from courses.h5p.services import storage as h5p_storage
from courses.h5p.signals import h5p_result_recorded
from tests.factories import UserFactory, make_course
from tests.h5p.factories import (
    import_sample,
    library_json,
    make_h5p_lesson,
    package_files,
    sample,
    zip_bytes,
)

pytestmark = pytest.mark.django_db
VERB = "http://adlnet.gov/expapi/verbs/"


def statement(activity, verb="answered", raw=1, max_=1, response=None, sub=None, parent=False, actor=None):
    object_id = f"http://testserver/h5p/activities/{activity.pk}/" + (f"?subContentId={sub}" if sub else "")
    result = {"score": {"raw": raw, "max": max_, "min": 0, "scaled": raw / max_ if max_ else 0}}
    if response is not None:
        result["response"] = response
    data = {"verb": {"id": VERB + verb}, "object": {"id": object_id}, "result": result,
            "actor": actor or {"name": "someone-else", "mbox": "mailto:boss@example.com"}}
    if parent:
        data["context"] = {"contextActivities": {"parent": [{"id": object_id.split("?")[0]}]}}
    return data


def learner_in_lesson(activity, required=True):
    user = UserFactory()
    course = make_course(lessons=1)
    lesson = make_h5p_lesson(course=course, activities=[activity], required=required)
    course_services.enrollment_create(user=user, course=course)
    return user, lesson


def test_samples_install_with_shared_libraries():
    tf = import_sample("truefalse")
    mc = import_sample("multichoice")
    assert tf.main_library.machine_name == "H5P.TrueFalse" and tf.title == "Hello World"
    assert mc.main_library.machine_name == "H5P.MultiChoice" and mc.pass_percent == 100
    # FontAwesome 4.5 comes with both packages but is stored once
    assert H5PLibrary.objects.filter(machine_name="FontAwesome").count() == 1
    assert set(tf.libraries.values_list("machine_name", flat=True)) >= {"H5P.TrueFalse", "FontAwesome", "H5P.Question"}
    assert h5p_storage().exists(f"{tf.storage_path}/h5p.json")
    assert h5p_storage().exists(f"{tf.storage_path}/content/content.json")
    question = tf.libraries.get(machine_name="H5P.Question")
    assert h5p_storage().exists(f"{question.storage_path}/library.json")


def test_xss_sample_imports_with_its_svg_sanitised():
    activity = import_sample("xss")
    with h5p_storage().open(f"{activity.storage_path}/content/images/xss.svg") as fh:
        svg = fh.read()
    assert b"<script" not in svg and b"alert" not in svg and b"<circle" in svg


def test_question_set_pass_mark_comes_from_the_package():
    assert import_sample("questionset").pass_percent == 50


def test_higher_patch_replaces_library_lower_patch_keeps_it():
    services.activity_import(file=io.BytesIO(zip_bytes(package_files(library=library_json(patch=1)))),
                             name="a.h5p", may_install=True)
    old = H5PLibrary.objects.get()
    services.activity_import(file=io.BytesIO(zip_bytes(package_files(library=library_json(patch=3)))),
                             name="b.h5p", may_install=True)
    new = H5PLibrary.objects.get()
    assert new.pk == old.pk and new.patch_version == 3 and new.storage_path != old.storage_path
    services.activity_import(file=io.BytesIO(zip_bytes(package_files(library=library_json(patch=2)))),
                             name="c.h5p", may_install=True)
    assert H5PLibrary.objects.get().patch_version == 3
    services.activity_import(file=io.BytesIO(zip_bytes(package_files(library=library_json(minor=7)))),
                             name="d.h5p", may_install=True)
    assert H5PLibrary.objects.count() == 2  # another minor version lives beside it


def test_only_library_installers_add_libraries(django_capture_on_commit_callbacks):
    trainer = UserFactory()
    data = zip_bytes(package_files())
    with pytest.raises(ValidationError) as info:
        services.activity_import(file=io.BytesIO(data), name="a.h5p", user=trainer)
    assert info.value.code == "library-permission" and "H5P.TrueFalse-1.6/library.json" in info.value.messages[0]
    assert not H5PLibrary.objects.exists() and not H5PActivity.objects.exists()
    staff = UserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="install_h5p_libraries"))
    services.activity_import(file=io.BytesIO(data), name="a.h5p", user=staff)
    # now that the library exists, the trainer may upload content using it
    activity = services.activity_import(file=io.BytesIO(data), name="b.h5p", user=trainer)
    assert activity.uploaded_by == trainer and H5PLibrary.objects.count() == 1


def test_the_actor_is_the_session_user_and_every_attempt_is_kept(django_capture_on_commit_callbacks):
    activity = import_sample("truefalse")
    user, _lesson = learner_in_lesson(activity)
    received = []
    h5p_result_recorded.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = services.statement_record(user=user, activity=activity,
                                              statement=statement(activity, raw=0, response="true"))
            second = services.statement_record(user=user, activity=activity,
                                               statement=statement(activity, raw=1, response="false"))
            services.statement_record(user=user, activity=activity,
                                      statement={**statement(activity), "verb": {"id": VERB + "interacted"}})
    finally:
        h5p_result_recorded.disconnect(dispatch_uid="t")
    assert first.raw["actor"] == {"objectType": "Agent", "account": {"name": user.get_username()}}
    assert (first.score_percent, first.is_passed, second.score_percent, second.is_passed) == (D(0), False, D(100), True)
    assert H5PStatement.objects.filter(user=user).count() == 3
    assert H5PStatement.objects.filter(user=user, is_attempt=True).count() == 2
    assert [r["statement"] for r in received] == [first, second]


def test_a_forged_score_is_disputed_and_the_server_score_counts():
    activity = import_sample("multichoice")
    user, _lesson = learner_in_lesson(activity)
    forged = services.statement_record(user=user, activity=activity,
                                       statement=statement(activity, raw=1, response="2"))
    assert forged.is_rescored and forged.is_disputed
    assert (forged.claimed_raw, forged.score_raw, forged.score_percent, forged.is_passed) == (D(1), D(0), D(0), False)
    honest = services.statement_record(user=user, activity=activity,
                                       statement=statement(activity, raw=1, response="0"))
    assert honest.is_rescored and not honest.is_disputed and honest.is_passed


def test_question_set_is_rescored_from_its_child_statements():
    activity = import_sample("questionset")
    user, _lesson = learner_in_lesson(activity)
    questions = activity.content_json["questions"][:5]
    for i, q in enumerate(questions):
        right = next(n for n, a in enumerate(q["params"]["answers"]) if a["correct"])
        services.statement_record(user=user, activity=activity, statement=statement(
            activity, raw=1, response=str(right if i else right + 1), sub=q["subContentId"], parent=True))
    done = services.statement_record(user=user, activity=activity,
                                     statement=statement(activity, verb="completed", raw=5, max_=5))
    assert done.is_attempt and done.is_rescored and done.is_disputed
    assert (done.score_raw, done.score_max, done.score_percent, done.is_passed) == (D(4), D(5), D(80), True)
    assert H5PStatement.objects.filter(user=user, is_attempt=True).count() == 1  # children do not count


def test_unverifiable_claims_are_bounded():
    activity = import_sample("truefalse")
    activity.main_library = H5PLibrary.objects.get(machine_name="FontAwesome")  # a type we cannot re-score
    user, _lesson = learner_in_lesson(activity)
    with pytest.raises(ValidationError) as info:
        services.statement_record(user=user, activity=activity, statement=statement(activity, raw=9, max_=1))
    assert info.value.code == "invalid-claim" and not H5PStatement.objects.exists()


def test_people_outside_the_course_cannot_post_or_save_state():
    activity = import_sample("truefalse")
    learner_in_lesson(activity)
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.statement_record(user=stranger, activity=activity, statement=statement(activity))
    with pytest.raises(PermissionDenied):
        services.state_save(user=stranger, activity=activity, data="{}")
    assert not H5PStatement.objects.exists()


def test_state_is_saved_per_person_capped_and_reset(settings):
    activity = import_sample("truefalse")
    user, _lesson = learner_in_lesson(activity)
    services.state_save(user=user, activity=activity, data='{"answer": true}')
    services.state_save(user=user, activity=activity, data='{"answer": false}')
    assert selectors.state_for(user=user, activity=activity) == '{"answer": false}'
    settings.LMS_H5P_MAX_STATE_BYTES = 10
    with pytest.raises(ValidationError):
        services.state_save(user=user, activity=activity, data='{"answer": "x"}')
    assert selectors.state_for(user=user, activity=activity) == '{"answer": false}'
    services.state_save(user=user, activity=activity, data="0")
    assert selectors.state_for(user=user, activity=activity) is None


@pytest.mark.parametrize(("method", "passed"), [("highest", True), ("last", False), ("first", False),
                                                ("average", False)])
def test_grading_method_decides_the_pass(method, passed):
    activity = import_sample("truefalse")
    activity.grading_method = method
    activity.save()
    user, _lesson = learner_in_lesson(activity)
    for response in ("true", "false", "true"):
        services.statement_record(user=user, activity=activity, statement=statement(activity, response=response))
    status = selectors.status_for(user=user, activities=[activity])[activity.pk]
    assert status.attempts == 3 and status.is_passed is passed


def test_required_activity_blocks_lesson_completion_until_passed():
    activity = import_sample("truefalse")
    user, lesson = learner_in_lesson(activity)
    with pytest.raises(PermissionDenied) as info:
        course_services.lesson_complete(user=user, lesson=lesson)
    assert "Hello World" in str(info.value)
    assert not lesson.course.enrollments.get(user=user).lesson_completions.exists()
    services.statement_record(user=user, activity=activity, statement=statement(activity, response="false"))
    enrollment = course_services.lesson_complete(user=user, lesson=lesson)
    assert enrollment.lesson_completions.filter(lesson=lesson).exists()


def test_optional_activity_does_not_block_completion():
    activity = import_sample("truefalse")
    user, lesson = learner_in_lesson(activity, required=False)
    course_services.lesson_complete(user=user, lesson=lesson)


def test_reupload_replaces_content_and_keeps_results():
    activity = import_sample("truefalse")
    user, _lesson = learner_in_lesson(activity)
    services.statement_record(user=user, activity=activity, statement=statement(activity, response="false"))
    old_path = activity.storage_path
    with services.package_prepare(file=sample("truefalse"), may_install=True) as prepared:
        services.package_install(prepared=prepared, activity=activity, title="新标题")
    activity.refresh_from_db()
    assert activity.storage_path != old_path and activity.title == "新标题"
    assert H5PStatement.objects.filter(activity=activity).count() == 1
