"""The content review workflow's task (the two-person rule for questions and exams), set up by
``exams.services.authoring.review_workflow_ensure``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState
from wagtail.models.workflows import AbstractGroupApprovalTask


class SecondTrainerApprovalTask(AbstractGroupApprovalTask):
    """A workflow step for the two-person rule: a member of the chosen groups approves, but never the person who
    submitted the change (not even a superuser approves their own submission)."""

    @staticmethod
    def _is_requester(obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return bool(state and user and state.requested_by_id == user.pk)

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and not self._is_requester(obj, user)

    def get_actions(self, obj, user):
        if self._is_requester(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and user and task_state.workflow_state.requested_by_id == user.pk:
            raise PermissionDenied(_("A second trainer must approve this change."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user) if states else TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("A second trainer (not the one who submitted) approves before publishing")

    class Meta:
        verbose_name = _("second trainer approval task")
        verbose_name_plural = _("second trainer approval tasks")
