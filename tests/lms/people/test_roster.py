"""The roster import: template, dry-run preview, row errors, all-or-nothing, idempotent re-import."""

import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from lms import roles
from lms.people.models import Department, InductionAssignment, InductionProgram, Person, Position
from lms.people.roster.services import RosterImportError, roster_import, roster_preview, roster_template
from lms.sheets.reading import ImportFileError
from tests.factories import DepartmentFactory, PersonFactory, PositionFactory
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db

HEADER = ["Employee number", "Name", "Username", "E-mail", "Department code", "Department name", "Position code",
          "Position name", "Manager's employee number", "Hire date", "Status", "Badge number"]


def workbook(rows, header=HEADER):
    wb = Workbook()
    sheet = wb.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "roster.xlsx"
    return out


GOOD = [
    ["M0100", "赵经理", "zhao", "zhao@example.com", "ops", "运营部", "ops-manager", "运营经理", "", "2024-01-02",
     "active", "B100"],
    ["E0101", "陈新", "chenxin", "", "ops", "运营部", "ops-specialist", "运营专员", "M0100", "2026-11-01", "", ""],
    ["E0102", "刘专员", "liu", "", "ops", "", "ops-specialist", "", "M0100", "2025/03/15", "active", ""],
]


def test_template_has_the_columns_in_the_active_language():
    out = io.BytesIO()
    roster_template(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in sheet[1]][:3] == ["Employee number *", "Name *", "Username *"]
    assert sheet.freeze_panes == "A2"


def test_template_offers_drop_downs_for_the_coded_columns():
    DepartmentFactory(code="ops", name="运营部")
    DepartmentFactory(code="sec", name="安保部")
    PositionFactory(code="ops-specialist", name="运营专员")
    out = io.BytesIO()
    roster_template(out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    roster, codes = book.worksheets
    header = [c.value for c in roster[1]]
    letter = {h.rstrip(" *"): get_column_letter(i) for i, h in enumerate(header, 1)}
    rules = {str(rule.sqref).split(":")[0]: rule for rule in roster.data_validations.dataValidation}

    status = rules[f"{letter['Status']}2"]
    assert status.type == "list" and status.formula1 == '"onboarding,active,left"'
    assert status.showErrorMessage and status.errorStyle == "stop"  # nothing else can be typed
    department = rules[f"{letter['Department code']}2"]
    assert department.formula1 == "'Codes'!$A$2:$A$3" and department.errorStyle == "information"  # a new code passes
    assert rules[f"{letter['Position code']}2"].formula1 == "'Codes'!$C$2:$C$2"
    assert str(department.sqref).endswith(":" + letter["Department code"] + "2001")

    columns = {c[0].value: [x.value for x in c[1:] if x.value] for c in codes.iter_cols()}
    assert columns["Department code"] == ["ops", "sec"] and columns["Department name"] == ["运营部", "安保部"]
    assert columns["Status"] == ["onboarding", "active", "left"]
    # The filled template still imports: only its first sheet is read.
    roster["A3"], roster["B3"], roster["C3"], roster["E3"], roster["J3"] = "E0002", "李四", "lisi", "sec", "2026-02-01"
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)
    assert roster_preview(filled).is_valid


def test_without_departments_yet_only_the_status_has_a_drop_down():
    out = io.BytesIO()
    roster_template(out)
    rules = load_workbook(io.BytesIO(out.getvalue())).worksheets[0].data_validations.dataValidation
    assert [rule.formula1 for rule in rules] == ['"onboarding,active,left"']


def test_preview_changes_nothing_and_the_import_creates_people_with_their_induction():
    program = InductionProgram.objects.create(name="新员工入职培训", is_default=True)
    preview = roster_preview(workbook(GOOD))
    assert preview.is_valid and preview.count("create") == 3
    assert Person.objects.count() == 0 and Department.objects.count() == 0

    roster_import(workbook(GOOD))
    zhao, chen, liu = (Person.objects.get(employee_number=n) for n in ("M0100", "E0101", "E0102"))
    assert chen.manager == zhao and liu.manager == zhao and zhao.manager is None
    assert chen.department.name == "运营部" and chen.position.code == "ops-specialist"
    assert str(liu.hire_date) == "2025-03-15" and liu.status == "active" and zhao.badge_number == "B100"
    assert chen.user.username == "chenxin" and chen.user.groups.filter(name=roles.LEARNER).exists()
    assert InductionAssignment.objects.filter(program=program).count() == 3


def test_re_importing_the_same_file_changes_nothing_and_a_changed_row_updates():
    roster_import(workbook(GOOD))
    state = list(Person.objects.order_by("pk").values())
    preview = roster_import(workbook(GOOD))
    assert preview.count("unchanged") == 3
    assert list(Person.objects.order_by("pk").values()) == state
    assert get_user_model().objects.count() == 3 and Department.objects.count() == 1 and Position.objects.count() == 2

    changed = [list(r) for r in GOOD]
    changed[2][1] = "刘主管"
    changed[2][6], changed[2][7] = "ops-supervisor", "运营主管"
    preview = roster_import(workbook(changed))
    assert preview.count("update") == 1
    liu = Person.objects.get(employee_number="E0102")
    assert liu.name == "刘主管" and liu.position.name == "运营主管"


def test_one_bad_row_changes_nothing_and_names_the_row():
    bad = [list(r) for r in GOOD]
    bad[1][9] = "not a date"  # sheet row 3
    with pytest.raises(RosterImportError) as info:
        roster_import(workbook(bad))
    problems = info.value.problems
    assert [(p.row, p.column) for p in problems] == [(3, "Hire date")]
    assert "YYYY-MM-DD" in problems[0].message
    assert Person.objects.count() == 0 and Department.objects.count() == 0 and Position.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_an_existing_person_keeps_their_username():
    PersonFactory(employee_number="E0101", user__username="someone")
    bad = [list(r) for r in GOOD]
    with pytest.raises(RosterImportError) as info:
        roster_import(workbook(bad))
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "Username")]
    assert Person.objects.count() == 1


def test_headers_in_chinese_are_understood():
    from django.utils import translation

    with translation.override("zh-hans"):
        out = io.BytesIO()
        roster_template(out)
    header = [c.value for c in load_workbook(io.BytesIO(out.getvalue())).active[1]]
    preview = roster_preview(workbook(GOOD, header=header))
    assert preview.is_valid, preview.problems


def test_unreadable_files_and_missing_columns_are_refused():
    with pytest.raises(ImportFileError):
        roster_preview(io.BytesIO(b"not a zip"))
    with pytest.raises(ImportFileError, match="Missing columns"):
        roster_preview(workbook([["E1"]], header=["Employee number"]))


def test_admin_flow_upload_preview_commit(client):
    hr = user_in(roles.HR)
    client.force_login(hr)
    assert client.get("/admin/lms/roster/").status_code == 200
    template = client.get("/admin/lms/roster/template/")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")

    response = client.post("/admin/lms/roster/", {"file": workbook(GOOD)})
    assert response.status_code == 200
    assert "陈新" in response.content.decode() and Person.objects.count() == 0
    token = response.context["token"]
    response = client.post("/admin/lms/roster/", {"token": token, "commit": "1"}, follow=True)
    assert Person.objects.count() == 3
    assert "3 created" in response.content.decode()


def test_admin_shows_the_row_errors(client):
    client.force_login(user_in(roles.HR))
    bad = [list(r) for r in GOOD]
    bad[2][10] = "retired"
    response = client.post("/admin/lms/roster/", {"file": workbook(bad)})
    page = response.content.decode()
    assert "retired" in page and "Use onboarding, active or left." in page
    assert response.context["token"] is None


def test_trainers_cannot_import_the_roster(client):
    client.force_login(user_in(roles.TRAINER))
    assert client.get("/admin/lms/roster/").status_code in (302, 403)
    assert client.post("/admin/lms/roster/", {"file": workbook(GOOD)}).status_code in (302, 403)
    assert Person.objects.count() == 0
