"""A background check's certificates (health, no criminal record), handed out to the people who may see background
checks (security officers, auditors: ``lms_permits.view_backgroundcheck``) and to nobody else, from whatever storage
holds them (``lms_background``: ``exams.private_files``). Each download is announced for the audit ledger."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_safe

from exams.private_files import BACKGROUND, file_response
from exams.signals import personal_data_exported
from lms.permits.models import BackgroundCheck

PERMISSION = "lms_permits.view_backgroundcheck"
FILES = {"health": "health_certificate", "record": "no_criminal_record"}


@login_required
@require_safe
def background_check_file(request, pk: int, kind: str):
    """404 for anyone without the permission (existence is not revealed), for an unknown kind and a missing file."""
    if kind not in FILES or not request.user.has_perm(PERMISSION):
        raise Http404
    check = BackgroundCheck.objects.select_related("person").filter(pk=pk).first()
    stored = getattr(check, FILES[kind]) if check is not None else None
    if not stored:
        raise Http404
    name = stored.name.rsplit("/", 1)[-1]
    personal_data_exported.send(sender=BackgroundCheck, user=request.user, export="background_check_file",
                                subject=check, details={"file": kind, "name": name})
    return file_response(BACKGROUND, stored.name, filename=name)
