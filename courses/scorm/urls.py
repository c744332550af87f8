"""Learner-facing URLs of courses.scorm (namespace ``lms_scorm``), mounted at /scorm/."""

from django.urls import path

from courses.scorm import views

app_name = "lms_scorm"
urlpatterns = [
    path("activities/<int:pk>/", views.player, name="player"),
    path("packages/<int:pk>/files/<path:path>", views.package_file, name="package_file"),
    path("attempts/<int:attempt_pk>/scos/<str:sco>/commit/", views.commit, name="commit"),
    path("attempts/", views.my_attempts, name="my_attempts"),
]
