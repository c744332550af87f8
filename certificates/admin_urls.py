"""Admin action URLs (namespace ``lms_certificates_admin``), registered by wagtail_hooks."""

from django.urls import path

from certificates import admin_views

app_name = "lms_certificates_admin"
urlpatterns = [
    path("issue/", admin_views.issue, name="issue"),
    path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
    path("<int:pk>/reissue/", admin_views.reissue, name="reissue"),
]
