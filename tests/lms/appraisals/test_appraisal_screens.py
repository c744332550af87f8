"""Appraisal screens: HR runs a period through its workflow; a manager scores their team only; learners see
their own closed results; the API is scoped the same way."""

import pytest
from rest_framework.test import APIClient

from lms import roles
from lms.appraisals import services
from lms.appraisals.models import Appraisal, AppraisalPeriod
from tests.lms.appraisals.factories import closed_period, period_in_scoring, team
from tests.lms.factories import user_in

pytestmark = pytest.mark.django_db


def test_hr_opens_advances_and_closes_a_period(client):
    t = team()
    client.force_login(t.hr)
    response = client.post("/admin/lms/appraisal-periods/new/", {"kind": "quarter", "year": 2026, "number": 1})
    period = AppraisalPeriod.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/lms/appraisal-periods/edit/{period.pk}/"
    url = response["Location"]
    page = client.get(url).content.decode()
    assert "刘专员" in page and "Start scoring" in page
    client.post(url, {"action": "start_scoring"})
    page = client.post(url, {"action": "review"}, follow=True).content.decode()
    assert "not scored yet" in page
    client.post(url, {"action": "review", "force": "1"})
    for appraisal in Appraisal.objects.all():
        response = client.post(
            f"/admin/lms/appraisals/edit/{appraisal.pk}/",
            {
                "action": "review",
                "performance": "80",
                "attitude": "80",
                "ability": "80",
                "note": "同意",
                "approve": "on",
            },
        )
        assert response.status_code == 302
    page = client.post(url, {"action": "close"}, follow=True).content.decode()
    period.refresh_from_db()
    assert period.status == "closed"
    assert period.content_hash in page and "verified: unchanged since closing" in page
    assert "Close the period" not in page and "A closed period is read-only." in page
    export = client.get(f"/admin/lms/appraisal-periods/{period.pk}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    # A closed appraisal offers no form, and a forged post changes nothing.
    appraisal = Appraisal.objects.get(person=t.alice)
    page = client.get(f"/admin/lms/appraisals/edit/{appraisal.pk}/").content.decode()
    assert "Save review" not in page
    page = client.post(
        f"/admin/lms/appraisals/edit/{appraisal.pk}/", {"action": "review", "note": "改", "approve": "on"}, follow=True
    ).content.decode()
    assert "closed" in page and Appraisal.objects.get(pk=appraisal.pk).review_note == "同意"


def test_a_manager_sees_and_scores_their_team_only(client):
    t = team()
    period = period_in_scoring(t)
    client.force_login(t.manager.user)
    listing = client.get("/admin/lms/appraisals/").content.decode()
    assert "刘专员" in listing and "陈新" in listing
    assert "孙会计" not in listing and "钱经理" not in listing
    assert client.get("/admin/lms/appraisal-periods/").status_code in (302, 403)

    alice = period.appraisals.get(person=t.alice)
    page = client.get(f"/admin/lms/appraisals/edit/{alice.pk}/").content.decode()
    assert "Save scores" in page and "Training component" in page
    response = client.post(
        f"/admin/lms/appraisals/edit/{alice.pk}/",
        {
            "action": "score",
            "performance": "90",
            "attitude": "80",
            "ability": "70",
            "performance_comment": "业绩突出",
            "attitude_comment": "",
            "ability_comment": "",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.performance, alice.performance_comment, alice.scored_by) == (90, "业绩突出", t.manager.user)

    carol = period.appraisals.get(person=t.carol)
    assert client.get(f"/admin/lms/appraisals/edit/{carol.pk}/").status_code == 404
    assert (
        client.post(
            f"/admin/lms/appraisals/edit/{carol.pk}/",
            {"action": "score", "performance": "1", "attitude": "1", "ability": "1"},
        ).status_code
        == 404
    )
    assert Appraisal.objects.get(pk=carol.pk).performance is None
    own = period.appraisals.get(person=t.manager)
    assert client.get(f"/admin/lms/appraisals/edit/{own.pk}/").status_code == 404  # not closed yet


def test_bad_scores_show_errors_and_change_nothing(client):
    t = team()
    period = period_in_scoring(t)
    alice = period.appraisals.get(person=t.alice)
    client.force_login(t.manager.user)
    response = client.post(
        f"/admin/lms/appraisals/edit/{alice.pk}/",
        {"action": "score", "performance": "120", "attitude": "80", "ability": "70"},
    )
    assert response.status_code == 200 and "100" in response.content.decode()
    assert Appraisal.objects.get(pk=alice.pk).performance is None


def test_learners_see_their_own_closed_appraisals_only(client):
    t = team()
    open_period = services.appraisal_period_open(kind="month", year=2026, number=5)
    closed = closed_period(t, low=t.alice)
    client.force_login(t.alice.user)
    page = client.get("/my/appraisals/").content.decode()
    assert str(closed) in page and str(open_period) not in page and "Below standard" in page
    assert "陈新" not in page
    assert "/my/appraisals/" in client.get("/my/").content.decode()
    assert client.get("/admin/lms/appraisals/").status_code in (302, 403)


def test_api_scoping():
    t = team()
    services.appraisal_period_open(kind="month", year=2026, number=5)
    closed_period(t)
    api = APIClient()

    api.force_authenticate(t.hr)
    assert api.get("/api/appraisals/").json()["count"] == 10
    assert api.get("/api/appraisals/", {"status": "closed"}).json()["count"] == 5
    assert api.get("/api/appraisals/", {"status": "nope"}).status_code == 400

    api.force_authenticate(user_in(roles.AUDITOR))
    assert api.get("/api/appraisals/").json()["count"] == 10

    api.force_authenticate(t.manager.user)
    names = {r["person_name"] for r in api.get("/api/appraisals/").json()["results"]}
    assert names == {"刘专员", "陈新", "赵经理"}  # the team in both periods, and their own closed result
    assert api.get("/api/appraisals/").json()["count"] == 5

    api.force_authenticate(t.carol.user)
    rows = api.get("/api/appraisals/").json()["results"]
    assert [(r["person_name"], r["period_status"]) for r in rows] == [("孙会计", "closed")]
    assert rows[0]["grade"] == "B" and rows[0]["training_score"] is None  # no training data in the period

    api.force_authenticate(None)
    assert api.get("/api/appraisals/").status_code in (401, 403)


def test_auditors_read_periods_and_appraisals_without_forms(client):
    t = team()
    period = closed_period(t)
    client.force_login(user_in(roles.AUDITOR))
    listing = client.get("/admin/lms/appraisal-periods/").content.decode()
    assert f"/admin/lms/appraisal-periods/edit/{period.pk}/" in listing
    page = client.get(f"/admin/lms/appraisal-periods/edit/{period.pk}/").content.decode()
    assert period.content_hash in page and "Close the period" not in page and "Export to Excel" in page
    response = client.post(f"/admin/lms/appraisal-periods/edit/{period.pk}/", {"action": "recompute"})
    assert (
        response.status_code in (302, 403)
        and response.get("Location") != f"/admin/lms/appraisal-periods/edit/{period.pk}/"
    )
    appraisal = period.appraisals.get(person=t.alice)
    assert f"/admin/lms/appraisals/edit/{appraisal.pk}/" in client.get("/admin/lms/appraisals/").content.decode()
    page = client.get(f"/admin/lms/appraisals/edit/{appraisal.pk}/").content.decode()
    assert "刘专员" in page and "Save review" not in page and "Save scores" not in page


def test_measures_without_data_say_no_data_on_every_screen_not_100(client):
    """Nobody in the team had a requirement, a first attempt or an exam in the period (#20): the screens say
    "no data" for each measure and for the training component, never 100."""
    t = team()
    period = closed_period(t)
    alice = period.appraisals.get(person=t.alice)
    client.force_login(t.hr)
    page = client.get(f"/admin/lms/appraisals/edit/{alice.pk}/").content.decode()
    component = page.split("Training component")[1].split("</table>")[0]
    assert component.count("no data") == 6 and "100" not in component
    listing = client.get(f"/admin/lms/appraisal-periods/edit/{period.pk}/").content.decode()
    assert "no data" in listing
    client.force_login(t.alice.user)
    mine = client.get("/my/appraisals/").content.decode()
    assert "no data" in mine and "None" not in mine
