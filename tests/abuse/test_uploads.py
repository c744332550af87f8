"""Spreadsheet bombs against every Excel upload (roster, attendance; the guard ``exams.xlsx_safety.check_xlsx``).

Each bomb is a real ~1.5 MB .xlsx that inflates to 1.5 GiB (or lies about it, or has 10,000 parts). Before the
guard, openpyxl inflated it: 3.2 GiB of memory and ~50 s before a refusal. Now each is refused with a clear message,
in little time and memory, and nothing is written.
"""

import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exams.xlsx_safety import Limits, XlsxRefused, check_xlsx
from lms import roles
from lms.archive.attendance import attendance_import
from lms.archive.models import TrainingRecord
from lms.audit.models import AuditEntry
from lms.people.models import Person
from lms.people.roster.services import roster_import, roster_preview
from lms.sheets.reading import ImportFileError
from tests.abuse import xlsx_bombs as bombs
from tests.lms.factories import session_with, user_in

ROSTER = ["Employee number", "Name", "Username", "E-mail", "Department code", "Department name", "Position code",
          "Position name", "Manager's employee number", "Hire date", "Status", "Badge number"]
ATTENDANCE = ["Employee number", "Name", "Role", "Outcome", "Score"]
MB = 1024 * 1024

BOMBS = {
    "shared-strings": (bombs.shared_strings_bomb, "too large when unpacked"),
    "one-huge-cell": (bombs.huge_cell_bomb, "too large when unpacked"),
    "lying-sizes": (bombs.lying_sizes_bomb, "not an Excel workbook"),
    "many-members": (bombs.many_members_bomb, "too many parts"),
    "entities": (bombs.entity_bomb, "DOCTYPE or ENTITY"),
}


@pytest.fixture(scope="module")
def files():
    built = {name: (make(ROSTER), make(ATTENDANCE), message) for name, (make, message) in BOMBS.items()}
    built["not-a-workbook"] = (bombs.not_a_workbook(), bombs.not_a_workbook(), "not an Excel workbook")
    return built


CASES = [*BOMBS, "not-a-workbook"]


def measured(call):
    """Run ``call``; return (its exception, seconds, peak traced bytes)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        call()
    except Exception as exc:  # returned for the test to judge
        error = exc
    else:
        error = None
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return error, seconds, peak


def assert_refused_quickly(error, seconds, peak, exc_type, message):
    assert isinstance(error, exc_type), error
    assert message in str(error)
    assert peak < 50 * MB, f"peak memory {peak / MB:.1f} MB"
    assert seconds < 5, f"took {seconds:.1f} s"  # a generous bound for a shared CI machine; it takes milliseconds


def test_the_bombs_are_small_files(files):
    for roster, attendance, __ in files.values():
        assert len(roster) < 2 * MB and len(attendance) < 2 * MB


@pytest.mark.parametrize("case", CASES)
def test_check_xlsx_refuses(files, case):
    data, __, message = files[case]
    assert_refused_quickly(*measured(lambda: check_xlsx(data)), XlsxRefused, message)
    assert_refused_quickly(*measured(lambda: check_xlsx(io.BytesIO(data))), XlsxRefused, message)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_roster_import_refuses_and_changes_nothing(files, case):
    data, __, message = files[case]
    assert_refused_quickly(*measured(lambda: roster_preview(io.BytesIO(data))), ImportFileError, message)
    assert_refused_quickly(*measured(lambda: roster_import(io.BytesIO(data))), ImportFileError, message)
    assert Person.objects.count() == 0 and AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_attendance_import_refuses_and_changes_nothing(files, case):
    __, data, message = files[case]
    session = session_with()
    records, entries = TrainingRecord.objects.count(), AuditEntry.objects.count()
    upload = io.BytesIO(data)
    assert_refused_quickly(
        *measured(lambda: attendance_import(session=session, upload=upload)), ImportFileError, message
    )
    assert session.attendance.count() == 0
    assert TrainingRecord.objects.count() == records and AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_the_admin_pages_show_the_message(client, files):
    client.force_login(user_in(roles.HR))
    roster, __, __ = files["shared-strings"]
    response = client.post("/admin/lms/roster/", {"file": SimpleUploadedFile("roster.xlsx", roster)})
    assert response.status_code == 200
    assert "too large when unpacked" in response.content.decode()
    assert "token" not in response.context and Person.objects.count() == 0

    session = session_with()
    client.force_login(user_in(roles.TRAINER))
    __, attendance, __ = files["one-huge-cell"]
    response = client.post(f"/admin/lms/attendance/{session.pk}/", {"file": SimpleUploadedFile("a.xlsx", attendance)})
    assert response.status_code == 200
    assert "too large when unpacked" in response.content.decode()
    assert session.attendance.count() == 0


def test_smaller_bombs_are_caught_by_the_ratio_the_inflated_bytes_and_the_cell_length():
    # Below the size limits: the ratio catches a repetitive 8 MiB string (~1000:1) ...
    with pytest.raises(XlsxRefused, match="too large when unpacked"):
        check_xlsx(bombs.shared_strings_bomb(ROSTER, size=8 * MB))
    # ... headers that lie are checked against the bytes actually inflated ...
    lying = bombs.lying_sizes_bomb(ROSTER, size=64 * MB, declared=30 * MB)
    with pytest.raises(XlsxRefused):
        check_xlsx(lying, limits=Limits(max_ratio=10**9))
    # ... and one cell may not be longer than the cell limit, however well it compresses.
    with pytest.raises(XlsxRefused, match="too long"):
        check_xlsx(bombs.huge_cell_bomb(ROSTER, size=1 * MB), limits=Limits(max_ratio=10**9))


def test_an_ordinary_workbook_passes_and_keeps_its_position():
    parts = bombs.base_members(ROSTER, [[f"E{i}", "张三" * 20, f"user{i}"] for i in range(5000)])
    data = bombs.zip_bytes([bombs.deflated(name, raw) for name, raw in parts.items()])
    upload = io.BytesIO(data)
    upload.seek(7)
    check_xlsx(upload)
    assert upload.tell() == 7
    check_xlsx(data)
