"""The CMI data model checked on the server: pure, no database."""

from decimal import Decimal as D

import pytest

from courses.scorm import cmi
from courses.scorm.cmi import Summary

# What scorm-again (dataCommitFormat "flattened") posts for a SCORM 1.2 SCO that set a few elements: every element,
# set or not, the LMS's own ones included, and an empty array as {}.
COMMIT_12 = {
    "cmi.suspend_data": "slide=4;answers=1,0,1",
    "cmi.launch_data": "mode=exam",
    "cmi.comments": "",
    "cmi.comments_from_lms": "",
    "cmi.core.student_id": "forged",
    "cmi.core.student_name": "Forged, Name",
    "cmi.core.lesson_location": "slide-4",
    "cmi.core.credit": "credit",
    "cmi.core.lesson_status": "incomplete",
    "cmi.core.entry": "ab-initio",
    "cmi.core.lesson_mode": "normal",
    "cmi.core.exit": "suspend",
    "cmi.core.session_time": "00:12:30.5",
    "cmi.core.total_time": "9999:00:00",
    "cmi.core.score.raw": "40",
    "cmi.core.score.min": "",
    "cmi.core.score.max": "100",
    "cmi.objectives": {},
    "cmi.student_data.mastery_score": "0",
    "cmi.student_data.max_time_allowed": "",
    "cmi.student_data.time_limit_action": "",
    "cmi.student_preference.audio": "",
    "cmi.student_preference.language": "",
    "cmi.student_preference.speed": "",
    "cmi.student_preference.text": "",
    "cmi.interactions.0.id": "Scene1_Slide3_MultiChoice_0_0",
    "cmi.interactions.0.time": "14:03:27",
    "cmi.interactions.0.type": "choice",
    "cmi.interactions.0.weighting": "1",
    "cmi.interactions.0.student_response": "b",
    "cmi.interactions.0.result": "wrong",
    "cmi.interactions.0.latency": "00:00:07.25",
    "cmi.interactions.0.objectives": {},
    "cmi.interactions.0.correct_responses.0.pattern": "a",
}
WRITTEN_12 = {
    "cmi.suspend_data", "cmi.comments", "cmi.core.lesson_location", "cmi.core.lesson_status", "cmi.core.exit",
    "cmi.core.session_time", "cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max",
    "cmi.student_preference.audio", "cmi.student_preference.language", "cmi.student_preference.speed",
    "cmi.student_preference.text", "cmi.interactions.0.id", "cmi.interactions.0.time", "cmi.interactions.0.type",
    "cmi.interactions.0.weighting", "cmi.interactions.0.student_response", "cmi.interactions.0.result",
    "cmi.interactions.0.latency", "cmi.interactions.0.correct_responses.0.pattern",
}

COMMIT_2004 = {
    "cmi.comments_from_learner.0.comment": "{lang=en}Too long",
    "cmi.comments_from_learner.0.location": "page-2",
    "cmi.comments_from_learner.0.timestamp": "2025-03-01T10:00:00.5+01:00",
    "cmi.comments_from_lms": {},
    "cmi.completion_status": "completed",
    "cmi.completion_threshold": "0.8",
    "cmi.credit": "credit",
    "cmi.entry": "",
    "cmi.exit": "normal",
    "cmi.interactions.0.id": "urn:example:q1",
    "cmi.interactions.0.type": "fill-in",
    "cmi.interactions.0.objectives.0.id": "obj-1",
    "cmi.interactions.0.timestamp": "2025-03-01T10:02:03",
    "cmi.interactions.0.weighting": "1.5",
    "cmi.interactions.0.learner_response": "anything at all, per-type patterns are not checked",
    "cmi.interactions.0.result": "incorrect",
    "cmi.interactions.0.latency": "PT12.3S",
    "cmi.interactions.0.description": "{lang=de}Frage 1",
    "cmi.interactions.0.correct_responses.0.pattern": "{case_matters=true}Oslo",
    "cmi.launch_data": "",
    "cmi.learner_id": "forged",
    "cmi.learner_name": "Forged",
    "cmi.learner_preference.audio_level": "1",
    "cmi.learner_preference.language": "",
    "cmi.learner_preference.delivery_speed": "1",
    "cmi.learner_preference.audio_captioning": "0",
    "cmi.location": "page-7",
    "cmi.max_time_allowed": "",
    "cmi.mode": "normal",
    "cmi.objectives.0.id": "obj-1",
    "cmi.objectives.0.success_status": "passed",
    "cmi.objectives.0.completion_status": "completed",
    "cmi.objectives.0.progress_measure": "1",
    "cmi.objectives.0.description": "",
    "cmi.objectives.0.score.scaled": "0.9",
    "cmi.objectives.0.score.raw": "9",
    "cmi.objectives.0.score.min": "0",
    "cmi.objectives.0.score.max": "10",
    "cmi.progress_measure": "1",
    "cmi.scaled_passing_score": "0.1",
    "cmi.score.scaled": "0.85",
    "cmi.score.raw": "85",
    "cmi.score.min": "0",
    "cmi.score.max": "100",
    "cmi.session_time": "PT1H2M3.5S",
    "cmi.success_status": "passed",
    "cmi.suspend_data": "{\"v\":1}",
    "cmi.time_limit_action": "continue,no message",
    "cmi.total_time": "PT999H",
    "adl.nav.request": "continue",
    "adl.nav.request_valid.continue": "true",
    "adl.nav.request_valid.choice.{target=intro.v2}": "true",
}
LMS_OWNED_2004 = {"cmi.comments_from_lms", "cmi.completion_threshold", "cmi.credit", "cmi.entry", "cmi.launch_data",
                  "cmi.learner_id", "cmi.learner_name", "cmi.max_time_allowed", "cmi.mode",
                  "cmi.scaled_passing_score", "cmi.time_limit_action", "cmi.total_time",
                  "adl.nav.request_valid.continue", "adl.nav.request_valid.choice.{target=intro.v2}"}


@pytest.mark.parametrize(("version", "expected"), [("1.2", "1.2"), ("2004", "2004"), ("2004-2", "2004"),
                                                   ("2004-3", "2004"), ("2004-4", "2004")])
def test_family(version, expected):
    assert cmi.family(version) == expected


@pytest.mark.parametrize("version", ["", "1.1", "2004x", "2004-", "1.3", "cmi5"])
def test_family_of_something_else(version):
    with pytest.raises(ValueError, match="not a SCORM version"):
        cmi.family(version)


def test_a_full_scorm_again_commit_12_keeps_what_the_sco_writes_and_drops_the_rest():
    stored, errors = cmi.check("1.2", COMMIT_12)
    assert errors == []
    assert set(stored) == WRITTEN_12
    assert stored["cmi.core.lesson_status"] == "incomplete"
    assert "cmi.core.student_id" not in stored and "cmi.core.total_time" not in stored


@pytest.mark.parametrize("version", ["2004-2", "2004-3", "2004-4"])
def test_a_full_scorm_again_commit_2004_keeps_what_the_sco_writes_and_drops_the_rest(version):
    stored, errors = cmi.check(version, COMMIT_2004)
    assert errors == []
    assert set(stored) == set(COMMIT_2004) - LMS_OWNED_2004
    assert stored["adl.nav.request"] == "continue"


@pytest.mark.parametrize(("version", "key"), [
    ("1.2", "cmi.core._children"), ("1.2", "cmi.core.score._children"), ("1.2", "cmi._children"),
    ("1.2", "cmi._version"), ("1.2", "cmi.objectives._count"), ("1.2", "cmi.interactions.0.objectives._count"),
    ("1.2", "cmi.student_data.mastery_score"), ("1.2", "cmi.student_preference._children"),
    ("2004", "cmi._version"), ("2004", "cmi.interactions._count"), ("2004", "cmi.score._children"),
    ("2004", "cmi.comments_from_lms.0.comment"), ("2004", "cmi.comments_from_lms._count"),
    ("2004", "adl.nav.request_valid.previous"), ("2004", "adl.data.0.id"), ("2004", "cmi.objectives.0.score._children"),
])
def test_elements_the_lms_owns_are_dropped_silently(version, key):
    assert cmi.check(version, {key: "forged"}) == ({}, [])


@pytest.mark.parametrize(("version", "key"), [
    ("1.2", "cmi.core.bogus"), ("1.2", "cmi.bogus"), ("1.2", "cmi.interactions.0.bogus"),
    ("1.2", "cmi.interactions.x.id"), ("1.2", "cmi.interactions.01.id"), ("1.2", "cmi.interactions.-1.id"),
    ("1.2", "cmi.interactions.n.id"), ("1.2", "cmi.interactions.id"), ("1.2", "cmi.core.score"), ("1.2", "cmi"),
    ("1.2", ""), ("1.2", "cmi..core.exit"), ("1.2", "core.exit"), ("1.2", "cmi.completion_status"),
    ("1.2", "adl.nav.request"), ("1.2", "cmi.interactions.٣.id"), ("1.2", "cmi.core.exit."),
    ("2004", "cmi.core.lesson_status"), ("2004", "cmi.interactions.0.student_response"), ("2004", "cmi.bogus"),
    ("2004", "adl.nav.bogus"), ("2004", "cmi.interactions.0.objectives.0.pattern"), ("2004", "x" * 300),
    ("2004", "cmi." + "a." * 150 + "id"),
])
def test_unknown_elements_are_401(version, key):
    assert cmi.check(version, {key: "x"}) == ({}, [(key, 401)])


def test_a_key_that_is_not_a_string_is_401():
    assert cmi.check("2004", {3: "x"}) == ({}, [("3", 401)])


CASES_12 = [
    # (element, value, error code or None)
    ("cmi.core.lesson_status", "passed", None), ("cmi.core.lesson_status", "completed", None),
    ("cmi.core.lesson_status", "failed", None), ("cmi.core.lesson_status", "incomplete", None),
    ("cmi.core.lesson_status", "browsed", None), ("cmi.core.lesson_status", "not attempted", None),
    ("cmi.core.lesson_status", "", 405), ("cmi.core.lesson_status", "Passed", 405),
    ("cmi.core.lesson_status", "unknown", 405),
    ("cmi.core.lesson_location", "x" * 255, None), ("cmi.core.lesson_location", "x" * 256, 405),
    ("cmi.core.score.raw", "0", None), ("cmi.core.score.raw", "100", None), ("cmi.core.score.raw", "99.5", None),
    ("cmi.core.score.raw", "", None), ("cmi.core.score.raw", "100.01", 405), ("cmi.core.score.raw", "-1", 405),
    ("cmi.core.score.raw", "abc", 405), ("cmi.core.score.raw", "1e2", 405), ("cmi.core.score.min", ".5", None),
    ("cmi.core.score.max", "101", 405),
    ("cmi.core.exit", "", None), ("cmi.core.exit", "time-out", None), ("cmi.core.exit", "suspend", None),
    ("cmi.core.exit", "logout", None), ("cmi.core.exit", "normal", 405), ("cmi.core.exit", "SUSPEND", 405),
    ("cmi.core.session_time", "0000:00:00", None), ("cmi.core.session_time", "00:00:00", None),
    ("cmi.core.session_time", "123:45:07", None), ("cmi.core.session_time", "9999:59:59.99", None),
    ("cmi.core.session_time", "01:02:03.4", None), ("cmi.core.session_time", "1:2:3", 405),
    ("cmi.core.session_time", "0:00:05", None),
    ("cmi.core.session_time", "1:02:03", None), ("cmi.core.session_time", "10000:00:00", 405),
    ("cmi.core.session_time", "00:00:00.123", 405), ("cmi.core.session_time", "00:00:00.", 405),
    ("cmi.core.session_time", "00:0:00", 405), ("cmi.core.session_time", "PT1H", 405),
    ("cmi.suspend_data", "x" * 64000, None), ("cmi.suspend_data", "x" * 64001, 405),
    ("cmi.comments", "x" * 4096, None), ("cmi.comments", "x" * 4097, 405),
    ("cmi.objectives.0.id", "obj_1", None), ("cmi.objectives.0.id", "x" * 256, 405),
    ("cmi.objectives.3.score.raw", "50", None), ("cmi.objectives.3.score.max", "150", 405),
    ("cmi.objectives.0.status", "passed", None), ("cmi.objectives.0.status", "not attempted", None),
    ("cmi.objectives.0.status", "", None), ("cmi.objectives.0.status", "unknown", 405),
    ("cmi.interactions.0.id", "q1", None), ("cmi.interactions.0.id", "x" * 256, 405),
    ("cmi.interactions.0.type", "true-false", None), ("cmi.interactions.0.type", "numeric", None),
    ("cmi.interactions.0.type", "long-fill-in", 405), ("cmi.interactions.0.type", "other", 405),
    ("cmi.interactions.0.time", "23:59:59", None), ("cmi.interactions.0.time", "09:05:00.25", None),
    ("cmi.interactions.0.time", "24:00:00", 405), ("cmi.interactions.0.time", "12:60:00", 405),
    ("cmi.interactions.0.time", "2025-01-01T10:00:00", 405),
    ("cmi.interactions.0.weighting", "2.5", None), ("cmi.interactions.0.weighting", "-1", None),
    ("cmi.interactions.0.weighting", "heavy", 405),
    ("cmi.interactions.0.student_response", "x" * 4096, None),
    ("cmi.interactions.0.student_response", "x" * 4097, 405),
    ("cmi.interactions.0.result", "correct", None), ("cmi.interactions.0.result", "wrong", None),
    ("cmi.interactions.0.result", "unanticipated", None), ("cmi.interactions.0.result", "neutral", None),
    ("cmi.interactions.0.result", "0.75", None), ("cmi.interactions.0.result", "incorrect", 405),
    ("cmi.interactions.0.latency", "00:00:07", None), ("cmi.interactions.0.latency", "7s", 405),
    ("cmi.interactions.0.objectives.2.id", "obj_1", None),
    ("cmi.interactions.0.correct_responses.0.pattern", "x" * 255, None),
    ("cmi.interactions.0.correct_responses.0.pattern", "x" * 256, 405),
    ("cmi.student_preference.audio", "-1", None), ("cmi.student_preference.audio", "100", None),
    ("cmi.student_preference.audio", "101", 405), ("cmi.student_preference.audio", "-2", 405),
    ("cmi.student_preference.audio", "50.5", 405),
    ("cmi.student_preference.language", "x" * 255, None), ("cmi.student_preference.language", "x" * 256, 405),
    ("cmi.student_preference.speed", "-100", None), ("cmi.student_preference.speed", "100", None),
    ("cmi.student_preference.speed", "-101", 405),
    ("cmi.student_preference.text", "-1", None), ("cmi.student_preference.text", "1", None),
    ("cmi.student_preference.text", "2", 405),
]


@pytest.mark.parametrize(("key", "value", "code"), CASES_12)
def test_scorm12_values(key, value, code):
    stored, errors = cmi.check("1.2", {key: value})
    assert (stored, errors) == (({key: value}, []) if code is None else ({}, [(key, code)]))


CASES_2004 = [
    ("cmi.completion_status", "completed", None), ("cmi.completion_status", "incomplete", None),
    ("cmi.completion_status", "not attempted", None), ("cmi.completion_status", "unknown", None),
    ("cmi.completion_status", "passed", 406), ("cmi.completion_status", "", 406),
    ("cmi.success_status", "passed", None), ("cmi.success_status", "failed", None),
    ("cmi.success_status", "unknown", None), ("cmi.success_status", "completed", 406),
    ("cmi.score.scaled", "-1", None), ("cmi.score.scaled", "1", None), ("cmi.score.scaled", "0.5", None),
    ("cmi.score.scaled", "-1.0", None), ("cmi.score.scaled", "1.0000000", None),
    ("cmi.score.scaled", "1.0001", 407), ("cmi.score.scaled", "-1.0001", 407), ("cmi.score.scaled", "85", 407),
    ("cmi.score.scaled", "high", 406), ("cmi.score.scaled", "", None),
    ("cmi.score.raw", "-5", None), ("cmi.score.raw", "12345.6789", None), ("cmi.score.raw", "1,5", 406),
    ("cmi.score.min", "0", None), ("cmi.score.max", "250", None),
    ("cmi.progress_measure", "0", None), ("cmi.progress_measure", "1", None), ("cmi.progress_measure", "1.1", 407),
    ("cmi.progress_measure", "-0.1", 407),
    ("cmi.location", "x" * 1000, None), ("cmi.location", "x" * 1001, 406),
    ("cmi.suspend_data", "x" * 64000, None), ("cmi.suspend_data", "x" * 64001, 406),
    ("cmi.exit", "", None), ("cmi.exit", "normal", None), ("cmi.exit", "suspend", None),
    ("cmi.exit", "time-out", None), ("cmi.exit", "logout", None), ("cmi.exit", "quit", 406),
    ("cmi.session_time", "PT1H2M3.5S", None), ("cmi.session_time", "P1DT2H", None), ("cmi.session_time", "PT0S", None),
    ("cmi.session_time", "P1Y2M3DT4H5M6.78S", None), ("cmi.session_time", "PT0H0M0S", None),
    ("cmi.session_time", "P2D", None), ("cmi.session_time", "PT125M", None),
    ("cmi.session_time", "P", 406), ("cmi.session_time", "PT", 406), ("cmi.session_time", "P1DT", 406),
    ("cmi.session_time", "PT1.5H", 406), ("cmi.session_time", "00:01:00", 406), ("cmi.session_time", "1H", 406),
    ("cmi.session_time", "PT-1S", 406), ("cmi.session_time", "pt1s", 406),
    ("cmi.session_time", "P1W", None), ("cmi.session_time", "P1WT", 406),
    ("cmi.interactions.0.id", "urn:x:q1", None), ("cmi.interactions.0.id", "x" * 4000, None),
    ("cmi.interactions.0.id", "x" * 4001, 406), ("cmi.interactions.0.id", "", 406),
    ("cmi.interactions.0.type", "long-fill-in", None), ("cmi.interactions.0.type", "other", None),
    ("cmi.interactions.0.type", "", None), ("cmi.interactions.0.type", "essay", 406),
    ("cmi.interactions.0.timestamp", "2025", None), ("cmi.interactions.0.timestamp", "2025-03", None),
    ("cmi.interactions.0.timestamp", "2025-03-01", None), ("cmi.interactions.0.timestamp", "2025-03-01T10", None),
    ("cmi.interactions.0.timestamp", "2025-03-01T10:02", None),
    ("cmi.interactions.0.timestamp", "2025-03-01T10:02:03.25Z", None),
    ("cmi.interactions.0.timestamp", "2025-03-01T10:02:03-05:00", None),
    ("cmi.interactions.0.timestamp", "1970-01-01T00:00:00", None),
    ("cmi.interactions.0.timestamp", "2038-12-31T23:59:59", None),
    ("cmi.interactions.0.timestamp", "2039-01-01", 406), ("cmi.interactions.0.timestamp", "1969-12-31", 406),
    ("cmi.interactions.0.timestamp", "2025-13-01", 406), ("cmi.interactions.0.timestamp", "2025-03-01T24:00", 406),
    ("cmi.interactions.0.timestamp", "10:02:03", 406), ("cmi.interactions.0.timestamp", "2025-03-01 10:02", 406),
    ("cmi.interactions.0.weighting", "-2.5", None), ("cmi.interactions.0.weighting", "x", 406),
    ("cmi.interactions.0.learner_response", "x" * 7800, None),
    ("cmi.interactions.0.learner_response", "x" * 7801, 406),
    ("cmi.interactions.0.result", "correct", None), ("cmi.interactions.0.result", "incorrect", None),
    ("cmi.interactions.0.result", "unanticipated", None), ("cmi.interactions.0.result", "neutral", None),
    ("cmi.interactions.0.result", "-3.5", None), ("cmi.interactions.0.result", "wrong", 406),
    ("cmi.interactions.0.latency", "PT5S", None), ("cmi.interactions.0.latency", "00:00:05", 406),
    ("cmi.interactions.0.description", "x" * 250, None), ("cmi.interactions.0.description", "x" * 251, 406),
    ("cmi.interactions.0.description", "{lang=en-GB}" + "x" * 250, None),
    ("cmi.interactions.0.objectives.0.id", "obj", None),
    ("cmi.interactions.0.correct_responses.0.pattern", "x" * 7800, None),
    ("cmi.objectives.0.id", "urn:obj", None), ("cmi.objectives.0.id", "x" * 4001, 406),
    ("cmi.objectives.0.score.scaled", "1", None), ("cmi.objectives.0.score.scaled", "2", 407),
    ("cmi.objectives.0.success_status", "failed", None), ("cmi.objectives.0.success_status", "done", 406),
    ("cmi.objectives.0.completion_status", "incomplete", None),
    ("cmi.objectives.0.completion_status", "passed", 406),
    ("cmi.objectives.0.progress_measure", "0.5", None), ("cmi.objectives.0.progress_measure", "5", 407),
    ("cmi.objectives.0.description", "x" * 251, 406),
    ("cmi.comments_from_learner.0.comment", "x" * 4000, None),
    ("cmi.comments_from_learner.0.comment", "x" * 4001, 406),
    ("cmi.comments_from_learner.0.location", "x" * 250, None),
    ("cmi.comments_from_learner.0.location", "x" * 251, 406),
    ("cmi.comments_from_learner.0.timestamp", "2025-03-01T10:00:00", None),
    ("cmi.comments_from_learner.0.timestamp", "yesterday", 406),
    ("cmi.learner_preference.audio_level", "0", None), ("cmi.learner_preference.audio_level", "2.5", None),
    ("cmi.learner_preference.audio_level", "-0.1", 407),
    ("cmi.learner_preference.delivery_speed", "0.5", None), ("cmi.learner_preference.delivery_speed", "-1", 407),
    ("cmi.learner_preference.language", "en", None), ("cmi.learner_preference.language", "en-US", None),
    ("cmi.learner_preference.language", "zh-Hant-TW", None), ("cmi.learner_preference.language", "en US", 406),
    ("cmi.learner_preference.audio_captioning", "-1", None), ("cmi.learner_preference.audio_captioning", "1", None),
    ("cmi.learner_preference.audio_captioning", "2", 406),
    ("adl.nav.request", "continue", None), ("adl.nav.request", "previous", None), ("adl.nav.request", "exit", None),
    ("adl.nav.request", "exitAll", None), ("adl.nav.request", "abandon", None),
    ("adl.nav.request", "abandonAll", None), ("adl.nav.request", "suspendAll", None),
    ("adl.nav.request", "_none_", None), ("adl.nav.request", "{target=intro_sco}choice", None),
    ("adl.nav.request", "{target=urn:x:2}jump", None), ("adl.nav.request", "choice", 406),
    ("adl.nav.request", "{target=}choice", 406), ("adl.nav.request", "{target=a b}choice", 406),
    ("adl.nav.request", "start", 406), ("adl.nav.request", "", 406),
    ("adl.data.0.store", "shared", None),
]


@pytest.mark.parametrize(("key", "value", "code"), CASES_2004)
def test_scorm2004_values(key, value, code):
    stored, errors = cmi.check("2004-4", {key: value})
    assert (stored, errors) == (({key: value}, []) if code is None else ({}, [(key, code)]))


@pytest.mark.parametrize(("version", "prefix", "code"), [("1.2", "cmi.interactions", 405),
                                                          ("2004-3", "cmi.interactions", 407)])
def test_array_index_up_to_999(version, prefix, code):
    assert cmi.check(version, {f"{prefix}.999.id": "q"}) == ({f"{prefix}.999.id": "q"}, [])
    assert cmi.check(version, {f"{prefix}.1000.id": "q"}) == ({}, [(f"{prefix}.1000.id", code)])
    nested = f"{prefix}.0.correct_responses.1000.pattern"
    assert cmi.check(version, {nested: "a"}) == ({}, [(nested, code)])


def test_index_out_of_range_wins_over_a_bad_value():
    key = "cmi.objectives.5000.score.scaled"
    assert cmi.check("2004", {key: "7"}) == ({}, [(key, 407)])


@pytest.mark.parametrize(("raw", "text"), [(80, "80"), (0, "0"), (-1, "-1"), (85.5, "85.5"), (0.1, "0.1"),
                                           (1e-07, "0.0000001"), (100.0, "100.0")])
def test_numbers_become_strings(raw, text):
    assert cmi.check("2004", {"cmi.score.raw": raw}) == ({"cmi.score.raw": text}, [])


@pytest.mark.parametrize("raw", [True, False, None, float("nan"), float("inf"), {"a": 1}, [1], "a\x00b", 10**50])
def test_values_that_are_no_cmi_string(raw):
    assert cmi.check("2004", {"cmi.location": raw}) == ({}, [("cmi.location", 406)])
    assert cmi.check("1.2", {"cmi.core.lesson_location": raw}) == ({}, [("cmi.core.lesson_location", 405)])


def test_errors_and_stored_side_by_side():
    stored, errors = cmi.check("2004", {"cmi.location": "p3", "cmi.score.scaled": "2", "cmi.nope": "x",
                                        "cmi.learner_id": "me"})
    assert stored == {"cmi.location": "p3"}
    assert errors == [("cmi.score.scaled", 407), ("cmi.nope", 401)]


# --- summaries ---


@pytest.mark.parametrize(("status", "completion", "success"), [
    ("passed", "completed", "passed"), ("failed", "completed", "failed"), ("completed", "completed", "unknown"),
    ("incomplete", "incomplete", "unknown"), ("browsed", "incomplete", "unknown"),
    ("not attempted", "not attempted", "unknown"), ("", "not attempted", "unknown"),
    ("bogus", "not attempted", "unknown"),
])
def test_summary_12_splits_lesson_status(status, completion, success):
    summary = cmi.summarise("1.2", {"cmi.core.lesson_status": status})
    assert (summary.completion, summary.success) == (completion, success)


def test_summary_12_whole():
    stored, _errors = cmi.check("1.2", COMMIT_12)
    assert cmi.summarise("1.2", stored) == Summary(
        completion="incomplete", success="unknown", score_raw=D("40"), score_min=None, score_max=D("100"),
        score_scaled=D("0.4"), session_seconds=D("750.5"), location="slide-4", suspend_data="slide=4;answers=1,0,1",
        exit="suspend",
    )


@pytest.mark.parametrize(("raw", "low", "high", "expected"), [
    ("40", "", "", D("0.4")), ("40", "", "100", D("0.4")), ("15", "10", "20", D("0.5")), ("8", "", "10", D("0.8")),
    ("8", "0", "8", D("1")), ("5", "10", "20", D("-0.5")), ("30", "", "20", D("1")), ("20", "20", "20", D("0.2")),
    ("2", "", "3", D("0.6666667")), ("", "", "100", None),
])
def test_summary_12_scaled_score(raw, low, high, expected):
    summary = cmi.summarise("1.2", {"cmi.core.score.raw": raw, "cmi.core.score.min": low,
                                    "cmi.core.score.max": high})
    assert summary.score_scaled == expected


def test_summary_2004_whole():
    stored, _errors = cmi.check("2004-4", COMMIT_2004)
    assert cmi.summarise("2004-4", stored) == Summary(
        completion="completed", success="passed", score_raw=D("85"), score_min=D("0"), score_max=D("100"),
        score_scaled=D("0.85"), session_seconds=D("3723.5"), location="page-7", suspend_data='{"v":1}', exit="normal",
    )


def test_summary_of_nothing():
    assert cmi.summarise("2004-3", {}) == Summary(
        completion="unknown", success="unknown", score_raw=None, score_min=None, score_max=None, score_scaled=None,
        session_seconds=None, location="", suspend_data="", exit="")
    empty_12 = cmi.summarise("1.2", {})
    assert (empty_12.completion, empty_12.success, empty_12.score_scaled) == ("not attempted", "unknown", None)


def test_summary_tolerates_values_it_would_not_have_stored():
    summary = cmi.summarise("2004", {"cmi.completion_status": "done", "cmi.success_status": 3,
                                     "cmi.score.raw": "lots", "cmi.session_time": "forever"})
    assert (summary.completion, summary.success, summary.score_raw, summary.session_seconds) == (
        "unknown", "unknown", None, None)


# --- time ---


@pytest.mark.parametrize(("version", "value", "expected"), [
    ("1.2", "0000:00:00", D("0")), ("1.2", "00:00:00", D("0")), ("1.2", "01:02:03", D("3723")),
    ("1.2", "0001:02:03.5", D("3723.5")), ("1.2", "9999:59:59.99", D("35999999.99")), ("1.2", "00:75:00", D("4500")),
    ("1.2", "1:2:3", None), ("1.2", "", None), ("1.2", "PT1S", None),
    ("2004-3", "PT1H2M3.5S", D("3723.5")), ("2004-3", "P1DT2H", D("93600")), ("2004-3", "PT0S", D("0")),
    ("2004-3", "P1Y", D("31536000")), ("2004-3", "P1M", D("2592000")), ("2004-3", "PT90M", D("5400")),
    ("2004-3", "PT0.25S", D("0.25")), ("2004-3", "P", None), ("2004-3", "PT", None), ("2004-3", "", None),
    ("2004-3", "01:00:00", None),
])
def test_seconds(version, value, expected):
    assert cmi.seconds(version, value) == expected


@pytest.mark.parametrize(("secs", "expected"), [
    (D("0"), "0000:00:00.00"), (D("3723.5"), "0001:02:03.50"), (D("59.999"), "0000:01:00.00"),
    (D("0.004"), "0000:00:00.00"), (D("0.005"), "0000:00:00.01"), (D("-5"), "0000:00:00.00"),
    (D("35999999.99"), "9999:59:59.99"), (D("99999999"), "9999:59:59.99"), (3600, "0001:00:00.00"),
])
def test_timespan_12(secs, expected):
    assert cmi.timespan_12(secs) == expected


@pytest.mark.parametrize(("secs", "expected"), [
    (D("0"), "PT0S"), (D("-3"), "PT0S"), (D("0.004"), "PT0S"), (D("3723.5"), "PT1H2M3.5S"), (D("3600"), "PT1H"),
    (D("60"), "PT1M"), (D("3660"), "PT1H1M"), (D("3601.25"), "PT1H1.25S"), (D("0.05"), "PT0.05S"),
    (D("93600"), "PT26H"), (7, "PT7S"),
])
def test_duration_2004(secs, expected):
    assert cmi.duration_2004(secs) == expected


@pytest.mark.parametrize("secs", [D("0"), D("0.01"), D("59.99"), D("3723.5"), D("86399.99"), D("360000")])
def test_time_round_trips(secs):
    assert cmi.seconds("1.2", cmi.timespan_12(secs)) == secs
    assert cmi.seconds("2004", cmi.duration_2004(secs)) == secs
    stored, errors = cmi.check("2004", {"cmi.session_time": cmi.duration_2004(secs)})
    assert errors == []
    assert cmi.check("1.2", {"cmi.core.session_time": cmi.timespan_12(secs)})[1] == []
