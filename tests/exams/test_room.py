"""The exam room (#17) on the learner pages and the API, tried as a candidate who wants to sit it elsewhere or with
help would: from outside the allowed networks (with a forged X-Forwarded-For too), without or guessing the start
code, from a second browser or token, flooding the event report, and a proctor's actions with and without reasons.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exams import signals
from exams.models import Attempt, AttemptEvent
from exams.services import proctor as proctor_actions
from exams.services import room
from exams.services.attempts import attempt_start
from tests.exams.factories import assign, make_exam, make_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "10.99.0.0/16"  # the test client is 127.0.0.1


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def exam_with(**rules):
    exam = make_exam(questions=[make_question("single"), make_question("truefalse")], time_limit_minutes=30, **rules)
    return exam


@pytest.fixture
def learner():
    return UserFactory()


@pytest.fixture
def refusals():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs["reason"])

    signals.room_refused.connect(receiver)
    yield seen
    signals.room_refused.disconnect(receiver)


def start(client, exam, forwarded_for=None, **data):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(reverse("lms_exams:start", args=[exam.pk]), data, follow=True, **headers)


def save(client, attempt, **headers):
    return client.post(
        reverse("lms_exams_api_answers", args=[attempt.pk]), {"seq": attempt.next_seq, "answers": {}}, format="json",
        **headers,
    )


# ---- networks -----------------------------------------------------------------------------------------------------

def test_outside_the_networks_nothing_starts_and_the_page_says_where_to_sit_it(learner, refusals):
    exam = exam_with(allowed_networks=OUTSIDE, exam_room="培训楼 301 考场")
    assign(exam, learner)
    client = signed_in(learner)
    page = client.get(reverse("lms_exams:start", args=[exam.pk])).content.decode()
    assert "培训楼 301 考场" in page and "127.0.0.1" in page
    assert 'class="exam-start-form"' not in page  # no start button to press
    response = start(client, exam)
    assert "培训楼 301 考场" in response.content.decode()
    assert not Attempt.objects.filter(exam=exam).exists()
    api = client.post(reverse("lms_exams_api_start", args=[exam.pk]), {}, format="json")
    assert api.status_code == 403 and api.json()["error"]["code"] == "network"
    assert not Attempt.objects.filter(exam=exam).exists()
    assert refusals == ["network"]  # the ledger hears of a person's refusals once a minute, not per request


def test_a_script_retrying_a_refused_start_tells_the_ledger_once_a_minute(learner, refusals, monkeypatch):
    from exams import ratelimit

    exam = exam_with(allowed_networks=OUTSIDE, requires_start_code=True)
    assign(exam, learner)
    client = signed_in(learner)
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    for __ in range(20):
        client.post(reverse("lms_exams_api_start", args=[exam.pk]), {}, format="json")
    assert refusals == ["network"]
    now[0] += 61
    client.post(reverse("lms_exams_api_start", args=[exam.pk]), {}, format="json")
    assert refusals == ["network", "network"]


def test_a_forged_forwarded_for_does_not_move_the_candidate_into_the_room(learner):
    exam = exam_with(allowed_networks=OUTSIDE)
    assign(exam, learner)
    client = signed_in(learner)
    start(client, exam, forwarded_for="10.99.0.7")
    assert not Attempt.objects.filter(exam=exam).exists()


@override_settings(LMS_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_candidates(learner):
    exam = exam_with(allowed_networks=OUTSIDE)
    assign(exam, learner)
    client = signed_in(learner)
    start(client, exam, forwarded_for="10.99.0.7")
    assert Attempt.objects.filter(exam=exam, user=learner).exists()
    start(client, exam, forwarded_for="192.0.2.1")  # the proxy saw another client: not in the room
    attempt = Attempt.objects.get(exam=exam, user=learner)
    refused = client.get(reverse("lms_exams:attempt", args=[attempt.pk]), HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert refused.status_code == 403


def test_an_attempt_started_in_the_room_cannot_be_continued_from_outside(learner):
    exam = exam_with(allowed_networks=OUTSIDE)
    attempt = attempt_start(exam=exam, user=learner)  # started by trusted code, e.g. from the room
    client = signed_in(learner)
    page = client.get(reverse("lms_exams:attempt", args=[attempt.pk]))
    assert page.status_code == 403 and "127.0.0.1" in page.content.decode()
    assert "门禁" not in page.content.decode()  # no question text leaks on the refusal
    assert save(client, attempt).status_code == 403
    submitted = client.post(reverse("lms_exams_api_submit", args=[attempt.pk]))
    assert submitted.status_code == 403
    assert client.get(reverse("lms_exams_api_attempt", args=[attempt.pk])).status_code == 403
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS and attempt.next_seq == 1
    assert list(attempt.events.values_list("kind", flat=True)) == ["outside_network_refused"]  # once a minute


@override_settings(LMS_EXAMS_PERMIT_NETWORKS=OUTSIDE)
def test_the_site_default_applies_to_exams_that_count_for_a_permit_and_their_own_list_wins(learner):
    permit_exam, other = exam_with(), exam_with()
    own_list = exam_with(allowed_networks="127.0.0.0/8")

    def check(exam):
        return exam.pk in (permit_exam.pk, own_list.pk)

    room.register_permit_check(check)
    try:
        assert [str(n) for n in room.rules(permit_exam).networks] == [OUTSIDE] and room.rules(permit_exam).site_default
        assert room.rules(other).networks == []
        assert [str(n) for n in room.rules(own_list).networks] == ["127.0.0.0/8"]
    finally:
        _PERMIT_CHECKS_remove(check)


def _PERMIT_CHECKS_remove(check):
    room._PERMIT_CHECKS.remove(check)


@override_settings(LMS_EXAMS_PERMIT_NETWORKS=OUTSIDE)
def test_a_failing_permit_check_keeps_the_room_closed():
    def broken(exam):
        raise RuntimeError("database away")

    room.register_permit_check(broken)
    try:
        assert [str(n) for n in room.rules(exam_with()).networks] == [OUTSIDE]
    finally:
        _PERMIT_CHECKS_remove(broken)


def test_an_unreadable_stored_list_closes_the_exam_instead_of_opening_it(learner):
    exam = exam_with()
    type(exam).objects.filter(pk=exam.pk).update(allowed_networks="room-301")  # written around the form's check
    exam.refresh_from_db()
    assert not room_rules_allowed(exam, "127.0.0.1")


def room_rules_allowed(exam, address):
    from exams import room_rules

    return room_rules.address_allowed(address, room.rules(exam).networks)


def test_the_exam_form_names_a_bad_network():
    from django.core.exceptions import ValidationError

    exam = exam_with()
    exam.allowed_networks = "192.168.10.0/24\nroom-301"
    with pytest.raises(ValidationError) as caught:
        exam.full_clean()
    assert "room-301" in str(caught.value.message_dict["allowed_networks"])


@override_settings(LMS_EXAMS_EVENTS_PER_ATTEMPT=20)
def test_the_leave_limit_cannot_exceed_the_events_an_attempt_keeps():
    """Past LMS_EXAMS_EVENTS_PER_ATTEMPT reports are no longer stored, so a higher limit could never end an attempt
    as the candidate was told: the form says so, and the cap itself is still allowed."""
    from django.core.exceptions import ValidationError

    exam = exam_with()
    exam.leave_limit = 21
    with pytest.raises(ValidationError) as caught:
        exam.full_clean()
    assert caught.value.message_dict["leave_limit"] == [
        "At most 20: an attempt keeps at most 20 reports of leaving the page (LMS_EXAMS_EVENTS_PER_ATTEMPT)."
    ]
    exam.leave_limit = 20
    exam.full_clean()


# ---- start codes --------------------------------------------------------------------------------------------------

def test_a_missing_or_wrong_start_code_starts_nothing_and_the_shown_one_does(learner, refusals):
    exam = exam_with(requires_start_code=True)
    assign(exam, learner)
    client = signed_in(learner)
    page = client.get(reverse("lms_exams:start", args=[exam.pk])).content.decode()
    assert 'name="start_code"' in page
    assert "proctor" in start(client, exam).content.decode()
    shown = room.current_code(exam).code
    wrong = f"{(int(shown) + 1) % 1_000_000:06d}"
    assert "not right" in start(client, exam, start_code=wrong).content.decode()
    assert not Attempt.objects.filter(exam=exam).exists()
    api = client.post(reverse("lms_exams_api_start", args=[exam.pk]), {"start_code": wrong}, format="json")
    assert api.status_code == 403 and api.json()["error"]["code"] == "start_code"
    start(client, exam, start_code=shown)
    assert Attempt.objects.filter(exam=exam, user=learner, state=Attempt.State.IN_PROGRESS).count() == 1
    assert refusals == ["start_code"]


@override_settings(LMS_EXAMS_START_CODE_RATE=(3, 300))
def test_guessing_codes_is_cut_off_even_for_the_right_code_and_only_for_that_person(learner):
    exam = exam_with(requires_start_code=True)
    other = UserFactory()
    assign(exam, learner, other)
    client = signed_in(learner)
    shown = room.current_code(exam).code
    for guess in ("000000", "111111", "222222"):
        if guess != shown:
            start(client, exam, start_code=guess)
    response = client.post(reverse("lms_exams_api_start", args=[exam.pk]), {"start_code": shown}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "start_code_rate"
    assert not Attempt.objects.filter(exam=exam, user=learner).exists()
    start(signed_in(other), exam, start_code=shown)
    assert Attempt.objects.filter(exam=exam, user=other).exists()


@override_settings(LMS_EXAMS_START_CODE_RATE=(2, 300))
def test_right_codes_do_not_use_up_the_limit(learner):
    exam = exam_with(requires_start_code=True, attempts_allowed=5)
    assign(exam, learner)
    client = signed_in(learner)
    for __ in range(3):
        response = client.post(
            reverse("lms_exams_api_start", args=[exam.pk]), {"start_code": room.current_code(exam).code}, format="json"
        )
        assert response.status_code == 201
        client.post(reverse("lms_exams_api_submit", args=[response.json()["id"]]))


def test_the_start_code_is_not_in_anything_the_candidate_receives(learner):
    exam = exam_with(requires_start_code=True)
    assign(exam, learner)
    client = signed_in(learner)
    shown = room.current_code(exam).code
    page = client.get(reverse("lms_exams:start", args=[exam.pk])).content.decode()
    assert shown not in page


# ---- one device per attempt -----------------------------------------------------------------------------------------

def test_a_second_browser_is_refused_until_the_proctor_releases_the_attempt(learner, refusals):
    exam = exam_with(binds_device=True)
    assign(exam, learner)
    first, second = signed_in(learner), signed_in(learner)
    start(first, exam)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    assert attempt.device
    assert first.get(reverse("lms_exams:attempt", args=[attempt.pk])).status_code == 200
    refused = second.get(reverse("lms_exams:attempt", args=[attempt.pk]))
    assert refused.status_code == 403 and "another computer" in refused.content.decode()
    assert save(second, attempt).json()["error"]["code"] == "device"
    assert second.post(reverse("lms_exams_api_submit", args=[attempt.pk])).status_code == 403
    assert start(second, exam).redirect_chain  # "start" again from the second browser: the same attempt, refused
    assert Attempt.objects.filter(exam=exam).count() == 1
    assert save(first, attempt).status_code == 200
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert attempt.events.filter(kind="other_device_refused").count() == 1  # recorded once a minute, not per request
    assert "device" in refusals

    trainer = UserFactory()
    proctor_actions.proctor_release(attempt=attempt, by=trainer, reason="电脑死机，换到 12 号机")
    assert second.get(reverse("lms_exams:attempt", args=[attempt.pk])).status_code == 200  # the next device takes it
    assert first.get(reverse("lms_exams:attempt", args=[attempt.pk])).status_code == 403
    released = attempt.events.get(kind="binding_released")
    assert released.by == trainer and released.reason == "电脑死机，换到 12 号机"


def test_a_token_client_is_its_own_device(learner):
    exam = exam_with(binds_device=True)
    assign(exam, learner)
    token = Token.objects.create(user=learner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(reverse("lms_exams_api_start", args=[exam.pk]), {}, format="json")
    assert response.status_code == 201
    attempt = Attempt.objects.get(pk=response.json()["id"])
    assert save(api, attempt).status_code == 200
    attempt.refresh_from_db()
    assert save(signed_in(learner), attempt).status_code == 403  # a browser session is another device


def test_without_binding_two_browsers_may_answer(learner):
    exam = exam_with()
    assign(exam, learner)
    first, second = signed_in(learner), signed_in(learner)
    start(first, exam)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    assert second.get(reverse("lms_exams:attempt", args=[attempt.pk])).status_code == 200


# ---- leaving the page ---------------------------------------------------------------------------------------------

def report(client, attempt, *kinds):
    return client.post(
        reverse("lms_exams:events", args=[attempt.pk]),
        {"events": [{"kind": k, "at": timezone.now().isoformat()} for k in kinds]}, format="json",
    )


def test_leaving_is_recorded_and_past_the_limit_ends_the_attempt(learner):
    exam = exam_with(leave_limit=3)
    assign(exam, learner)
    client = signed_in(learner)
    start(client, exam)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    first = report(client, attempt, "tab_hidden", "paste")
    assert first.status_code == 200 and first.json() == {"recorded": 2, "leaves": 2, "limit": 3, "ended": False}
    second = report(client, attempt, "focus_lost")
    assert second.json()["ended"] is True and second.json()["result_url"].endswith(f"/attempts/{attempt.pk}/result/")
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score is not None
    assert list(attempt.events.values_list("kind", flat=True)) == [
        "tab_hidden", "paste", "focus_lost", "ended_for_leaving"
    ]
    assert report(client, attempt, "focus_lost").status_code == 409
    assert attempt.events.count() == 4


def test_without_a_limit_leaving_is_only_recorded(learner):
    exam = exam_with()
    assign(exam, learner)
    client = signed_in(learner)
    start(client, exam)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    assert report(client, attempt, *["focus_lost"] * 20).json()["ended"] is False
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


@pytest.mark.parametrize("body", [
    {"events": [{"kind": "score_set", "at": None}]},
    {"events": [{"kind": "focus_lost"}] * 51},
    {"events": "focus_lost"},
    {"nothing": []},
])
def test_a_forged_or_flooding_report_is_refused_and_stores_nothing(learner, body):
    exam = exam_with()
    assign(exam, learner)
    client = signed_in(learner)
    start(client, exam)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    for url in (reverse("lms_exams:events", args=[attempt.pk]), reverse("lms_exams_api_events", args=[attempt.pk])):
        assert client.post(url, body, format="json").status_code == 400
    assert not AttemptEvent.objects.filter(attempt=attempt).exists()


@override_settings(LMS_EXAMS_EVENTS_PER_ATTEMPT=5)
def test_an_attempt_keeps_at_most_the_configured_number_of_events(learner):
    exam = exam_with()
    assign(exam, learner)
    client = signed_in(learner)
    start(client, exam)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    for __ in range(4):
        report(client, attempt, "copy", "copy")
    assert attempt.events.count() == 5


def test_nobody_reports_events_for_someone_elses_attempt(learner):
    exam = exam_with()
    attempt = attempt_start(exam=exam, user=learner)
    stranger = signed_in(UserFactory())
    assert report(stranger, attempt, "focus_lost").status_code == 404
    assert stranger.post(reverse("lms_exams_api_events", args=[attempt.pk]), {"events": [{"kind": "copy"}]},
                         format="json").status_code == 404
    assert not attempt.events.exists()


# ---- the proctor's actions ----------------------------------------------------------------------------------------

def test_adding_time_moves_the_deadline_and_is_recorded_with_its_reason(learner):
    from django.core.exceptions import ValidationError

    exam = exam_with()
    attempt = attempt_start(exam=exam, user=learner)
    proctor = UserFactory()
    before = attempt.deadline_at
    for bad in ({"minutes": 10, "reason": ""}, {"minutes": 0, "reason": "x"}, {"minutes": 601, "reason": "x"},
                {"minutes": True, "reason": "x"}):
        with pytest.raises(ValidationError):
            proctor_actions.proctor_add_time(attempt=attempt, by=proctor, **bad)
    attempt.refresh_from_db()
    assert attempt.deadline_at == before and not attempt.events.exists()
    proctor_actions.proctor_add_time(attempt=attempt, by=proctor, minutes=10, reason="停电 10 分钟")
    attempt.refresh_from_db()
    assert attempt.deadline_at >= before + timezone.timedelta(minutes=10)
    event = attempt.events.get()
    assert (event.kind, event.minutes, event.by, event.reason) == ("time_added", 10, proctor, "停电 10 分钟")


def test_ending_grades_the_saved_answers_and_an_ended_attempt_takes_no_more_actions(learner):
    from django.core.exceptions import ValidationError

    exam = exam_with()
    attempt = attempt_start(exam=exam, user=learner)
    proctor = UserFactory()
    with pytest.raises(ValidationError):
        proctor_actions.proctor_end(attempt=attempt, by=proctor, reason="  ")
    proctor_actions.proctor_end(attempt=attempt, by=proctor, reason="使用手机")
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 0
    with pytest.raises(ValidationError):
        proctor_actions.proctor_add_time(attempt=attempt, by=proctor, minutes=5, reason="x")
    with pytest.raises(ValidationError):
        proctor_actions.proctor_release(attempt=attempt, by=proctor, reason="x")
    assert list(attempt.events.values_list("kind", "reason")) == [("ended", "使用手机")]


def test_an_untimed_attempt_gets_no_added_time(learner):
    from django.core.exceptions import ValidationError

    exam = make_exam(questions=[make_question("single")])
    attempt = attempt_start(exam=exam, user=learner)
    with pytest.raises(ValidationError, match="no time limit"):
        proctor_actions.proctor_add_time(attempt=attempt, by=UserFactory(), minutes=5, reason="x")


def test_an_impossible_time_on_the_candidates_computer_is_stored_as_none(learner):
    exam = exam_with()
    assign(exam, learner)
    client = signed_in(learner)
    start(client, exam)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    response = client.post(reverse("lms_exams:events", args=[attempt.pk]),
                           {"events": [{"kind": "focus_lost", "at": "2026-13-45T09:00:05+08:00"}]}, format="json")
    assert response.status_code == 200
    assert attempt.events.get().client_at is None


def test_the_storage_cap_never_switches_the_leave_limit_off(learner):
    exam = exam_with(leave_limit=4)  # saved while the cap was higher: the form refuses a limit over the cap now
    assign(exam, learner)
    client = signed_in(learner)
    start(client, exam)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    with override_settings(LMS_EXAMS_EVENTS_PER_ATTEMPT=3):
        report(client, attempt, "copy", "copy", "copy")
        assert report(client, attempt, "focus_lost").json()["ended"] is True
    attempt.refresh_from_db()
    assert attempt.is_finished
