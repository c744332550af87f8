"""SCORM 1.2 and 2004 packages (built here: tests/e2e/scorm_packages.py) played in a lesson by Debian Chromium.

The SCO finds scorm-again in the player page, stores its place, suspends, and resumes in a new browser session;
it fails, then passes in a second attempt. What the learner sees, what the server stored, the lesson's completion
rule and the training archive are asserted. Then what the server must refuse (a value scorm-again lets through, a
stale commit, another person's attempt, a commit without the CSRF header), and a trainer's upload in the Wagtail
admin, where a hostile zip is refused.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from playwright.sync_api import expect

from courses.models import LessonCompletion
from courses.scorm.models import ScormActivity, ScormAttempt, ScormPackage, ScormScoState
from exams.identity import person_label
from lms import roles
from lms.archive.exports import archive_export
from lms.archive.models import TrainingRecord
from tests.e2e.scorm_browser import (
    PASSWORD,
    config_of,
    fill_and_click,
    import_package,
    launch,
    learner,
    lesson_status,
    post_commit,
    ready,
    sco_state,
    scorm_lesson,
    sign_in,
)
from tests.e2e.scorm_packages import scorm12_zip, scorm2004_zip, zip_slip_zip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_scorm12_suspend_resume_fail_then_pass_in_a_new_attempt(live_server, browser, shot):
    person = learner("scorm12", "E9012", "李学员")
    activity = import_package(scorm12_zip(), "fire-safety-12.zip")
    lesson = scorm_lesson(activity, slug="scorm-12", learners=[person])
    user = person.user

    # First session: the SCO learns who is playing, stores its place and suspends.
    page = sign_in(browser, live_server, "scorm12")
    sco = launch(page, live_server, lesson, label="Start")
    expect(sco.locator("#learner")).to_have_text(person_label(user))
    assert "李学员" in person_label(user)
    expect(sco.locator("#entry")).to_have_text("ab-initio")
    expect(sco.locator("#mastery")).to_have_text("80")
    sco.locator("#in-location").fill("slide-3")
    sco.locator("#in-suspend-data").fill("q1=b;q2=a")
    sco.locator("#bookmark").click()
    expect(sco.locator("#last")).to_have_text("LMSCommit() → true")
    state = sco_state(user)
    assert (state.cmi["cmi.core.lesson_location"], state.cmi["cmi.suspend_data"]) == ("slide-3", "q1=b;q2=a")
    assert "cmi.core.student_name" not in state.cmi  # the LMS's own value is never stored from the browser
    fill_and_click(sco, "#in-status", "incomplete", "#set-status")
    sco.locator("#suspend").click()
    expect(sco.locator("#last")).to_have_text("LMSFinish() → true")
    state.refresh_from_db()
    assert (state.exit, state.completion) == ("suspend", "incomplete")
    attempt = state.attempt
    attempt.refresh_from_db()
    assert (attempt.number, attempt.is_finished, attempt.is_completed) == (1, False, False)
    shot(page, "scorm-01-12-suspended")
    page.context.close()

    # Second session (a new browser context, signed in again): the SCO resumes where it was.
    page = sign_in(browser, live_server, "scorm12")
    sco = launch(page, live_server, lesson, label="Continue")
    expect(page.locator("[data-scorm-attempt]")).to_have_attribute("data-scorm-attempt", "1")
    expect(sco.locator("#learner")).to_have_text(person_label(user))
    expect(sco.locator("#entry")).to_have_text("resume")
    expect(sco.locator("#location")).to_have_text("slide-3")
    expect(sco.locator("#suspend-data")).to_have_text("q1=b;q2=a")
    shot(page, "scorm-02-12-resumed")

    # A score below the mastery score: failed; finishing ends attempt 1, not passed.
    fill_and_click(sco, "#in-score", "40", "#score")
    fill_and_click(sco, "#in-status", "failed", "#set-status")
    expect(sco.locator("#status")).to_have_text("failed")
    sco.locator("#finish").click()
    expect(sco.locator("#last")).to_have_text("LMSFinish() → true")
    first = ScormAttempt.objects.get(user=user, number=1)
    assert first.is_finished and first.is_completed
    assert (first.is_passed, first.percent) == (False, D("40.00"))

    status = lesson_status(page, live_server, lesson)
    expect(status).to_have_attribute("data-scorm-status", "completed")
    expect(status).to_contain_text(re.compile(r"Not passed yet \(grade 40(\.00)?%\)\.\s+1 attempt finished\."))
    page.click("button:has-text('Mark as done')")  # refused: a required activity the package's scores count
    expect(page.locator("body")).to_contain_text("Finish these SCORM activities before completing the lesson")
    assert not LessonCompletion.objects.filter(lesson=lesson).exists()

    # The finished attempt offers a new one; it starts afresh and passes.
    page.goto(live_server.url + lesson.url)
    expect(page.locator("[data-scorm-launch]")).to_have_text("Open")
    page.click("[data-scorm-launch]")
    expect(page.locator("[data-scorm-attempt]")).to_contain_text("This attempt is finished.")
    expect(page.locator("iframe[data-scorm-frame]")).to_have_count(0)
    page.click("[data-scorm-new-attempt]")
    sco = ready(page)
    expect(page.locator("[data-scorm-attempt]")).to_have_attribute("data-scorm-attempt", "2")
    expect(sco.locator("#entry")).to_have_text("ab-initio")
    expect(sco.locator("#location")).to_have_text("")
    fill_and_click(sco, "#in-score", "90", "#score")
    fill_and_click(sco, "#in-status", "passed", "#set-status")
    sco.locator("#finish").click()
    expect(sco.locator("#last")).to_have_text("LMSFinish() → true")
    second = ScormAttempt.objects.get(user=user, number=2)
    assert second.is_finished and (second.is_passed, second.percent) == (True, D("90.00"))
    assert second.package_id == first.package_id

    status = lesson_status(page, live_server, lesson)
    expect(status).to_have_attribute("data-scorm-status", "passed")
    expect(status).to_contain_text(re.compile(r"Passed \(grade 90(\.00)?%\)\.\s+2 attempts finished\."))
    page.click("button:has-text('Mark as done')")
    expect(page.locator("body")).to_contain_text("Course completed. Well done!")  # its only lesson
    assert LessonCompletion.objects.filter(lesson=lesson, enrollment__user=user).count() == 1
    shot(page, "scorm-03-12-lesson-done")

    # The training archive: one record per finished attempt, in the export and in the learner's own file.
    records = TrainingRecord.objects.filter(person=person, kind=TrainingRecord.Kind.SCORM).order_by("reference")
    assert [(r.reference, r.title, r.score, r.max_score, r.is_passed) for r in records] == [
        ("1", activity.title, D("40.00"), D(100), False), ("2", activity.title, D("90.00"), D(100), True)]
    out = io.BytesIO()
    assert archive_export(records=TrainingRecord.objects.filter(person=person, kind="scorm"), out=out) == 2
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    rows = sorted(
        (row[header.index("Kind")], row[header.index("Title")], row[header.index("Score")], row[header.index("Result")])
        for row in sheet.iter_rows(min_row=2, values_only=True)
    )
    assert rows == [("SCORM activity", activity.title, 40, "Failed"), ("SCORM activity", activity.title, 90, "Passed")]
    response = page.request.get(f"{live_server.url}/my/training-file.xlsx")
    assert response.status == 200
    courses_sheet = load_workbook(io.BytesIO(response.body()))["Courses"]
    mine = [row for row in courses_sheet.iter_rows(min_row=2, values_only=True) if activity.title in row]
    assert len(mine) == 2 and {row[-1] for row in mine} == {"Passed", "Failed"}
    page.context.close()


def test_scorm2004_interactions_suspend_resume_and_pass(live_server, browser, shot):
    person = learner("scorm2004", "E9020", "王学员")
    activity = import_package(scorm2004_zip(), "forklift-2004.zip")
    assert activity.current.scorm_version == "2004-4"
    lesson = scorm_lesson(activity, slug="scorm-2004", learners=[person])
    user = person.user

    page = sign_in(browser, live_server, "scorm2004")
    sco = launch(page, live_server, lesson, label="Start")
    expect(sco.locator("#learner")).to_have_text(person_label(user))
    expect(sco.locator("#entry")).to_have_text("ab-initio")
    expect(sco.locator("#mastery")).to_have_text("0.65")
    expect(sco.locator("#interactions")).to_have_text("0")
    sco.locator("#interaction").click()  # answers question 1 (seven elements), then commits
    expect(sco.locator("#last")).to_have_text("Commit() → true")
    expect(sco.locator("#log li", has_text="→ false")).to_have_count(0)
    expect(sco.locator("#interactions")).to_have_text("1")
    state = sco_state(user)
    assert {k: v for k, v in state.cmi.items() if k.startswith("cmi.interactions.0.") and v} == {
        "cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "choice",
        "cmi.interactions.0.learner_response": "b", "cmi.interactions.0.result": "correct",
        "cmi.interactions.0.timestamp": "2026-03-02T10:15:00", "cmi.interactions.0.latency": "PT3S",
        "cmi.interactions.0.description": "Which extinguisher for an electrical fire?",
    }
    sco.locator("#in-location").fill("page-2")
    sco.locator("#in-suspend-data").fill('{"answers":["b"]}')
    sco.locator("#bookmark").click()
    expect(sco.locator("#last")).to_have_text("Commit() → true")
    fill_and_click(sco, "#in-status", "incomplete", "#set-status")
    sco.locator("#suspend").click()
    expect(sco.locator("#last")).to_have_text("Terminate() → true")
    state.refresh_from_db()
    assert (state.exit, state.completion, state.success) == ("suspend", "incomplete", "unknown")
    assert (state.cmi["cmi.location"], state.cmi["cmi.suspend_data"]) == ("page-2", '{"answers":["b"]}')
    assert 0 < state.session_seconds <= 5  # the SCO says 5 s; the server allows no more than the attempt has lasted
    first_session = state.session_seconds
    page.context.close()

    page = sign_in(browser, live_server, "scorm2004")
    sco = launch(page, live_server, lesson, label="Continue")
    expect(sco.locator("#entry")).to_have_text("resume")
    expect(sco.locator("#location")).to_have_text("page-2")
    expect(sco.locator("#suspend-data")).to_have_text('{"answers":["b"]}')
    expect(sco.locator("#interactions")).to_have_text("1")  # 2004 interactions come back (1.2's are write-only)
    shot(page, "scorm-04-2004-resumed")

    # A scaled score above the scaled passing score (0.65, from the manifest), completed: the runtime says passed.
    fill_and_click(sco, "#in-score", "0.9", "#score")
    fill_and_click(sco, "#in-status", "completed", "#set-status")
    expect(sco.locator("#status")).to_have_text(re.compile(r"^completed / "))
    sco.locator("#finish").click()
    expect(sco.locator("#last")).to_have_text("Terminate() → true")
    attempt = ScormAttempt.objects.get(user=user)
    assert attempt.is_finished and (attempt.is_completed, attempt.is_passed, attempt.percent) == (True, True, D("90"))
    state = ScormScoState.objects.get(attempt=attempt)
    assert (state.completion, state.success, state.score_scaled) == ("completed", "passed", D("0.9"))
    assert state.cmi["cmi.interactions.0.id"] == "q1" and state.exit == "normal"
    assert state.total_seconds == first_session  # the suspended session counts as an earlier one
    assert first_session < attempt.seconds <= 10  # two sessions of (at most) five seconds: the server's sum

    status = lesson_status(page, live_server, lesson)
    expect(status).to_have_attribute("data-scorm-status", "passed")
    expect(status).to_contain_text(re.compile(r"Passed \(grade 90(\.00)?%\)"))
    (record,) = TrainingRecord.objects.filter(person=person, kind="scorm")
    assert (record.reference, record.is_passed, record.score) == ("1", True, D("90.00"))
    page.context.close()


def test_what_the_server_refuses(live_server, browser, shot):
    owner = learner("owner", "E9030", "赵学员")
    other = learner("other", "E9031", "钱学员")
    activity = import_package(scorm2004_zip(), "forklift-2004.zip")
    lesson = scorm_lesson(activity, slug="scorm-refusals", learners=[owner, other])

    page = sign_in(browser, live_server, "owner")
    sco = launch(page, live_server, lesson, label="Start")
    fill_and_click(sco, "#in-location", "page-1", "#bookmark")
    expect(sco.locator("#last")).to_have_text("Commit() → true")
    state = sco_state(owner.user)
    assert state.cmi["cmi.location"] == "page-1"

    # A timestamp after 2038: scorm-again takes it, the server's check (SCORM 2004 RTE 4.1.1.6) refuses it. The
    # runtime re-sends the whole CMI with every commit, so the rest of the commit is stored, that value never.
    for element, value in [("cmi.interactions.0.id", "q9"), ("cmi.interactions.0.timestamp", "2099-01-01T00:00:00")]:
        sco.locator("#in-element").fill(element)
        sco.locator("#in-value").fill(value)
        sco.locator("#set").click()
        expect(sco.locator("#last")).to_have_text(f"SetValue({element}, {value}) → true")
    sco.locator("#commit").click()
    expect(sco.locator("#last")).to_have_text("Commit() → false (error 406)")
    message = page.locator("[data-scorm-message]")
    expect(message).to_be_visible()
    expect(message).to_contain_text("cmi.interactions.0.timestamp")
    shot(page, "scorm-05-refused-value")
    state.refresh_from_db()
    assert state.cmi["cmi.interactions.0.id"] == "q9" and "cmi.interactions.0.timestamp" not in state.cmi
    assert state.cmi["cmi.location"] == "page-1"
    before = (state.seq, dict(state.cmi))

    config = config_of(page)
    url, token, seq = config["commitUrl"], config["csrfToken"], before[0]
    # A stale (replayed) commit: accepted as a no-op, nothing changes.
    assert post_commit(page, url, {"seq": seq, "session": "x", "cmi": {"cmi.location": "forged"}}, token=token) == [
        200, {"result": True, "errorCode": 0, "stored": False, "finished": False}]
    # Only wrong values in a fresh commit: refused with the SCORM error code, nothing stored, the sequence unmoved.
    status, answer = post_commit(page, url, {"seq": seq + 50, "session": "x",
                                             "cmi": {"cmi.completion_status": "done", "cmi.score.scaled": "2"}},
                                 token=token)
    assert (status, answer["result"], answer["errorCode"]) == (422, False, 406)
    assert set(answer["refused"]) == {"cmi.completion_status", "cmi.score.scaled"}
    # Without the CSRF header: refused before the view.
    status, _answer = post_commit(page, url, {"seq": seq + 60, "session": "x", "cmi": {"cmi.location": "forged"}},
                                  token=None)
    assert status == 403
    state.refresh_from_db()
    assert (state.seq, state.cmi) == before

    # Another person posting to the owner's attempt (with their own session and CSRF token): 404, nothing stored.
    intruder = sign_in(browser, live_server, "other")
    launch(intruder, live_server, lesson, label="Start")
    theirs = config_of(intruder)
    assert theirs["commitUrl"] != url
    status, _answer = post_commit(intruder, url, {"seq": seq + 70, "session": "y", "cmi": {"cmi.location": "forged"}},
                                  token=theirs["csrfToken"])
    assert status == 404
    state.refresh_from_db()
    assert (state.seq, state.cmi) == before
    assert not ScormScoState.objects.filter(attempt__user=other.user).exists()
    intruder.context.close()

    # A forged commit cannot rename the learner: the LMS's own elements are dropped, the rest is stored.
    assert post_commit(page, url, {"seq": seq + 80, "session": "x", "cmi": {
        "cmi.location": "page-9", "cmi.learner_name": "Mallory", "cmi.learner_id": "mallory", "cmi.entry": "resume",
    }}, token=token)[0] == 200
    state.refresh_from_db()
    assert state.cmi["cmi.location"] == "page-9" and state.seq == seq + 80
    assert not {"cmi.learner_name", "cmi.learner_id", "cmi.entry"} & set(state.cmi)
    page.reload()
    sco = ready(page)
    expect(sco.locator("#learner")).to_have_text(person_label(owner.user))
    expect(sco.locator("#location")).to_have_text("page-9")
    page.context.close()


def test_trainer_uploads_a_scorm12_package_and_a_hostile_zip_is_refused(live_server, page, shot):
    trainer = UserFactory(username="trainer")
    trainer.groups.add(Group.objects.get(name=roles.TRAINER))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "trainer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:not(.lang-switch button)")
    page.wait_for_url("**/admin/")

    page.goto(f"{live_server.url}/admin/snippets/lms_scorm/scormactivity/")
    page.click("a:has-text('Add SCORM activity')")
    page.wait_for_url("**/scormactivity/add/")

    entry = "../../evil.html"
    page.set_input_files("#id_package", files=[{"name": "hostile.zip", "mimeType": "application/zip",
                                                "buffer": zip_slip_zip(entry)}])
    page.click("button[type=submit]:has-text('Save')")
    error = page.locator(".w-field:has(#id_package) [data-field-errors]")
    expect(error).to_contain_text(f"{entry}: the path leaves the package with “..” (zip slip)")
    shot(page, "scorm-06-hostile-zip-refused")
    assert not ScormActivity.objects.exists() and not ScormPackage.objects.exists()

    page.set_input_files("#id_package", files=[{"name": "fire-safety-12.zip", "mimeType": "application/zip",
                                                "buffer": scorm12_zip()}])
    page.select_option("#id_claim_policy", "trust")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url("**/admin/snippets/lms_scorm/scormactivity/")
    expect(page.locator("body")).to_contain_text("Fire safety (SCORM 1.2)")
    shot(page, "scorm-07-uploaded")
    activity = ScormActivity.objects.get()
    version = activity.current
    assert activity.title == "Fire safety (SCORM 1.2)"
    assert (activity.claim_policy, activity.uploaded_by) == ("trust", trainer)
    assert (version.number, version.scorm_version, version.file_count, version.package_name) == (
        1, "1.2", 2, "fire-safety-12.zip")
    assert [s["mastery_score"] for s in version.scos] == ["80.00"]

    # The trainer previews the uploaded package: it plays.
    page.goto(f"{live_server.url}/scorm/activities/{activity.pk}/")
    sco = ready(page)
    expect(sco.locator("#learner")).to_have_text(person_label(trainer))
    expect(sco.locator("#mastery")).to_have_text("80")
