from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    name = "courses.h5p"
    label = "lms_h5p"
    verbose_name = _("H5P activities")
    default_auto_field = "django.db.models.BigAutoField"
