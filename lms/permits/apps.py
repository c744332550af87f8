from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "lms.permits"
    label = "lms_permits"
    verbose_name = _("Area permits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from exams.services import room
        from lms.permits import receivers  # noqa: F401  (pushes permits when certificates change)
        from lms.permits.selectors import exam_counts_for_permit, open_permits_by_person
        from lms.requirements import area_permits

        area_permits.register(open_permits_by_person)  # a requirement scoped to an area applies to its permits
        room.register_permit_check(exam_counts_for_permit)  # the exam room's site default covers these exams
