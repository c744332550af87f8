"""The demo requirements make the matrix show every status, and loading the demo twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from lms.people.models import Person
from lms.requirements.models import TrainingRequirement
from lms.requirements.selectors import matrix_for

pytestmark = pytest.mark.django_db


def statuses():
    matrix = matrix_for(Person.objects.all())
    return {
        (row.person.user.username, matrix_req.certification.code, row.cells[matrix_req.pk].status.value)
        for row in matrix.rows
        for matrix_req in matrix.requirements
        if matrix_req.pk in row.cells
    }


def test_demo_matrix_shows_every_status_and_is_idempotent():
    call_command("lms_load_demo", stdout=StringIO())
    first = statuses()
    assert {status for __, __, status in first} == {"done", "due_soon", "overdue", "expired", "missing"}
    assert ("specialist", "security", "done") in first
    assert ("specialist", "emergency", "due_soon") in first
    assert ("newhire", "skills", "due_soon") in first
    assert ("newhire", "security", "missing") in first
    assert ("manager", "security", "overdue") in first
    assert ("security", "confidentiality", "expired") in first
    count = TrainingRequirement.objects.count()
    call_command("lms_load_demo", stdout=StringIO())
    assert TrainingRequirement.objects.count() == count == 6
    assert statuses() == first
