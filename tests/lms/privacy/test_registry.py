"""The registry of personal data cannot fall behind the models."""

import pytest
from django.core.management import call_command

from exams.models import Attempt
from lms.privacy import registry
from lms.privacy.checks import check_personal_data_declarations


def test_every_model_that_holds_personal_information_is_declared():
    assert registry.undeclared() == []


def test_every_column_that_points_at_a_person_is_named_in_its_declaration():
    assert registry.uncovered_fields() == []


def test_the_declarations_name_real_fields_and_known_retention_periods():
    assert check_personal_data_declarations() == []
    call_command("check", "--fail-level", "ERROR")


def test_a_model_without_a_declaration_is_reported(monkeypatch):
    registry.declarations.cache_clear()
    monkeypatch.delattr(Attempt, "PersonalData")
    try:
        missing = dict(registry.undeclared())
    finally:
        registry.declarations.cache_clear()
    assert "lms_exams.Attempt" in missing
    assert "user" in missing["lms_exams.Attempt"]


def test_a_declaration_naming_a_missing_field_fails_the_check(monkeypatch):
    registry.declarations.cache_clear()
    monkeypatch.setattr(Attempt.PersonalData, "personal", ("device", "no_such_field"))
    try:
        errors = check_personal_data_declarations()
    finally:
        registry.declarations.cache_clear()
    assert any("no_such_field" in e.msg and "lms_exams.Attempt" in e.msg for e in errors)


@pytest.mark.parametrize("label", ["lms_permits.BackgroundCheck"])
def test_background_checks_are_sensitive(label):
    declaration = next(d for d in registry.declarations() if d.label == label)
    assert {"health_certificate", "no_criminal_record"} <= set(declaration.sensitive)
