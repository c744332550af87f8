"""Through the test client: the player page, the package's files, the runtime's commits, a person's attempts, and the
admin (upload as a snippet, the attempts list and record, each viewer's scope)."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from courses.scorm import services, views
from courses.scorm.models import ScormActivity, ScormAttempt, ScormPackage, ScormScoState
from lms import roles
from tests.courses.scorm.packages import (
    MULTI_12,
    activity_from,
    commit,
    learner_for,
    package,
    package_files,
    stored_files,
    zip_bytes,
)
from tests.factories import PersonFactory, UserFactory
from tests.lms.factories import person_in

pytestmark = pytest.mark.django_db


def player_url(activity) -> str:
    return reverse("lms_scorm:player", args=[activity.pk])


def file_url(version: ScormPackage, path: str) -> str:
    return reverse("lms_scorm:package_file", args=[version.pk, path])


def commit_url(attempt: ScormAttempt, sco: str = "SCO-1") -> str:
    return reverse("lms_scorm:commit", args=[attempt.pk, sco])


def config_of(response) -> dict | None:
    found = re.search(r'<script id="lms-scorm-config" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    return json.loads(found.group(1)) if found else None


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def world():
    activity = activity_from(package(), title="消防演练")
    user, lesson = learner_for(activity)
    return activity, user, lesson, client_for(user)


# --- the player ------------------------------------------------------------------------------------------------------


def test_the_player_opens_one_attempt_and_hands_the_runtime_its_data(world):
    activity, user, _lesson, client = world
    response = client.get(player_url(activity))
    assert response.status_code == 200
    attempt = ScormAttempt.objects.get()
    assert (attempt.user, attempt.number, attempt.package) == (user, 1, activity.current)
    html = response.content.decode()
    assert f'src="{file_url(activity.current, "index.html")}"' in html
    config = config_of(response)
    assert config["version"] == "1.2" and config["seq"] == 0
    assert config["commitUrl"] == commit_url(attempt)
    assert config["cmi"]["cmi.core.student_id"] == user.get_username()
    assert config["cmi"]["cmi.core.entry"] == "ab-initio"
    assert config["runtime"].endswith("lms_scorm/runtime/scorm12.min.js")
    assert client.get(player_url(activity)).status_code == 200
    assert ScormAttempt.objects.count() == 1  # reloading continues the same attempt
    assert config_of(client.get(player_url(activity)))["session"] != config["session"]  # a new session per load


def test_the_player_resumes_where_the_sco_left_off(world):
    activity, _user, _lesson, client = world
    client.get(player_url(activity))
    attempt = ScormAttempt.objects.get()
    commit(attempt, {"cmi.core.lesson_location": "page-3", "cmi.core.exit": "suspend", "cmi.suspend_data": "abc"})
    config = config_of(client.get(player_url(activity)))
    assert config["seq"] == 1
    assert config["cmi"]["cmi.core.lesson_location"] == "page-3" and config["cmi"]["cmi.core.entry"] == "resume"
    assert "cmi.core.exit" not in config["cmi"]


def test_a_multi_sco_package_shows_its_contents_and_launches_the_chosen_sco():
    scos = [{"identifier": "SCO-A", "href": "./a/index.html?chapter=1", "title": "Part A", "file": "a/index.html"},
            {"identifier": "SCO-B", "href": "b/my%20page.html#top", "title": "Part B", "file": "b/my page.html"},
            {"identifier": "ASSET", "href": "docs/handbook.html", "title": "Handbook", "type": "asset"}]
    activity = activity_from(package(scos))
    user, _lesson = learner_for(activity)
    client = client_for(user)
    version = activity.current
    response = client.get(player_url(activity))
    html = response.content.decode()
    for sco in ("SCO-A", "SCO-B", "ASSET"):
        assert f'data-scorm-sco="{sco}"' in html
    assert f'src="{file_url(version, "a/index.html")}?chapter=1"' in html
    assert config_of(response)["commitUrl"].endswith("/scos/SCO-A/commit/")

    response = client.get(player_url(activity), {"sco": "SCO-B"})
    launch = f"{file_url(version, 'b/my page.html')}#top"
    assert launch.count("%20") == 1 and f'src="{launch}"' in response.content.decode()
    assert client.get(launch.split("#")[0]).status_code == 200  # the address the frame loads is served
    assert config_of(response)["commitUrl"].endswith("/scos/SCO-B/commit/")

    response = client.get(player_url(activity), {"sco": "ASSET"})  # an asset is shown, never tracked
    assert f'src="{file_url(version, "docs/handbook.html")}"' in response.content.decode()
    assert config_of(response) is None

    response = client.get(player_url(activity), {"sco": "NOPE"})
    assert config_of(response)["commitUrl"].endswith("/scos/SCO-A/commit/")


@pytest.mark.parametrize("identifier", ["a b", "课件-1", "a%2Fb", "a?b#c", "a.b:c"])
def test_a_sco_identifier_of_any_characters_gets_its_commit_url(identifier):
    activity = activity_from(package([{"identifier": identifier, "href": "index.html"}]))
    user, _lesson = learner_for(activity)
    client = client_for(user)
    config = config_of(client.get(player_url(activity)))
    response = post(client, config["commitUrl"], {"seq": 1, "session": "s", "cmi": {"cmi.core.lesson_location": "p"}})
    assert response.json()["result"] is True
    assert ScormScoState.objects.get().sco == identifier


def test_a_single_sco_package_shows_no_contents(world):
    activity, _user, _lesson, client = world
    assert "data-scorm-sco=" not in client.get(player_url(activity)).content.decode()


def test_a_new_attempt_only_after_the_open_one_is_finished(world):
    activity, _user, _lesson, client = world
    client.get(player_url(activity))
    refused = client.post(player_url(activity))
    assert refused.status_code == 409 and "Finish the attempt" in refused.content.decode()
    assert ScormAttempt.objects.count() == 1
    commit(ScormAttempt.objects.get(), {"cmi.core.lesson_status": "completed"}, terminate=True)
    finished = client.get(player_url(activity))
    assert config_of(finished) is None and "data-scorm-new-attempt" in finished.content.decode()
    response = client.post(player_url(activity), {"next": "/learn/x/?a=1&b=2"})
    assert response.status_code == 302
    assert response["Location"] == player_url(activity) + "?next=%2Flearn%2Fx%2F%3Fa%3D1%26b%3D2"
    assert list(ScormAttempt.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_the_back_link_stays_on_this_site(world):
    activity, _user, _lesson, client = world
    html = client.get(player_url(activity), {"next": "https://evil.example/"}).content.decode()
    assert 'href="https://evil.example' not in html and "data-scorm-back" not in html
    html = client.get(player_url(activity), {"next": "/learn/lesson/"}).content.decode()
    assert 'href="/learn/lesson/" data-scorm-back' in html


def test_people_who_may_not_play_get_nothing(world):
    activity, _user, _lesson, _client = world
    stranger = client_for(UserFactory())
    assert stranger.get(player_url(activity)).status_code == 403
    assert stranger.post(player_url(activity)).status_code == 403
    anonymous = Client().get(player_url(activity))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(UserFactory()).get(reverse("lms_scorm:player", args=[10**6])).status_code == 404
    assert not ScormAttempt.objects.exists()


def test_all_attempts_used_shows_why(world):
    activity, _user, _lesson, client = world
    ScormActivity.objects.filter(pk=activity.pk).update(max_attempts=1)
    client.get(player_url(activity))
    commit(ScormAttempt.objects.get(), {"cmi.core.lesson_status": "completed"}, terminate=True)
    response = client.post(player_url(activity))
    assert response.status_code == 409 and "all 1 attempts" in response.content.decode()
    assert "data-scorm-new-attempt" not in client.get(player_url(activity)).content.decode()


# --- the package's files ----------------------------------------------------------------------------------------------


def test_files_go_out_with_nosniff_and_the_packages_csp(world):
    activity, _user, _lesson, client = world
    response = client.get(file_url(activity.current, "index.html"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == views.CSP
    assert b"<title>SCO</title>" in b"".join(response.streaming_content)
    assert client.get(file_url(activity.current, "sco.js"))["Content-Type"].split(";")[0] in (
        "text/javascript", "application/javascript")
    ranged = client.get(file_url(activity.current, "index.html"), headers={"Range": "bytes=0-4"})
    assert ranged.status_code == 206 and b"".join(ranged.streaming_content) == b"<!doc"


@pytest.mark.parametrize("path", ["../x.html", "a/../../imsmanifest.xml", "%2e%2e/x", ".hidden", "a/.git/config",
                                  "missing.html", "a\\b.html", "css/", "..%2f..%2fsettings.py"])
def test_paths_outside_the_package_are_not_found(world, path):
    activity, _user, _lesson, client = world
    version = activity.current
    base = file_url(version, "index.html").removesuffix("index.html")
    assert client.get(base + path).status_code == 404


def test_another_version_of_the_same_activity_is_served_only_to_its_players(world):
    activity, _user, _lesson, client = world
    first = activity.current
    activity_from(package(), activity=activity)
    assert client.get(file_url(first, "index.html")).status_code == 200  # attempts on v1 keep playing it


def test_files_of_another_activity_are_forbidden_and_anonymous_people_sent_to_log_in(world):
    activity, _user, _lesson, _client = world
    other = activity_from(package())
    _other_user, _ = learner_for(other)
    theirs = client_for(_other_user)
    assert theirs.get(file_url(activity.current, "index.html")).status_code == 403
    assert theirs.get(file_url(other.current, "index.html")).status_code == 200
    anonymous = Client().get(file_url(activity.current, "index.html"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert theirs.get(reverse("lms_scorm:package_file", args=[10**6, "index.html"])).status_code == 404


# --- commits ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def playing(world):
    activity, user, _lesson, _client = world
    client = client_for(user, enforce_csrf_checks=True)
    response = client.get(player_url(activity))
    return ScormAttempt.objects.get(), client, config_of(response)["csrfToken"]


def post(client, url, body, token=None, **kwargs):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(url, data, content_type="application/json", headers=headers, **kwargs)


def test_a_commit_needs_the_csrf_token(playing):
    attempt, client, token = playing
    body = {"seq": 1, "session": "s", "cmi": {"cmi.core.lesson_status": "completed"}}
    assert post(client, commit_url(attempt), body).status_code == 403
    assert not ScormScoState.objects.exists()
    response = post(client, commit_url(attempt), body, token)
    assert response.status_code == 200
    assert response.json() == {"result": True, "errorCode": 0, "stored": True, "finished": False}
    assert ScormScoState.objects.get().completion == "completed"


def test_commit_answers_speak_the_runtimes_language(playing):
    attempt, client, token = playing
    url = commit_url(attempt)
    assert post(client, url, {"seq": 1, "session": "s", "cmi": {"cmi.core.lesson_location": "p1"}}, token).json()[
        "result"] is True
    stale = post(client, url, {"seq": 1, "session": "s", "cmi": {"cmi.core.lesson_location": "p0"}}, token)
    assert stale.json() == {"result": True, "errorCode": 0, "stored": False, "finished": False}
    wrong = post(client, url, {"seq": 2, "session": "s", "cmi": {"cmi.core.score.raw": "200"}}, token)
    assert wrong.status_code == 422
    assert (wrong.json()["result"], wrong.json()["errorCode"]) == (False, 405)
    assert "cmi.core.score.raw" in wrong.json()["message"]
    done = post(client, url, {"seq": 3, "session": "s", "terminate": True,
                              "cmi": {"cmi.core.lesson_status": "completed"}}, token)
    assert done.json() == {"result": True, "errorCode": 0, "stored": True, "finished": True}
    late = post(client, url, {"seq": 4, "session": "s", "cmi": {"cmi.core.lesson_location": "p9"}}, token)
    assert (late.status_code, late.json()["errorCode"]) == (422, 101)
    assert "finished" in late.json()["message"]
    assert ScormScoState.objects.get().cmi["cmi.core.lesson_location"] == "p1"


def test_someone_elses_attempt_is_not_found(playing, world):
    attempt, _client, _token = playing
    activity = world[0]
    intruder, _ = learner_for(activity)
    client = client_for(intruder, enforce_csrf_checks=True)
    token = config_of(client.get(player_url(activity)))["csrfToken"]
    body = {"seq": 1, "session": "s", "cmi": {"cmi.core.lesson_status": "completed"}}
    assert post(client, commit_url(attempt), body, token).status_code == 404
    assert post(client, commit_url(attempt), b"x" * (2 * 1024 * 1024), token).status_code in (400, 404)
    assert not ScormScoState.objects.filter(attempt=attempt).exists()


def test_an_unknown_or_untracked_sco_is_not_found():
    activity = activity_from(package(MULTI_12))
    user, _ = learner_for(activity)
    client = client_for(user)
    client.get(player_url(activity))
    attempt = ScormAttempt.objects.get()
    for sco in ("ASSET", "NOPE"):
        assert post(client, commit_url(attempt, sco), {"seq": 1, "session": "s", "cmi": {}}).status_code == 404
    assert post(client, commit_url(attempt, "SCO-B"), {"seq": 1, "session": "s", "cmi": {}}).status_code == 200


@override_settings(LMS_SCORM_MAX_COMMIT_BYTES=1000)
def test_a_commit_body_too_large_is_refused(playing):
    attempt, client, token = playing
    body = {"seq": 1, "session": "s", "cmi": {"cmi.suspend_data": "x" * 2000}}
    response = post(client, commit_url(attempt), body, token)
    assert (response.status_code, response.json()["result"], response.json()["errorCode"]) == (413, False, 101)
    assert not ScormScoState.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'"text"', b"null", b""])
def test_a_commit_that_is_not_a_json_object_is_refused(playing, body):
    attempt, client, token = playing
    response = post(client, commit_url(attempt), body, token)
    assert (response.status_code, response.json()["errorCode"]) == (400, 101)
    assert not ScormScoState.objects.exists()


def test_only_post_reaches_the_commit_view(playing):
    attempt, client, _token = playing
    assert client.get(commit_url(attempt)).status_code == 405
    anonymous = Client().post(commit_url(attempt), "{}", content_type="application/json")
    assert anonymous.status_code == 302


def test_a_forged_identity_in_a_commit_is_ignored(playing, world):
    attempt, client, token = playing
    activity, user = world[0], world[1]
    post(client, commit_url(attempt), {"seq": 1, "session": "s", "cmi": {
        "cmi.core.student_id": "admin", "cmi.core.credit": "no-credit", "cmi.core.total_time": "9999:00:00",
        "cmi.core.lesson_location": "p"}}, token)
    config = config_of(client.get(player_url(activity)))
    assert config["cmi"]["cmi.core.student_id"] == user.get_username()
    assert (config["cmi"]["cmi.core.credit"], config["cmi"]["cmi.core.total_time"]) == ("credit", "0000:00:00.00")


# --- a person's own attempts ------------------------------------------------------------------------------------------


def test_my_attempts_shows_only_my_own(world):
    activity, user, _lesson, client = world
    client.get(player_url(activity))
    mine = ScormAttempt.objects.get(user=user)
    other, _ = learner_for(activity)
    client_for(other).get(player_url(activity))
    theirs = ScormAttempt.objects.get(user=other)
    html = client.get(reverse("lms_scorm:my_attempts")).content.decode()
    assert f'data-attempt="{mine.pk}"' in html and f'data-attempt="{theirs.pk}"' not in html
    assert Client().get(reverse("lms_scorm:my_attempts")).status_code == 302


def test_the_lesson_page_links_to_the_player(world):
    activity, _user, lesson, client = world
    html = client.get(lesson.url).content.decode()
    assert f'href="{player_url(activity)}?next=' in html and "data-scorm-launch" in html


# --- the admin --------------------------------------------------------------------------------------------------------

ADD = "wagtailsnippets_lms_scorm_scormactivity:add"
EDIT = "wagtailsnippets_lms_scorm_scormactivity:edit"


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Temporary directories of this test only (the form extracts the upload into one)."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.fixture
def trainer():
    user = UserFactory(username="trainer-scorm")
    user.groups.add(Group.objects.get(name=roles.TRAINER))
    return user


def form(upload=None, **fields) -> dict:
    data = {"title": "", "grading_method": "highest", "claim_policy": "completion", "max_attempts": 0, **fields}
    if upload is not None:
        data["package"] = upload
    return data


def test_a_trainer_uploads_a_package_through_the_snippet_form(trainer, private_tmp):
    client = client_for(trainer)
    assert client.get(reverse(ADD)).status_code == 200
    response = client.post(reverse(ADD), form(SimpleUploadedFile("fire.zip", package()), claim_policy="trust",
                                              max_attempts=3))
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = ScormActivity.objects.get()
    assert (activity.title, activity.claim_policy, activity.max_attempts, activity.uploaded_by) == (
        "Fire Safety", "trust", 3, trainer)
    assert (activity.current.number, activity.current.package_name, activity.current.uploaded_by) == (1, "fire.zip",
                                                                                                      trainer)
    edit = client.get(reverse(EDIT, args=[activity.pk]))
    assert edit.status_code == 200 and 'name="package"' in edit.content.decode()
    response = client.post(reverse(EDIT, args=[activity.pk]), form(title="消防 2"))  # no new package: fields only
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.current.number) == ("消防 2", 1)
    response = client.post(reverse(EDIT, args=[activity.pk]), form(SimpleUploadedFile("v2.zip", package()),
                                                                    title="消防 2"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.current.number, activity.versions.count()) == ("消防 2", 2, 2)
    assert list(private_tmp.glob("lms-scorm-*")) == []


@pytest.mark.parametrize(("upload", "expected"), [
    (lambda: SimpleUploadedFile("evil.zip", package(extra={"../x.html": b"x"})), "../x.html: the path leaves"),
    (lambda: SimpleUploadedFile("evil.zip", package(extra={"INDEX.html": b"x"})), "INDEX.html: the archive holds"),
    (lambda: SimpleUploadedFile("evil.zip", b"not a zip"), "evil.zip: not a ZIP archive"),
    (lambda: SimpleUploadedFile("evil.rar", package()), "evil.rar: the file name must end in .zip"),
    (lambda: SimpleUploadedFile("evil.zip", zip_bytes({**package_files(), "imsmanifest.xml": b"<!DOCTYPE x>"
                                                       b"<manifest/>"})), "imsmanifest.xml: the manifest declares"),
])
def test_a_refused_package_shows_the_form_error_and_changes_nothing(trainer, upload, expected, private_tmp):
    before = stored_files()
    response = client_for(trainer).post(reverse(ADD), form(upload()))
    assert response.status_code == 200
    html = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert expected in html, html[:500]
    assert not ScormActivity.objects.exists() and not ScormPackage.objects.exists()
    assert stored_files() == before
    assert list(private_tmp.glob("lms-scorm-*")) == []


def test_the_add_form_needs_a_package_and_another_invalid_field_discards_the_upload(trainer, private_tmp):
    client = client_for(trainer)
    response = client.post(reverse(ADD), form())
    assert response.status_code == 200 and not ScormActivity.objects.exists()
    response = client.post(reverse(ADD), form(SimpleUploadedFile("ok.zip", package()), max_attempts=101))
    assert response.status_code == 200 and not ScormActivity.objects.exists()
    assert list(private_tmp.glob("lms-scorm-*")) == []


def test_a_package_without_any_title_asks_for_one(trainer):
    nameless = zip_bytes({**package_files(), "imsmanifest.xml": package_files()["imsmanifest.xml"]
                          .replace(b"<title>Fire Safety</title>", b"").replace(b'identifier="MANIFEST-1"', b"")})
    client = client_for(trainer)
    response = client.post(reverse(ADD), form(SimpleUploadedFile("x.zip", nameless)))
    assert response.status_code == 200 and not ScormActivity.objects.exists()
    assert "The package names no title" in response.content.decode()
    response = client.post(reverse(ADD), form(SimpleUploadedFile("x.zip", nameless), title="起名"))
    assert response.status_code == 302 and ScormActivity.objects.get().title == "起名"


def test_a_learner_cannot_reach_the_admin_upload():
    client = client_for(UserFactory())
    assert client.get(reverse(ADD)).status_code in (302, 403)
    response = client.post(reverse(ADD), form(SimpleUploadedFile("x.zip", package())))
    assert response.status_code in (302, 403) and not ScormActivity.objects.exists()


def interaction_world():
    activity = activity_from(package(), title="消防演练")
    boss = person_in(roles.MANAGER, name="王经理")
    report = PersonFactory(name="李下属", manager=boss, user__username="li.report")
    stranger = PersonFactory(name="赵外人", user__username="zhao.stranger")
    attempts = []
    for person in (report, stranger):
        learner_for(activity, user=person.user)
        attempt = services.attempt_open(user=person.user, activity=activity)
        commit(attempt, {"cmi.interactions.0.id": "q-extinguisher", "cmi.interactions.0.type": "choice",
                         "cmi.interactions.0.student_response": "b", "cmi.interactions.0.result": "wrong",
                         "cmi.interactions.0.time": "10:15:00", "cmi.interactions.1.id": "q-exit",
                         "cmi.interactions.1.result": "correct", "cmi.core.lesson_status": "incomplete"})
        attempts.append(attempt)
    return boss, attempts[0], attempts[1]


def test_trainers_read_every_attempt_with_its_interactions(trainer):
    _boss, mine, theirs = interaction_world()
    client = client_for(trainer)
    index = client.get(reverse("scorm_attempts:index")).content.decode()
    assert "li.report" in index and "zhao.stranger" in index
    html = client.get(reverse("scorm_attempts:inspect", args=[mine.pk])).content.decode()
    assert 'data-scorm-sco-state="SCO-1"' in html
    assert "q-extinguisher" in html and "q-exit" in html and "wrong" in html and "10:15:00" in html
    assert html.index("q-extinguisher") < html.index("q-exit")
    for name in ("edit", "delete", "history", "usage"):
        assert client.get(reverse(f"scorm_attempts:{name}", args=[theirs.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("scorm_attempts:add")).status_code in (302, 403, 404)
    ScormAttempt.objects.get(pk=theirs.pk)


def test_a_manager_sees_only_their_teams_attempts():
    boss, mine, theirs = interaction_world()
    client = client_for(boss.user)
    # the role matrix gives managers no SCORM screens
    assert client.get(reverse("scorm_attempts:index")).status_code in (302, 403)
    # a site that grants them the list: their team only (exams.visibility)
    Group.objects.get(name=roles.MANAGER).permissions.add(
        Permission.objects.get(content_type__app_label="lms_scorm", codename="view_scormattempt"))
    index = client.get(reverse("scorm_attempts:index"))
    assert index.status_code == 200
    assert "li.report" in index.content.decode() and "zhao.stranger" not in index.content.decode()
    assert client.get(reverse("scorm_attempts:inspect", args=[mine.pk])).status_code == 200
    assert client.get(reverse("scorm_attempts:inspect", args=[theirs.pk])).status_code == 404
    export = client.get(reverse("scorm_attempts:index"), {"export": "xlsx"})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content if export.streaming else
                                                  [export.content])))["Sheet1"].values)
    text = " ".join(str(cell) for row in rows for cell in row)
    assert "li.report" in text and "zhao.stranger" not in text


def test_trainers_list_activities_and_versions_which_stay_read_only(trainer):
    activity = activity_from(package(), title="消防演练")
    activity_from(package(), activity=activity)
    client = client_for(trainer)
    assert "消防演练" in client.get(reverse("wagtailsnippets_lms_scorm_scormactivity:list")).content.decode()
    versions = client.get(reverse("scorm_versions:index"))
    assert versions.status_code == 200 and versions.content.decode().count("消防演练") >= 2
    version = activity.current
    assert client.get(reverse("scorm_versions:inspect", args=[version.pk])).status_code == 200
    for name in ("edit", "delete"):
        assert client.get(reverse(f"scorm_versions:{name}", args=[version.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("scorm_versions:add")).status_code in (302, 403, 404)
    assert client.get(reverse("wagtailsnippets_lms_scorm_scormactivity:delete", args=[activity.pk])).status_code in (
        302, 403)  # trainers add and change activities, never delete them


def test_starting_a_new_attempt_needs_the_csrf_token(world):
    activity, user, _lesson, _client = world
    client = client_for(user, enforce_csrf_checks=True)
    assert client.post(player_url(activity)).status_code == 403
    assert not ScormAttempt.objects.exists()
