"""Sign-in, password reset and set-password (invitations), rate-limited."""

import time
import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from exams.ratelimit import client_ip, give_back, hit
from lms import conf
from lms.people.models import Person
from lms.signals import record


class LoginView(auth_views.LoginView):
    """Sign-in, rate-limited per client address and per username (LMS_LOGIN_RATE_PER_IP / _PER_USERNAME):
    past the limit a friendly 429 page, and the password is not even checked."""

    template_name = "lms/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        return login_rate_limited(request) or super().post(request, *args, **kwargs)


LOGIN_COUNTED = "_lms_login_counted"  # on the request: (address, when) of the attempt counted against the address


def login_rate_limited(request) -> HttpResponse | None:
    """Count one sign-in attempt; past the limit, the 429 page (and the password is not even checked).
    Shared by our sign-in page and, through ``lms.middleware.LoginRateLimitMiddleware``, the admin sign-ins.

    The per-username limit counts every attempt at that name. The per-address limit counts failures only: a
    shift signing in one after another behind one NAT or kiosk must all get in, while guesses from one address
    still stop. Every attempt is counted first (parallel guesses cannot slip past) and ``login_succeeded`` gives
    a right one back."""
    username = username_key(request.POST.get("username", ""))
    ip_limit, ip_window = conf.LOGIN_RATE_PER_IP
    user_limit, user_window = conf.LOGIN_RATE_PER_USERNAME
    address, counted_at = client_ip(request), time.time()
    ip_ok = hit(scope="login-ip", key=address, limit=ip_limit, window=ip_window)
    user_ok = hit(scope="login-user", key=username, limit=user_limit, window=user_window) if username else True
    if ip_ok and user_ok:
        setattr(request, LOGIN_COUNTED, (address, counted_at))
        return None
    if ip_ok:  # refused for the name's sake: not a failure of this address
        give_back(scope="login-ip", key=address, window=ip_window, counted_at=counted_at)
    locks = [("address", address, ip_limit, ip_window)] if not ip_ok else []
    locks += [("username", username, user_limit, user_window)] if not user_ok else []
    lockout_record(request, locks=locks, address=address, counted_at=counted_at)
    window = ip_window if not ip_ok else user_window
    return too_many_requests(request, _("Too many sign-in attempts."), retry_after=window)


def lockout_record(request, *, locks: list[tuple[str, str, int, int]], address: str, counted_at: float) -> None:
    """One audit ledger entry per lock-out, not per refused attempt: the first refusal of an address or a name in a
    limit's window records it (a marker in the cache, kept for that window), the refusals after it record nothing.
    The entry holds the name tried, the address and which limits locked; never the password."""
    new = [(what, limit, window) for what, key, limit, window in locks
           if cache.add(f"lms-lockout:{what}:{key}:{int(counted_at // window)}", 1, timeout=window + 1)]
    if not new:
        return
    tried = unicodedata.normalize("NFKC", str(request.POST.get("username", "")))[:150]
    user_model = get_user_model()
    account = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: tried}).first() if tried else None
    record(kind="sign_in", action="locked_out", obj=account, data={
        "username": tried,
        "address": address,
        "account": account.pk if account is not None else None,
        "locked": [{"by": what, "limit": limit, "window_seconds": window} for what, limit, window in new],
        "path": request.path,
    })


@receiver(user_logged_in, dispatch_uid="lms_people_login_succeeded")
def login_succeeded(sender, request=None, **kwargs) -> None:
    """``user_logged_in``: a right password is not a failure, so the address gets its attempt back. (Connected
    here, beside the counting: every sign-in that counted came through this module, our page or the middleware.)"""
    counted = getattr(request, LOGIN_COUNTED, None) if request is not None else None
    if counted is None:
        return
    setattr(request, LOGIN_COUNTED, None)
    address, counted_at = counted
    give_back(scope="login-ip", key=address, window=conf.LOGIN_RATE_PER_IP[1], counted_at=counted_at)


def username_key(value) -> str:
    """The per-username limit's key: Django signs in with the NFKC form of the name (``UsernameField``), so
    full-width and other compatibility variants of one name are one key; casefolded, as names differ only in case
    for people. (``lower()`` alone let ``ａｄｍｉｎ``, ``ADMIN`` and ``admin`` count separately.)"""
    name = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    return unicodedata.normalize("NFKC", name)[:150]


def too_many_requests(request, message: str, *, retry_after: int) -> HttpResponse:
    response = render(
        request,
        "lms_ui/too_many_requests.html",
        {"message": message, "retry_minutes": max(1, -(-retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


class LmsPasswordResetForm(PasswordResetForm):
    """Django's form, which also reaches people who never chose a password (imported by HR, not yet signed in):
    Django skips accounts with an unusable password, but ours means "invited", not "password sign-in disabled".
    People who have left get nothing."""

    def get_users(self, email):
        yield from super().get_users(email)
        candidates = Person.objects.filter(user__email__iexact=email, user__is_active=True).exclude(
            status=Person.Status.LEFT
        )
        for person in candidates.select_related("user"):
            if not person.user.has_usable_password() and person.user.email.casefold() == email.casefold():
                yield person.user


class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgot your password?": always answers "if the address is known, a link was sent" (never reveals whether
    it exists); limited per client IP and per address (``LMS_PASSWORD_RESET_RATE``)."""

    template_name = "lms/password/reset_form.html"
    form_class = LmsPasswordResetForm
    email_template_name = "lms/emails/password_reset_email.txt"
    subject_template_name = "lms/emails/password_reset_subject.txt"
    success_url = reverse_lazy("lms_password_reset_done")

    def form_valid(self, form):
        limit, window = conf.PASSWORD_RESET_RATE
        address = username_key(form.cleaned_data["email"])
        if not (
            hit(scope="password-reset-ip", key=client_ip(self.request), limit=limit, window=window)
            and hit(scope="password-reset-email", key=address, limit=limit, window=window)
        ):
            return too_many_requests(self.request, _("Too many password reset requests."), retry_after=window)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "lms/password/reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The one-time "set your password" page (from an invitation or a reset e-mail)."""

    template_name = "lms/password/set_password.html"
    success_url = reverse_lazy("lms_password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "lms/password/set_password_done.html"
