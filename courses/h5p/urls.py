"""Learner-facing URLs of courses.h5p (namespace ``lms_h5p``)."""

app_name = "lms_h5p"
urlpatterns: list = []
