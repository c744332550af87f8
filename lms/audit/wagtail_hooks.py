"""Registration only: the audit ledger's admin screen, read-only."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.archive.viewsets import ReadOnlyPermissionPolicy
from lms.audit.models import AuditEntry
from lms.audit.viewsets import AuditEntryModelViewSet

register_permission_policy(AuditEntry, ReadOnlyPermissionPolicy(AuditEntry))


@hooks.register("register_admin_viewset")
def register_audit_ledger():
    return AuditEntryModelViewSet("audit_ledger", url_prefix="lms/audit")
