"""Results and grading of SCORM attempts: pure, no database."""

import ast
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from courses.h5p.scoring import GradingMethod
from courses.scorm import cmi, rules
from courses.scorm.cmi import Summary
from courses.scorm.rules import ActivityResult, ScoResult


def summary(*, completion="unknown", success="unknown", raw=None, low=None, high=None, scaled=None) -> Summary:
    return Summary(completion=completion, success=success, score_raw=raw, score_min=low, score_max=high,
                   score_scaled=scaled, session_seconds=None, location="", suspend_data="", exit="")


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({}, None),
    ({"scaled": D("0.85")}, D("85.00")),
    ({"scaled": D("1")}, D("100.00")),
    ({"scaled": D("-1")}, D("0.00")),  # clamped
    ({"scaled": D("0.12345")}, D("12.35")),
    ({"scaled": D("0.5"), "raw": D("9"), "high": D("10")}, D("50.00")),  # the scaled score wins
    ({"raw": D("72")}, D("72.00")),
    ({"raw": D("7"), "high": D("10")}, D("70.00")),
    ({"raw": D("15"), "low": D("10"), "high": D("20")}, D("50.00")),
    ({"raw": D("150")}, D("100.00")),
    ({"raw": D("-5")}, D("0.00")),
    ({"raw": D("30"), "low": D("50"), "high": D("50")}, D("30.00")),  # an empty range counts as 0..100
    ({"raw": D("2"), "high": D("3")}, D("66.67")),
])
def test_percent_of(kwargs, expected):
    assert rules.percent_of(summary(**kwargs)) == expected


@pytest.mark.parametrize(("kwargs", "mastery", "expected"), [
    # the package's own verdict wins over its score
    ({"completion": "completed", "success": "passed", "scaled": D("0.1")}, D("80"),
     ScoResult(True, True, D("10.00"))),
    ({"completion": "completed", "success": "failed", "scaled": D("0.99")}, D("80"),
     ScoResult(True, False, D("99.00"))),
    # without one, the score against the mastery score
    ({"completion": "completed", "scaled": D("0.8")}, D("80"), ScoResult(True, True, D("80.00"))),
    ({"completion": "completed", "scaled": D("0.7999")}, D("80"), ScoResult(True, False, D("79.99"))),
    ({"completion": "completed", "raw": D("75.5")}, D("75.5"), ScoResult(True, True, D("75.50"))),
    ({"completion": "incomplete", "raw": D("90")}, D("80"), ScoResult(False, True, D("90.00"))),
    ({"completion": "completed", "raw": D("0")}, D("0"), ScoResult(True, True, D("0.00"))),
    # no mastery score or no score: no verdict
    ({"completion": "completed", "raw": D("90")}, None, ScoResult(True, None, D("90.00"))),
    ({"completion": "completed"}, D("80"), ScoResult(True, None, None)),
    ({"completion": "incomplete"}, None, ScoResult(False, None, None)),
    ({"completion": "not attempted"}, None, ScoResult(False, None, None)),
    # a pass/fail status means the SCO is done, whatever the completion says
    ({"completion": "incomplete", "success": "passed"}, None, ScoResult(True, True, None)),
    ({"completion": "unknown", "success": "failed"}, None, ScoResult(True, False, None)),
])
def test_sco_result(kwargs, mastery, expected):
    assert rules.sco_result(summary(**kwargs), mastery_score=mastery) == expected


@pytest.mark.parametrize(("status", "raw", "expected"), [
    ("completed", "85", ScoResult(True, True, D("85.00"))),  # a 1.2 LMS would set "passed" from the masteryscore
    ("completed", "79", ScoResult(True, False, D("79.00"))),
    ("failed", "95", ScoResult(True, False, D("95.00"))),
    ("incomplete", "", ScoResult(False, None, None)),
    ("browsed", "", ScoResult(False, None, None)),
])
def test_sco_result_of_a_scorm12_commit_with_masteryscore(status, raw, expected):
    stored, errors = cmi.check("1.2", {"cmi.core.lesson_status": status, "cmi.core.score.raw": raw})
    assert errors == []
    assert rules.sco_result(cmi.summarise("1.2", stored), mastery_score=D("80")) == expected


def test_sco_result_of_a_scorm2004_commit_with_raw_score_only():
    stored, _errors = cmi.check("2004-4", {"cmi.completion_status": "completed", "cmi.success_status": "unknown",
                                           "cmi.score.raw": "18", "cmi.score.max": "20"})
    assert rules.sco_result(cmi.summarise("2004-4", stored), mastery_score=D("90")) == ScoResult(True, True, D("90.00"))


@pytest.mark.parametrize(("results", "expected"), [
    ([], ActivityResult(False, None, None)),
    ([ScoResult(True, None, None)], ActivityResult(True, None, None)),
    ([ScoResult(True, True, D("80")), ScoResult(True, True, D("90"))], ActivityResult(True, True, D("85.00"))),
    ([ScoResult(True, True, D("80")), ScoResult(False, None, None)], ActivityResult(False, True, D("80.00"))),
    ([ScoResult(True, True, D("100")), ScoResult(True, False, D("40"))], ActivityResult(True, False, D("70.00"))),
    ([ScoResult(True, None, D("50")), ScoResult(True, None, None)], ActivityResult(True, None, D("50.00"))),
    ([ScoResult(True, True, D("10")), ScoResult(True, True, D("10")), ScoResult(True, True, D("11"))],
     ActivityResult(True, True, D("10.33"))),
    ([ScoResult(False, False, None), ScoResult(True, True, None)], ActivityResult(False, False, None)),
])
def test_rollup(results, expected):
    assert rules.rollup(results) == expected


@pytest.mark.parametrize(("method", "expected"), [("highest", D("90")), ("first", D("70")), ("last", D("80.5")),
                                                  ("average", D("80.17"))])
def test_grade(method, expected):
    assert rules.grade([D("70"), D("90"), D("80.5")], method) == expected


@pytest.mark.parametrize("method", ["highest", "first", "last", "average"])
def test_grade_without_attempts(method):
    assert rules.grade([], method) is None


def test_grading_methods_are_the_h5p_ones():
    assert set(rules.METHODS) == {m.value for m in GradingMethod}


@pytest.mark.parametrize("method", ["best", "", "HIGHEST"])
def test_unknown_grading_method(method):
    with pytest.raises(ValueError, match="not a grading method"):
        rules.grade([D("1")], method)
    with pytest.raises(ValueError, match="not a grading method"):
        rules.chosen_attempt([(1, ActivityResult(True, True, D("1")))], method)


ATTEMPTS = [
    (3, ActivityResult(True, True, D("90"))),
    (1, ActivityResult(True, False, D("60"))),
    (2, ActivityResult(True, True, D("90"))),
    (4, ActivityResult(False, None, None)),
]


@pytest.mark.parametrize(("method", "expected"), [("highest", 2), ("first", 1), ("last", 4), ("average", 4)])
def test_chosen_attempt(method, expected):
    assert rules.chosen_attempt(ATTEMPTS, method) == expected  # "highest": 2 and 3 tie at 90, the earlier counts


@pytest.mark.parametrize(("attempts", "expected"), [
    ([], None),
    ([(1, ActivityResult(False, None, None)), (2, ActivityResult(True, None, None))], 2),  # completed beats not
    ([(1, ActivityResult(True, None, D("50"))), (2, ActivityResult(True, True, D("50")))], 2),  # passed beats none
    ([(1, ActivityResult(True, False, D("0"))), (2, ActivityResult(True, None, None))], 1),  # any score beats none
    ([(1, ActivityResult(False, None, None)), (2, ActivityResult(False, None, None))], 1),
])
def test_chosen_attempt_highest_tie_breaks(attempts, expected):
    assert rules.chosen_attempt(attempts, "highest") == expected


@pytest.mark.parametrize("module", ["manifest", "cmi", "rules"])
def test_the_pure_modules_import_no_django(module):
    """They run in the upload check and the commit path, and in these tests, without settings or a database."""
    source = (Path(rules.__file__).parent / f"{module}.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"defusedxml", "courses"}
    assert not any(name.startswith("courses.") and not name.startswith("courses.scorm.")
                   for name in _modules(source))


def _modules(source: str) -> set[str]:
    return {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom) and node.module}
