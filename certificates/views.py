"""Learner pages (My certificates, history, PDF download) and the public verification page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from certificates import codes, conf, ratelimit, selectors, services
from certificates.forms import VerifyForm
from certificates.models import Certificate
from exams.localized_names import name_in_reading_language
from exams.private_files import CERTIFICATES, file_response
from exams.signals import personal_data_exported


@login_required
def my_certificates(request):
    return render(
        request,
        "lms_certificates/my_certificates.html",
        {"groups": selectors.history_for(user=request.user), "now": timezone.now()},
    )


@login_required
def certificate_detail(request, pk: int):
    certificate = selectors.certificate_for(user=request.user, pk=pk)
    if certificate is None:
        raise Http404
    history = selectors.certificate_list(user=certificate.user).filter(certification=certificate.certification)
    return render(
        request,
        "lms_certificates/certificate_detail.html",
        {"certificate": certificate, "history": history.order_by("-cycle", "-issued_at"),
         "certification_name": name_in_reading_language(certificate.certification)},
    )


def _announce_download(request, certificate: Certificate, export: str) -> None:
    """A certificate downloaded by someone other than its holder (HR, a manager) is an export of personal data."""
    if certificate.user_id == request.user.pk:
        return
    personal_data_exported.send(
        sender=Certificate, user=request.user, export=export, subject=certificate,
        details={"number": certificate.number, "holder": {"id": certificate.user_id,
                                                          "employee_number": certificate.employee_number}},
    )


@login_required
@never_cache
def certificate_pdf(request, pk: int):
    certificate = selectors.certificate_for(user=request.user, pk=pk)
    if certificate is None:
        raise Http404
    certificate = services.certificate_render_pdf(certificate=certificate)  # once; then the stored file
    _announce_download(request, certificate, "certificate_pdf")
    return file_response(CERTIFICATES, certificate.pdf.name, content_type="application/pdf",
                         filename=f"{certificate.number or 'certificate'}.pdf")


@login_required
@never_cache
def certificate_credential(request, pk: int):
    """The signed credential (Open Badges 3.0, JWT) for a wallet or a third party to verify offline."""
    certificate = selectors.certificate_for(user=request.user, pk=pk)
    if certificate is None or not certificate.credential:
        raise Http404
    _announce_download(request, certificate, "certificate_credential")
    response = HttpResponse(certificate.credential, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number or "certificate"}.jwt"'
    return response


def _too_many(request) -> HttpResponse:
    window = conf.CERTIFICATE_VERIFY_RATE[1]
    response = render(
        request,
        "lms_ui/too_many_requests.html",
        status=429,
        context={
            "message": _("Too many verification requests."),
            "retry_minutes": max(1, -(-window // 60)),
        },
    )
    response["Retry-After"] = str(window)
    return response


@never_cache
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["number"]:
            return redirect("lms_certificates:verify_number", number=form.cleaned_data["number"])
        return redirect("lms_certificates:verify", code=form.cleaned_data["code"])
    return render(request, "lms_certificates/verify_form.html", {"form": form})


@never_cache
def verify(request, code: str):
    if not codes.is_well_formed(codes.normalise(code)) and (number := codes.parse_number(code)):
        return redirect("lms_certificates:verify_number", number=number)  # a number in the code's place
    if not ratelimit.verify_allowed(request):
        return _too_many(request)
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return render(request, "lms_certificates/verify_unknown.html", status=404)
    return render(
        request,
        "lms_certificates/verify.html",
        {
            "certificate": certificate,
            "certification_name": name_in_reading_language(certificate.certification),
            "masked_name": codes.mask_name(certificate.holder_name),
            "status": certificate.status,
            "code": codes.display(certificate.code),
        },
    )


@never_cache
def verify_number(request, number: str):
    """The printed number alone (numbers follow each other, so anyone can try them all): whether such a certificate
    exists, its certification, status and dates, and never whose it is; the page says that the code shows that.
    The same rate limit as codes, counted together."""
    if not ratelimit.verify_allowed(request):
        return _too_many(request)
    certificate = selectors.certificate_by_number(number)
    if certificate is None:
        return render(request, "lms_certificates/verify_unknown.html",
                      {"by_number": True, "number": codes.parse_number(number) or ""}, status=404)
    return render(request, "lms_certificates/verify_number.html",
                  {"certificate": certificate, "status": certificate.status,
                   "certification_name": name_in_reading_language(certificate.certification)})
