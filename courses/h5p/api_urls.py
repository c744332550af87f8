"""REST API routes of courses.h5p, mounted under /api/ by lms/api_urls.py."""

from django.urls import path

from courses.h5p import api

urlpatterns = [
    path("h5p/activities/<int:pk>/statements/", api.StatementCreateApi.as_view(), name="lms_h5p_statement_create"),
    path("h5p/results/", api.ResultListApi.as_view(), name="lms_h5p_result_list"),
]
