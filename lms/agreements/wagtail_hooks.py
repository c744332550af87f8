"""Registration only: the confidentiality agreement's admin menu group (lms/agreements/viewsets.py), its pages
that are not model listings, and signatures read-only."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.agreements.models import AgreementSignature
from lms.agreements.viewsets import AgreementViewSetGroup, admin_urls
from lms.archive.viewsets import ReadOnlyPermissionPolicy

register_permission_policy(AgreementSignature, ReadOnlyPermissionPolicy(AgreementSignature))
hooks.register("register_admin_viewset", AgreementViewSetGroup)
hooks.register("register_admin_urls", admin_urls)
