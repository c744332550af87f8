from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    label = "lms_exams"
    verbose_name = _("Exams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # every admin inspect page shows times in the site's zone, yes/no and people's names (admin_display.py)
        # draw_plan forgets kept plans on every change; room_watch announces changes of an exam's room rules
        from exams import admin_display, draw_plan, room_watch  # noqa: F401

        admin_display.register()
