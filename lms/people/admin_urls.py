"""URL patterns of people's admin pages, as small ViewSets (registered in lms/wagtail_hooks.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from lms.people import admin_views


class PermissionMenuViewSet(ViewSet):
    """A ViewSet of plain admin views whose menu item shows only to users with ``permission``."""

    permission = ""

    @property
    def menu_item_class(self):
        permission = self.permission

        class Item(super().menu_item_class):
            def is_shown(self, request):
                return request.user.has_perm(permission)

        return Item


class RosterViewSet(PermissionMenuViewSet):
    name = "lms_roster"
    icon = "upload"
    menu_label = _("Roster import")
    permission = "lms_people.add_person"

    def get_urlpatterns(self):
        return [
            path("", admin_views.RosterImportView.as_view(), name="import"),
            path("template/", admin_views.RosterTemplateView.as_view(), name="template"),
        ]
