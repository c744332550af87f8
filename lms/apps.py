from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = _("Learning management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms import receivers  # noqa: F401  (connects signal receivers)
        from lms.audit import receivers as audit_receivers  # noqa: F401  (feeds the audit ledger)
