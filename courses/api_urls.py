"""REST API routes of courses, mounted under /api/ by lms/api_urls.py."""

urlpatterns: list = []
