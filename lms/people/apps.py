from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lms.people"
    label = "lms_people"
    verbose_name = _("People")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the admin lists name accounts' people and show a manager their team; the exam room and the grading queue
        # name a candidate by name and employee number (lms/people/selectors.py)
        from exams import admin_display, identity, visibility
        from lms.people import selectors

        admin_display.register_person_name(selectors.person_name)
        visibility.register(selectors.users_visible_to)
        identity.register(selectors.person_label)
