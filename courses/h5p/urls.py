"""Learner-facing URLs of courses.h5p (namespace ``lms_h5p``), mounted at /h5p/."""

from django.urls import path

from courses.h5p import views

app_name = "lms_h5p"
urlpatterns = [
    path("activities/<int:pk>/package/<path:path>", views.package_file, name="package_file"),
    path("activities/<int:pk>/libraries/<str:folder>/<path:path>", views.library_file, name="library_file"),
    path("activities/<int:pk>/state/", views.state, name="state"),
    path("results/", views.my_results, name="my_results"),
]
