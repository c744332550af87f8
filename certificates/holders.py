"""Who a certificate names and whom reminders reach. ``lms_people.Person`` is above this app, so the site points
``LMS_CERTIFICATE_HOLDER`` / ``LMS_CERTIFICATE_CONTACTS`` at callables of its own (see docs/certificates.md)."""

from __future__ import annotations

from django.utils.module_loading import import_string

from certificates import conf


def default_holder(user) -> tuple[str, str]:
    return (user.get_full_name() or user.get_username()), ""


def default_contacts(user) -> tuple[str, list[str]]:
    return user.email, []


def holder(user) -> tuple[str, str]:
    """(name, employee number) printed on a certificate."""
    func = import_string(conf.CERTIFICATE_HOLDER) if conf.CERTIFICATE_HOLDER else default_holder
    name, number = func(user)
    return (name or user.get_username()), (number or "")


def preferred_language(user) -> str | None:
    """The language the holder chose (Wagtail's ``UserProfile.preferred_language``, which the site remembers when a
    person picks a language), or None when they never chose one."""
    from wagtail.users.models import UserProfile

    return UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first() or None


def contacts(user) -> tuple[str, list[str]]:
    """(holder's e-mail, managers' e-mails) for reminders."""
    func = import_string(conf.CERTIFICATE_CONTACTS) if conf.CERTIFICATE_CONTACTS else default_contacts
    email, managers = func(user)
    return email or "", [m for m in managers if m]


def departments() -> list[tuple[str, str]] | None:
    """The choices of the certificate list's department filter, or None when the site wires none."""
    if not (conf.CERTIFICATE_DEPARTMENTS and conf.CERTIFICATE_DEPARTMENT_USERS):
        return None
    return [(str(value), label) for value, label in import_string(conf.CERTIFICATE_DEPARTMENTS)()]


def users_in_department(value: str):
    """A queryset of user primary keys of the holders in department ``value``."""
    return import_string(conf.CERTIFICATE_DEPARTMENT_USERS)(value)


def visible_users(viewer):
    """User keys of the other people whose certificates ``viewer`` may see (the site's team scope), or None."""
    if not conf.CERTIFICATE_VISIBLE_USERS:
        return None
    return import_string(conf.CERTIFICATE_VISIBLE_USERS)(viewer)
