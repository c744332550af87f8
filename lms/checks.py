"""Start-up checks: a closed area has no internet, so nothing the site shows may be fetched from another host
(docs/operations.md, "No internet"). Our own pages ship what they need; these warn (``manage.py check``, and so
runserver, migrate and the test run) when a host site's settings would still send the browser elsewhere: Wagtail's
Gravatar avatars on every admin page, its dashboard's release check, or an API documentation page without the
sidecar's static ReDoc."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.checks import Warning, register

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
