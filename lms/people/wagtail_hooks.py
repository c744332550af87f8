"""Registration only: the people's admin rules and bulk actions (their screens sit in the *People* menu group,
registered by lms/wagtail_hooks.py)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.people import induction_report
from lms.people.bulk_actions import AssignCourseBulkAction, PrintSignInLinkBulkAction, SendInvitationBulkAction
from lms.people.models import Person
from lms.people.viewsets import PersonPermissionPolicy

register_permission_policy(Person, PersonPermissionPolicy(Person))  # privileged accounts: superusers only
hooks.register("register_bulk_action", AssignCourseBulkAction)
hooks.register("register_bulk_action", SendInvitationBulkAction)
hooks.register("register_bulk_action", PrintSignInLinkBulkAction)
hooks.register("register_admin_urls", induction_report.admin_urls)  # Overdue inductions (the HR dashboard's to-do)
