"""Registration only: the confidentiality agreement's admin menu group."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from lms.agreements.models import AgreementSignature
from lms.agreements.viewsets import AgreementSignatureModelViewSet, AgreementStatusViewSet, admin_urls
from lms.archive.viewsets import ReadOnlyPermissionPolicy


class AgreementViewSetGroup(ViewSetGroup):
    """The confidentiality agreement (保密协议): the status report and every signature (read-only)."""

    menu_label = _("Confidentiality agreement")
    menu_icon = "doc-full"
    menu_order = 225
    items = (
        AgreementStatusViewSet("lms_agreement_status"),
        AgreementSignatureModelViewSet("agreement_signatures", url_prefix="lms/agreements/signatures"),
    )


register_permission_policy(AgreementSignature, ReadOnlyPermissionPolicy(AgreementSignature))
hooks.register("register_admin_viewset", AgreementViewSetGroup)
hooks.register("register_admin_urls", admin_urls)
