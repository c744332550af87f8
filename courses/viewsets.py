"""Admin screens for learner records of courses (pages are edited in Wagtail's page explorer)."""

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from courses.models import Enrollment
from exams import visibility
from exams.admin_exports import NeutralisedIndexView

VIEW_PERMISSION = "lms_courses.view_enrollment"


def enrollments_visible_to(user):
    """Everyone's enrollments, or a manager's team's (``exams.visibility``, filled in by the people app)."""
    return visibility.scoped(Enrollment.objects.all(), user, VIEW_PERMISSION)


class EnrollmentIndexView(NeutralisedIndexView):
    def get_base_queryset(self):
        return enrollments_visible_to(self.request.user).select_related("user__lms_person", "course")


class EnrollmentInspectView(InspectView):
    """Only an enrollment the viewer may see; others are 404."""

    def get_object(self, queryset=None):
        return get_object_or_404(enrollments_visible_to(self.request.user), pk=unquote(str(self.pk)))


class EnrollmentModelViewSet(ModelViewSet):
    index_view_class = EnrollmentIndexView
    inspect_view_class = EnrollmentInspectView
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
