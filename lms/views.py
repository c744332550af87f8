"""People-facing pages of lms: sign-in, the "My learning" dashboard, evidence files and one's training file."""

import io

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from certificates.ratelimit import client_ip, hit
from lms import conf
from lms.archive.selectors import session_evidence_visible_to
from lms.exports.archive import person_file_export
from lms.models import TrainingSession
from lms.selectors import dashboard_for, person_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LoginView(auth_views.LoginView):
    """Sign-in, rate-limited per client address and per username (LMS_LOGIN_RATE_PER_IP / _PER_USERNAME):
    past the limit a friendly 429 page, and the password is not even checked."""

    template_name = "lms/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        return login_rate_limited(request) or super().post(request, *args, **kwargs)


def login_rate_limited(request) -> HttpResponse | None:
    """Count one sign-in attempt; past the limit, the 429 page (and the password is not even checked).
    Shared by our sign-in page and, through ``lms.middleware.LoginRateLimitMiddleware``, the admin sign-ins."""
    username = str(request.POST.get("username", "")).strip().lower()[:150]
    ip_limit, ip_window = conf.LOGIN_RATE_PER_IP
    user_limit, user_window = conf.LOGIN_RATE_PER_USERNAME
    ip_ok = hit(scope="login-ip", key=client_ip(request), limit=ip_limit, window=ip_window)
    user_ok = hit(scope="login-user", key=username, limit=user_limit, window=user_window) if username else True
    if ip_ok and user_ok:
        return None
    window = ip_window if not ip_ok else user_window
    return too_many_requests(request, _("Too many sign-in attempts."), retry_after=window)


def too_many_requests(request, message: str, *, retry_after: int) -> HttpResponse:
    response = render(
        request,
        "lms_ui/too_many_requests.html",
        {"message": message, "retry_minutes": max(1, -(-retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


@login_required
def my_learning(request):
    return render(request, "lms/my_learning.html", dashboard_for(request.user))


@login_required
def session_evidence(request, pk: int):
    """A session's evidence file, for trainers/HR, the attendees and their managers; 404 for anyone else."""
    session = TrainingSession.objects.filter(pk=pk).first()
    if session is None or not session.evidence or not session_evidence_visible_to(user=request.user, session=session):
        raise Http404
    name = session.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(session.evidence.open("rb"), as_attachment=True, filename=name)


@login_required
def my_training_file(request):
    """The signed-in person's own training file as a workbook (small: streamed at once)."""
    person = person_for(request.user)
    if person is None:
        raise Http404
    buffer = io.BytesIO()
    person_file_export(person=person, out=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="training-file-{person.employee_number}.xlsx"'
    return response
