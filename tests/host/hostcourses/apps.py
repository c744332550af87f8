from django.apps import AppConfig


class HostCoursesConfig(AppConfig):
    """The host site's own app called ``courses``: ours must live beside it (our label is lms_courses)."""

    name = "tests.host.hostcourses"
    label = "courses"
    default_auto_field = "django.db.models.BigAutoField"
