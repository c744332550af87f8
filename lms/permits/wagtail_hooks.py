"""Registration only: the *Access control* admin menu group (permits, areas, checks, visitors, door controllers,
decisions, pushes) and the permit pages that are not model listings."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet

from lms.permits.background_viewsets import BackgroundCheckModelViewSet
from lms.permits.viewsets import (
    AllowedEntriesViewSet,
    AreaSnippetViewSet,
    ControllerModelViewSet,
    DecisionModelViewSet,
    LosingAccessViewSet,
    PermitModelViewSet,
    PushDeliveryModelViewSet,
    VisitorEntryModelViewSet,
    WebhookEndpointModelViewSet,
    admin_urls,
)


class AccessControlViewSetGroup(ViewSetGroup):
    menu_label = _("Access control")
    menu_icon = "key"
    menu_order = 230
    items = (
        PermitModelViewSet("permits"),
        LosingAccessViewSet("permits_losing_access"),
        AreaSnippetViewSet,
        BackgroundCheckModelViewSet("background_checks"),
        VisitorEntryModelViewSet("visitors"),
        ControllerModelViewSet("controllers"),
        DecisionModelViewSet("decisions"),
        AllowedEntriesViewSet("permits_allowed_entries"),
        WebhookEndpointModelViewSet("access_control_endpoints"),
        PushDeliveryModelViewSet("push_deliveries"),
    )


register_snippet(AccessControlViewSetGroup)  # areas are snippets (translatable); the rest are model viewsets
hooks.register("register_admin_urls", admin_urls)
