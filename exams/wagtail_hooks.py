"""Registration only: the Exams menu group, the admin pages of exams and the grading queue."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from exams import admin_urls
from exams.models import Attempt, Regrade
from exams.viewsets import ExamsViewSetGroup, ReadOnlyPermissionPolicy, hide_direct_publish

register_permission_policy(Attempt, ReadOnlyPermissionPolicy(Attempt))
register_permission_policy(Regrade, ReadOnlyPermissionPolicy(Regrade))
register_snippet(ExamsViewSetGroup)


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [path("exams/", include(admin_urls, namespace="lms_exams_admin"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def grading_menu_item():
    return PermissionMenuItem(_("Grading queue"), reverse("lms_exams_admin:grading_queue"), icon_name="tick",
                              order=221, permission="lms_exams.change_attemptquestion")


@hooks.register("register_admin_menu_item")
def analysis_menu_item():
    return PermissionMenuItem(_("Item analysis"), reverse("lms_exams_admin:exam_list"), icon_name="table",
                              order=222, permission="lms_exams.view_exam")


@hooks.register("register_admin_menu_item")
def bank_import_menu_item():
    return PermissionMenuItem(_("Import questions (Excel)"), reverse("lms_exams_admin:bank_import"),
                              icon_name="upload", order=223, permission="lms_exams.add_question")


@hooks.register("register_admin_menu_item")
def proctor_menu_item():
    return PermissionMenuItem(_("Proctoring"), reverse("lms_exams_admin:proctor_list"), icon_name="view",
                              order=224, permission="lms_exams.proctor_exam")


hooks.register("construct_snippet_action_menu", hide_direct_publish)
