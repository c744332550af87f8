"""Admin actions for HR: issue by hand, revoke with a reason, reissue. They delegate to the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import RedirectView

from certificates import services
from certificates.forms import IssueForm, ReissueForm, RevokeForm
from certificates.models import Certificate

INDEX = "lms_certificates_certificate:index"


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


class IssueRedirectView(RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        return reverse("lms_certificates_admin:issue")


class InspectRedirectView(RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        return reverse("lms_certificates_certificate:inspect", args=[kwargs.get("pk")])


def issue(request):
    _require(request, "lms_certificates.add_certificate")
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", _("No user has this username."))
        else:
            try:
                certificate = services.certificate_issue(
                    user=user, certification=form.cleaned_data["certification"], issued_by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
                return redirect(INDEX)
    return TemplateResponse(request, "lms_certificates/admin/form.html",
                            {"form": form, "title": _("Issue a certificate"), "submit": _("Issue")})


def revoke(request, pk: int):
    _require(request, "lms_certificates.change_certificate")
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"],
                                    revoked_by=request.user)
        messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
        return redirect(INDEX)
    return TemplateResponse(request, "lms_certificates/admin/form.html", {
        "form": form, "certificate": certificate, "submit": _("Revoke"),
        "title": _("Revoke certificate %(number)s") % {"number": certificate.number},
    })


def reissue(request, pk: int):
    _require(request, "lms_certificates.change_certificate")
    certificate = get_object_or_404(Certificate, pk=pk)
    form = ReissueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.certificate_reissue(certificate=certificate, reason=form.cleaned_data["reason"],
                                               issued_by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Certificate reissued as %(number)s.") % {"number": new.number})
            return redirect(INDEX)
    return TemplateResponse(request, "lms_certificates/admin/form.html", {
        "form": form, "certificate": certificate, "submit": _("Reissue"),
        "title": _("Reissue certificate %(number)s") % {"number": certificate.number},
    })
