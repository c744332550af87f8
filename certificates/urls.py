"""Learner-facing URLs of certificates (namespace ``lms_certificates``)."""

app_name = "lms_certificates"
urlpatterns: list = []
