"""Middleware of lms (add to MIDDLEWARE, see docs/install.md)."""

from functools import cache

from django.urls import NoReverseMatch, reverse

from lms import conf
from lms.people.views import login_rate_limited

# Sign-in views that are not ours but accept a password: Wagtail's admin sign-in and Django's admin sign-in.
ADMIN_LOGIN_VIEWS = {"wagtailadmin_login", "admin:login"}
# Pages whose third-party templates need inline scripts: they get LMS_CSP_ADMIN instead of LMS_CSP.
ADMIN_URL_NAMES = ("wagtailadmin_home", "admin:index", "api-docs")


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


@cache
def _admin_prefixes() -> tuple[str, ...]:
    prefixes = []
    for name in ADMIN_URL_NAMES:
        try:
            prefixes.append(reverse(name))
        except NoReverseMatch:
            continue
    return tuple(prefixes)


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy header on every HTML response that has none: ``LMS_CSP`` (no inline scripts; the
    H5P player frame's one line allowed by hash), ``LMS_CSP_ADMIN`` under the Wagtail and Django admin and the API
    docs page. A script injected into a page (an XSS) does not run, and nothing loads from elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response or not response.get("Content-Type", "").startswith("text/html"):
            return response
        policy = conf.CSP_ADMIN if request.path.startswith(_admin_prefixes()) else conf.CSP
        if policy:
            response["Content-Security-Policy"] = policy
        return response
