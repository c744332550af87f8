"""Two-person rule for content: with the review workflow on, a question reaches learners only after a second
trainer approves it; the submitter cannot approve their own change."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from exams import services
from exams.models import Question
from lms import roles
from tests.exams.factories import SAMPLES, make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def trainer():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.TRAINER))
    return user


def test_a_draft_is_published_only_after_a_second_trainer_approves():
    workflow = services.review_workflow_ensure()
    assert services.review_workflow_ensure() == workflow  # idempotent
    author, reviewer = trainer(), trainer()
    question = make_question("single")
    question = services.question_save(question=question, user=author, publish=False, text="修改后的题目")
    assert question.get_workflow() == workflow
    workflow.start(question, author)
    question = Question.objects.get(pk=question.pk)
    state = question.current_workflow_task_state
    task = state.task.specific
    assert task.get_actions(question, author) == []
    with pytest.raises(PermissionDenied):
        task.on_action(state, author, "approve")
    assert not task.get_task_states_user_can_moderate(author).exists()
    # before approval a learner still gets the published text
    attempt = services.attempt_start(exam=make_exam(questions=[question]), user=UserFactory())
    assert attempt.questions.get().snapshot["text"] == SAMPLES["single"]["text"]
    assert [a[0] for a in task.get_actions(question, reviewer)] == ["reject", "approve", "approve"]
    task.on_action(state, reviewer, "approve")
    question = Question.objects.get(pk=question.pk)
    assert question.text == "修改后的题目" and question.live
