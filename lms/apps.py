from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    """lms binds its apps (people, archive, requirements, agreements, appraisals, permits, privacy, audit): the API
    router, URLs, settings, the role matrix and the admin menu. It has no models; its one migration creates the role
    groups once every app's tables exist."""

    name = "lms"
    label = "lms"
    verbose_name = _("Learning management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms import checks, receivers  # noqa: F401  (nothing leaves the site; role groups follow the matrix)

        _allow_agreements_in_catalogue()


def _allow_agreements_in_catalogue() -> None:
    """Editors may create the confidentiality agreement under the course catalogue (often the site's root). The
    catalogue lives in a lower app that cannot name our page type, so lms, the top app, adds it here."""
    from courses.models import CourseIndexPage

    allowed = list(CourseIndexPage.subpage_types or [])
    if "lms_agreements.AgreementPage" not in allowed:
        CourseIndexPage.subpage_types = [*allowed, "lms_agreements.AgreementPage"]
        CourseIndexPage._clean_subpage_models = None  # Wagtail caches the resolved list
