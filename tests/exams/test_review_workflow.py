"""Two-person rule for content: with the review workflow on, a question reaches learners only after a second
trainer approves it; the submitter cannot approve their own change."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from exams.models import Question
from exams.services.attempts import attempt_start
from exams.services.authoring import question_save, review_workflow_ensure
from lms import roles
from tests.exams.factories import SAMPLES, make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def trainer():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.TRAINER))
    return user


def test_a_draft_is_published_only_after_a_second_trainer_approves():
    question = make_question("single")
    exam = make_exam(questions=[question])
    workflow = review_workflow_ensure()
    assert review_workflow_ensure() == workflow  # idempotent
    author, reviewer = trainer(), trainer()
    question = question_save(question=question, user=author, publish=False, text="修改后的题目")
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
    attempt = attempt_start(exam=exam, user=UserFactory())
    assert attempt.questions.get().snapshot["text"] == SAMPLES["single"]["text"]
    assert [a[0] for a in task.get_actions(question, reviewer)] == ["reject", "approve", "approve"]
    task.on_action(state, reviewer, "approve")
    question = Question.objects.get(pk=question.pk)
    assert question.text == "修改后的题目" and question.live


def test_with_review_on_nobody_publishes_exam_content_directly(client):
    """Reviewers need the publish permission (approving publishes), so the direct "Publish" action is what
    must go: neither offered in the menu nor accepted in a POST."""
    question = make_question("single")
    exam = make_exam(questions=[question])
    review_workflow_ensure()
    author = trainer()
    client.force_login(author)
    url = f"/admin/snippets/lms_exams/question/edit/{question.pk}/"
    html = client.get(url).content.decode()
    assert 'name="action-publish"' not in html and 'name="action-submit"' in html
    html = client.get(f"/admin/snippets/lms_exams/exam/edit/{exam.pk}/").content.decode()
    assert 'name="action-publish"' not in html


def test_without_review_trainers_publish_directly(client):
    question = make_question("single")
    client.force_login(trainer())
    html = client.get(f"/admin/snippets/lms_exams/question/edit/{question.pk}/").content.decode()
    assert 'name="action-publish"' in html
