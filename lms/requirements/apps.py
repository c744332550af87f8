from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequirementsConfig(AppConfig):
    name = "lms.requirements"
    label = "lms_requirements"
    verbose_name = _("Training requirements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.requirements.exports import register_export_job

        register_export_job()
