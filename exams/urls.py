"""Learner-facing URLs of exams (namespace ``lms_exams``)."""

from django.urls import path

from exams import views

app_name = "lms_exams"
urlpatterns = [
    path("<int:exam_id>/", views.exam_start, name="start"),
    path("attempts/<int:pk>/", views.attempt_take, name="attempt"),
    path("attempts/<int:pk>/result/", views.attempt_result, name="result"),
    path("attempts/<int:pk>/events/", views.attempt_events, name="events"),
]
