"""Middleware of lms (add to MIDDLEWARE, see docs/install.md)."""

from lms.views import login_rate_limited

# Sign-in views that are not ours but accept a password: Wagtail's admin sign-in and Django's admin sign-in.
ADMIN_LOGIN_VIEWS = {"wagtailadmin_login", "admin:login"}


class LoginRateLimitMiddleware:
    """The same per-address and per-username limit as our sign-in page, for the admin sign-ins, which would
    otherwise let anyone guess passwords at full speed beside the limited page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method == "POST" and match is not None and match.view_name in ADMIN_LOGIN_VIEWS:
            return login_rate_limited(request)
        return None
