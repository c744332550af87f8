"""Learner-facing URLs of certificates (namespace ``lms_certificates``), mounted at /certificates/."""

from django.urls import path

from certificates import views

app_name = "lms_certificates"
urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:pk>/credential/", views.certificate_credential, name="credential"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/number/<str:number>/", views.verify_number, name="verify_number"),
]
