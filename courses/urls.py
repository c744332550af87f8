"""Learner-facing URLs of courses (namespace ``lms_courses``). Course and lesson pages are served by Wagtail."""

from django.urls import path

from courses import views

app_name = "lms_courses"
urlpatterns = [
    path("courses/<int:course_id>/enroll/", views.enroll, name="enroll"),
    path("lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
]
