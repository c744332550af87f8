from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "lms_courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # signal receivers; who may take a final exam; who may play an H5P or a SCORM activity
        from courses import exam_access, h5p_access, receivers, scorm_access  # noqa: F401
