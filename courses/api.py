"""REST API of courses: a person's own enrollments (anyone else's are 404)."""

from rest_framework import viewsets

from courses.models import Enrollment
from courses.selectors import enrollment_list
from courses.serializers import EnrollmentSerializer
from exams.api_filters import QueryFilter, QueryFilterBackend


class EnrollmentApi(viewsets.ReadOnlyModelViewSet):
    """My enrollments, with progress and due dates."""

    serializer_class = EnrollmentSerializer
    filter_backends = [QueryFilterBackend]
    query_filters = {
        "course": QueryFilter("course_id", int, "course (page) id"),
        "source": QueryFilter("source", str, "how the enrollment came about", tuple(Enrollment.Source.values)),
    }

    def get_queryset(self):
        return enrollment_list(user=self.request.user).order_by("pk")
