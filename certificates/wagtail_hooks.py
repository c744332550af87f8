"""Registration only: the Certificates menu group and the admin action URLs."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet

from certificates import admin_urls
from certificates.viewsets import (
    CertificateModelViewSet,
    CertificateTemplateSnippetViewSet,
    CertificationSnippetViewSet,
)


class CertificatesViewSetGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 220
    items = (
        CertificateModelViewSet("lms_certificates_certificate"),
        CertificationSnippetViewSet,
        CertificateTemplateSnippetViewSet,
    )


register_snippet(CertificatesViewSetGroup)


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [path("certificates/actions/", include(admin_urls, namespace="lms_certificates_admin"))]
