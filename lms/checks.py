"""Start-up checks (``manage.py check``, and so runserver, migrate and the test run).

A closed area has no internet, so nothing the site shows may be fetched from another host (docs/operations.md, "No
internet"). Our own pages ship what they need; these warn when a host site's settings would still send the browser
elsewhere: Wagtail's Gravatar avatars on every admin page, its dashboard's release check, or an API documentation
page without the sidecar's static ReDoc.

The exam room's site default (``LMS_EXAMS_PERMIT_NETWORKS``, docs/exams.md) must parse: an entry that does not
would close every exam that counts for a permit, so it is an error naming the entry."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Warning, register

from exams.room_rules import BadNetwork, parse_networks

WAGTAIL_GRAVATAR_DEFAULT = "//www.gravatar.com/avatar"  # wagtail.users.utils: what an unset setting means


@register()
def check_nothing_leaves_the_site(app_configs=None, **kwargs) -> list[Warning]:
    found = []
    if getattr(settings, "WAGTAIL_GRAVATAR_PROVIDER_URL", WAGTAIL_GRAVATAR_DEFAULT):
        found.append(Warning(
            "Wagtail asks Gravatar for every admin avatar, sending a hash of each staff member's e-mail address "
            "to another host (and a closed area cannot reach it).",
            hint="Set WAGTAIL_GRAVATAR_PROVIDER_URL = None.", id="lms.W001",
        ))
    if getattr(settings, "WAGTAIL_ENABLE_UPDATE_CHECK", True):
        found.append(Warning(
            "Wagtail's dashboard asks wagtail.org for the latest release from each superuser's browser.",
            hint="Set WAGTAIL_ENABLE_UPDATE_CHECK = False.", id="lms.W002",
        ))
    if not apps.is_installed("drf_spectacular_sidecar"):
        found.append(Warning(
            "The API documentation page (/api/docs/) loads ReDoc from drf-spectacular-sidecar's static files, "
            "which are not installed.",
            hint='Add "drf_spectacular_sidecar" to INSTALLED_APPS (docs/install.md).', id="lms.W003",
        ))
    return found


@register()
def check_exam_permit_networks(app_configs=None, **kwargs) -> list[Error]:
    value = getattr(settings, "LMS_EXAMS_PERMIT_NETWORKS", None)
    if value is None:
        return []
    hint = ('One network per entry, as an address or CIDR: LMS_EXAMS_PERMIT_NETWORKS = ["10.20.30.0/24", '
            '"2001:db8:30::/48"], or one string with commas or newlines.')
    if not isinstance(value, str | list | tuple | set | frozenset):
        return [Error(
            f"LMS_EXAMS_PERMIT_NETWORKS must be a list of networks or a string, not {type(value).__name__}.",
            hint=hint, id="lms.E001",
        )]
    try:
        parse_networks(value)
    except BadNetwork as exc:
        return [Error(
            f"LMS_EXAMS_PERMIT_NETWORKS: {exc.entry!r} is not a network address. Until it is fixed, nobody can sit "
            "an exam that counts for a permit.",
            hint=hint, id="lms.E001",
        )]
    return []
