"""The one API router: every app's routes under /api/, plus the OpenAPI schema and its documentation page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from lms.appraisals.api import AppraisalListApi
from lms.archive import api
from lms.audit import api as audit_api
from lms.permits.api import DecideApi
from lms.requirements import api as requirements_api

urlpatterns = [
    # First and not behind an include: a door controller waits for this answer, and every pattern or level
    # of includes tried before it costs time (lms/permits/api_urls.py keeps it for sites that mount it alone).
    path("permits/decide/", DecideApi.as_view(), name="permit-decide"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # ReDoc from our static files, nothing from other hosts (lms/templates/lms/api_docs.html)
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema", template_name="lms/api_docs.html"),
         name="api-docs"),
    path("", include("exams.api_urls")),
    path("", include("courses.api_urls")),
    path("", include("courses.h5p.api_urls")),
    path("", include("certificates.api_urls")),
    path("archive/records/", api.TrainingRecordListApi.as_view(), name="lms_api_archive_records"),
    path("archive/people/me/", api.PersonFileApi.as_view(), name="lms_api_my_file"),
    path("archive/people/<int:pk>/", api.PersonFileApi.as_view(), name="lms_api_person_file"),
    path("matrix/", requirements_api.MatrixListApi.as_view(), name="lms_api_matrix"),
    path("matrix/me/", requirements_api.MyMatrixApi.as_view(), name="lms_api_my_matrix"),
    path("appraisals/", AppraisalListApi.as_view(), name="lms_api_appraisals"),
    path("audit/entries/", audit_api.AuditEntryListApi.as_view(), name="lms_api_audit_entries"),
    path("audit/entries/<int:seq>/", audit_api.AuditEntryDetailApi.as_view(), name="lms_api_audit_entry"),
]
