from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "lms.appraisals"
    label = "lms_appraisals"
    verbose_name = _("Appraisals")
    default_auto_field = "django.db.models.BigAutoField"
