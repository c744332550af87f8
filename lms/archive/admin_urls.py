"""URL patterns of the archive's admin pages, as small ViewSets (registered in lms/wagtail_hooks.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from lms.archive import admin_views
from lms.people.admin_urls import PermissionMenuViewSet


class AttendanceViewSet(ViewSet):
    name = "lms_attendance"

    def get_urlpatterns(self):
        return [
            path("template/", admin_views.AttendanceTemplateView.as_view(), name="template"),
            path("<int:pk>/", admin_views.AttendanceImportView.as_view(), name="import"),
        ]


class ExportsViewSet(PermissionMenuViewSet):
    name = "lms_exports"
    icon = "download"
    menu_label = _("Excel exports")
    permission = "lms_archive.view_trainingrecord"

    def get_urlpatterns(self):
        return [
            path("", admin_views.ExportListView.as_view(), name="new"),
            path("<uuid:uuid>/download/", admin_views.ExportDownloadView.as_view(), name="download"),
        ]
