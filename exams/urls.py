"""Learner-facing URLs of exams (namespace ``lms_exams``)."""

app_name = "lms_exams"
urlpatterns: list = []
