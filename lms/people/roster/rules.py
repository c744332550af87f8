"""Roster row validation. Pure: no Django, no database.

The service reads the workbook into ``RawRow``s (sheet row number + ``{column key: cell value}``) and gives
``validate`` what the database already holds (``Known``). ``validate`` returns clean ``RosterRow``s and every
problem as a ``RowError`` (row, column, code); the service turns codes into translated messages. Nothing is
written unless the list of errors is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from lms.sheets.cells import RawRow, RowError, text

# (key, required). The order is the template's column order.
COLUMNS: tuple[tuple[str, bool], ...] = (
    ("employee_number", True),
    ("name", True),
    ("username", True),
    ("email", False),
    ("department_code", False),
    ("department_name", False),
    ("position_code", False),
    ("position_name", False),
    ("manager_employee_number", False),
    ("hire_date", True),
    ("status", False),
    ("badge_number", False),
)
COLUMN_KEYS = tuple(key for key, __ in COLUMNS)
REQUIRED = frozenset(key for key, required in COLUMNS if required)
MAX_LENGTH = {
    "employee_number": 40, "name": 120, "username": 150, "email": 254, "department_code": 40,
    "department_name": 120, "position_code": 40, "position_name": 120, "manager_employee_number": 40,
    "badge_number": 40,
}
STATUSES = ("onboarding", "active", "left")

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_USERNAME = re.compile(r"^[\w.@+-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RosterRow:
    number: int
    employee_number: str
    name: str
    username: str
    email: str
    department_code: str
    department_name: str
    position_code: str
    position_name: str
    manager_employee_number: str
    hire_date: date
    status: str
    badge_number: str


@dataclass
class Known:
    """What the database holds already."""

    username_by_employee: dict[str, str] = field(default_factory=dict)  # existing people
    usernames: set[str] = field(default_factory=set)  # every existing user name
    department_codes: set[str] = field(default_factory=set)
    position_codes: set[str] = field(default_factory=set)
    badge_owner: dict[str, str] = field(default_factory=dict)  # badge → employee number


def parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        parts = raw.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
        return None


def validate(rows: list[RawRow], known: Known) -> tuple[list[RosterRow], list[RowError]]:
    errors: list[RowError] = []
    clean: list[RosterRow] = []
    seen_numbers: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    seen_badges: dict[str, int] = {}
    in_file = {text(r.values.get("employee_number")) for r in rows} - {""}
    # A new department/position needs its name once, in any row of the file.
    named = {
        key: {text(r.values.get(key)) for r in rows if text(r.values.get(name_key))}
        for key, name_key in (("department_code", "department_name"), ("position_code", "position_name"))
    }

    for row in rows:
        v = {key: text(row.values.get(key)) for key in COLUMN_KEYS}
        row_errors: list[RowError] = []

        def err(column: str, code: str, value: str = "", _row=row, _errors=row_errors) -> None:
            _errors.append(RowError(_row.number, column, code, value))

        for key in REQUIRED:
            if not v[key]:
                err(key, "required")
        for key, limit in MAX_LENGTH.items():
            if len(v[key]) > limit:
                err(key, "too_long", v[key][:20])

        number, username = v["employee_number"], v["username"]
        if number:
            if number in seen_numbers:
                err("employee_number", "duplicate_in_file", number)
            seen_numbers.setdefault(number, row.number)
        if username:
            if not _USERNAME.match(username):
                err("username", "invalid_username", username)
            if username in seen_usernames:
                err("username", "duplicate_in_file", username)
            seen_usernames.setdefault(username, row.number)
            existing_username = known.username_by_employee.get(number)
            if existing_username is not None and existing_username != username:
                err("username", "username_changed", username)
            elif existing_username is None and username in known.usernames:
                err("username", "username_taken", username)
        if v["email"] and not _EMAIL.match(v["email"]):
            err("email", "invalid_email", v["email"])

        hire_date = parse_date(row.values.get("hire_date"))
        if v["hire_date"] and hire_date is None:
            err("hire_date", "invalid_date", v["hire_date"])

        status = v["status"].lower() or "onboarding"
        if status not in STATUSES:
            err("status", "invalid_status", v["status"])

        for code_key, name_key, existing in (
            ("department_code", "department_name", known.department_codes),
            ("position_code", "position_name", known.position_codes),
        ):
            code = v[code_key]
            if not code:
                if v[name_key]:
                    err(code_key, "required")
                continue
            if not _SLUG.match(code):
                err(code_key, "invalid_code", code)
            elif code not in existing and code not in named[code_key]:
                err(name_key, "name_for_new_code", code)

        manager = v["manager_employee_number"]
        if manager:
            if manager == number:
                err("manager_employee_number", "own_manager", manager)
            elif manager not in in_file and manager not in known.username_by_employee:
                err("manager_employee_number", "unknown_manager", manager)

        badge = v["badge_number"]
        if badge:
            if badge in seen_badges:
                err("badge_number", "duplicate_in_file", badge)
            seen_badges.setdefault(badge, row.number)
            owner = known.badge_owner.get(badge)
            if owner is not None and owner != number:
                err("badge_number", "badge_taken", badge)

        if row_errors:
            errors.extend(row_errors)
            continue
        clean.append(
            RosterRow(
                number=row.number,
                employee_number=number,
                name=v["name"],
                username=username,
                email=v["email"],
                department_code=v["department_code"],
                department_name=v["department_name"],
                position_code=v["position_code"],
                position_name=v["position_name"],
                manager_employee_number=manager,
                hire_date=hire_date,  # type: ignore[arg-type]  (checked above)
                status=status,
                badge_number=badge,
            )
        )
    return clean, errors
