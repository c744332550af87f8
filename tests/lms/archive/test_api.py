"""The archive API: HR all, managers their team, a person their own file; 404 otherwise."""

import pytest
from rest_framework.test import APIClient

from lms import roles
from tests.factories import PersonFactory
from tests.lms.factories import person_in, record_for, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    manager = person_in(roles.MANAGER, name="赵经理")
    member = PersonFactory(manager=manager, name="组员")
    outsider = PersonFactory(name="外人")
    record_for(member, kind="exam", title="组员的考试", is_passed=True)
    record_for(outsider, kind="internal", title="外人的培训")
    return manager, member, outsider


def titles(response):
    return sorted(r["title"] for r in response.json()["results"])


def test_hr_sees_everyone_and_can_filter(team):
    __, member, __ = team
    api = APIClient()
    api.force_authenticate(user_in(roles.HR))
    assert titles(api.get("/api/archive/records/")) == ["外人的培训", "组员的考试"]
    assert titles(api.get("/api/archive/records/", {"kind": "exam"})) == ["组员的考试"]
    assert titles(api.get("/api/archive/records/", {"person": member.pk})) == ["组员的考试"]
    assert titles(api.get("/api/archive/records/", {"period": "1999"})) == []
    assert api.get("/api/archive/records/", {"period": "soon"}).status_code == 400
    assert api.get("/api/archive/records/", {"kind": "party"}).status_code == 400
    body = api.get("/api/archive/records/").json()
    assert body["count"] == 2 and body["results"][0]["source_type"] == "lms_archive.trainingsession"


def test_a_manager_sees_the_team_only(team):
    manager, member, outsider = team
    api = APIClient()
    api.force_authenticate(manager.user)
    assert titles(api.get("/api/archive/records/")) == ["组员的考试"]
    assert api.get(f"/api/archive/people/{member.pk}/").status_code == 200
    assert api.get(f"/api/archive/people/{outsider.pk}/").status_code == 404


def test_a_person_sees_their_own_file(team):
    __, member, outsider = team
    api = APIClient()
    api.force_authenticate(member.user)
    assert titles(api.get("/api/archive/records/")) == ["组员的考试"]
    mine = api.get("/api/archive/people/me/").json()
    assert mine["employee_number"] == member.employee_number
    assert mine["totals"][0]["kind"] == "exam" and mine["totals"][0]["count"] == 1
    assert api.get(f"/api/archive/people/{outsider.pk}/").status_code == 404
    assert APIClient().get("/api/archive/records/").status_code in (401, 403)


def test_my_training_file_download(client, team):
    import io

    from openpyxl import load_workbook

    __, member, __ = team
    client.force_login(member.user)
    response = client.get("/my/training-file.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Exams"]["B2"].value == "组员的考试"
    client.force_login(user_in(roles.HR))  # HR without a profile has no own file
    assert client.get("/my/training-file.xlsx").status_code == 404


def test_schema_has_no_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
