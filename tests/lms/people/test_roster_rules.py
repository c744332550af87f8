"""Roster row rules: pure, no database."""

from datetime import date, datetime

from lms.people.roster.rules import Known, RawRow, parse_date, validate


def row(number, **values):
    base = {"employee_number": f"E{number:04d}", "name": "张三", "username": f"u{number}", "hire_date": "2026-01-05"}
    base.update(values)
    return RawRow(number, base)


def codes(errors):
    return {(e.row, e.column, e.code) for e in errors}


def test_a_good_row_is_clean():
    clean, errors = validate([row(2, department_code="ops", department_name="运营部")], Known())
    assert errors == []
    assert clean[0].hire_date == date(2026, 1, 5) and clean[0].status == "onboarding"


def test_each_problem_names_row_and_column():
    rows = [
        row(2, name=""),
        row(3, hire_date="05/44/2026"),
        row(4, email="not-an-email"),
        row(5, status="retired"),
        row(6, department_code="new-dept"),
        row(7, manager_employee_number="E9999"),
        row(8, username="bad name"),
        row(9, position_code="bad code!", position_name="x"),
        row(10, manager_employee_number="E0010"),
    ]
    clean, errors = validate(rows, Known())
    assert clean == []
    assert codes(errors) == {
        (2, "name", "required"),
        (3, "hire_date", "invalid_date"),
        (4, "email", "invalid_email"),
        (5, "status", "invalid_status"),
        (6, "department_name", "name_for_new_code"),
        (7, "manager_employee_number", "unknown_manager"),
        (8, "username", "invalid_username"),
        (9, "position_code", "invalid_code"),
        (10, "manager_employee_number", "own_manager"),
    }


def test_duplicates_in_file_and_clashes_with_the_database():
    known = Known(username_by_employee={"E0002": "alice"}, usernames={"alice", "bob"}, badge_owner={"B1": "E0100"})
    rows = [
        row(2, username="alice"),  # same person, same username: fine
        row(3, employee_number="E0002", username="u3"),  # duplicate number in the file
        row(4, username="bob"),  # taken by someone who is not this person
        row(5, employee_number="E0002", username="carol"),
        row(6, badge_number="B1"),
    ]
    __, errors = validate(rows, known)
    found = codes(errors)
    assert (3, "employee_number", "duplicate_in_file") in found
    assert (4, "username", "username_taken") in found
    assert (5, "username", "username_changed") in found
    assert (6, "badge_number", "badge_taken") in found
    assert not any(e.row == 2 for e in errors)


def test_a_manager_may_be_a_later_row_of_the_same_file():
    clean, errors = validate([row(2, manager_employee_number="E0003"), row(3)], Known())
    assert errors == [] and len(clean) == 2


def test_dates_from_excel_cells_and_text():
    assert parse_date(datetime(2026, 1, 5, 0, 0)) == date(2026, 1, 5)
    assert parse_date("2026/1/5") == date(2026, 1, 5)
    assert parse_date("2026-02-30") is None
    assert parse_date(45000.0) is None
