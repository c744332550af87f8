from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit ledger: listens to every app's signals and registers itself with lms.privacy; nobody imports it."""

    name = "lms.audit"
    label = "lms_audit"
    verbose_name = _("Audit ledger")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.audit import (
            denies,  # noqa: F401  (chains the door's denies when permits announce them)
            personal,  # noqa: F401  (reveals the sealed values of entries read from the database)
            privacy_source,
            receivers,  # noqa: F401  (feeds the audit ledger)
            roles,  # noqa: F401  (group renames)
        )

        privacy_source.register()  # a person's copy and erasure reach the ledger (lms.privacy.sources)
