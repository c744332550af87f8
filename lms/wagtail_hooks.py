"""Registration only: the admin menu groups of the plugin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from courses.viewsets import EnrollmentModelViewSet
from lms.agreements.models import AgreementSignature
from lms.agreements.viewsets import AgreementSignatureModelViewSet, AgreementStatusViewSet
from lms.agreements.viewsets import admin_urls as agreement_admin_urls
from lms.appraisals.models import Appraisal, AppraisalPeriod
from lms.appraisals.viewsets import AppraisalsViewSetGroup, NoAddDeletePermissionPolicy, PeriodPermissionPolicy
from lms.archive.admin_urls import AttendanceViewSet, ExportsViewSet
from lms.archive.models import TrainingRecord
from lms.archive.viewsets import ReadOnlyPermissionPolicy, TrainingRecordModelViewSet, TrainingSessionSnippetViewSet
from lms.audit.models import AuditEntry
from lms.audit.viewsets import AuditEntryModelViewSet
from lms.documents import signed_in_only
from lms.people.admin_urls import RosterViewSet
from lms.people.bulk_actions import AssignCourseBulkAction, SendInvitationBulkAction
from lms.people.models import Person
from lms.people.viewsets import (
    DepartmentSnippetViewSet,
    InductionProgramSnippetViewSet,
    PersonPermissionPolicy,
    PersonSnippetViewSet,
    PositionSnippetViewSet,
)
from lms.permits.viewsets import (
    AllowedEntriesViewSet,
    AreaModelViewSet,
    BackgroundCheckModelViewSet,
    ControllerModelViewSet,
    DecisionModelViewSet,
    LosingAccessViewSet,
    PermitModelViewSet,
    PushDeliveryModelViewSet,
    VisitorEntryModelViewSet,
    WebhookEndpointModelViewSet,
    admin_urls,
)
from lms.requirements.viewsets import TrainingMatrixViewSet, TrainingRequirementSnippetViewSet

register_permission_policy(TrainingRecord, ReadOnlyPermissionPolicy(TrainingRecord))
register_permission_policy(Appraisal, NoAddDeletePermissionPolicy(Appraisal))
register_permission_policy(AppraisalPeriod, PeriodPermissionPolicy(AppraisalPeriod))
register_permission_policy(AuditEntry, ReadOnlyPermissionPolicy(AuditEntry))
register_permission_policy(Person, PersonPermissionPolicy(Person))  # privileged accounts: superusers only


class PeopleViewSetGroup(ViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 210
    items = (
        PersonSnippetViewSet,
        DepartmentSnippetViewSet,
        PositionSnippetViewSet,
        InductionProgramSnippetViewSet,
        EnrollmentModelViewSet("enrollments"),
        RosterViewSet("lms_roster", url_prefix="lms/roster"),
    )


class ArchiveViewSetGroup(ViewSetGroup):
    menu_label = _("Training archive")
    menu_icon = "history"
    menu_order = 220
    items = (
        TrainingRecordModelViewSet("training_records", url_prefix="lms/archive"),
        TrainingSessionSnippetViewSet,
        ExportsViewSet("lms_exports", url_prefix="lms/exports"),
        TrainingRequirementSnippetViewSet,
        TrainingMatrixViewSet("lms_matrix", url_prefix="lms/matrix"),
    )


register_snippet(PeopleViewSetGroup)


hooks.register("before_serve_document", signed_in_only)  # documents are for signed-in people (lms/documents.py)
hooks.register("register_bulk_action", AssignCourseBulkAction)
hooks.register("register_bulk_action", SendInvitationBulkAction)


class AccessControlViewSetGroup(ViewSetGroup):
    menu_label = _("Access control")
    menu_icon = "key"
    menu_order = 230
    items = (
        PermitModelViewSet("permits"),
        LosingAccessViewSet("permits_losing_access"),
        AreaModelViewSet("areas"),
        BackgroundCheckModelViewSet("background_checks"),
        VisitorEntryModelViewSet("visitors"),
        ControllerModelViewSet("controllers"),
        DecisionModelViewSet("decisions"),
        AllowedEntriesViewSet("permits_allowed_entries"),
        WebhookEndpointModelViewSet("access_control_endpoints"),
        PushDeliveryModelViewSet("push_deliveries"),
    )


hooks.register("register_admin_viewset", AccessControlViewSetGroup)
hooks.register("register_admin_urls", admin_urls)
register_snippet(ArchiveViewSetGroup)


@hooks.register("register_admin_viewset")
def register_attendance_import():
    return AttendanceViewSet("lms_attendance", url_prefix="lms/attendance")


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
hooks.register("register_admin_urls", agreement_admin_urls)
hooks.register("register_admin_viewset", AppraisalsViewSetGroup)


@hooks.register("register_admin_viewset")
def register_audit_ledger():
    return AuditEntryModelViewSet("audit_ledger", url_prefix="lms/audit")
