from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScormConfig(AppConfig):
    name = "courses.scorm"
    label = "lms_scorm"
    verbose_name = _("SCORM activities")
    default_auto_field = "django.db.models.BigAutoField"
