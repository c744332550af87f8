from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal information (docs/privacy.md): the registry of what every model holds, a person's own copy,
    retention and erasure. Above every other app of lms: it reads their declarations and erases through them."""

    name = "lms.privacy"
    label = "lms_privacy"
    verbose_name = _("Personal information")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.privacy import checks  # noqa: F401  (registers the declaration check)
