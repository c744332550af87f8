"""How the lower apps learn about a person without importing lms (wired by settings, see docs/install.md)."""

from exams.localization import sources
from exams.localized_names import names_in_reading_language
from lms.people.models import Department, Person


def certificate_holder(user) -> tuple[str, str]:
    """(name, employee number) printed on certificates: ``LMS_CERTIFICATE_HOLDER``."""
    person = Person.objects.filter(user=user).only("name", "employee_number").first()
    if person is None:
        return user.get_full_name() or user.get_username(), ""
    return person.name, person.employee_number


def certificate_contacts(user) -> tuple[str, list[str]]:
    """(holder's e-mail, [managers' e-mails]) for expiry reminders: ``LMS_CERTIFICATE_CONTACTS``."""
    person = Person.objects.filter(user=user).select_related("manager__user").first()
    manager = person.manager if person else None
    return user.email, [manager.user.email] if manager and manager.user.email else []


def certificate_departments() -> list[tuple[int, str]]:
    """The certificate list's department filter choices: ``LMS_CERTIFICATE_DEPARTMENTS``."""
    departments = list(sources(Department.objects.order_by("name")).only("pk", "name", "translation_key"))
    names = names_in_reading_language(departments)
    return [(department.pk, names[department.pk]) for department in departments]


def certificate_department_users(value):
    """User keys of the people in department ``value`` (a sub-query): ``LMS_CERTIFICATE_DEPARTMENT_USERS``."""
    return Person.objects.filter(department_id=value, user__isnull=False).values("user_id")


def certificate_visible_users(viewer):
    """User keys of ``viewer``'s direct reports, whose certificates a manager sees: ``LMS_CERTIFICATE_VISIBLE_USERS``
    (the same team scope as the archive's ``people_visible_to``)."""
    return Person.objects.filter(manager__user=viewer, user__isnull=False).values("user_id")
