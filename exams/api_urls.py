"""REST API routes of exams, mounted under /api/ by lms/api_urls.py."""

from django.urls import path

from exams import api

urlpatterns = [
    path("exams/<int:exam_id>/attempts/", api.AttemptStartApi.as_view(), name="lms_exams_api_start"),
    path("attempts/<int:pk>/", api.AttemptDetailApi.as_view(), name="lms_exams_api_attempt"),
    path("attempts/<int:pk>/answers/", api.AttemptAnswersApi.as_view(), name="lms_exams_api_answers"),
    path("attempts/<int:pk>/submit/", api.AttemptSubmitApi.as_view(), name="lms_exams_api_submit"),
    path("attempts/<int:pk>/result/", api.AttemptResultApi.as_view(), name="lms_exams_api_result"),
    path("attempts/<int:pk>/events/", api.AttemptEventsApi.as_view(), name="lms_exams_api_events"),
]
