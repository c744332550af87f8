"""The SCORM runtime on the server: attempts, commits (by sequence, checked whole, the LMS's own elements kept),
time, roll-up of several SCOs, grading, the finished signal, the archive and lesson completion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses import services as course_services
from courses.scorm import cmi, selectors, services
from courses.scorm import manifest as manifest_module
from courses.scorm.models import ScormAttempt, ScormScoState
from courses.scorm.signals import scorm_attempt_finished
from lms.archive.models import TrainingRecord
from tests.courses.scorm import packages
from tests.courses.scorm.packages import MULTI_12, activity_from, commit, learner_for, lesson_using, package
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def backdate(attempt: ScormAttempt, **delta) -> ScormAttempt:
    """Pretend the attempt started a while ago (time a package reports never outlasts the attempt)."""
    ScormAttempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - dt.timedelta(**delta))
    attempt.refresh_from_db()
    return attempt


def state_of(attempt: ScormAttempt, sco: str = "SCO-1") -> ScormScoState | None:
    return ScormScoState.objects.filter(attempt=attempt, sco=sco).first()


@pytest.fixture
def signals():
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    scorm_attempt_finished.connect(receiver, dispatch_uid="test-scorm-signals")
    yield sent
    scorm_attempt_finished.disconnect(dispatch_uid="test-scorm-signals")


def playing(data: bytes | None = None, **options):
    activity = activity_from(data, **options)
    user, lesson = learner_for(activity)
    return activity, user, lesson, services.attempt_open(user=user, activity=activity)


# --- commits by sequence ----------------------------------------------------------------------------------------


def test_commits_apply_in_sequence_and_a_stale_or_replayed_one_changes_nothing():
    _activity, _user, _lesson, attempt = playing()
    first = commit(attempt, {"cmi.core.lesson_location": "p1", "cmi.suspend_data": "a"}, seq=1)
    assert first == services.CommitOutcome(error=0, stored=True, finished=False)
    assert commit(attempt, {"cmi.core.lesson_location": "p3"}, seq=3).stored
    for seq in (3, 2, 1):  # replayed, then older ones arriving late
        assert commit(attempt, {"cmi.core.lesson_location": f"late{seq}"}, seq=seq) == services.CommitOutcome(
            error=0, stored=False)
    state = state_of(attempt)
    assert (state.seq, state.cmi) == (3, {"cmi.core.lesson_location": "p3", "cmi.suspend_data": "a"})


@pytest.mark.parametrize("seq", [0, -1, "2", 2.0, True, None, 2**63, 10**40])
def test_a_commit_without_a_proper_sequence_number_is_refused(seq):
    _activity, user, _lesson, attempt = playing()
    outcome = services.commit_record(user=user, attempt_id=attempt.pk, sco="SCO-1", seq=seq, session="s",
                                     data={"cmi.core.lesson_location": "p"})
    assert outcome == services.CommitOutcome(error=101, stored=False)
    assert state_of(attempt) is None
    assert commit(attempt, {"cmi.core.lesson_location": "p"}, seq=2**63 - 1).stored  # the largest one still fits


@pytest.mark.parametrize("data", [["cmi.core.lesson_location"], "cmi", None])
def test_a_commit_that_is_not_a_mapping_is_refused(data):
    _activity, _user, _lesson, attempt = playing()
    assert commit(attempt, data, seq=1).error == 101
    assert state_of(attempt) is None


WRONG_12 = [
    ({"cmi.core.score.raw": "abc"}, 405),
    ({"cmi.core.score.raw": "101"}, 405),
    ({"cmi.core.lesson_status": "done"}, 405),
    ({"cmi.core.session_time": "PT1H"}, 405),
    ({"cmi.core.score.raw": True}, 405),
    ({"cmi.core.nonsense": "1"}, 401),
    ({"cmi.interactions.1000.id": "q"}, 405),
    ({"cmi.interactions.01.id": "q"}, 401),
    ({"evil.element": "1"}, 401),
    ({"cmi.suspend_data": "x\x00y"}, 405),
]


@pytest.mark.parametrize(("cmi_data", "code"), WRONG_12)
def test_a_wrong_value_is_refused_with_its_scorm12_code_and_never_stored(cmi_data, code):
    """The runtime re-sends the whole CMI with every commit: the refused value is not stored (the earlier one
    stays), the others are, and the answer carries the SCORM error code and the element."""
    _activity, _user, _lesson, attempt = playing()
    commit(attempt, {"cmi.core.lesson_location": "p1", "cmi.core.score.raw": "10", "cmi.core.lesson_status":
                     "incomplete"}, seq=1)
    outcome = commit(attempt, {"cmi.core.lesson_location": "p2", **cmi_data}, seq=2)
    (element,) = cmi_data
    assert (outcome.error, outcome.stored, outcome.refused) == (code, True, (element,))
    state = state_of(attempt)
    assert (state.seq, state.cmi) == (2, {"cmi.core.lesson_location": "p2", "cmi.core.score.raw": "10",
                                          "cmi.core.lesson_status": "incomplete"})
    attempt.refresh_from_db()
    assert not attempt.is_completed and attempt.percent == D("10.00")


@pytest.mark.parametrize(("cmi_data", "code"), WRONG_12)
def test_a_commit_of_wrong_values_only_changes_nothing(cmi_data, code):
    _activity, _user, _lesson, attempt = playing()
    commit(attempt, {"cmi.core.lesson_location": "kept"}, seq=1)
    outcome = commit(attempt, cmi_data, seq=2)
    assert (outcome.error, outcome.stored) == (code, False)
    state = state_of(attempt)
    assert (state.seq, state.cmi, state.completion) == (1, {"cmi.core.lesson_location": "kept"}, "not attempted")


@pytest.mark.parametrize(("cmi_data", "code"), [
    ({"cmi.score.scaled": "2"}, 407),
    ({"cmi.progress_measure": "-0.1"}, 407),
    ({"cmi.completion_status": "done"}, 406),
    ({"cmi.session_time": "00:10:00"}, 406),
    ({"cmi.interactions.0.id": ""}, 406),
    ({"cmi.bogus": "1"}, 401),
])
def test_a_wrong_value_is_refused_with_its_scorm2004_code(cmi_data, code):
    _activity, _user, _lesson, attempt = playing(package(version="2004"))
    outcome = commit(attempt, cmi_data, seq=1)
    assert (outcome.error, outcome.stored, outcome.refused) == (code, False, tuple(cmi_data))
    assert state_of(attempt) is None  # not even an empty row for a refused first commit
    outcome = commit(attempt, {"cmi.location": "p", "cmi.completion_status": "completed", **cmi_data}, seq=1)
    assert (outcome.error, outcome.stored) == (code, True)
    state = state_of(attempt)
    assert set(state.cmi) == {"cmi.location", "cmi.completion_status"} - set(cmi_data)
    assert state.completion == ("unknown" if "cmi.completion_status" in cmi_data else "completed")


def test_the_lms_owns_identity_credit_entry_and_total_time_in_scorm12():
    _activity, user, _lesson, attempt = playing()
    backdate(attempt, hours=1)
    forged = {"cmi.core.student_id": "admin", "cmi.core.student_name": "Boss", "cmi.core.credit": "no-credit",
              "cmi.core.total_time": "9999:00:00", "cmi.core.entry": "resume", "cmi.core.lesson_mode": "review",
              "cmi.launch_data": "x", "cmi.student_data.mastery_score": "0", "cmi.core._children": "x",
              "cmi.interactions._count": "7", "cmi.objectives": {}, "cmi.core.lesson_location": "p2",
              "cmi.core.session_time": "00:01:00", "cmi.core.exit": "suspend"}
    assert commit(attempt, forged).stored
    state = state_of(attempt)
    assert set(state.cmi) == {"cmi.core.lesson_location", "cmi.core.session_time", "cmi.core.exit"}
    initial = selectors.initial_cmi(attempt=attempt, sco=attempt.package.sco("SCO-1"), state=state,
                                    person_name="王五")
    assert initial["cmi.core.student_id"] == user.get_username()
    assert initial["cmi.core.student_name"] == "王五"
    assert (initial["cmi.core.credit"], initial["cmi.core.lesson_mode"]) == ("credit", "normal")
    assert initial["cmi.core.total_time"] == "0000:01:00.00"
    assert initial["cmi.core.entry"] == "resume"  # the SCO suspended
    assert initial["cmi.launch_data"] == ""
    assert "cmi.core.session_time" not in initial and "cmi.core.exit" not in initial  # write-only
    assert "cmi.student_data.mastery_score" not in initial  # no mastery score in this manifest


def test_the_lms_owns_identity_credit_and_total_time_in_scorm2004():
    _activity, user, _lesson, attempt = playing(package([{"identifier": "SCO-1", "href": "index.html",
                                                          "mastery": "0.75"}], version="2004"))
    backdate(attempt, hours=1)
    forged = {"cmi.learner_id": "admin", "cmi.learner_name": "Boss", "cmi.credit": "no-credit", "cmi.mode": "review",
              "cmi.total_time": "PT999H", "cmi.scaled_passing_score": "0", "cmi.completion_threshold": "0",
              "cmi.entry": "resume", "adl.nav.request_valid.continue": "true", "cmi.location": "p2",
              "cmi.session_time": "PT90S"}
    assert commit(attempt, forged).stored
    state = state_of(attempt)
    assert set(state.cmi) == {"cmi.location", "cmi.session_time"}
    initial = selectors.initial_cmi(attempt=attempt, sco=attempt.package.sco("SCO-1"), state=state, person_name="王五")
    assert (initial["cmi.learner_id"], initial["cmi.credit"], initial["cmi.mode"]) == (user.get_username(), "credit",
                                                                                      "normal")
    assert initial["cmi.scaled_passing_score"] == "0.75"
    assert initial["cmi.total_time"] == "PT1M30S"
    assert initial["cmi.location"] == "p2" and initial["cmi.entry"] == ""


def test_the_time_limit_of_the_manifest_reaches_the_sco_in_both_versions():
    """1.2's adlcp:maxtimeallowed and 2004's imsss:attemptAbsoluteDurationLimit (with adlcp:timeLimitAction) are
    given to the SCO as the LMS's own values, and a forged one from the browser is not kept."""
    fixtures = Path(__file__).parent / "manifests"
    limits = {"scorm12_single.xml": ("cmi.student_data.max_time_allowed", "00:30:00",
                                     "cmi.student_data.time_limit_action", "exit,message"),
              "scorm2004_4th.xml": ("cmi.max_time_allowed", "PT45M", "cmi.time_limit_action", "exit,no message")}
    for name, (limit_element, limit, action_element, action) in limits.items():
        parsed = manifest_module.parse((fixtures / name).read_bytes())
        files = {"imsmanifest.xml": (fixtures / name).read_bytes(), **{sco.path: packages.PAGE for sco in parsed.scos}}
        _activity, _user, _lesson, attempt = playing(packages.zip_bytes(files))
        sco = attempt.package.tracked_scos[0]
        assert commit(attempt, {limit_element: "PT9H" if "2004" in name else "09:00:00"}, sco=sco["identifier"]).stored
        state = state_of(attempt, sco["identifier"])
        initial = selectors.initial_cmi(attempt=attempt, sco=sco, state=state, person_name="")
        assert (initial[limit_element], initial[action_element]) == (limit, action), name


def test_scorm12_interactions_are_stored_but_never_read_back():
    _activity, _user, _lesson, attempt = playing()
    commit(attempt, {"cmi.interactions.0.id": "q1", "cmi.interactions.0.student_response": "b",
                     "cmi.interactions.0.result": "correct", "cmi.core.lesson_location": "p"})
    state = state_of(attempt)
    assert state.cmi["cmi.interactions.0.student_response"] == "b"
    initial = selectors.initial_cmi(attempt=attempt, sco=attempt.package.sco("SCO-1"), state=state, person_name="")
    assert not any(key.startswith("cmi.interactions.") for key in initial)


# --- time --------------------------------------------------------------------------------------------------------


def test_session_time_accumulates_across_sessions():
    _activity, _user, _lesson, attempt = playing()
    backdate(attempt, hours=3)
    commit(attempt, {"cmi.core.session_time": "00:10:00"}, session="s1")
    commit(attempt, {"cmi.core.session_time": "00:20:00"}, session="s1")  # the same session, reported again
    commit(attempt, {"cmi.core.lesson_location": "p"}, session="s1")  # no time in this commit: the session's stays
    attempt.refresh_from_db()
    assert attempt.seconds == D(1200)
    commit(attempt, {"cmi.core.session_time": "00:05:00.5"}, session="s2")
    commit(attempt, {"cmi.core.lesson_location": "q"}, session="s3")  # a session that reported no time adds none
    state = state_of(attempt)
    assert (state.total_seconds, state.session_seconds) == (D("1500.5"), D(0))
    attempt.refresh_from_db()
    assert attempt.seconds == D("1500.5")
    initial = selectors.initial_cmi(attempt=attempt, sco=attempt.package.sco("SCO-1"), state=state, person_name="")
    assert initial["cmi.core.total_time"] == "0000:25:00.50"


def test_reported_time_cannot_outlast_the_attempt():
    """The package reports its time in the browser: a forged session (or a thousand of them) may not add more
    hours to the training archive than the attempt has lasted."""
    _activity, _user, _lesson, attempt = playing(package(version="2004"))
    backdate(attempt, minutes=30)
    for n in range(5):
        assert commit(attempt, {"cmi.session_time": "P9999999999Y"}, session=f"forged-{n}").stored
    attempt.refresh_from_db()
    assert D(1700) < attempt.seconds <= D(1900)
    state = state_of(attempt)
    assert state.time_spent <= D(1900)


def test_a_huge_raw_score_is_kept_in_the_cmi_and_the_attempt_stays_readable():
    """SCORM 2004's raw score is any real number; the summary columns are bounded (SQLite would store the value and
    then fail to read the row back, PostgreSQL would refuse it)."""
    _activity, _user, _lesson, attempt = playing(package(version="2004"))
    huge = "9" * 30
    assert commit(attempt, {"cmi.score.raw": huge, "cmi.score.max": huge, "cmi.score.min": "-" + huge,
                            "cmi.score.scaled": "0.5"}).stored
    state = state_of(attempt)
    assert (state.cmi["cmi.score.raw"], state.score_raw, state.score_max, state.score_min) == (huge, None, None, None)
    assert state.score_scaled == D("0.5")
    attempt.refresh_from_db()
    assert attempt.percent == D("50.00")
    assert commit(attempt, {"cmi.score.raw": "12345678.5"}).stored
    assert state_of(attempt).score_raw == D("12345678.5")


def test_time_sums_over_the_scos_of_an_attempt():
    _activity, _user, _lesson, attempt = playing(package(MULTI_12))
    backdate(attempt, hours=1)
    commit(attempt, {"cmi.core.session_time": "00:03:00"}, sco="SCO-A")
    commit(attempt, {"cmi.core.session_time": "00:04:00"}, sco="SCO-B")
    attempt.refresh_from_db()
    assert attempt.seconds == D(420)


# --- several SCOs, assets, sco names -------------------------------------------------------------------------------


def test_a_multi_sco_activity_is_completed_only_when_every_sco_is(signals, django_capture_on_commit_callbacks):
    _activity, _user, _lesson, attempt = playing(package(MULTI_12))
    with django_capture_on_commit_callbacks(execute=True):
        commit(attempt, {"cmi.core.lesson_status": "completed"}, sco="SCO-A", terminate=True)
    attempt.refresh_from_db()
    assert not attempt.is_completed and not attempt.is_finished and signals == []
    with django_capture_on_commit_callbacks(execute=True):
        outcome = commit(attempt, {"cmi.core.lesson_status": "passed"}, sco="SCO-B", terminate=True)
    assert outcome.finished
    attempt.refresh_from_db()
    assert attempt.is_completed and attempt.is_finished and attempt.is_passed is True
    assert len(signals) == 1


@pytest.mark.parametrize("sco", ["ASSET", "NOPE", "", "../SCO-A"])
def test_only_the_packages_scos_take_commits(sco):
    _activity, user, _lesson, attempt = playing(package(MULTI_12))
    with pytest.raises(PermissionDenied):
        services.commit_record(user=user, attempt_id=attempt.pk, sco=sco, seq=1, session="s",
                               data={"cmi.core.lesson_status": "completed"})
    assert not ScormScoState.objects.exists()


# --- attempts -------------------------------------------------------------------------------------------------------


def finish(attempt: ScormAttempt, **cmi_data) -> ScormAttempt:
    data = {"cmi.core.lesson_status": "completed", **cmi_data}
    assert commit(attempt, data, terminate=True).finished
    attempt.refresh_from_db()
    return attempt


def test_one_open_attempt_at_a_time_and_the_limit_on_attempts():
    activity, user, _lesson, attempt = playing(max_attempts=2)
    assert services.attempt_open(user=user, activity=activity).pk == attempt.pk
    with pytest.raises(ValidationError, match="Finish the attempt"):
        services.attempt_open(user=user, activity=activity, new=True)
    finish(attempt)
    assert services.attempt_open(user=user, activity=activity).pk == attempt.pk  # shows the finished one
    second = services.attempt_open(user=user, activity=activity, new=True)
    assert second.number == 2
    status = selectors.status_for(user=user, activities=[activity])[activity.pk]
    assert (status.attempts, status.open_attempt, status.attempts_left) == (1, second, 0)
    finish(second)
    with pytest.raises(ValidationError, match="all 2 attempts"):
        services.attempt_open(user=user, activity=activity, new=True)
    assert ScormAttempt.objects.filter(user=user).count() == 2


def test_a_finished_attempt_takes_no_more_commits():
    _activity, _user, _lesson, attempt = playing()
    finish(attempt, **{"cmi.core.score.raw": "50"})
    outcome = commit(attempt, {"cmi.core.score.raw": "100"})
    assert outcome == services.CommitOutcome(error=101, stored=False, finished=True)
    attempt.refresh_from_db()
    assert attempt.percent == D("50.00")


def test_a_completed_attempt_whose_window_closed_is_finished_when_the_learner_returns(
        signals, django_capture_on_commit_callbacks):
    activity, user, _lesson, attempt = playing()
    with django_capture_on_commit_callbacks(execute=True):
        commit(attempt, {"cmi.core.lesson_status": "completed"})  # no terminate: the tab was closed
    attempt.refresh_from_db()
    assert attempt.is_completed and not attempt.is_finished and signals == []
    with django_capture_on_commit_callbacks(execute=True):
        again = services.attempt_open(user=user, activity=activity)
    assert again.pk == attempt.pk and again.is_finished and len(signals) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_open(user=user, activity=activity)
        commit(attempt, {"cmi.core.lesson_status": "completed"}, terminate=True)
    assert len(signals) == 1


def test_an_activity_without_a_package_cannot_be_played():
    from courses.scorm.models import ScormActivity

    activity = ScormActivity.objects.create(title="empty")
    user, _lesson = learner_for(activity)
    with pytest.raises(ValidationError, match="no package"):
        services.attempt_open(user=user, activity=activity)


# --- grading -------------------------------------------------------------------------------------------------------

MASTERY_80 = [{"identifier": "SCO-1", "href": "index.html", "mastery": 80}]


@pytest.mark.parametrize(("method", "grade", "passed"), [
    ("highest", D("90.00"), True),
    ("first", D("60.00"), False),
    ("last", D("70.00"), False),
    ("average", D("73.33"), False),
])
def test_grading_methods_over_several_attempts(method, grade, passed):
    activity = activity_from(package(MASTERY_80), grading_method=method, claim_policy="trust")
    user, _lesson = learner_for(activity)
    for score in ("60", "90", "70"):
        attempt = services.attempt_open(user=user, activity=activity, new=ScormAttempt.objects.exists())
        finish(attempt, **{"cmi.core.score.raw": score})
        assert attempt.is_passed is (int(score) >= 80)
    status = selectors.status_for(user=user, activities=[activity])[activity.pk]
    assert (status.attempts, status.grade_percent, status.is_passed, status.is_completed) == (3, grade, passed, True)
    assert status.is_satisfied is passed


def test_an_open_attempt_does_not_count_towards_the_grade():
    activity = activity_from(package(MASTERY_80), claim_policy="trust")
    user, _lesson = learner_for(activity)
    attempt = services.attempt_open(user=user, activity=activity)
    commit(attempt, {"cmi.core.score.raw": "95", "cmi.core.lesson_status": "incomplete"})
    status = selectors.status_for(user=user, activities=[activity])[activity.pk]
    assert (status.attempts, status.grade_percent, status.is_passed, status.is_satisfied) == (0, None, False, False)


def test_completion_policy_ignores_the_packages_score_and_pass():
    activity = activity_from(package(MASTERY_80))
    user, _lesson = learner_for(activity)
    finish(services.attempt_open(user=user, activity=activity),
           **{"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "100"})
    status = selectors.status_for(user=user, activities=[activity])[activity.pk]
    assert (status.grade_percent, status.is_passed, status.is_completed, status.is_satisfied) == (None, False, True,
                                                                                                   True)


def test_status_of_someone_who_never_played():
    activity = activity_from(package())
    status = selectors.status_for(user=UserFactory(), activities=[activity])[activity.pk]
    assert (status.attempts, status.open_attempt, status.grade_percent, status.is_satisfied) == (0, None, None, False)


# --- the signal and the archive ------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["completion", "trust"])
def test_one_signal_and_one_archive_record_per_finished_attempt(policy, signals, django_capture_on_commit_callbacks):
    activity = activity_from(package(MASTERY_80), claim_policy=policy, title="消防演练")
    user, _lesson = learner_for(activity)
    PersonFactory(user=user)
    attempt = backdate(services.attempt_open(user=user, activity=activity), hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        commit(attempt, {"cmi.core.session_time": "01:30:00", "cmi.core.score.raw": "85",
                         "cmi.core.lesson_status": "completed"}, terminate=True)
        commit(attempt, {"cmi.core.lesson_status": "completed"}, terminate=True)  # refused: already finished
    attempt.refresh_from_db()
    assert len(signals) == 1
    sent = signals[0]
    assert sent["attempt"].pk == attempt.pk and sent["user"] == user and sent["activity"] == activity
    record = TrainingRecord.objects.get(kind="scorm")
    assert (record.title, record.hours, record.reference) == ("消防演练", D("1.5"), "1")
    assert record.occurred_at == attempt.finished_at
    if policy == "trust":
        assert (sent["percent"], sent["is_passed"]) == (D("85.00"), True)
        assert (record.score, record.max_score, record.is_passed, record.outcome) == (D("85.00"), D(100), True, "")
    else:
        assert (sent["percent"], sent["is_passed"]) == (None, None)
        assert (record.score, record.max_score, record.is_passed, record.outcome) == (None, None, None, "completed")

    with django_capture_on_commit_callbacks(execute=True):
        second = services.attempt_open(user=user, activity=activity, new=True)
        finish(second)
    assert len(signals) == 2
    assert TrainingRecord.objects.filter(kind="scorm").count() == 2


def test_no_archive_record_for_an_account_without_a_person(django_capture_on_commit_callbacks):
    _activity, _user, _lesson, attempt = playing()
    with django_capture_on_commit_callbacks(execute=True):
        finish(attempt)
    assert not TrainingRecord.objects.filter(kind="scorm").exists()


# --- lesson completion ---------------------------------------------------------------------------------------------


def test_a_required_activity_blocks_lesson_completion_until_it_is_completed():
    activity, user, lesson, attempt = playing(title="灭火器使用")
    with pytest.raises(PermissionDenied) as info:
        course_services.lesson_complete(user=user, lesson=lesson)
    assert "灭火器使用" in str(info.value)
    commit(attempt, {"cmi.core.lesson_status": "completed"})  # completed but not finished: still open
    with pytest.raises(PermissionDenied):
        course_services.lesson_complete(user=user, lesson=lesson)
    services.attempt_open(user=user, activity=activity)  # the learner comes back: the attempt finishes
    enrollment = course_services.lesson_complete(user=user, lesson=lesson)
    assert enrollment.lesson_completions.filter(lesson=lesson).exists()


def test_a_trusted_activity_must_be_passed_to_complete_the_lesson():
    activity, user, lesson, attempt = playing(package(MASTERY_80), claim_policy="trust")
    finish(attempt, **{"cmi.core.score.raw": "50"})
    with pytest.raises(PermissionDenied):
        course_services.lesson_complete(user=user, lesson=lesson)
    finish(services.attempt_open(user=user, activity=activity, new=True), **{"cmi.core.score.raw": "80"})
    course_services.lesson_complete(user=user, lesson=lesson)


def test_an_optional_activity_does_not_block_the_lesson():
    activity = activity_from(package())
    user, lesson = learner_for(activity, required=False)
    course_services.lesson_complete(user=user, lesson=lesson)


def test_someone_elses_finished_attempt_does_not_complete_my_lesson():
    activity, other, _lesson, attempt = playing()
    finish(attempt)
    user, lesson = learner_for(activity)
    with pytest.raises(PermissionDenied):
        course_services.lesson_complete(user=user, lesson=lesson)


# --- who may play and commit ---------------------------------------------------------------------------------------


def test_nobody_commits_to_someone_elses_attempt():
    activity, _owner, _lesson, attempt = playing()
    intruder, _ = learner_for(activity)  # even one enrolled in the same activity
    for user in (intruder, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.commit_record(user=user, attempt_id=attempt.pk, sco="SCO-1", seq=1, session="s",
                                   data={"cmi.core.lesson_status": "completed"})
    with pytest.raises(PermissionDenied):
        services.commit_record(user=intruder, attempt_id=10**9, sco="SCO-1", seq=1, session="s", data={})
    assert not ScormScoState.objects.exists()


def test_a_deactivated_account_cannot_commit_or_open():
    activity, user, _lesson, attempt = playing()
    user.is_active = False
    user.save()
    with pytest.raises(PermissionDenied):
        commit(attempt, {"cmi.core.lesson_status": "completed"})
    with pytest.raises(PermissionDenied):
        services.attempt_open(user=user, activity=activity)


def test_only_people_enrolled_in_a_live_lesson_using_the_activity_may_open_it():
    activity = activity_from(package())
    other = activity_from(package())
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.attempt_open(user=outsider, activity=activity)
    learner, _lesson = learner_for(other)  # enrolled, but for another activity
    with pytest.raises(PermissionDenied):
        services.attempt_open(user=learner, activity=activity)
    lesson = lesson_using([activity])  # the activity's lesson, in a course the learner is not in
    with pytest.raises(PermissionDenied):
        services.attempt_open(user=learner, activity=activity)
    lesson.unpublish()
    course_services.enrollment_create(user=outsider, course=lesson.get_parent().specific)
    with pytest.raises(PermissionDenied):  # enrolled, but the lesson is no longer live
        services.attempt_open(user=outsider, activity=activity)
    assert not ScormAttempt.objects.exists()


def test_trainers_may_preview_without_enrolling():
    from django.contrib.auth.models import Group

    activity = activity_from(package())
    trainer = UserFactory()
    trainer.groups.add(Group.objects.get(name="Trainer"))
    assert services.attempt_open(user=trainer, activity=activity).number == 1


def test_the_summary_matches_the_data_model():
    """Sanity: the attempt's fields come from cmi.summarise and rules (as the unit tests pin down)."""
    _activity, _user, _lesson, attempt = playing(package(MASTERY_80))
    commit(attempt, {"cmi.core.score.raw": "8", "cmi.core.score.max": "10", "cmi.core.score.min": "0",
                     "cmi.core.lesson_status": "completed"})
    attempt.refresh_from_db()
    state = state_of(attempt)
    assert (state.completion, state.success, state.score_raw, state.score_scaled) == (
        "completed", "unknown", D(8), D("0.8"))
    assert (attempt.is_completed, attempt.is_passed, attempt.percent) == (True, True, D("80.00"))
    assert cmi.summarise("1.2", state.cmi).score_max == D(10)


def test_a_learner_unenrolled_since_the_attempt_began_can_no_longer_commit():
    from django.core.cache import cache

    from courses.models import Enrollment

    _activity, user, _lesson, attempt = playing()
    assert commit(attempt, {"cmi.core.lesson_location": "p1"}).stored
    Enrollment.objects.filter(user=user).delete()
    cache.clear()  # a "yes" is cached for a minute: the refusal holds once it expires
    with pytest.raises(PermissionDenied):
        commit(attempt, {"cmi.core.lesson_location": "p2"})
    assert state_of(attempt).cmi["cmi.core.lesson_location"] == "p1"
