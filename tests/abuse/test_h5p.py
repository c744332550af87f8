"""Abuse of the H5P activities (issue #22): forged xAPI claims, hostile packages (deep nesting, dependency
cycles, huge content.json) and the admin upload's temporary files.

A learner's browser is an adversary: a score it claims counts only where the server could check it or a
trainer chose to trust that activity. Each test plays the attacker through the real endpoint (the xAPI API,
the admin upload, the import command) and asserts what they get and what is stored.
"""

from __future__ import annotations

import importlib
import io
import json
import tempfile
import tracemalloc
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from certificates.models import Certificate
from courses import services as course_services
from courses.h5p import selectors, services
from courses.h5p.models import H5PActivity, H5PLibrary, H5PStatement
from courses.models import Enrollment
from lms.archive.models import TrainingRecord
from tests.factories import PersonFactory, make_course
from tests.h5p.factories import import_sample, library_json, make_h5p_lesson, package_files, zip_bytes

pytestmark = pytest.mark.django_db
VERB = "http://adlnet.gov/expapi/verbs/"


def claim(activity, *, verb="answered", raw=1, max_=1, response=None, sub=None) -> dict:
    """An xAPI statement as h5p-standalone posts it (PLAYBACK.md), with whatever score the attacker likes."""
    iri = f"http://testserver/h5p/activities/{activity.pk}/"
    result: dict = {"score": {"min": 0, "raw": raw, "max": max_}, "completion": True, "success": True}
    if response is not None:
        result["response"] = response
    data = {"verb": {"id": VERB + verb}, "object": {"id": iri + (f"?subContentId={sub}" if sub else "")},
            "result": result, "actor": {"account": {"name": "someone"}}}
    if sub:
        data["context"] = {"contextActivities": {"parent": [{"id": iri}]}}
    return data


def post(api, activity, body):
    raw = body if isinstance(body, str) else json.dumps(body)
    return api.post(f"/api/h5p/activities/{activity.pk}/statements/", raw, content_type="application/json")


def learner(activity, *, certification=False):
    """A person enrolled in a course whose only lesson requires ``activity``; their API client and lesson."""
    person = PersonFactory()
    course = make_course(lessons=0)
    if certification:
        from tests.certificates.factories import CertificationFactory

        CertificationFactory(courses=[course])
    lesson = make_h5p_lesson(course=course, activities=[activity], required=True)
    course_services.enrollment_create(user=person.user, course=course)
    api = APIClient()
    api.force_login(person.user)
    return person.user, api, lesson


def interactive_video(**fields) -> H5PActivity:
    """An activity whose type the server cannot re-score (H5P.InteractiveVideo)."""
    library = library_json(name="H5P.InteractiveVideo", major=1, minor=24)
    data = zip_bytes(package_files(library=library, content={"interactiveVideo": {"video": {}}}))
    return services.activity_import(file=io.BytesIO(data), name="iv.h5p", may_install=True, **fields)


def is_passed(user, activity) -> bool:
    return selectors.status_for(user=user, activities=[activity])[activity.pk].is_passed


def right_answer(params) -> str:
    return "[,]".join(str(i) for i, a in enumerate(params["answers"]) if a["correct"])


# --- forged claims on the types the server re-scores ------------------------------------------------------------

@pytest.mark.parametrize("key", ["truefalse", "multichoice", "xss"])
def test_a_full_score_without_a_response_is_refused_and_nothing_passes(key, django_capture_on_commit_callbacks):
    """The finding: one POST per activity, no ``response``, claimed 100 %, stored as passed. Now: 400."""
    activity = import_sample(key)
    user, api, lesson = learner(activity, certification=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, activity, claim(activity))
        for verb in ("completed", "passed"):  # other scoring verbs carry no answer either
            assert post(api, activity, claim(activity, verb=verb)).status_code == 400
    assert response.status_code == 400
    assert "cannot be checked by the server" in response.content.decode()
    assert not H5PStatement.objects.filter(user=user).exists()
    assert not is_passed(user, activity)
    with pytest.raises(PermissionDenied):
        course_services.lesson_complete(user=user, lesson=lesson)
    assert Enrollment.objects.get(user=user).completed_at is None
    assert not TrainingRecord.objects.filter(person__user=user).exists()
    assert not Certificate.objects.filter(user=user).exists()


def test_a_question_set_claim_without_answers_scores_zero():
    activity = import_sample("questionset")
    user, api, _lesson = learner(activity)
    response = post(api, activity, claim(activity, verb="completed", raw=5, max_=5))
    assert response.status_code == 201
    assert (response.json()["score_raw"], response.json()["is_passed"], response.json()["is_disputed"]) == (
        "0.00", False, True)
    assert not is_passed(user, activity)


@pytest.mark.parametrize(("raw", "max_"), [(1, 1), (5, 1), (-1, 1), (1, 5), (5, 5), ("NaN", 1), (1, 0)])
def test_any_claim_with_a_wrong_answer_counts_as_the_servers_zero(raw, max_):
    """Inflated raw, raw above max, negative, a max other than the package's: the server's score counts."""
    activity = import_sample("truefalse")  # the key is "false"
    user, api, _lesson = learner(activity)
    response = post(api, activity, claim(activity, raw=raw, max_=max_, response="true"))
    assert response.status_code == 201
    stored = H5PStatement.objects.get(user=user)
    assert (stored.score_raw, stored.score_max, stored.is_passed, stored.is_rescored) == (D(0), D(1), False, True)
    assert not is_passed(user, activity)


def test_a_right_answer_with_an_inflated_maximum_counts_the_packages_maximum():
    activity = import_sample("multichoice")
    user, api, _lesson = learner(activity)
    right = right_answer(activity.content_json)
    response = post(api, activity, claim(activity, raw=50, max_=50, response=right))
    assert response.status_code == 201
    stored = H5PStatement.objects.get(user=user)
    assert (stored.score_raw, stored.score_max, stored.is_disputed) == (D(1), D(1), True)
    assert (stored.claimed_raw, stored.claimed_max) == (D(50), D(50))


# --- types the server cannot re-score: the trainer decides --------------------------------------------------------

def test_an_unverifiable_claim_counts_only_as_completed_by_default(django_capture_on_commit_callbacks):
    activity = interactive_video()
    assert activity.claim_policy == "completion"
    user, api, lesson = learner(activity, certification=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, activity, claim(activity, verb="completed"))
    assert response.status_code == 201
    body = response.json()
    assert (body["is_attempt"], body["is_passed"], body["score_percent"], body["is_rescored"]) == (
        True, None, None, False)
    status = selectors.status_for(user=user, activities=[activity])[activity.pk]
    assert status.is_completed and not status.is_passed and status.grade_percent is None
    with pytest.raises(PermissionDenied):
        course_services.lesson_complete(user=user, lesson=lesson)
    page = api.get(lesson.url).content.decode()
    assert "counts as completed, not as passed" in page and 'data-h5p-status="required"' in page
    record = TrainingRecord.objects.get(person__user=user, kind="h5p")
    assert record.is_passed is None and record.score is None  # the archive holds a completion, not a pass
    assert not Certificate.objects.filter(user=user).exists()


def test_a_trainer_may_trust_an_activity_and_withdraw_the_trust(django_capture_on_commit_callbacks):
    activity = interactive_video(pass_percent=80)
    activity.claim_policy = "trust"
    activity.save()
    user, api, lesson = learner(activity, certification=True)
    assert post(api, activity, claim(activity, verb="completed", raw=7, max_=10)).status_code == 201
    assert not is_passed(user, activity)  # trusted, and 70 % is below the pass mark
    with django_capture_on_commit_callbacks(execute=True):
        assert post(api, activity, claim(activity, verb="completed", raw=9, max_=10)).status_code == 201
    assert is_passed(user, activity)
    activity.claim_policy = "completion"  # the trainer withdraws the trust: the claims stop counting
    activity.save()
    assert not is_passed(user, activity)
    with pytest.raises(PermissionDenied):
        course_services.lesson_complete(user=user, lesson=lesson)
    activity.claim_policy = "trust"
    activity.save()
    with django_capture_on_commit_callbacks(execute=True):
        course_services.lesson_complete(user=user, lesson=lesson)
    assert Enrollment.objects.get(user=user).completed_at is not None


def test_an_ignored_activity_keeps_claims_but_never_counts_them():
    activity = interactive_video(claim_policy="ignore")
    user, api, _lesson = learner(activity)
    assert post(api, activity, claim(activity, verb="completed")).status_code == 201
    assert H5PStatement.objects.filter(user=user, is_attempt=False).count() == 1
    assert selectors.status_for(user=user, activities=[activity])[activity.pk].attempts == 0


@pytest.mark.parametrize("policy", ["trust", "completion"])
@pytest.mark.parametrize("score", [
    '{"raw": 2, "max": 1}', '{"raw": -1, "max": 1}', '{"raw": NaN, "max": 1}', '{"raw": "NaN", "max": 1}',
    '{"raw": Infinity, "max": Infinity}', '{"raw": 1, "max": 0}', '{"raw": 1e400, "max": 1e400}',
    '{"raw": null, "max": 1}', '{"raw": true, "max": 1}', '{"raw": [1], "max": 1}', '{"raw": 0, "max": -5}',
])
def test_an_impossible_claim_is_refused_even_when_trusted(policy, score):
    activity = interactive_video(claim_policy=policy)
    user, api, _lesson = learner(activity)
    iri = f"http://testserver/h5p/activities/{activity.pk}/"
    body = f'{{"verb": {{"id": "{VERB}completed"}}, "object": {{"id": "{iri}"}}, "result": {{"score": {score}}}}}'
    response = post(api, activity, body)
    assert response.status_code == 400, response.content
    assert "not a possible score" in response.content.decode()
    assert not H5PStatement.objects.filter(user=user).exists()


def test_a_malformed_score_is_a_clear_400_not_a_500():
    activity = interactive_video(claim_policy="trust")
    _user, api, _lesson = learner(activity)
    for result in ({"score": "max"}, {"score": ["max"]}, "max"):
        body = {"verb": {"id": VERB + "completed"}, "object": {"id": "x"}, "result": result}
        assert post(api, activity, body).status_code in (201, 400)
    assert not H5PStatement.objects.filter(is_attempt=True).exists()


# --- replays ----------------------------------------------------------------------------------------------------

def test_replaying_a_question_sets_completed_statement_scores_nothing_new():
    activity = import_sample("questionset")
    user, api, _lesson = learner(activity)
    questions = activity.content_json["questions"][: activity.content_json["poolSize"]]
    for q in questions:
        assert post(api, activity, claim(activity, response=right_answer(q["params"]),
                                         sub=q["subContentId"])).status_code == 201
    done = claim(activity, verb="completed", raw=len(questions), max_=len(questions))
    first, replay = post(api, activity, done).json(), post(api, activity, done).json()
    assert (first["score_percent"], first["is_passed"]) == ("100.00", True)
    assert (replay["score_percent"], replay["is_passed"]) == ("0.00", False)  # the answers were used up
    # answering more questions than the pool draws is not one attempt: refused
    for q in activity.content_json["questions"]:
        post(api, activity, claim(activity, response=right_answer(q["params"]), sub=q["subContentId"]))
    assert post(api, activity, done).status_code == 400
    assert H5PStatement.objects.filter(user=user, is_attempt=True).count() == 2


def test_a_right_answer_replayed_against_another_activity_is_scored_by_that_activitys_key():
    tf, mc = import_sample("truefalse"), import_sample("multichoice")
    user, api, _lesson = learner(mc)
    honest_tf = claim(tf, response=tf.content_json.get("correct", "true"))
    response = post(api, mc, honest_tf)  # "false" is no index of a multiple-choice answer
    assert response.status_code == 201 and response.json()["is_passed"] is False
    assert post(api, tf, honest_tf).status_code == 403  # not enrolled where the true/false activity is used


def test_stored_claims_from_before_the_fix_lose_their_pass():
    """The migration demotes attempts that were stored from a browser's claim (the forged passes)."""
    activity = interactive_video()
    user, _api, _lesson = learner(activity)
    forged = H5PStatement.objects.create(
        activity=activity, user=user, verb="completed", raw={}, is_attempt=True, claimed_raw=1, claimed_max=1,
        score_raw=1, score_max=1, score_percent=100, is_passed=True,
    )
    activity.claim_policy = "trust"  # even a later trust does not resurrect a demoted claim
    activity.save()
    migration = importlib.import_module("courses.h5p.migrations.0002_add_activity_claim_policy")
    from django.apps import apps

    migration.demote_unverified_claims(apps, None)
    forged.refresh_from_db()
    assert (forged.score_percent, forged.is_passed) == (None, None)
    assert not is_passed(user, activity)


# --- hostile packages ---------------------------------------------------------------------------------------------

def deep_package(levels: int = 100_000) -> bytes:
    files = package_files()
    files["content/content.json"] = ('{"correct": "false", "x": ' + "[" * levels + "]" * levels + "}").encode()
    return zip_bytes(files)


def nothing_installed():
    assert not H5PActivity.objects.exists() and not H5PLibrary.objects.exists()


def test_deep_nesting_is_a_clear_refusal_in_the_command(tmp_path, capsys):
    path = tmp_path / "deep.h5p"
    path.write_bytes(deep_package())
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("h5p_import", str(path))
    out = capsys.readouterr().out
    assert "deep.h5p: refused: content/content.json: the JSON nests more than 100 levels deep" in out
    assert "Traceback" not in out
    nothing_installed()


def test_deep_nesting_is_a_form_error_in_the_admin_upload(admin_client):
    response = admin_client.post("/admin/snippets/lms_h5p/h5pactivity/add/", {
        "package": SimpleUploadedFile("deep.h5p", deep_package()), "title": "x", "grading_method": "highest",
        "pass_percent": 100, "claim_policy": "completion",
    })
    assert response.status_code == 200
    assert "content/content.json: the JSON nests more than 100 levels deep" in response.content.decode()
    nothing_installed()


def test_the_nesting_limit_is_a_setting(settings):
    settings.LMS_H5P_MAX_JSON_DEPTH = 5
    with pytest.raises(ValidationError, match="more than 5 levels"):
        services.activity_import(file=io.BytesIO(deep_package(6)), name="d.h5p", may_install=True)
    settings.LMS_H5P_MAX_JSON_DEPTH = 100
    services.activity_import(file=io.BytesIO(deep_package(50)), name="d.h5p", may_install=True)


def cycle_package(patch: int) -> bytes:
    """H5P.TrueFalse 1.6 needs H5P.Question 1.5, which needs H5P.TrueFalse 1.6."""
    question = library_json(name="H5P.Question", major=1, minor=5, patch=patch, runnable=0,
                            preloadedDependencies=[{"machineName": "H5P.TrueFalse", "majorVersion": 1,
                                                    "minorVersion": 6}])
    main = library_json(patch=patch, preloadedDependencies=[{"machineName": "H5P.Question", "majorVersion": 1,
                                                             "minorVersion": 5}])
    files = package_files(library=main, extra={
        "H5P.Question-1.5/library.json": json.dumps(question).encode(),
        "H5P.Question-1.5/js/main.js": b"",
    })
    return zip_bytes(files)


def test_a_dependency_cycle_is_refused_naming_it_and_installs_nothing(tmp_path, capsys):
    # first the libraries as they are today, without the cycle
    question = library_json(name="H5P.Question", major=1, minor=5, patch=1, runnable=0)
    main = library_json(patch=1, preloadedDependencies=[{"machineName": "H5P.Question", "majorVersion": 1,
                                                         "minorVersion": 5}])
    good = zip_bytes(package_files(library=main, extra={
        "H5P.Question-1.5/library.json": json.dumps(question).encode(), "H5P.Question-1.5/js/main.js": b""}))
    services.activity_import(file=io.BytesIO(good), name="good.h5p", may_install=True)
    before = sorted(H5PLibrary.objects.values_list("machine_name", "patch_version", "storage_path"))
    path = tmp_path / "cycle.h5p"
    path.write_bytes(cycle_package(patch=2))  # raised patch versions: they would replace the installed ones
    with pytest.raises(CommandError):
        call_command("h5p_import", str(path))
    out = capsys.readouterr().out
    assert "require each other in a cycle" in out
    assert "H5P.Question 1.5 → H5P.TrueFalse 1.6 → H5P.Question 1.5" in out
    assert sorted(H5PLibrary.objects.values_list("machine_name", "patch_version", "storage_path")) == before
    assert H5PActivity.objects.count() == 1


def test_a_cycle_with_an_installed_library_is_refused_too():
    """The package brings one side of the cycle; the other is already installed."""
    question = library_json(name="H5P.Question", major=1, minor=5, patch=1, runnable=0,
                            preloadedDependencies=[{"machineName": "H5P.TrueFalse", "majorVersion": 1,
                                                    "minorVersion": 6}])
    installed = zip_bytes(package_files(library=question, h5p={
        "title": "q", "language": "und", "mainLibrary": "H5P.Question", "embedTypes": ["div"],
        "preloadedDependencies": [{"machineName": "H5P.Question", "majorVersion": 1, "minorVersion": 5}],
    }, extra={"H5P.TrueFalse-1.6/library.json": json.dumps(library_json()).encode(),
              "H5P.TrueFalse-1.6/js/main.js": b""}))
    services.activity_import(file=io.BytesIO(installed), name="q.h5p", may_install=True)
    main = library_json(patch=2, preloadedDependencies=[{"machineName": "H5P.Question", "majorVersion": 1,
                                                         "minorVersion": 5}])
    with pytest.raises(ValidationError) as info:
        services.activity_import(file=io.BytesIO(zip_bytes(package_files(library=main))), name="tf.h5p",
                                 may_install=True)
    assert info.value.code == "dependency-cycle"
    assert H5PLibrary.objects.get(machine_name="H5P.TrueFalse").patch_version == 1


def big_content_package(megabytes: int) -> bytes:
    import base64
    import os

    text = base64.b64encode(os.urandom(megabytes * 768 * 1024)).decode()  # incompressible: no zip-bomb refusal
    return zip_bytes(package_files(content={"correct": "false", "question": text}))


def test_a_huge_content_json_is_refused_before_it_is_parsed(settings):
    settings.LMS_H5P_MAX_CONTENT_JSON_BYTES = 4 * 1024 * 1024
    data = big_content_package(20)  # a 20 MiB string; unbounded, parsing it cost ~14x its size
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with pytest.raises(ValidationError) as info:
            services.activity_import(file=io.BytesIO(data), name="big.h5p", may_install=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.code == "json-too-large"
    assert "content/content.json: the JSON file is larger than allowed (4194304 bytes)" in info.value.messages[0]
    assert peak < 8 * 1024 * 1024, peak  # streamed to disk in chunks, never read into memory
    nothing_installed()


# --- the admin upload's temporary files -------------------------------------------------------------------------

def test_an_admin_upload_with_another_invalid_field_leaves_no_temporary_files(admin_client, tmp_path, monkeypatch):
    from tests.h5p.factories import sample

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    response = admin_client.post("/admin/snippets/lms_h5p/h5pactivity/add/", {
        "package": SimpleUploadedFile("tf.h5p", sample("truefalse").read_bytes()), "title": "x",
        "grading_method": "highest", "pass_percent": 150, "claim_policy": "completion",  # pass mark > 100
    })
    assert response.status_code == 200 and "less than or equal to 100" in response.content.decode()
    assert not H5PActivity.objects.exists()
    assert not list(tmp_path.glob("lms-h5p-*"))


def test_a_lesson_cannot_require_an_activity_nobody_could_pass():
    """A required activity whose scores the server cannot check and nobody trusts would block the lesson for
    ever: the lesson editor refuses it (optional, or trusted, is fine)."""
    from wagtail.blocks.struct_block import StructBlockValidationError

    from courses.h5p.blocks import H5PActivityBlock

    block = H5PActivityBlock()
    activity = interactive_video()
    with pytest.raises(StructBlockValidationError) as info:
        block.clean({"activity": activity, "required": True})
    assert "nobody could ever pass it" in str(info.value.block_errors["required"])
    block.clean({"activity": activity, "required": False})
    block.clean({"activity": import_sample("truefalse"), "required": True})
    activity.claim_policy = "trust"
    activity.save()
    block.clean({"activity": activity, "required": True})
