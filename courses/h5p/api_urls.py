"""REST API routes of courses.h5p, mounted under /api/ by lms/api_urls.py."""

urlpatterns: list = []
