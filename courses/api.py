"""REST API of courses: a person's own enrollments (anyone else's are 404)."""

from rest_framework import viewsets

from courses.selectors import enrollment_list
from courses.serializers import EnrollmentSerializer


class EnrollmentApi(viewsets.ReadOnlyModelViewSet):
    """My enrollments, with progress and due dates."""

    serializer_class = EnrollmentSerializer

    def get_queryset(self):
        return enrollment_list(user=self.request.user).order_by("pk")
