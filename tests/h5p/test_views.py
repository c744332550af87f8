"""Serving (types, nosniff, CSP, ranges, access), the resume-state endpoint, the xAPI API and the lesson page."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from courses import services as course_services
from courses.h5p.models import H5PActivity, H5PStatement
from tests.factories import UserFactory, make_course
from tests.h5p.factories import import_sample, make_h5p_lesson, sample

pytestmark = pytest.mark.django_db
VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def setup():
    activity = import_sample("xss")
    user = UserFactory()
    course = make_course(lessons=1)
    lesson = make_h5p_lesson(course=course, activities=[activity])
    course_services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    return activity, user, lesson, client


def test_files_are_served_with_types_nosniff_and_a_sandboxing_csp(setup):
    activity, _user, _lesson, client = setup
    response = client.get(f"/h5p/activities/{activity.pk}/package/content/images/xss.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp
    assert b"<script" not in b"".join(response.streaming_content)
    assert client.get(f"/h5p/activities/{activity.pk}/package/h5p.json")["Content-Type"] == "application/json"
    js = client.get(f"/h5p/activities/{activity.pk}/libraries/H5P.Blanks-1.14/js/blanks.js")
    assert js.status_code == 200 and js["Content-Type"].startswith("text/javascript")


def test_paths_outside_the_package_or_its_libraries_are_not_found(setup):
    activity, _user, _lesson, client = setup
    base = f"/h5p/activities/{activity.pk}"
    assert client.get(f"{base}/package/content/../h5p.json").status_code == 404
    assert client.get(f"{base}/package/H5P.Blanks-1.14/library.json").status_code == 404
    assert client.get(f"{base}/libraries/H5P.TrueFalse-1.6/library.json").status_code == 404  # not its library
    assert client.get(f"{base}/libraries/H5P.Blanks-1.14/%2e%2e/x").status_code == 404


def test_range_requests_for_seeking(setup):
    activity, _user, _lesson, client = setup
    url = f"/h5p/activities/{activity.pk}/package/content/content.json"
    whole = b"".join(client.get(url).streaming_content)
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert b"".join(part.streaming_content) == whole[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == whole[-5:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(whole) + 5}-").status_code == 416


def test_only_enrolled_people_get_files(setup):
    activity, _user, _lesson, _client = setup
    url = f"/h5p/activities/{activity.pk}/package/h5p.json"
    assert Client().get(url).status_code == 302  # to the login page
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url).status_code == 403


def _config(html: str) -> dict:
    match = re.search(r'<script id="lms-h5p-\d+-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_lesson_page_embeds_the_player_offline_with_the_required_status(setup):
    activity, _user, lesson, client = setup
    html = client.get(lesson.url).content.decode()
    config = _config(html)
    assert config["options"]["h5pJsonPath"] == f"/h5p/activities/{activity.pk}/package"
    assert config["options"]["librariesPath"] == f"/h5p/activities/{activity.pk}/libraries"
    assert config["statementsUrl"] == f"/api/h5p/activities/{activity.pk}/statements/"
    assert config["mainJs"].startswith("/static/lms_h5p/player/") and config["csrfToken"]
    assert 'data-h5p-status="required"' in html
    assert "http://" not in re.sub(r"http://testserver|http://www.w3.org[^\"']*", "", html.split("<main", 1)[1])


def test_state_endpoint_needs_the_signed_token(setup):
    activity, user, lesson, client = setup
    config = _config(client.get(lesson.url).content.decode())
    url = config["options"]["ajax"]["contentUserDataUrl"].replace(":dataType", "state").replace(":subContentId", "0")
    assert client.post(url, {"data": '{"x": 1}', "preload": 1, "invalidate": 1}).json() == {"success": True}
    assert client.get(url).json() == {"success": True, "data": '{"x": 1}'}
    forged = url.split("?token=")[0] + "?token=abc&dataType=state"
    assert client.post(forged, {"data": "{}"}).status_code == 403
    other = Client()
    other.force_login(UserFactory())
    assert other.post(url, {"data": "{}"}).status_code == 403


def test_xapi_api_needs_csrf_and_stores_for_the_session_user(setup):
    activity, user, _lesson, _client = setup
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(user)
    body = {"verb": {"id": VERB + "answered"}, "object": {"id": f"http://testserver/h5p/activities/{activity.pk}/"},
            "actor": {"mbox": "mailto:ceo@example.com"},
            "result": {"score": {"raw": 1, "max": 1}, "response": "Norway"}}
    url = f"/api/h5p/activities/{activity.pk}/statements/"
    assert api.post(url, body, format="json").status_code == 403  # no CSRF token
    api = APIClient()
    api.force_login(user)
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["is_rescored"] and not response.json()["is_disputed"]
    stored = H5PStatement.objects.get()
    assert stored.user == user and stored.raw["actor"]["account"]["name"] == user.get_username()
    assert api.post(url, "x" * 70000, content_type="application/json").status_code == 413
    assert api.post(url, "{not json", content_type="application/json").status_code == 400
    results = api.get("/api/h5p/results/").json()
    assert results["count"] == 1
    other = APIClient()
    other.force_login(UserFactory())
    assert other.get("/api/h5p/results/").json()["count"] == 0
    assert other.post(url, body, format="json").status_code == 403


def test_import_command_reports_each_file(tmp_path, capsys):
    bad = tmp_path / "bad.h5p"
    bad.write_bytes(b"not a zip")
    with pytest.raises(Exception, match="1 of 2"):
        call_command("h5p_import", str(sample("truefalse")), str(bad))
    out = capsys.readouterr().out
    assert "imported as activity" in out and "bad.h5p: refused: bad.h5p:" in out
    assert H5PActivity.objects.count() == 1


def test_admin_upload_creates_the_snippet(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = sample("truefalse").read_bytes()
    response = admin_client.post("/admin/snippets/lms_h5p/h5pactivity/add/", {
        "package": SimpleUploadedFile("tf.h5p", data), "title": "", "grading_method": "last", "pass_percent": 80,
        "claim_policy": "completion",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = H5PActivity.objects.get()
    assert (activity.title, activity.grading_method, activity.pass_percent) == ("Hello World", "last", 80)
    bad = admin_client.post("/admin/snippets/lms_h5p/h5pactivity/add/", {
        "package": SimpleUploadedFile("x.h5p", b"nope"), "title": "x", "grading_method": "last", "pass_percent": 80,
        "claim_policy": "completion",
    })
    assert bad.status_code == 200 and "x.h5p: not a ZIP archive" in bad.content.decode()
    assert H5PActivity.objects.count() == 1
    assert admin_client.get("/admin/h5p_results/").status_code == 200


def test_my_results_page_shows_only_my_own(setup):
    activity, user, _lesson, client = setup
    from courses.h5p import services

    body = {"verb": {"id": VERB + "answered"}, "object": {"id": "x"},
            "result": {"score": {"raw": 1, "max": 1}, "response": "Schweden"}}
    mine = services.statement_record(user=user, activity=activity, statement=body)
    other = UserFactory()
    course_services.enrollment_create(user=other, course=_lesson.course)
    theirs = services.statement_record(user=other, activity=activity, statement=body)
    html = client.get("/h5p/results/").content.decode()
    assert f'data-result="{mine.pk}"' in html and f'data-result="{theirs.pk}"' not in html
    assert "0.00%" in html and "corrected" in html  # claimed 1/1, the server says 0/1


def test_results_and_libraries_are_read_only_in_the_admin(admin_client):
    assert admin_client.get("/admin/h5p_results/").status_code == 200
    assert admin_client.get("/admin/h5p_results/new/").status_code in (302, 403, 404)
    assert admin_client.get("/admin/h5p_libraries/new/").status_code in (302, 403, 404)


def test_admin_screens_render_for_a_trainer(setup):
    from django.contrib.auth.models import Group

    activity, _user, lesson, _client = setup
    trainer = UserFactory(username="trainer-h5p")
    trainer.groups.add(Group.objects.get(name="Trainer"))
    assert not trainer.has_perm("lms_h5p.install_h5p_libraries")  # staff install libraries
    client = Client()
    client.force_login(trainer)
    assert client.get("/admin/snippets/lms_h5p/h5pactivity/").status_code == 200
    assert client.get("/admin/snippets/lms_h5p/h5pactivity/add/").status_code == 200
    edit = client.get(f"/admin/snippets/lms_h5p/h5pactivity/edit/{activity.pk}/")
    assert edit.status_code == 200 and 'name="package"' in edit.content.decode()
    assert 'name="claim_policy"' in edit.content.decode()  # the trainer decides whether claims may count
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200
    assert client.get("/admin/h5p_results/").status_code == 200
    # a trainer may replace the content: the package's libraries are installed already
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/admin/snippets/lms_h5p/h5pactivity/edit/{activity.pk}/", {
        "package": SimpleUploadedFile("xss.h5p", sample("xss").read_bytes()), "title": "填空题",
        "grading_method": "average", "pass_percent": 60, "claim_policy": "completion",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert (activity.title, activity.grading_method, activity.pass_percent) == ("填空题", "average", 60)
