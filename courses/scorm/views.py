"""The SCORM player page, the package's files, and the runtime's commits. Views translate and delegate.

The package runs in a frame of the player page, from the package's own URLs, so that its SCOs find the runtime
(``window.API`` for 1.2, ``window.API_1484_11`` for 2004, from npm scorm-again) in their parent window. Its files
go out with ``nosniff`` and a content security policy that lets them reach this site only.
"""

from __future__ import annotations

import json
import secrets

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.h5p.views import safe_path, serve_file
from courses.scorm import conf, selectors, services
from courses.scorm.models import ScormActivity, ScormAttempt, ScormPackage, ScormScoState
from exams.identity import person_label

# The package's pages run scripts and talk to the runtime in the parent page (same origin); they may load only
# this site's files and post only here. ``sandbox`` keeps them from navigating the top window or opening plugins.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; "
    "sandbox allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads"
)


def _activity_for(request, pk: int) -> ScormActivity:
    activity = get_object_or_404(ScormActivity.objects.select_related("current"), pk=pk)
    if not selectors.can_play(user=request.user, activity=activity):
        raise PermissionDenied
    return activity


def _next_url(request) -> str | None:
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


@login_required
@require_http_methods(["GET", "HEAD"])
def package_file(request, pk: int, path: str):
    """A file of one package version, for the people who may play its activity."""
    package = get_object_or_404(ScormPackage.objects.select_related("activity"), pk=pk)
    if not selectors.can_play(user=request.user, activity=package.activity):
        raise PermissionDenied
    path = safe_path(path)
    return serve_file(request, f"{package.storage_path}/{path}", path, store=services.storage(), csp=CSP)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def player(request, pk: int):
    """Play the activity: the open attempt (or a new one), one SCO at a time, with the table of contents."""
    activity = _activity_for(request, pk)
    next_url = _next_url(request)
    try:
        attempt = services.attempt_open(user=request.user, activity=activity, new=request.method == "POST")
    except ValidationError as exc:
        status = selectors.status_for(user=request.user, activities=[activity])[activity.pk]
        return render(request, "lms_scorm/player.html", {
            "activity": activity, "status": status, "refusal": " ".join(exc.messages), "next_url": next_url,
        }, status=409 if request.method == "POST" else 200)
    if request.method == "POST":
        target = reverse("lms_scorm:player", args=[activity.pk])
        return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    package = attempt.package
    scos = package.tracked_scos or package.scos
    chosen = package.sco(request.GET.get("sco", "")) or scos[0]
    states = {s.sco: s for s in ScormScoState.objects.filter(attempt=attempt)}
    state = states.get(chosen["identifier"])
    status = selectors.status_for(user=request.user, activities=[activity])[activity.pk]
    # the file's URL, then the href's own query and fragment (the href may differ from the path before them:
    # "./", "%20", xml:base folders)
    href = chosen["href"]
    launch = reverse("lms_scorm:package_file", args=[package.pk, chosen["path"]])
    launch += href[min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href)):]
    config = None
    if chosen.get("scorm_type") == "sco" and not attempt.is_finished:
        config = {
            "version": "1.2" if package.family == "1.2" else "2004",
            "commitUrl": reverse("lms_scorm:commit", args=[attempt.pk, chosen["identifier"]]),
            "csrfToken": get_token(request),
            "seq": state.seq if state is not None else 0,
            "session": secrets.token_hex(16),
            "cmi": selectors.initial_cmi(attempt=attempt, sco=chosen, state=state,
                                         person_name=person_label(request.user)),
            "runtime": static("lms_scorm/runtime/" + ("scorm12.min.js" if package.family == "1.2"
                                                       else "scorm2004.min.js")),
            "messages": {"failed": _("Your progress could not be saved. Check your connection; the package "
                                     "will try again.")},
        }
    toc = [
        {"depth": depth, "title": title, "sco": sco_id,
         "state": states.get(sco_id).completion if sco_id and states.get(sco_id) else "",
         "current": sco_id == chosen["identifier"]}
        for depth, title, sco_id in package.manifest.get("toc", [])
    ]
    return render(request, "lms_scorm/player.html", {
        "activity": activity, "attempt": attempt, "package": package, "sco": chosen, "launch": launch,
        "config": config, "toc": toc if len(package.scos) > 1 else [], "status": status, "next_url": next_url,
    })


@login_required
@require_POST
def commit(request, attempt_pk: int, sco: str):
    """One commit of the runtime: ``{"seq": n, "session": "...", "terminate": bool, "cmi": {flattened}}``; answers
    ``{"result": bool, "errorCode": n}`` as scorm-again expects. CSRF-protected like every POST of the site."""
    if not ScormAttempt.objects.filter(pk=attempt_pk, user=request.user).exists():
        raise Http404  # someone else's attempt: nothing to tell, whatever the body
    if len(request.body) > conf.SCORM_MAX_COMMIT_BYTES:
        return JsonResponse({"result": False, "errorCode": 101, "message": _("The commit is too large.")}, status=413)
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"result": False, "errorCode": 101, "message": _("The commit is not JSON.")}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"result": False, "errorCode": 101, "message": _("The commit is not JSON.")}, status=400)
    try:
        outcome = services.commit_record(
            user=request.user, attempt_id=attempt_pk, sco=sco, seq=body.get("seq"), session=body.get("session", ""),
            data=body.get("cmi"), terminate=bool(body.get("terminate")),
        )
    except PermissionDenied as exc:
        raise Http404 from exc  # someone else's attempt, or no such SCO: nothing to tell
    if outcome.error:
        if outcome.finished and not outcome.stored:
            message = _("This attempt is finished; start a new one.")
        else:
            message = _("The server refused a value (%(elements)s); it was not saved.") % {
                "elements": ", ".join(outcome.refused[:5])}
        return JsonResponse({"result": False, "errorCode": outcome.error, "message": message,
                             "refused": list(outcome.refused)}, status=422)
    return JsonResponse({"result": True, "errorCode": 0, "stored": outcome.stored, "finished": outcome.finished})


@login_required
def my_attempts(request):
    """A person's own SCORM attempts."""
    return render(request, "lms_scorm/my_attempts.html", {"attempts": selectors.attempts_for(user=request.user)[:500]})
