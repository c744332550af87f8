from rest_framework import serializers

from courses.models import Enrollment


class EnrollmentSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    course_url = serializers.CharField(source="course.url", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id", "course", "course_title", "course_url", "source", "enrolled_at", "due_at", "completed_at",
            "progress_percent",
        ]
        read_only_fields = fields
