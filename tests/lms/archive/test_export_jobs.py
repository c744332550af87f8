"""Background exports in the admin (django-tasks, immediate backend in tests) and the lms_export command."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from lms import roles
from lms.archive.models import ExportJob
from tests.factories import DepartmentFactory, PersonFactory
from tests.lms.factories import person_in, record_for, user_in

pytestmark = pytest.mark.django_db


def test_hr_starts_an_export_sees_it_done_and_downloads_the_file(client, django_capture_on_commit_callbacks):
    ops = DepartmentFactory(name="运营部")
    record_for(PersonFactory(department=ops), title="运营部的培训")
    record_for(PersonFactory(), title="别处的培训")
    hr = user_in(roles.HR)
    client.force_login(hr)
    assert client.get("/admin/lms/exports/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/lms/exports/", {"kind": "archive", "department": ops.pk, "period": ""})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.status, job.rows_done, job.rows_total, job.progress_percent) == ("done", 1, 1, 100)
    page = client.get("/admin/lms/exports/").content.decode()
    download = f"/admin/lms/exports/{job.uuid}/download/"
    assert download in page
    response = client.get(download)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    titles = [row[5] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["运营部的培训"]
    # Someone else cannot fetch the file.
    client.force_login(user_in(roles.AUDITOR))
    assert client.get(download).status_code == 404


def test_a_bad_period_is_refused_and_nothing_is_queued(client):
    client.force_login(user_in(roles.HR))
    response = client.post("/admin/lms/exports/", {"kind": "archive", "period": "last year"})
    assert response.status_code == 200 and "“last year” is not a period" in response.content.decode()
    response = client.post("/admin/lms/exports/", {"kind": "archive", "period_from": "2026-05-31",
                                                   "period_to": "2026-03-01"})
    assert "The last day comes before the first." in response.content.decode()
    response = client.post("/admin/lms/exports/", {"kind": "archive", "period_to": "2026-03-01"})
    assert "Choose the first day of the period too." in response.content.decode()
    assert ExportJob.objects.count() == 0


def test_the_period_is_picked_as_two_dates_with_one_click_periods(client, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    person = PersonFactory()
    inside = timezone.make_aware(dt.datetime(2026, 4, 15, 10))
    record_for(person, title="春季培训", occurred_at=inside)
    record_for(person, title="冬季培训", occurred_at=timezone.make_aware(dt.datetime(2026, 1, 10, 10)))
    client.force_login(user_in(roles.HR))
    page = client.get("/admin/lms/exports/").content.decode()
    assert page.count('type="date"') == 2 and "To (inclusive)" in page
    assert "Last quarter" in page and "data-period-from=" in page
    assert 'name="period" type="text"' not in page and "A year (2026)" not in page  # no text to type any more

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/lms/exports/", {
            "kind": "archive", "period_from": "2026-03-01", "period_to": "2026-05-31",
        })
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.filters["period"] == "2026-03-01..2026-05-31"
    workbook = load_workbook(io.BytesIO(b"".join(client.get(f"/admin/lms/exports/{job.uuid}/download/")
                                                 .streaming_content)))
    assert [row[5] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == ["春季培训"]


def test_a_period_string_from_a_link_or_script_still_works(client):
    client.force_login(user_in(roles.HR))
    client.post("/admin/lms/exports/", {"kind": "archive", "period": "2026-Q3"})
    assert ExportJob.objects.get().filters["period"] == "2026-Q3"


def test_the_one_click_periods():
    import datetime as dt

    from lms.archive.forms import quick_periods

    periods = {str(label): (first, last) for label, first, last in quick_periods(dt.date(2026, 5, 20))}
    assert periods["This month"] == (dt.date(2026, 5, 1), dt.date(2026, 5, 20))
    assert periods["Last month"] == (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert periods["This quarter"] == (dt.date(2026, 4, 1), dt.date(2026, 5, 20))
    assert periods["Last quarter"] == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert periods["Last year"] == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    january = {str(label): (first, last) for label, first, last in quick_periods(dt.date(2026, 1, 5))}
    assert january["Last month"] == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert january["Last quarter"] == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


def test_a_manager_exports_only_the_team(client, django_capture_on_commit_callbacks):
    manager = person_in(roles.MANAGER)
    record_for(PersonFactory(manager=manager), title="组员")
    outsider = PersonFactory()
    record_for(outsider, title="外人")
    client.force_login(manager.user)
    # A person outside the team cannot even be chosen.
    response = client.post("/admin/lms/exports/", {"kind": "person", "person": outsider.pk})
    assert response.status_code == 200 and ExportJob.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/lms/exports/", {"kind": "archive"})
    job = ExportJob.objects.get()
    workbook = load_workbook(job.file.open("rb"))
    assert [row[5] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == ["组员"]


def test_learners_have_no_exports(client):
    client.force_login(PersonFactory().user)
    assert client.get("/admin/lms/exports/").status_code in (302, 403)


def test_person_file_job(client, django_capture_on_commit_callbacks):
    person = PersonFactory(name="刘专员")
    record_for(person, kind="drill_tabletop", title="桌面演练")
    client.force_login(user_in(roles.HR))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/lms/exports/", {"kind": "person", "person": person.pk})
    job = ExportJob.objects.get()
    assert job.status == "done"
    workbook = load_workbook(job.file.open("rb"))
    assert workbook["Drills"]["C2"].value == "桌面演练"


def test_the_command_exports_with_filters_and_a_progress_bar(tmp_path, capsys):
    ops = DepartmentFactory(code="ops")
    person = PersonFactory(department=ops, employee_number="E0007")
    record_for(person, kind="internal", title="内部培训")
    record_for(person, kind="external", title="外部培训")
    record_for(PersonFactory(), kind="internal", title="别人")
    out = tmp_path / "archive.xlsx"
    call_command("lms_export", "archive", "--department", "ops", "--kind", "internal", "--out", str(out))
    captured = capsys.readouterr()
    assert "100%" in captured.err and "1 rows written" in captured.out
    rows = list(load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    assert [r[5] for r in rows] == ["内部培训"]

    out = tmp_path / "person.xlsx"
    call_command("lms_export", "person", "--person", "E0007", "--out", str(out), "--language", "zh-hans")
    assert load_workbook(out).sheetnames[0] == "概要"
    with pytest.raises(CommandError):
        call_command("lms_export", "person", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("lms_export", "archive", "--period", "soon", "--out", str(out))


def test_the_page_refreshes_while_a_job_is_running(client):
    client.force_login(user_in(roles.HR))
    client.post("/admin/lms/exports/", {"kind": "archive"})  # the task is queued on commit, which never comes here
    job = ExportJob.objects.get()
    assert job.status == "pending"
    ExportJob.objects.filter(pk=job.pk).update(status="running", rows_done=500, rows_total=1000)
    page = client.get("/admin/lms/exports/").content.decode()
    assert 'http-equiv="refresh"' in page and 'value="50"' in page and "500 / 1000" in page


def test_the_archive_list_offers_the_streaming_export_with_its_filters(client):
    ops = DepartmentFactory()
    record_for(PersonFactory(department=ops))
    client.force_login(user_in(roles.HR))
    page = client.get(f"/admin/lms/archive/?kind=exam&department={ops.pk}").content.decode()
    assert f"/admin/lms/exports/?kind=exam&amp;department={ops.pk}" in page
    form = client.get(f"/admin/lms/exports/?kind=exam&department={ops.pk}").context["form"]
    assert form.initial == {"kinds": ["exam"], "department": str(ops.pk)}


@pytest.mark.parametrize(("forced", "language"), [("", "zh-hans"), ("en", "en")])
def test_the_export_language_follows_the_requester_unless_the_site_forces_one(
    client, settings, django_capture_on_commit_callbacks, forced, language
):
    """HR works in the site's Chinese; LMS_EXPORT_LANGUAGE = "en" gives an English workbook all the same."""
    from django.utils import translation

    settings.LMS_EXPORT_LANGUAGE = forced
    ops = DepartmentFactory(name="运营部")
    record_for(PersonFactory(department=ops), title="安全培训")
    from wagtail.users.models import UserProfile

    hr = user_in(roles.HR)
    UserProfile.objects.update_or_create(user=hr, defaults={"preferred_language": "zh-hans"})
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/lms/exports/", {"kind": "archive", "department": ops.pk, "period": ""})
    job = ExportJob.objects.get()
    assert job.language == language
    response = client.get(f"/admin/lms/exports/{job.uuid}/download/")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    headers = next(workbook.active.iter_rows(max_row=1, values_only=True))
    with translation.override(language):
        assert translation.gettext("Place") in headers, headers
    with translation.override("en" if language != "en" else "zh-hans"):
        assert translation.gettext("Place") not in headers
