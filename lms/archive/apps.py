from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "lms.archive"
    label = "lms_archive"
    verbose_name = _("Training archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.archive import (
            evidence,  # noqa: F401  (deletes replaced evidence files on commit)
            receivers,  # noqa: F401  (records course, exam, H5P and certificate events)
        )
