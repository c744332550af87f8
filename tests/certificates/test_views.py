"""Learner pages, PDF download, public verification (page and API), admin list and export."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from certificates import services
from tests.certificates.factories import CertificateTemplateFactory, CertificationFactory, issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def hr_user():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="HR"))
    return user


def test_my_certificates_lists_only_my_own_with_history(client):
    me, other = UserFactory(), UserFactory()
    certification = CertificationFactory(name="保密上岗证")
    first = issue(user=me, certification=certification, now=timezone.now() - timedelta(days=400))
    second = issue(user=me, certification=certification)
    theirs = issue(user=other, certification=CertificationFactory(name="他人的证书"))
    client.force_login(me)
    page = client.get(reverse("lms_certificates:mine")).content.decode()
    assert "保密上岗证" in page and first.number in page and second.number in page
    assert "他人的证书" not in page and theirs.number not in page


def test_someone_elses_certificate_and_pdf_are_404(client):
    certificate = issue()
    client.force_login(UserFactory())
    assert client.get(reverse("lms_certificates:detail", args=[certificate.pk])).status_code == 404
    assert client.get(reverse("lms_certificates:pdf", args=[certificate.pk])).status_code == 404


def test_anonymous_users_are_sent_to_login(client):
    certificate = issue()
    response = client.get(reverse("lms_certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_holder_downloads_a_pdf_that_names_them_in_chinese(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the company's language, which the holder never changed
    template = CertificateTemplateFactory(title="{certification}证书")
    certification = CertificationFactory(name="安全上岗证", template=template)
    user = UserFactory(first_name="刘专员")
    certificate = issue(user=user, certification=certification)
    client.force_login(user)
    response = client.get(reverse("lms_certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(b"".join(response.streaming_content))).pages)
    assert "刘专员" in text
    assert "安全上岗证证书" in text
    assert certificate.number in text


def test_hr_downloads_anyones_pdf(client):
    certificate = issue()
    client.force_login(hr_user())
    assert client.get(reverse("lms_certificates:pdf", args=[certificate.pk])).status_code == 200


def test_public_verification_masks_the_name_and_shows_dates(client):
    certificate = issue(user=UserFactory(first_name="刘专员"), certification=CertificationFactory(name="应急上岗证"))
    page = client.get(reverse("lms_certificates:verify", args=[certificate.code])).content.decode()
    assert "刘*员" in page and "刘专员" not in page
    assert "应急上岗证" in page and "genuine and valid" in page
    assert certificate.number in page


def test_public_verification_says_revoked_and_expired_plainly(client):
    revoked = issue()
    services.certificate_revoke(certificate=revoked, reason="违规")
    expired = issue(certification=CertificationFactory(validity_days=1), now=timezone.now() - timedelta(days=2))
    assert "REVOKED" in client.get(reverse("lms_certificates:verify", args=[revoked.code])).content.decode()
    assert "EXPIRED" in client.get(reverse("lms_certificates:verify", args=[expired.code])).content.decode()


def test_verification_accepts_typed_codes_and_unknown_codes_are_404(client):
    certificate = issue()
    typed = "-".join([certificate.code[:5], certificate.code[5:]]).lower()
    assert client.get(reverse("lms_certificates:verify", args=[typed])).status_code == 200
    assert client.get(reverse("lms_certificates:verify", args=["0" * 26])).status_code == 404
    assert client.get(reverse("lms_certificates:verify", args=["1"])).status_code == 404


def test_verification_is_rate_limited_per_client(client, settings):
    settings.LMS_CERTIFICATE_VERIFY_RATE = (3, 60)
    certificate = issue()
    codes = [certificate.code, "0" * 26, "1" * 26]
    statuses = [client.get(reverse("lms_certificates:verify", args=[c])).status_code for c in codes]
    assert statuses == [200, 404, 404]
    page = client.get(reverse("lms_certificates:verify", args=[certificate.code]))
    assert page.status_code == 429 and page["Retry-After"] == "60"
    assert "Too many verification requests." in page.content.decode()  # a page for people, not plain text
    api = client.get(reverse("lms_certificates_api:verify", args=[certificate.code]))
    assert api.status_code == 429 and api.json()["error"]["code"] == "throttled" and api["Retry-After"] == "60"
    other = client.get(reverse("lms_certificates:verify", args=[certificate.code]), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_verification_api_without_login(client):
    certificate = issue(user=UserFactory(first_name="刘专员"))
    data = client.get(reverse("lms_certificates_api:verify", args=[certificate.code])).json()
    assert data["holder"] == "刘*员" and data["status"] == "active" and data["number"] == certificate.number
    assert "employee_number" not in data
    assert client.get(reverse("lms_certificates_api:verify", args=["0" * 26])).status_code == 404


def test_api_lists_only_my_certificates(client):
    mine, theirs = issue(), issue()
    client.force_login(mine.user)
    results = client.get(reverse("lms_certificates_api:mine")).json()["results"]
    assert [r["number"] for r in results] == [mine.number]
    assert theirs.number not in str(results)


def test_hr_revokes_and_reissues_through_the_api_learners_cannot(client):
    certificate = issue()
    client.force_login(certificate.user)
    url = reverse("lms_certificates_api:revoke", args=[certificate.pk])
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 403
    client.force_login(hr_user())
    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(url, {"reason": "违规"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "revoked"


def test_hr_issues_by_hand_through_the_api(client):
    user, certification = UserFactory(), CertificationFactory()
    client.force_login(hr_user())
    url = reverse("lms_certificates_api:issue")
    first = client.post(url, {"user": user.pk, "certification": certification.pk}, content_type="application/json")
    second = client.post(url, {"user": user.pk, "certification": certification.pk}, content_type="application/json")
    assert first.status_code == 201 and first.json()["id"] == second.json()["id"]


def test_expiring_include_shows_what_is_expiring(client):
    from django.template import Context, Template
    from django.test import RequestFactory

    certificate = issue(certification=CertificationFactory(name="技能上岗证", validity_days=365),
                        now=timezone.now() - timedelta(days=350))
    issue(user=certificate.user, certification=CertificationFactory(name="长期有效证书"))
    request = RequestFactory().get("/my/")
    request.user = certificate.user
    html = Template("{% load lms_certificates %}{% expiring_certificates %}").render(Context({"request": request}))
    assert "技能上岗证" in html and "长期有效证书" not in html


def test_admin_list_filters_by_status_and_exports_xlsx(client):
    active = issue(certification=CertificationFactory(name="安全上岗证"))
    revoked = issue(certification=CertificationFactory(name="保密上岗证"))
    services.certificate_revoke(certificate=revoked, reason="违规")
    client.force_login(hr_user())
    index = reverse("lms_certificates_certificate:index")
    page = client.get(index, {"status": "revoked"}).content.decode()
    assert revoked.number in page and active.number not in page
    response = client.get(index, {"export": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["Sheet1"]
    rows = list(sheet.values)
    numbers = [row[4] for row in rows[1:]]
    assert sorted(numbers) == sorted([active.number, revoked.number])
    assert "Revoked" in [cell for row in rows for cell in row]


def test_admin_revoke_form(client):
    certificate = issue()
    client.force_login(hr_user())
    inspect = client.get(reverse("lms_certificates_certificate:inspect", args=[certificate.pk]))
    assert inspect.status_code == 200 and certificate.number in inspect.content.decode()
    url = reverse("lms_certificates_admin:revoke", args=[certificate.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200  # stays on the form
    assert client.post(url, {"reason": "违规"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "违规"


def test_admin_actions_need_the_permission(client):
    certificate = issue()
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(viewer)
    assert client.post(reverse("lms_certificates_admin:revoke", args=[certificate.pk]),
                       {"reason": "x"}).status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_template_preview_renders_in_the_admin(client):
    from django.contrib.auth import get_user_model

    template = CertificateTemplateFactory(title="预览证书")
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    url = reverse("wagtailsnippets_lms_certificates_certificatetemplate:preview_on_edit", args=[template.pk])
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    data = nested_form_data({
        "name": template.name, "language": "zh-hans", "page_size": "A4 landscape", "title": "预览证书",
        "body": "兹证明 {name} 完成 {course}", "logo": "",
        "signatories": streamfield([("signatory", {"name": "王人事", "title": "人力资源部"})]),
    })
    assert client.post(url, data).json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "预览证书" in html and "王人事" in html and "兹证明 刘专员 完成 安全管理培训" in html


def test_pages_speak_simplified_chinese(client):
    from django.utils import translation

    certificate = issue()
    with translation.override("zh-hans"):
        url = reverse("lms_certificates:verify", args=[certificate.code])
    client.cookies["django_language"] = "zh-hans"  # the language the visitor picked
    page = client.get(url).content.decode()
    assert "该证书真实有效。" in page and "有效期至" in page


def test_admin_add_goes_to_the_issue_form_which_issues_through_the_service(client):
    user, certification = UserFactory(username="liu"), CertificationFactory()
    client.force_login(hr_user())
    add = client.get(reverse("lms_certificates_certificate:add"))
    assert add.status_code == 302 and add["Location"] == reverse("lms_certificates_admin:issue")
    response = client.post(reverse("lms_certificates_admin:issue"),
                           {"username": "liu", "certification": certification.pk})
    assert response.status_code == 302
    assert user.lms_certificates.get().certification == certification
    missing = client.post(reverse("lms_certificates_admin:issue"),
                          {"username": "nobody", "certification": certification.pk})
    assert "No user has this username." in missing.content.decode()


def test_holder_sees_the_detail_with_history_and_downloads_the_credential(client):
    user, certification = UserFactory(), CertificationFactory(name="应急上岗证")
    first = issue(user=user, certification=certification, now=timezone.now() - timedelta(days=400))
    second = issue(user=user, certification=certification)
    client.force_login(user)
    page = client.get(reverse("lms_certificates:detail", args=[second.pk])).content.decode()
    assert first.number in page and second.number in page and "Expired" in page
    response = client.get(reverse("lms_certificates:credential", args=[second.pk]))
    assert response["Content-Type"] == "application/vc+jwt" and response.content.decode() == second.credential
    client.force_login(UserFactory())
    assert client.get(reverse("lms_certificates:credential", args=[second.pk])).status_code == 404


def test_hr_creates_a_certification_in_the_admin(client):
    from tests.factories import make_course

    course, template = make_course(title="安全管理培训", lessons=1), CertificateTemplateFactory()
    client.force_login(hr_user())
    snippets = "wagtailsnippets_lms_certificates_"
    for name in (f"{snippets}certification", f"{snippets}certificatetemplate"):
        assert client.get(reverse(f"{name}:list")).status_code == 200
        assert client.get(reverse(f"{name}:add")).status_code == 200
    response = client.post(reverse("wagtailsnippets_lms_certificates_certification:add"), {
        "name": "安全上岗资格", "code": "security", "courses": [course.pk], "validity_days": "365",
        "recertification_days": "30", "notice_days": "", "template": template.pk, "is_active": "on",
    })
    assert response.status_code == 302
    from certificates.models import Certification

    assert list(Certification.objects.get(code="security").courses.all()) == [course]


def test_admin_list_filters_by_the_holders_department(client):
    from tests.factories import DepartmentFactory, PersonFactory

    security, operations = DepartmentFactory(name="安保部"), DepartmentFactory(name="运营部")
    guard = PersonFactory(department=security, name="王保安")
    operator = PersonFactory(department=operations, name="李运营")
    certification = CertificationFactory(name="安全上岗证")
    in_security = issue(user=guard.user, certification=certification)
    in_operations = issue(user=operator.user, certification=certification)
    client.force_login(hr_user())
    index = reverse("lms_certificates_certificate:index")
    listing = client.get(index).content.decode()
    assert "安保部" in listing and "运营部" in listing  # the filter offers the departments
    page = client.get(index, {"department": security.pk}).content.decode()
    assert in_security.number in page and in_operations.number not in page


# --- A manager sees their direct reports' certificates (docs/roles.md), nobody else's -----------------------------


def manager_with_team():
    from tests.factories import PersonFactory

    boss = PersonFactory(name="赵经理")
    boss.user.groups.add(Group.objects.get(name="Manager"))
    report = PersonFactory(name="钱下属", manager=boss)
    stranger = PersonFactory(name="孙别人")
    certification = CertificationFactory(name="安全上岗证")
    return boss.user, issue(user=report.user, certification=certification), issue(user=stranger.user,
                                                                                  certification=certification)


def test_a_manager_sees_a_direct_reports_certificate_and_not_a_strangers(client):
    manager, theirs, strangers = manager_with_team()
    client.force_login(manager)
    assert client.get(reverse("lms_certificates:detail", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("lms_certificates:detail", args=[strangers.pk])).status_code == 404
    assert client.get(reverse("lms_certificates:pdf", args=[strangers.pk])).status_code == 404


def test_the_admin_list_and_inspect_are_scoped_to_the_managers_team(client):
    manager, theirs, strangers = manager_with_team()
    client.force_login(manager)
    listing = client.get(reverse("lms_certificates_certificate:index")).content.decode()
    assert theirs.number in listing and strangers.number not in listing
    assert client.get(reverse("lms_certificates_certificate:inspect", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("lms_certificates_certificate:inspect", args=[strangers.pk])).status_code == 404


def test_without_the_sites_team_scope_a_manager_sees_only_their_own(client, settings):
    settings.LMS_CERTIFICATE_VISIBLE_USERS = ""
    manager, theirs, __ = manager_with_team()
    client.force_login(manager)
    assert client.get(reverse("lms_certificates:detail", args=[theirs.pk])).status_code == 404
