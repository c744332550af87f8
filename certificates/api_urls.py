"""REST API routes of certificates, mounted under /api/ by lms/api_urls.py (namespace ``lms_certificates_api``)."""

from django.urls import path

from certificates import api

app_name = "lms_certificates_api"
urlpatterns = [
    path("certificates/", api.MyCertificateListApi.as_view(), name="mine"),
    path("certificates/issue/", api.CertificateIssueApi.as_view(), name="issue"),
    path("certificates/<int:pk>/revoke/", api.CertificateRevokeApi.as_view(), name="revoke"),
    path("certificates/<int:pk>/reissue/", api.CertificateReissueApi.as_view(), name="reissue"),
    path("certificates/verify/<str:code>/", api.CertificateVerifyApi.as_view(), name="verify"),
    path("certificates/verify/number/<str:number>/", api.CertificateNumberVerifyApi.as_view(), name="verify-number"),
    path("certificates/credentials/verify/", api.CredentialVerifyApi.as_view(), name="credential-verify"),
    path("certificates/jwks.json", api.JwksApi.as_view(), name="jwks"),
    path("certificates/status-list/", api.status_list, name="status-list"),
]
