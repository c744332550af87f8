"""Registration only: the archive is read-only in the admin, and a session's attendance import (the archive's
screens sit in the *Training archive* menu group, registered by lms/wagtail_hooks.py)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.archive.admin_urls import AttendanceViewSet
from lms.archive.models import TrainingRecord
from lms.archive.viewsets import ReadOnlyPermissionPolicy

register_permission_policy(TrainingRecord, ReadOnlyPermissionPolicy(TrainingRecord))


@hooks.register("register_admin_viewset")
def register_attendance_import():
    return AttendanceViewSet("lms_attendance", url_prefix="lms/attendance")
