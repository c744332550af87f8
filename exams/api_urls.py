"""REST API routes of exams, mounted under /api/ by lms/api_urls.py."""

urlpatterns: list = []
