"""REST API routes of certificates, mounted under /api/ by lms/api_urls.py."""

urlpatterns: list = []
