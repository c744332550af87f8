"""Site URLs of the privacy app (included by lms/urls.py): a person's copy of their data."""

from django.urls import path

from lms.privacy import views

urlpatterns = [
    path("my/data.zip", views.my_data, name="lms_my_data"),
    path("people/<int:person_id>/data.zip", views.person_data, name="lms_person_data"),
]
