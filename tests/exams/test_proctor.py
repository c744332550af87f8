"""The proctor's screen and the attempt timeline (#17), tried by the proctor and by the people who must not use them:
a learner, a trainer without the proctor's permission (refused everywhere, their posts change nothing) and a grader
(sees the timeline only)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams import room_rules
from exams.models import Attempt, AttemptEvent
from exams.services import proctor as proctor_actions
from exams.services import room
from exams.services.attempts import answers_save, attempt_start, attempt_submit
from tests.exams.factories import RIGHT, make_exam, make_question
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "wagtailadmin.access_admin"
PROCTOR = "lms_exams.proctor_exam"
GRADER = "lms_exams.change_attemptquestion"
AUTHOR = ("lms_exams.view_exam", "lms_exams.change_exam", "lms_exams.add_question", "lms_exams.change_question")


def user_with(*perms, **fields):
    user = UserFactory(**fields)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def proctor():
    return user_with(ADMIN, PROCTOR)


@pytest.fixture
def exam():
    return make_exam(questions=[make_question("single"), make_question("truefalse")], time_limit_minutes=30,
                     requires_start_code=True, binds_device=True, exam_room="培训楼 301 考场")


@pytest.fixture
def attempt(exam):
    person = PersonFactory(name="王新人", employee_number="E1024")
    started = attempt_start(exam=exam, user=person.user)
    Attempt.objects.filter(pk=started.pk).update(device=room_rules.device_fingerprint("session:first"))
    started.refresh_from_db()
    return started


def action_url(attempt, action):
    return reverse("lms_exams_admin:proctor_action", args=[attempt.pk, action])


def screen(client, exam) -> str:
    response = client.get(reverse("lms_exams_admin:proctor", args=[exam.pk]))
    assert response.status_code == 200
    return response.content.decode()


def unchanged(attempt) -> tuple:
    fresh = Attempt.objects.get(pk=attempt.pk)
    return fresh.state, fresh.deadline_at, fresh.device, fresh.events.count()


def shown_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# ---- who may use the screens -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["learner", "trainer"])
def test_a_learner_or_a_trainer_without_the_permission_is_refused_everywhere_and_changes_nothing(who, exam, attempt):
    user = UserFactory() if who == "learner" else user_with(ADMIN, *AUTHOR)
    client = client_of(user)
    before = unchanged(attempt)
    urls = [reverse("lms_exams_admin:proctor_list"), reverse("lms_exams_admin:proctor", args=[exam.pk]),
            reverse("lms_exams_admin:attempt_timeline", args=[attempt.pk]), action_url(attempt, "end")]
    for url in urls:
        response = client.get(url)
        if who == "learner":  # no admin at all: Wagtail sends them to its sign-in page
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
        else:
            assert response.status_code == 403, url
        assert room.current_code(exam).code not in response.content.decode()
    for action, data in (("add-time", {"minutes": "30", "reason": "想多点时间"}), ("end", {"reason": "x"}),
                         ("release", {"reason": "x"})):
        response = client.post(action_url(attempt, action), data)
        assert response.status_code == (302 if who == "learner" else 403)
    assert unchanged(attempt) == before


def test_a_grader_sees_the_timeline_but_not_the_proctors_screen(exam, attempt):
    client = client_of(user_with(ADMIN, GRADER))
    assert client.get(reverse("lms_exams_admin:attempt_timeline", args=[attempt.pk])).status_code == 200
    assert client.get(reverse("lms_exams_admin:proctor_list")).status_code == 403
    assert client.get(reverse("lms_exams_admin:proctor", args=[exam.pk])).status_code == 403
    assert client.post(action_url(attempt, "release"), {"reason": "x"}).status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).device


def test_the_menu_shows_proctoring_only_to_proctors(proctor):
    page = client_of(proctor).get("/admin/").content.decode()
    assert reverse("lms_exams_admin:proctor_list") in page
    page = client_of(user_with(ADMIN, *AUTHOR)).get("/admin/").content.decode()
    assert reverse("lms_exams_admin:proctor_list") not in page


# ---- the list and the screen ---------------------------------------------------------------------------------------

def test_the_list_names_exams_with_room_rules_or_candidates_and_counts_who_sits_now(proctor, exam, attempt):
    plain = make_exam(questions=[make_question("single")], title="没有考场规则的考试")
    busy = make_exam(questions=[make_question("single")], title="正在进行的普通考试")
    attempt_start(exam=busy, user=UserFactory())
    attempt_start(exam=exam, user=UserFactory())
    page = client_of(proctor).get(reverse("lms_exams_admin:proctor_list")).content.decode()
    assert exam.title in page and busy.title in page and plain.title not in page
    assert reverse("lms_exams_admin:proctor", args=[exam.pk]) in page
    sitting = re.findall(r'class="proctor-sitting">(\d+)<', page)
    assert sorted(sitting) == ["1", "2"]


def test_the_screen_shows_the_current_start_code_and_the_rules_in_words(proctor, exam):
    before = room.current_code(exam)
    page = screen(client_of(proctor), exam)
    after = room.current_code(exam)
    shown = re.search(r"data-proctor-code[^>]*>(\d+)<", page).group(1)
    assert shown in {before.code, after.code}
    assert re.search(r"data-proctor-seconds>(\d+)<", page).group(1).isdigit()
    assert "培训楼 301 考场" in page and "From any network." in page
    assert "Each attempt stays on the computer that started it" in page
    assert "lms_exams/proctor.js" in page and 'http-equiv="refresh"' in page
    assert "<script>" not in page.split('id="main"', 1)[-1]  # no inline script of ours


def test_an_exam_without_a_start_code_shows_none(proctor):
    exam = make_exam(questions=[make_question("single")], leave_limit=3)
    page = screen(client_of(proctor), exam)
    assert "data-proctor-code" not in page and room.current_code(exam).code not in page
    assert "This exam needs no start code." in page and "3 events of leaving the exam page" in page


def test_the_table_shows_the_person_saves_leaves_and_the_device_in_words(proctor, exam, attempt):
    rows = {r.position: r for r in attempt.questions.all()}
    answers_save(attempt=attempt, seq=1, responses={p: RIGHT[r.snapshot["kind"]] for p, r in rows.items()})
    answers_save(attempt=attempt, seq=2, responses={1: RIGHT[rows[1].snapshot["kind"]]})
    room.events_record(attempt=attempt, events=[{"kind": "tab_hidden"}, {"kind": "paste"}, {"kind": "focus_lost"}])
    proctor_actions.proctor_add_time(attempt=attempt, by=proctor, minutes=5, reason="停电")  # not a page-leaving event
    untimed_exam = make_exam(questions=[make_question("single")], binds_device=True)
    client = client_of(proctor)
    page = screen(client, exam)
    assert page.count('class="proctor-row"') == 1
    assert '<td class="proctor-person">王新人 · E1024</td>' in page
    assert '<td class="proctor-saves">2</td>' in page
    leaves = reverse("lms_exams_admin:attempt_timeline", args=[attempt.pk])
    assert re.search(rf'<td class="proctor-leaves"><a href="{leaves}"[^>]*>3</a>', page)
    assert '<td class="proctor-device">Yes</td>' in page
    assert "35 minutes" in page or "34 minutes" in page
    for action in ("add-time", "end", "release"):
        assert f'data-action="{action}" action="{action_url(attempt, action)}"' in page
    for word in ("True", "False", "None", "tab_hidden", "in_progress"):
        assert word not in re.sub(r"<[^>]+>", " ", page.split('id="main"', 1)[-1]), word

    attempt_start(exam=untimed_exam, user=UserFactory())
    assert "untimed" in screen(client, untimed_exam)


def test_the_table_costs_the_same_queries_for_one_or_many_candidates(proctor, exam, attempt):
    client = client_of(proctor)
    url = reverse("lms_exams_admin:proctor", args=[exam.pk])
    client.get(url)  # the first request of a session fills caches (site, settings) once
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for __ in range(4):
        person = PersonFactory()
        started = attempt_start(exam=exam, user=person.user)
        room.events_record(attempt=started, events=[{"kind": "copy"}])
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert page.count('class="proctor-row"') == 5
    assert len(five) == len(one)


# ---- the actions --------------------------------------------------------------------------------------------------

def test_adding_time_moves_the_deadline_and_records_who_why_and_how_long(proctor, exam, attempt):
    before = attempt.deadline_at
    response = client_of(proctor).post(action_url(attempt, "add-time"), {"minutes": "10", "reason": "停电 10 分钟"},
                                       follow=True)
    assert response.redirect_chain[-1][0] == reverse("lms_exams_admin:proctor", args=[exam.pk])
    assert "Added 10 minutes for 王新人 · E1024." in shown_messages(response)
    attempt.refresh_from_db()
    assert attempt.deadline_at >= before + timedelta(minutes=10)
    event = attempt.events.get()
    assert (event.kind, event.by, event.reason, event.minutes) == ("time_added", proctor, "停电 10 分钟", 10)


def test_ending_grades_the_attempt_and_records_it(proctor, exam, attempt):
    response = client_of(proctor).post(action_url(attempt, "end"), {"reason": "使用手机"}, follow=True)
    assert "Ended the attempt of 王新人 · E1024" in shown_messages(response)
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score is not None
    event = attempt.events.get()
    assert (event.kind, event.by, event.reason) == ("ended", proctor, "使用手机")
    assert 'class="proctor-row"' not in response.content.decode()


def test_releasing_empties_the_device_and_records_it(proctor, exam, attempt):
    response = client_of(proctor).post(action_url(attempt, "release"), {"reason": "电脑死机，换到 12 号机"},
                                       follow=True)
    assert "Released the device of 王新人 · E1024" in shown_messages(response)
    attempt.refresh_from_db()
    assert attempt.device == "" and attempt.state == Attempt.State.IN_PROGRESS
    event = attempt.events.get()
    assert (event.kind, event.by, event.reason) == ("binding_released", proctor, "电脑死机，换到 12 号机")


@pytest.mark.parametrize(("action", "data", "said"), [
    ("add-time", {"minutes": "10", "reason": ""}, "Give a reason"),
    ("add-time", {"minutes": "10"}, "Give a reason"),
    ("end", {"reason": "   "}, "Give a reason"),
    ("release", {}, "Give a reason"),
    ("add-time", {"minutes": "0", "reason": "x"}, "Add between 1 and 600 minutes."),
    ("add-time", {"minutes": "601", "reason": "x"}, "Add between 1 and 600 minutes."),
    ("add-time", {"minutes": "十", "reason": "x"}, "Add between 1 and 600 minutes."),
    ("add-time", {"reason": "x"}, "Add between 1 and 600 minutes."),
    ("end", {"reason": "x" * 501}, "The reason is too long"),
    ("pause", {"reason": "x"}, "Unknown action"),
])
def test_bad_input_is_an_error_message_and_changes_nothing(proctor, exam, attempt, action, data, said):
    before = unchanged(attempt)
    response = client_of(proctor).post(action_url(attempt, action), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("lms_exams_admin:proctor", args=[exam.pk])
    assert said in shown_messages(response) and "Nothing was changed" in shown_messages(response)
    assert unchanged(attempt) == before


def test_a_finished_attempt_takes_no_action(proctor, exam, attempt):
    attempt_submit(attempt=attempt)
    before = unchanged(attempt)
    client = client_of(proctor)
    for action in ("add-time", "end", "release"):
        response = client.post(action_url(attempt, action), {"minutes": "5", "reason": "x"}, follow=True)
        assert "This attempt is already finished." in shown_messages(response)
    assert unchanged(attempt) == before


def test_an_action_is_posted_never_got(proctor, attempt):
    before = unchanged(attempt)
    assert client_of(proctor).get(action_url(attempt, "end")).status_code == 405
    assert unchanged(attempt) == before


def test_a_form_of_another_exams_screen_acts_on_nobody(proctor, exam, attempt):
    other = make_exam(questions=[make_question("single")], title="另一场考试")
    page = screen(client_of(proctor), exam)
    assert page.count(f'<input type="hidden" name="exam" value="{exam.pk}">') == 3  # each form says its screen
    before = unchanged(attempt)
    client = client_of(proctor)
    for action, data in (("add-time", {"minutes": "5"}), ("end", {}), ("release", {})):
        response = client.post(action_url(attempt, action), {**data, "reason": "x", "exam": str(other.pk)}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("lms_exams_admin:proctor", args=[other.pk])
        assert "That attempt belongs to another exam. Nothing was changed." in shown_messages(response)
    response = client.post(action_url(attempt, "end"), {"reason": "x", "exam": "别的"}, follow=True)
    assert "belongs to another exam" in shown_messages(response)
    assert unchanged(attempt) == before
    response = client.post(action_url(attempt, "end"), {"reason": "x", "exam": str(exam.pk)}, follow=True)
    assert "Ended the attempt" in shown_messages(response)


# ---- the timeline ---------------------------------------------------------------------------------------------------

def test_the_timeline_lists_what_happened_in_order_in_words(proctor, exam, attempt):
    start = timezone.now()
    room.events_record(attempt=attempt, events=[{"kind": "tab_hidden", "at": "2026-03-01T09:00:05+08:00"}],
                       now=start + timedelta(minutes=1))
    proctor_actions.proctor_add_time(attempt=attempt, by=proctor, minutes=7, reason="停电",
                                     now=start + timedelta(minutes=2))
    proctor_actions.proctor_release(attempt=attempt, by=proctor, reason="换电脑", now=start + timedelta(minutes=3))
    AttemptEvent.objects.create(attempt=attempt, kind="outside_network_refused", occurred_at=start,
                                address="10.99.0.7")
    proctor_person = PersonFactory(user=proctor, name="李监考", employee_number="E0007")
    page = client_of(proctor_person.user).get(
        reverse("lms_exams_admin:attempt_timeline", args=[attempt.pk])).content.decode()
    kinds = re.findall(r'class="timeline-kind">([^<]+)<', page)
    assert kinds == ["refused: outside the allowed networks", "switched to another tab or application",
                     "proctor added time", "proctor released the device binding"]
    assert "李监考 · E0007" in page and "王新人 · E1024" in page
    assert "停电" in page and "换电脑" in page and "10.99.0.7" in page and "<td>7</td>" in page
    assert "2026-03-01 09:00:05" in page  # the candidate's clock, in the site's zone (Asia/Shanghai in tests)
    text = re.sub(r"<[^>]+>", " ", page.split('id="main"', 1)[-1])
    for word in ("True", "False", "None", "tab_hidden", "time_added", "binding_released", "UTC"):
        assert word not in text, word


# ---- graders ----------------------------------------------------------------------------------------------------

def finished_essay(exam, *, leaves: int):
    started = attempt_start(exam=exam, user=UserFactory())
    if leaves:
        room.events_record(attempt=started, events=[{"kind": "focus_lost"}] * leaves)
    answers_save(attempt=started, seq=1, responses={1: "立即报告安保部门。"})
    return attempt_submit(attempt=started)


def test_the_grading_queue_shows_each_attempts_leaves_with_its_timeline_at_a_fixed_cost():
    exam = make_exam(questions=[make_question("essay", points=5)])
    first = finished_essay(exam, leaves=4)
    client = client_of(user_with(ADMIN, GRADER))
    client.get(reverse("lms_exams_admin:grading_queue"))  # the first request of a session fills caches once
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("lms_exams_admin:grading_queue")).content.decode()
    assert "Left the exam page 4 times" in page
    assert reverse("lms_exams_admin:attempt_timeline", args=[first.pk]) in page
    for leaves in (0, 1, 2):
        finished_essay(exam, leaves=leaves)
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("lms_exams_admin:grading_queue")).content.decode()
    assert "Left the exam page 0 times" in page and "Left the exam page 1 time" in page
    assert len(four) == len(one)

    row = first.questions.get()  # the grade page (a refused grade shows the queue again) shows them too
    page = client.post(reverse("lms_exams_admin:grade", args=[row.pk]), {"points": "九", "action": "grade"})
    assert page.status_code == 400 and "Left the exam page 4 times" in page.content.decode()
