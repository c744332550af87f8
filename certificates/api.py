"""REST API of certificates. Views translate and delegate: rules live in services, selectors, credentials."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates import codes, conf, credentials, ratelimit, selectors, services
from certificates.models import Certificate, SigningKey
from certificates.serializers import (
    CertificateSerializer,
    CredentialInputSerializer,
    CredentialResultSerializer,
    IssueInputSerializer,
    PublicNumberVerificationSerializer,
    PublicVerificationSerializer,
    ReasonSerializer,
)
from exams.api_filters import QueryFilter, QueryFilterBackend


def _published_jwks() -> dict:
    return credentials.jwks(list(SigningKey.objects.order_by("created_at").values_list("kid", "public_x")))


class CanManageCertificates(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("lms_certificates.change_certificate")


class MyCertificateListApi(generics.ListAPIView):
    """The signed-in person's own certificates, every cycle."""

    serializer_class = CertificateSerializer
    filter_backends = [QueryFilterBackend]
    query_filters = {
        "certification": QueryFilter("certification_id", int, "certification id"),
        "cycle": QueryFilter("cycle", int, "certification cycle (1 = first issue, 2 = first renewal, ...)"),
    }

    def get_queryset(self):
        return selectors.certificate_list(user=self.request.user).order_by("-issued_at", "-pk")


class CertificateVerifyApi(APIView):
    """Public: what a verification code proves. No login; rate-limited per client; unknown codes are 404."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: PublicVerificationSerializer})
    def get(self, request, code: str):
        if not ratelimit.verify_allowed(request):
            raise Throttled(wait=conf.CERTIFICATE_VERIFY_RATE[1])
        certificate = selectors.certificate_by_code(code)
        if certificate is None:
            raise Http404
        data = {
            "holder": codes.mask_name(certificate.holder_name),
            "certification": certificate.certification.name,
            "course": certificate.course_title,
            "number": certificate.number,
            "issued_at": certificate.issued_at,
            "expires_at": certificate.expires_at,
            "status": certificate.status.value,
            "revoked_at": certificate.revoked_at,
        }
        return Response(PublicVerificationSerializer(data).data)


class CertificateNumberVerifyApi(APIView):
    """Public: what a printed certificate number proves: the certificate exists, its certification, status and dates;
    never the holder (numbers are sequential: ask with the verification code for that). No login; the same rate
    limit as codes (counted together); unknown numbers are 404."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: PublicNumberVerificationSerializer})
    def get(self, request, number: str):
        if not ratelimit.verify_allowed(request):
            raise Throttled(wait=conf.CERTIFICATE_VERIFY_RATE[1])
        certificate = selectors.certificate_by_number(number)
        if certificate is None:
            raise Http404
        data = {
            "number": certificate.number,
            "certification": certificate.certification.name,
            "issued_at": certificate.issued_at,
            "expires_at": certificate.expires_at,
            "status": certificate.status.value,
            "revoked_at": certificate.revoked_at,
            "holder_shown_by": _("The verification code under the QR code (also on the PDF) shows whose certificate "
                                 "it is."),
        }
        return Response(PublicNumberVerificationSerializer(data).data)


class CredentialVerifyApi(APIView):
    """Public: verify a signed credential (JWT): signature against our JWKS, dates, and revocation status."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(request=CredentialInputSerializer, responses={200: CredentialResultSerializer})
    def post(self, request):
        if not ratelimit.verify_allowed(request):
            raise Throttled(wait=conf.CERTIFICATE_VERIFY_RATE[1])
        data = CredentialInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = credentials.verify(
            data.validated_data["jwt"],
            key_set=_published_jwks(),
            now=timezone.now(),
            status_list_token=services.status_list_token(),
        )
        return Response(CredentialResultSerializer({**result.__dict__, "credential": result.payload}).data)


class JwksApi(APIView):
    """Public keys that sign credentials (JSON Web Key Set). Retired keys stay listed."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(_published_jwks())


def status_list(request):
    """The revocation Bitstring Status List credential, signed (``application/vc+jwt``)."""
    response = HttpResponse(services.status_list_token(), content_type="application/vc+jwt")
    response["Cache-Control"] = "max-age=300"
    return response


class CertificateIssueApi(APIView):
    """HR: issue a certification by hand (idempotent within a cycle)."""

    permission_classes = [CanManageCertificates]

    @extend_schema(request=IssueInputSerializer, responses={201: CertificateSerializer})
    def post(self, request):
        data = IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            certificate = services.certificate_issue(
                user=data.validated_data["user"],
                certification=data.validated_data["certification"],
                issued_by=request.user,
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class _CertificateActionApi(APIView):
    permission_classes = [CanManageCertificates]

    def certificate(self, pk: int) -> Certificate:
        certificate = Certificate.objects.filter(pk=pk).first()
        if certificate is None:
            raise Http404
        return certificate

    def reason(self, request) -> str:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data["reason"]


class CertificateRevokeApi(_CertificateActionApi):
    """HR: revoke with a reason."""

    @extend_schema(request=ReasonSerializer, responses={200: CertificateSerializer})
    def post(self, request, pk: int):
        try:
            certificate = services.certificate_revoke(
                certificate=self.certificate(pk), reason=self.reason(request), revoked_by=request.user
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return Response(CertificateSerializer(certificate).data)


class CertificateReissueApi(_CertificateActionApi):
    """HR: replace a certificate (new code, PDF and credential; same cycle and dates)."""

    @extend_schema(request=ReasonSerializer, responses={200: CertificateSerializer})
    def post(self, request, pk: int):
        try:
            certificate = services.certificate_reissue(
                certificate=self.certificate(pk), reason=self.reason(request), issued_by=request.user
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return Response(CertificateSerializer(certificate).data)
