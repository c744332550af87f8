"""Admin screens for learner records of courses (pages are edited in Wagtail's page explorer)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from courses.models import Enrollment
from exams.admin_exports import NeutralisedIndexView


class EnrollmentModelViewSet(ModelViewSet):
    index_view_class = NeutralisedIndexView
    model = Enrollment
    icon = "user"
    menu_label = _("Enrollments")
    add_to_admin_menu = False
    list_display = ["user", "course", "source", "progress_percent", "due_at", "completed_at"]
    list_filter = ["source", "course", "completed_at"]
    search_fields = ["user__username", "user__lms_person__name", "course__title"]
    list_export = ["user", "course", "source", "progress_percent", "enrolled_at", "due_at", "completed_at"]
    export_filename = "enrollments"
    form_fields = ["user", "course", "source", "due_at"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Enrollment.objects.select_related("user", "course")
