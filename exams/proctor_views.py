"""The proctor's screen (#17): the exams being sat, one exam's start code and its candidates with the proctor's
actions, and an attempt's timeline (proctors and graders). Reads come from ``exams.proctoring``, writes go to
``exams.services.room``."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied

from exams import proctoring
from exams.identity import person_label
from exams.models import Attempt, Exam
from exams.services import proctor as proctor_actions
from exams.services import room

REFRESH_WITHOUT_CODE = 60  # seconds: the table of candidates is redrawn this often when no code is shown


def _allowed(test):
    """A 403 page (not Wagtail's redirect to the dashboard) for a person ``test(user)`` refuses."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                return permission_denied(request, PermissionDenied())
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


@_allowed(proctoring.may_proctor)
def proctor_list(request):
    return TemplateResponse(request, "lms_exams/admin/proctor_list.html",
                            {"rows": proctoring.exams_for_proctor(request.user)})


@_allowed(proctoring.may_proctor)
def proctor(request, exam_id: int):
    exam = get_object_or_404(Exam, pk=exam_id)
    shown = room.current_code(exam) if exam.requires_start_code else None
    return TemplateResponse(request, "lms_exams/admin/proctor.html", {
        "exam": exam,
        "shown": shown,
        "refresh": shown.seconds_left + 1 if shown else REFRESH_WITHOUT_CODE,
        "rules": proctoring.rules_in_words(room.rules(exam)),
        "rows": proctoring.sitting(exam, timezone.now()),
        "max_minutes": proctor_actions.MAX_MINUTES,
        "max_reason": proctor_actions.MAX_REASON,
    })


ACTIONS = {
    "add-time": proctor_actions.proctor_add_time,
    "end": proctor_actions.proctor_end,
    "release": proctor_actions.proctor_release,
}


def _done(action: str, *, person: str, minutes: int = 0) -> str:
    if action == "add-time":
        return ngettext("Added %(minutes)d minute for %(person)s.", "Added %(minutes)d minutes for %(person)s.",
                        minutes) % {"minutes": minutes, "person": person}
    if action == "end":
        return _("Ended the attempt of %(person)s; it is graded with the answers saved so far.") % {"person": person}
    return _("Released the device of %(person)s: the next computer that opens the attempt takes it over.") % {
        "person": person}


def _minutes(text: str) -> int:
    try:
        return int((text or "").strip())
    except ValueError as exc:
        raise ValidationError(_("Add between 1 and %(max)d minutes.") % {"max": proctor_actions.MAX_MINUTES}) from exc


def _shown_for(request, attempt: Attempt) -> int:
    """The exam whose screen the form was on (its hidden ``exam`` field), the attempt's own when it says none."""
    text = (request.POST.get("exam") or "").strip()
    if not text:
        return attempt.exam_id
    return int(text) if text.isascii() and text.isdigit() and int(text) < 2**31 else -1


@_allowed(proctoring.may_proctor)
@require_POST
def proctor_action(request, attempt_id: int, action: str):
    attempt = get_object_or_404(Attempt.objects.select_related("exam", "user"), pk=attempt_id)
    shown_for = _shown_for(request, attempt)
    back = redirect("lms_exams_admin:proctor", exam_id=attempt.exam_id)
    if shown_for != attempt.exam_id:  # a stale or forged form: act on no one the proctor did not see
        if Exam.objects.filter(pk=max(shown_for, 0)).exists():
            back = redirect("lms_exams_admin:proctor", exam_id=shown_for)
        messages.error(request, _("That attempt belongs to another exam.") + " " + _("Nothing was changed."))
        return back
    if action not in ACTIONS:
        messages.error(request, _("Unknown action.") + " " + _("Nothing was changed."))
        return back
    service = ACTIONS[action]
    kwargs = {"attempt": attempt, "by": request.user, "reason": request.POST.get("reason", "")}
    try:
        if action == "add-time":
            kwargs["minutes"] = _minutes(request.POST.get("minutes", ""))
        service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + " " + _("Nothing was changed."))
        return back
    messages.success(request, _done(action, person=person_label(attempt.user), minutes=kwargs.get("minutes", 0)))
    return back


@_allowed(proctoring.may_read_timeline)
def attempt_timeline(request, attempt_id: int):
    attempt = get_object_or_404(Attempt.objects.select_related("exam", "user"), pk=attempt_id)
    return TemplateResponse(request, "lms_exams/admin/attempt_timeline.html", {
        "attempt": attempt,
        "person": person_label(attempt.user),
        "rows": proctoring.timeline(attempt),
        "may_proctor": proctoring.may_proctor(request.user),
    })
