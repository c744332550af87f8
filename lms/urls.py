"""URLs of lms. The demo includes them at the site root (see docs/install.md)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from lms import api_errors, health, views
from lms.agreements.views import agreement_sign
from lms.appraisals.views import my_appraisals
from lms.archive import views as archive_views
from lms.people import views as people_views
from lms.permits.background_files import background_check_file
from lms.permits.views import my_permits

urlpatterns = [
    path("api/", include("lms.api_urls")),  # first: the door controllers' decision endpoint is under it
    path("healthz", health.healthz, name="lms_healthz"),  # for load balancers: no auth, no data (docs/operations.md)
    path("accounts/login/", people_views.LoginView.as_view(), name="lms_login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="lms_logout"),
    path("accounts/password/reset/", people_views.PasswordResetView.as_view(), name="lms_password_reset"),
    path("accounts/password/reset/sent/", people_views.PasswordResetDoneView.as_view(), name="lms_password_reset_done"),
    path(
        "accounts/password/set/<uidb64>/<token>/",
        people_views.PasswordResetConfirmView.as_view(),
        name="lms_password_reset_confirm",
    ),
    path("accounts/password/set/done/", people_views.PasswordResetCompleteView.as_view(),
         name="lms_password_reset_complete"),
    path("my/", views.my_learning, name="lms_my_learning"),
    path("my/permits/", my_permits, name="lms_my_permits"),
    path("agreements/<int:pk>/sign/", agreement_sign, name="lms_agreement_sign"),
    path("my/appraisals/", my_appraisals, name="lms_my_appraisals"),
    path("my/training-file.xlsx", archive_views.my_training_file, name="lms_my_training_file"),
    path("", include("lms.privacy.urls")),  # a person's copy of their data: my/data.zip, people/<id>/data.zip
    path("archive/sessions/<int:pk>/evidence/", archive_views.session_evidence, name="lms_session_evidence"),
    path("permits/background-checks/<int:pk>/<str:kind>/", background_check_file, name="lms_background_check_file"),
    re_path(r"^api/", api_errors.not_found, name="lms_api_not_found"),  # any other /api/ URL: a 404 in the API's format
]
