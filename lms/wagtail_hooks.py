"""Registration only: the admin menu groups of the plugin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet

from courses.viewsets import EnrollmentModelViewSet
from lms.bulk_actions import AssignCourseBulkAction
from lms.permits.viewsets import (
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
from lms.viewsets import (
    DepartmentSnippetViewSet,
    InductionProgramSnippetViewSet,
    PersonSnippetViewSet,
    PositionSnippetViewSet,
)


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
    )


register_snippet(PeopleViewSetGroup)


hooks.register("register_bulk_action", AssignCourseBulkAction)


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
        WebhookEndpointModelViewSet("access_control_endpoints"),
        PushDeliveryModelViewSet("push_deliveries"),
    )


hooks.register("register_admin_viewset", AccessControlViewSetGroup)
hooks.register("register_admin_urls", admin_urls)
