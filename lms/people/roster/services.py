"""The roster import (HR): template, dry-run preview and the all-or-nothing, idempotent commit.

People are matched by employee number: a new number creates the person through ``lms.people.services.person_create``
(so role groups and induction programs are assigned), a known one updates the profile. Departments and
positions are matched by code and created when new. Managers may be people of the same file.

The import never changes an existing account: a different e-mail is reported ("proposed, not applied") and
recorded in the audit ledger with the old and the new address; an administrator changes it in the Users admin.
Rows of privileged accounts (superusers, staff, anyone with a role other than Learner) are refused, each named
in the report and the ledger, and nothing of them is written (docs/roles.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exams.localization import sources
from exams.localized_names import names_in_reading_language
from lms.people import services as people_services
from lms.people.models import Department, Person, Position
from lms.people.roster import rules
from lms.sheets.reading import file_sha256, read_rows
from lms.sheets.writer import Column, write_sheet
from lms.signals import record


def column_labels() -> dict[str, str]:
    return {
        "employee_number": _("Employee number"),
        "name": _("Name"),
        "username": _("Username"),
        "email": _("E-mail"),
        "department_code": _("Department code"),
        "department_name": _("Department name"),
        "position_code": _("Position code"),
        "position_name": _("Position name"),
        "manager_employee_number": _("Manager's employee number"),
        "hire_date": _("Hire date"),
        "status": _("Status"),
        "badge_number": _("Badge number"),
    }


ERROR_MESSAGES = {
    "required": gettext_lazy("This column is required."),
    "too_long": gettext_lazy("The text is too long."),
    "duplicate_in_file": gettext_lazy("The same value appears in an earlier row of the file."),
    "invalid_username": gettext_lazy("A username may contain only letters, digits and @ . + - _."),
    "username_changed": gettext_lazy("This employee number belongs to a person with another username."),
    "username_taken": gettext_lazy("This username belongs to another person."),
    "invalid_email": gettext_lazy("Not an e-mail address."),
    "invalid_date": gettext_lazy("Not a date (use YYYY-MM-DD)."),
    "invalid_status": gettext_lazy("Use onboarding, active or left."),
    "invalid_code": gettext_lazy("A code may contain only letters, digits, - and _."),
    "name_for_new_code": gettext_lazy("This code is new: give its name as well."),
    "own_manager": gettext_lazy("A person cannot be their own manager."),
    "unknown_manager": gettext_lazy("No person with this employee number, in the file or already recorded."),
    "badge_taken": gettext_lazy("This badge belongs to another person."),
    "save_failed": gettext_lazy("This row could not be saved: %(detail)s"),
}

# Reported for a row without stopping the import.
NOTICE_MESSAGES = {
    "privileged": gettext_lazy(
        "Refused: this person's account is privileged (administrator, staff or a role other than Learner). The "
        "roster import does not change it; nothing of this row is written. An administrator can change it."
    ),
    "email_differs": gettext_lazy(
        "E-mail differs: proposed change to %(new)s not applied (the import never changes an existing account's "
        "e-mail); an administrator can change it in the Users admin, which the audit ledger records."
    ),
}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str  # the column's label in the active language ("" for the whole row)
    message: str
    value: str = ""


@dataclass
class RosterPreview:
    rows: list[rules.RosterRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    actions: dict[int, str] = field(default_factory=dict)  # row → "create" | "update" | "unchanged" | "refused"
    notices: list[RowProblem] = field(default_factory=list)  # refused rows, proposed e-mail changes (not applied)
    email_proposals: dict[int, tuple[str, str]] = field(default_factory=dict)  # row → (current, proposed) e-mail

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions.values() if a == action)


class RosterImportError(Exception):
    def __init__(self, problems: list[RowProblem]):
        super().__init__(problems)
        self.problems = problems


def roster_template(out) -> None:
    """The template workbook: the columns (required ones marked *), one example row, and drop-downs for the coded
    columns: status (only the three values), department and position codes (today's codes, listed with their
    names on a second sheet; a new code may still be typed, with its name)."""
    from lms.sheets.validation import add_list_validation, inline_list, range_list, write_code_sheet
    from lms.sheets.writer import new_workbook

    labels = column_labels()
    workbook = new_workbook()
    example = ["E0001", "张三", "zhangsan", "zhangsan@example.com", "ops", "运营部", "ops-specialist", "运营专员",
               "", "2026-01-05", "onboarding", ""]
    write_sheet(
        workbook,
        title=_("Roster"),
        columns=[Column(f"{labels[key]}{' *' if required else ''}", 18) for key, required in rules.COLUMNS],
        rows=[example],
    )
    roster = workbook.worksheets[-1]
    departments = _codes_and_names(Department)
    positions = _codes_and_names(Position)
    statuses = [(value, str(label)) for value, label in Person.Status.choices]
    codes_title = _("Codes")
    write_code_sheet(workbook, title=codes_title, columns=[
        (labels["department_code"], [code for code, __ in departments]),
        (labels["department_name"], [name for __, name in departments]),
        (labels["position_code"], [code for code, __ in positions]),
        (labels["position_name"], [name for __, name in positions]),
        (labels["status"], [value for value, __ in statuses]),
        (_("Meaning"), [label for __, label in statuses]),
    ])
    column = {key: index for index, key in enumerate(rules.COLUMN_KEYS, 1)}
    add_list_validation(
        roster, column=column["status"], formula=inline_list([value for value, __ in statuses]), strict=True,
        prompt=_("onboarding, active or left (empty: onboarding)."),
        error=_("Use onboarding, active or left."),
    )
    # (roster column, its name column, the codes, their column on the Codes sheet)
    for key, name_key, known, code_column in (("department_code", "department_name", departments, 1),
                                              ("position_code", "position_name", positions, 3)):
        if not known:
            continue  # nothing to pick from yet: every code is new, typed with its name
        add_list_validation(
            roster, column=column[key], formula=range_list(str(codes_title), code_column, len(known)), strict=False,
            prompt=_("Pick a code (the sheet “%(sheet)s” lists their names), or type a new code and give "
                     "“%(name)s” too.") % {"sheet": codes_title, "name": labels[name_key]},
            error=_("This code is new: it is created on import, with the name you give."),
        )
    workbook.save(out)


def _codes_and_names(model) -> list[tuple[str, str]]:
    """(code, name in the reader's language) of each source: a translation has the same code, and is no other
    department or position."""
    objects = list(sources(model.objects.order_by("code")).only("pk", "code", "name", "translation_key"))
    names = names_in_reading_language(objects)
    return [(obj.code, names[obj.pk]) for obj in objects]


def _known(rows: list[rules.RawRow]) -> rules.Known:
    numbers = {rules.text(r.values.get("employee_number")) for r in rows}
    usernames = {rules.text(r.values.get("username")) for r in rows}
    badges = {rules.text(r.values.get("badge_number")) for r in rows} - {""}
    return rules.Known(
        username_by_employee=dict(
            Person.objects.filter(employee_number__in=numbers | {
                rules.text(r.values.get("manager_employee_number")) for r in rows
            }).values_list("employee_number", "user__username")
        ),
        usernames=set(get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)),
        department_codes=set(Department.objects.values_list("code", flat=True)),  # a translation's code is its source's
        position_codes=set(Position.objects.values_list("code", flat=True)),
        badge_owner=dict(Person.objects.filter(badge_number__in=badges).values_list("badge_number", "employee_number")),
    )


def _problems(errors: list[rules.RowError]) -> list[RowProblem]:
    labels = column_labels()
    return [
        RowProblem(e.row, str(labels.get(e.column, "")), str(ERROR_MESSAGES[e.code]), e.value) for e in errors
    ]


def roster_preview(upload) -> RosterPreview:
    """Read and validate the file; changes nothing. Raises ``ImportFileError`` when the file is unreadable."""
    raw = read_rows(upload, labels=column_labels, required=set(rules.REQUIRED))
    clean, errors = rules.validate(raw, _known(raw))
    preview = RosterPreview(rows=clean, problems=_problems(errors))
    existing = {
        p.employee_number: p
        for p in Person.objects.filter(employee_number__in=[r.employee_number for r in clean])
        .select_related("user", "department", "position", "manager")
    }
    privileged = _privileged_user_ids([p.user_id for p in existing.values()])
    labels = column_labels()
    for row in clean:
        person = existing.get(row.employee_number)
        if person is None:
            preview.actions[row.number] = "create"
        elif person.user_id in privileged:
            preview.actions[row.number] = "refused"
            preview.notices.append(RowProblem(row.number, "", str(NOTICE_MESSAGES["privileged"])))
        else:
            preview.actions[row.number] = "update" if _differs(person, row) else "unchanged"
            if row.email and row.email.lower() != person.user.email.lower():
                preview.email_proposals[row.number] = (person.user.email, row.email)
                preview.notices.append(RowProblem(
                    row.number, str(labels["email"]), str(NOTICE_MESSAGES["email_differs"]) % {"new": row.email},
                    row.email,
                ))
    return preview


def _privileged_user_ids(user_ids: list[int]) -> set[int]:
    """Of these users, the privileged ones (``lms.people.services.privileged_accounts``), in one query."""
    users = get_user_model().objects.filter(pk__in=user_ids)
    return set(people_services.privileged_accounts(users).values_list("pk", flat=True))


def _differs(person: Person, row: rules.RosterRow) -> bool:
    return (
        person.name != row.name
        or (person.department.code if person.department else "") != row.department_code
        or (person.position.code if person.position else "") != row.position_code
        or (person.manager.employee_number if person.manager else "") != row.manager_employee_number
        or person.hire_date != row.hire_date
        or person.status != row.status
        or person.badge_number != row.badge_number
    )


def roster_import(upload, *, imported_by=None) -> RosterPreview:
    """Validate, then write every row or none. Raises ``RosterImportError`` (naming the rows) when anything is
    wrong; re-importing the same file changes nothing. A committed import is recorded in the audit ledger
    (counts and the file's SHA-256)."""
    sha256 = file_sha256(upload)
    preview = roster_preview(upload)
    if preview.problems:
        raise RosterImportError(preview.problems)
    if not preview.rows:
        raise RosterImportError([RowProblem(0, "", _("The file has no data rows."))])
    try:
        with transaction.atomic():
            _write([row for row in preview.rows if preview.actions[row.number] != "refused"])
            _record_refusals(preview, imported_by=imported_by, sha256=sha256)
            record(kind="import", action="roster", actor=imported_by, data={
                "file_sha256": sha256, "rows": len(preview.rows), "created": preview.count("create"),
                "updated": preview.count("update"), "unchanged": preview.count("unchanged"),
                "refused": preview.count("refused"), "email_changes_proposed": len(preview.email_proposals),
            })
    except RosterImportError:
        raise
    return preview


def _record_refusals(preview: RosterPreview, *, imported_by, sha256: str) -> None:
    """One ledger entry per refused row and per proposed (not applied) e-mail change, old and new values."""
    refused = {r.employee_number: r.email for r in preview.rows if preview.actions[r.number] == "refused"}
    proposed = {r.employee_number: preview.email_proposals[r.number] for r in preview.rows
                if r.number in preview.email_proposals}
    people = Person.objects.filter(employee_number__in=[*refused, *proposed]).select_related("user")
    for person in sorted(people, key=lambda p: p.employee_number):
        user = {"id": person.user_id, "username": person.user.get_username()}
        if person.employee_number in proposed:
            old, new = proposed[person.employee_number]
            record(kind="account", action="email_change_refused", obj=person.user, actor=imported_by,
                   data={"user": user, "employee_number": person.employee_number, "source": "roster",
                         "file_sha256": sha256, "old": old, "new": new})
        else:
            email = refused[person.employee_number]
            record(kind="account", action="roster_row_refused", obj=person.user, actor=imported_by,
                   data={"user": user, "employee_number": person.employee_number, "source": "roster",
                         "file_sha256": sha256, "reason": "privileged account", "old": person.user.email,
                         "new": email if email.lower() != person.user.email.lower() else person.user.email})


def _write(rows: list[rules.RosterRow]) -> None:
    departments = {d.code: d for d in sources(Department.objects.all())}  # people point at sources, never at
    positions = {p.code: p for p in sources(Position.objects.all())}  # a translation, which has the same code
    for row in rows:
        if row.department_code and row.department_code not in departments:
            departments[row.department_code] = Department.objects.create(
                code=row.department_code, name=row.department_name
            )
        if row.position_code and row.position_code not in positions:
            positions[row.position_code] = Position.objects.create(code=row.position_code, name=row.position_name)
    numbers = [r.employee_number for r in rows]
    people = {p.employee_number: p for p in Person.objects.filter(employee_number__in=numbers)}
    for row in rows:
        fields = {
            "name": row.name,
            "hire_date": row.hire_date,
            "department": departments.get(row.department_code),
            "position": positions.get(row.position_code),
            "status": row.status,
            "badge_number": row.badge_number,
        }
        try:
            with transaction.atomic():
                person = people.get(row.employee_number)
                if person is None:
                    people[row.employee_number] = people_services.person_create(
                        username=row.username, employee_number=row.employee_number, email=row.email, **fields
                    )
                else:
                    people_services.person_update(person=person, **fields)  # never the account's e-mail
        except (ValidationError, IntegrityError) as exc:
            detail = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            raise RosterImportError(
                [RowProblem(row.number, "", str(ERROR_MESSAGES["save_failed"]) % {"detail": detail})]
            ) from exc
    managers = {**{p.employee_number: p for p in Person.objects.filter(
        employee_number__in=[r.manager_employee_number for r in rows if r.manager_employee_number])}, **people}
    for row in rows:  # rows of privileged accounts were left out by the caller
        manager = managers.get(row.manager_employee_number) if row.manager_employee_number else None
        people_services.person_update(person=people[row.employee_number], manager=manager)
