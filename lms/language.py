"""Which language a page is in: the person's own choice, else the company's (``LANGUAGE_CODE``), not the browser's.

An operations site in a Chinese company serves Chinese by default, whatever language the employee's browser
happens to be set to. A person who picks a language (the switcher posts to Django's ``set_language``) gets it
from then on: in a cookie on that browser, and, once signed in, on their profile (Wagtail's
``UserProfile.preferred_language``, which the admin follows too), so it follows them to every device. A language
picked while signed out (the switcher on the sign-in page) goes on the profile when they sign in
(``lms.receivers``, on ``user_logged_in``).

``LMS_LANGUAGE_FROM_BROWSER = True`` restores Django's behaviour (the browser's ``Accept-Language`` decides when
the person has not chosen). A request with an ``Authorization`` header (an API client, a door controller) keeps
the ``Accept-Language`` it sent: a program asks for a language on purpose. Put
``lms.language.PreferredLanguageMiddleware`` right after ``AuthenticationMiddleware`` (docs/install.md); Django's
``LocaleMiddleware`` stays where it is.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import check_for_language, get_supported_language_variant

from courses.page_language import serve_untranslated
from lms import conf


def _supported(code: str | None) -> str | None:
    if not code or not check_for_language(code):
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def _profile_language(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    from wagtail.users.models import UserProfile

    return UserProfile.get_for_user(user).preferred_language or None


def chosen_language(request) -> str | None:
    """The language this person chose: on their profile when signed in, else in this browser's cookie."""
    return _supported(_profile_language(getattr(request, "user", None))) or _supported(
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    )


def _set_language_path() -> str | None:
    try:
        return reverse("set_language")
    except NoReverseMatch:
        return None


class PreferredLanguageMiddleware:
    """Activates the person's chosen language, else ``LANGUAGE_CODE`` (unless ``LMS_LANGUAGE_FROM_BROWSER``), and
    remembers a choice made through ``set_language`` on the signed-in person's profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        if language is None and not conf.LANGUAGE_FROM_BROWSER and "HTTP_AUTHORIZATION" not in request.META:
            language = _supported(settings.LANGUAGE_CODE)  # an API client's Accept-Language is meant: kept
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if response.status_code == 404:
            response = serve_untranslated(request, response) or response  # a page nobody translated yet
        if request.method == "POST" and request.path == _set_language_path():
            self._remember(request, response)
        return response

    @staticmethod
    def _remember(request, response) -> None:
        """``set_language`` answered with a redirect (its way of saying the language was valid): keep it, on the
        profile of a signed-in person; for someone signed out (the switcher on the sign-in page), in the session
        until they sign in (``language_picked_before_sign_in``)."""
        picked = _supported(request.POST.get("language"))
        user = getattr(request, "user", None)
        if picked is None or response.status_code not in (301, 302) or user is None:
            return
        if user.is_authenticated:
            language_remember(user=user, code=picked)
        elif hasattr(request, "session"):
            request.session[PICKED_SIGNED_OUT] = picked


PICKED_SIGNED_OUT = "lms_language_picked"  # session key: a language picked before signing in


def language_remember(*, user, code: str) -> None:
    """Keep ``code`` as ``user``'s language on their profile, which every device then follows."""
    from wagtail.users.models import UserProfile

    picked = _supported(code)
    if picked is None:
        return
    profile = UserProfile.get_for_user(user)
    if profile.preferred_language != picked:
        profile.preferred_language = picked
        profile.save(update_fields=["preferred_language"])


def language_picked_before_sign_in(*, request, user) -> None:
    """A language picked in this browser session while signed out (the switcher on the sign-in page) becomes the
    person's own when they sign in, so it is remembered next time, on any device. Someone who picked none keeps
    what they had: their profile's language, else the company's default (``LANGUAGE_CODE``)."""
    session = getattr(request, "session", None)
    picked = session.pop(PICKED_SIGNED_OUT, None) if session is not None else None
    if picked:
        language_remember(user=user, code=picked)
