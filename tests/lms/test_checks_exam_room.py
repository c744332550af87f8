"""lms.checks: a site default for the exam room's networks (LMS_EXAMS_PERMIT_NETWORKS) that does not parse would
close every exam that counts for a permit; ``manage.py check`` names the bad entry (#17)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from lms.checks import check_exam_permit_networks


def errors(value) -> list:
    with override_settings(LMS_EXAMS_PERMIT_NETWORKS=value):
        return check_exam_permit_networks()


def test_unset_empty_or_good_networks_are_fine(settings):
    assert not hasattr(settings, "LMS_EXAMS_PERMIT_NETWORKS") and check_exam_permit_networks() == []
    assert errors(()) == [] and errors("") == []
    assert errors("10.20.30.0/24, 2001:db8:30::/48\n192.0.2.7  # the proctor's desk") == []
    assert errors(["10.20.30.0/24", "::1/128"]) == []


def test_a_bad_entry_is_an_error_naming_it():
    [error] = errors(["10.20.30.0/24", "room-301"])
    assert error.id == "lms.E001" and error.is_serious()
    assert "'room-301' is not a network address" in error.msg
    [error] = errors("10.20.30.0/24\n10.20.300.0/24")
    assert "'10.20.300.0/24'" in error.msg


def test_a_setting_of_the_wrong_type_is_an_error():
    [error] = errors(10)
    assert error.id == "lms.E001" and "a list of networks or a string, not int" in error.msg


@override_settings(LMS_EXAMS_PERMIT_NETWORKS="training-room")
def test_manage_py_check_stops_on_it():
    with pytest.raises(SystemCheckError, match="'training-room' is not a network address"):
        call_command("check")
