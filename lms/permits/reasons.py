"""Reason codes of decisions, in words a person understands."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certificates.models import Certification
from exams.localized_names import names_in_reading_language


def _messages() -> dict[str, str]:
    return {
        "allowed": _("Allowed."),
        "unknown_person": _("The badge or employee number is not known."),
        "person_inactive": _("The person has left the company."),
        "no_permit": _("There is no permit for this area."),
        "permit_not_issued": _("The permit has not been issued yet."),
        "permit_revoked": _("The permit has been revoked."),
        "permit_expired": _("The permit is outside its validity period."),
        "position_not_allowed": _("The person's position does not give access to this area."),
        "certification_missing": _("Certification “%(name)s” is missing."),
        "certification_expired": _("Certification “%(name)s” has expired."),
        "certification_revoked": _("Certification “%(name)s” was revoked."),
        "visitor_not_approved": _("The visit has not been approved."),
        "visitor_outside_window": _("The visit is outside its approved time."),
        "escort_not_allowed": _("The escort may not enter this area now."),
        "area_not_allowed_for_controller": _("This door controller is not set up for this area."),
        "rate_limited": _("Too many requests."),
        "bad_request": _("The request was incomplete."),
        "error": _("The decision could not be computed, so access is denied."),
    }


def certification_ids(reasons) -> set[int]:
    """The certifications that reason codes such as ``certification_expired:12`` name."""
    return {int(r.split(":", 1)[1]) for r in reasons if ":" in r and r.split(":", 1)[1].isdigit()}


def certification_names(ids) -> dict[int, str]:
    """Names by id in the reader's language (the translation's, else the source's): one query, two when the
    reader's language is not the site's. Only when reasons are shown, never on the door's path."""
    if not ids:
        return {}
    return names_in_reading_language(Certification.objects.filter(pk__in=ids).only("pk", "name", "translation_key"))


def describe(reasons, names: dict[int, str] | None = None) -> list[str]:
    """Each reason code (``certification_expired:12`` included) as a sentence. ``names`` (certification
    names by id) saves the query when many decisions are described at once."""
    messages = _messages()
    if names is None:
        names = certification_names(certification_ids(reasons))
    out = []
    for reason in reasons:
        code, _sep, ref = reason.partition(":")
        text = messages.get(code, reason)
        out.append(text % {"name": names.get(int(ref), ref)} if ref.isdigit() else text)
    return out
