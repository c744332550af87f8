"""REST API routes of courses, mounted under /api/ by lms/api_urls.py."""

from rest_framework.routers import SimpleRouter

from courses.api import EnrollmentApi

router = SimpleRouter()
router.register("enrollments", EnrollmentApi, basename="enrollment")
urlpatterns = router.urls
