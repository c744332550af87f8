"""The training matrix admin screen (what HR and a manager see), its export job, the requirement snippets and
"My learning"."""

import io

import pytest
from openpyxl import load_workbook

from lms import roles
from lms.archive.models import ExportJob
from lms.requirements.models import TrainingRequirement
from tests.certificates.factories import CertificationFactory
from tests.factories import DepartmentFactory, PositionFactory
from tests.lms.factories import matrix_world, person_in, user_in

pytestmark = pytest.mark.django_db
URL = "/admin/lms/matrix/"


def test_hr_sees_everyone_with_labels_colours_and_forecast(client):
    matrix_world()
    client.force_login(user_in(roles.HR))
    html = client.get(URL).content.decode()
    for name in ("已完成", "将到期", "已过期", "已逾期", "将到期限", "未取得", "别的岗位"):
        assert name in html
    # Colour and a text label in the same cell (not colour only).
    assert 'class="lms-status lms-status-overdue" data-status="overdue">Overdue<small>due ' in html
    assert 'data-status="expired">Expired<small>expired on ' in html
    assert 'data-status="done">Done<small>valid until ' in html
    assert 'data-status="missing">Missing' in html and 'data-status="due_soon">Due soon' in html
    forecast = html.split('data-testid="forecast-30"')[1].split("</section>")[0]
    assert "将到期" in forecast and "expires on" in forecast and "comes due on" in forecast
    assert "已完成" not in forecast
    assert "Export the matrix to Excel" in html


def test_filters_by_status_and_position(client):
    __, __, people = matrix_world()
    client.force_login(user_in(roles.HR))
    html = client.get(URL, {"status": "expired"}).content.decode()
    table = html.split('data-testid="matrix"')[1].split("</table>")[0]
    assert "已过期" in table and "已完成" not in table
    other = PositionFactory(name="别的")
    html = client.get(URL, {"position": other.pk}).content.decode()
    assert "Nobody to show." in html


def test_a_manager_sees_only_their_team(client):
    manager = person_in(roles.MANAGER, name="赵经理")
    matrix_world(manager=manager)
    client.force_login(manager.user)
    response = client.get(URL)
    assert response.status_code == 200
    table = response.content.decode().split('data-testid="matrix"')[1].split("</table>")[0]
    assert "已逾期" in table and "未取得" in table
    for outsider in ("已完成", "将到期", "已过期", "别的岗位"):
        assert outsider not in table


@pytest.mark.parametrize("role", [roles.LEARNER, roles.TRAINER])
def test_others_cannot_open_the_screen(client, role):
    client.force_login(person_in(role).user)
    assert client.get(URL).status_code in (302, 403)


def test_export_runs_as_a_job_and_only_the_requester_downloads_it(client, django_capture_on_commit_callbacks):
    manager = person_in(roles.MANAGER)
    matrix_world(manager=manager)
    client.force_login(manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}export/", {"status": ""})
    assert response.status_code == 302
    job = ExportJob.objects.get(kind="matrix")
    assert (job.status, job.rows_done, job.rows_total) == ("done", 3, 3)  # the manager and two reports
    download = f"{URL}export/{job.uuid}/"
    assert download in client.get(URL).content.decode()
    workbook = load_workbook(io.BytesIO(b"".join(client.get(download).streaming_content)))
    names = sorted(row[1] for row in workbook["Training matrix"].iter_rows(min_row=2, values_only=True))
    assert names == sorted([manager.name, "已逾期", "未取得"])
    client.force_login(user_in(roles.HR))
    assert client.get(download).status_code == 404


def test_a_bad_status_starts_no_export(client):
    client.force_login(user_in(roles.HR))
    client.post(f"{URL}export/", {"status": "cheerful"})
    assert not ExportJob.objects.exists()


def test_hr_adds_a_requirement_and_a_double_scope_is_refused(client):
    certification = CertificationFactory()
    position = PositionFactory()
    client.force_login(user_in(roles.HR))
    add = "/admin/snippets/lms/trainingrequirement/add/"
    form = {"certification": certification.pk, "due_within_days": 30, "applies_from": "2026-01-01"}
    response = client.post(add, {**form, "position": position.pk, "department": DepartmentFactory().pk})
    assert response.status_code == 200
    assert "Choose exactly one of position, department or area." in response.content.decode()
    assert not TrainingRequirement.objects.exists()
    response = client.post(add, {**form, "position": position.pk})
    assert response.status_code == 302
    assert TrainingRequirement.objects.get().position == position
    listing = client.get("/admin/snippets/lms/trainingrequirement/").content.decode()
    assert certification.name in listing and position.name in listing and "Required for" in listing


def test_my_learning_shows_my_requirements(client):
    __, __, people = matrix_world()
    client.force_login(people["overdue"].user)
    html = client.get("/my/").content.decode()
    section = html.split('data-testid="my-requirements"')[1].split("</section>")[0]
    assert "安全上岗资格" in section and "运营专员" in section and "Overdue" in section


@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        (roles.HR, ["lms_requirements.add_trainingrequirement", "lms_requirements.view_trainingmatrix",
         "lms_requirements.view_all_trainingmatrix"], []),
        (roles.TRAINER, ["lms_requirements.add_trainingrequirement", "lms_requirements.change_trainingrequirement"],
         ["lms_requirements.view_trainingmatrix"]),
        (
            roles.MANAGER,
            ["lms_requirements.view_trainingmatrix", "lms_requirements.view_trainingrequirement"],
            ["lms_requirements.view_all_trainingmatrix", "lms_requirements.change_trainingrequirement"],
        ),
        (
            roles.SECURITY_OFFICER,
            ["lms_requirements.view_trainingmatrix", "lms_requirements.view_all_trainingmatrix"],
            ["lms_requirements.change_trainingrequirement"],
        ),
        (roles.AUDITOR, ["lms_requirements.view_trainingmatrix", "lms_requirements.view_all_trainingmatrix"],
         ["lms_requirements.add_trainingrequirement"]),
        (roles.LEARNER, [], ["lms_requirements.view_trainingmatrix", "lms_requirements.view_trainingrequirement"]),
    ],
)
def test_role_matrix_for_requirements(role, allowed, denied):
    user = user_in(role)
    for perm in allowed:
        assert user.has_perm(perm), f"{role} should have {perm}"
    for perm in denied:
        assert not user.has_perm(perm), f"{role} must not have {perm}"


def test_the_forecast_lists_each_person_and_certification_once(client):
    """Two requirements (the position's and the department's) ask 未取得 for the same certification, and the
    30/60/90-day lists no longer repeat the people of the shorter ones."""
    from lms.people.services import person_update
    from tests.lms.factories import requirement_for

    certification, __, people = matrix_world()
    department = DepartmentFactory(name="运营部")
    requirement_for(certification, department=department, days=30)
    for key in ("missing", "due_soon"):
        person_update(person=people[key], department=department)
    client.force_login(user_in(roles.HR))
    html = client.get(URL).content.decode()
    forecast = html.split("Forecast: who falls out of compliance")[1].split('id="exports"')[0]
    for name in ("将到期", "将到期限", "未取得"):
        assert forecast.count(f"{name} (") == 1, name
    assert "Within 30 days (3)" in forecast
    assert "In 31 to 60 days (0)" in forecast and "In 61 to 90 days (0)" in forecast
