"""Certifications, areas, departments and positions in two languages (docs/translation.md): records point at the
source (here in English, the tests' LANGUAGE_CODE), a Chinese reader reads the Chinese translation, a name
without one falls back to the source, and a translation is never a second area, department or certification."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from certificates.serializers import IssueInputSerializer
from exams.localization import sources
from lms.people.models import Department, Person
from lms.people.roster.services import roster_import, roster_template
from lms.permits import services
from lms.permits.forms import ControllerForm, PermitApplyForm
from lms.requirements.exports import matrix_export
from lms.requirements.models import Area, TrainingRequirement
from lms.requirements.selectors import matrix_for
from lms.requirements.services import requirement_create
from tests.factories import DepartmentFactory, PersonFactory, PositionFactory
from tests.lms.factories import issued_permit, permit_world

pytestmark = pytest.mark.django_db


def translate(obj, name: str, language: str = "zh-hans"):
    copy = obj.copy_for_translation(Locale.objects.get(language_code=language))
    copy.name = name
    copy.save()
    return copy


def reads(user, language: str) -> None:
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})


@pytest.fixture
def world():
    w = permit_world()
    w["area"].name = "Operations area"
    w["area"].save()
    w["certification"].name = "Security clearance"
    w["certification"].save()
    w["area_zh"] = translate(w["area"], "运营区域")
    w["certification_zh"] = translate(w["certification"], "安全上岗资格")
    return w


def test_my_permits_name_the_area_and_the_missing_certification_in_the_readers_language(client, world):
    issued_permit(world)  # no certificate yet: the certification is missing
    user = world["person"].user
    client.force_login(user)
    english = client.get("/my/permits/").content.decode()
    assert "<h2>Operations area</h2>" in english and "“Security clearance”" in english
    assert "运营区域" not in english and "安全上岗资格" not in english

    reads(user, "zh-hans")
    chinese = client.get("/my/permits/").content.decode()
    assert "<h2>运营区域</h2>" in chinese and "安全上岗资格" in chinese
    assert "Operations area" not in chinese and "Security clearance" not in chinese


def test_a_name_without_a_translation_falls_back_to_the_source(client, world):
    world["area_zh"].delete()
    issued_permit(world)
    user = world["person"].user
    reads(user, "zh-hans")
    client.force_login(user)
    html = client.get("/my/permits/").content.decode()
    assert "<h2>Operations area</h2>" in html and "安全上岗资格" in html


def test_the_door_finds_the_source_by_its_code_and_decides_on_it(world):
    from lms.permits.models import DecisionTally
    from tests.certificates.factories import issue

    assert world["area_zh"].code == world["area"].code == "ops"  # a translation carries the code
    issued_permit(world)
    issue(user=world["person"].user, certification=world["certification"])
    __, token = services.controller_create(name="一号门", areas=[world["area"]])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Controller {token}")
    body = client.post("/api/permits/decide/", {"subject": "B100", "area": "ops"}, format="json").json()
    assert body["allow"] is True
    assert set(DecisionTally.objects.values_list("area_id", flat=True)) == {world["area"].pk}


def test_forms_and_the_api_offer_and_accept_sources_only(world):
    assert world["area_zh"] not in PermitApplyForm().fields["area"].queryset
    assert world["area"] in PermitApplyForm().fields["area"].queryset
    assert list(ControllerForm().fields["areas"].queryset).count(world["area"]) == 1
    assert world["area_zh"] not in ControllerForm().fields["areas"].queryset
    user = world["person"].user.pk
    refused = IssueInputSerializer(data={"user": user, "certification": world["certification_zh"].pk})
    assert not refused.is_valid() and "certification" in refused.errors
    requirement = TrainingRequirement(certification=world["certification_zh"], area=world["area"])
    with pytest.raises(ValidationError) as refusal:
        requirement.full_clean()
    assert "certification" in refusal.value.message_dict
    TrainingRequirement(certification=world["certification"], area=world["area"]).full_clean()


def test_the_admin_offers_source_departments_only(client):
    from django.urls import reverse

    from lms import roles
    from tests.lms.factories import user_in

    department = DepartmentFactory(name="Operations", code="ops")
    translated = translate(department, "运营部")
    form = Person.snippet_viewset.get_edit_handler().get_form_class()()
    assert department in form.fields["department"].queryset
    assert translated not in form.fields["department"].queryset
    client.force_login(user_in(roles.HR))
    chooser = reverse(Department.snippet_viewset.chooser_viewset.get_url_name("choose"))
    html = client.get(chooser).content.decode()
    assert "Operations" in html and "运营部" not in html


def test_a_code_is_unique_per_language_only():
    department = DepartmentFactory(name="Operations", code="ops")
    translate(department, "运营部")  # same code, other locale: fine
    twin = Department(name="Operations 2", code="ops", locale=department.locale)
    with pytest.raises(ValidationError):
        twin.full_clean()


def test_the_matrix_and_its_export_count_each_certification_once_in_the_readers_language(world):
    position = PositionFactory(name="Operations specialist")
    translate(position, "运营专员")
    person = PersonFactory(position=position)
    requirement_create(certification=world["certification"], position=position, due_within_days=30)
    for language, certification, scope in (("en", "Security clearance", "Operations specialist"),
                                           ("zh-hans", "安全上岗资格", "运营专员")):
        with translation.override(language):
            matrix = matrix_for(Person.objects.filter(pk=person.pk))
            assert [(r.certification_name, r.scope_label) for r in matrix.requirements] == [(certification, scope)]
            assert matrix.position_of(person) == scope
            out = io.BytesIO()
            matrix_export(matrix=matrix, out=out)
        sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0]
        header, row = (list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True))
        assert header.count(f"{certification} ({scope})") == 1 and scope in row
    assert sources(Area.objects.all()).count() == 2 and Area.objects.count() == 3


def test_the_roster_lists_each_department_once_and_an_import_points_at_the_source():
    department = DepartmentFactory(name="Operations", code="ops")
    copy = translate(department, "运营部")
    with translation.override("zh-hans"):
        out = io.BytesIO()
        roster_template(out)
    codes = load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[-1]
    rows = [r for r in codes.iter_rows(min_row=2, values_only=True) if r[0]]
    assert [(r[0], r[1]) for r in rows] == [("ops", "运营部")]  # once, in the reader's language

    wb = Workbook()
    wb.active.append(["Employee number", "Name", "Username", "E-mail", "Department code", "Department name",
                      "Position code", "Position name", "Manager's employee number", "Hire date", "Status",
                      "Badge number"])
    wb.active.append(["E0101", "陈新", "chenxin", "", "ops", "", "", "", "", "2026-11-01", "", ""])
    upload = io.BytesIO()
    wb.save(upload)
    upload.seek(0)
    upload.name = "roster.xlsx"
    roster_import(upload)
    assert Person.objects.get(employee_number="E0101").department_id == department.pk != copy.pk
    assert Department.objects.count() == 2  # nothing created
