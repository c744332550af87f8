from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = _("Learning management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms import receivers  # noqa: F401  (connects signal receivers)
        from lms.agreements import exam_access  # noqa: F401  (an agreement's comprehension check is open to all)
        from lms.archive import evidence  # noqa: F401  (deletes replaced evidence files on commit)
        from lms.audit import receivers as audit_receivers  # noqa: F401  (feeds the audit ledger)

        _allow_agreements_in_catalogue()


def _allow_agreements_in_catalogue() -> None:
    """Editors may create the confidentiality agreement under the course catalogue (often the site's root). The
    catalogue lives in a lower app that cannot name our page type, so lms, the top app, adds it here."""
    from courses.models import CourseIndexPage

    allowed = list(CourseIndexPage.subpage_types or [])
    if "lms.AgreementPage" not in allowed:
        CourseIndexPage.subpage_types = [*allowed, "lms.AgreementPage"]
        CourseIndexPage._clean_subpage_models = None  # Wagtail caches the resolved list
