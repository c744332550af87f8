"""Certificates demo data: a zh-hans template, one certification per policy course (365 days), and the
certificates of 刘专员 (``specialist``), who finished every course; one of them expires in two weeks.
Built through the services, so PDFs and signed credentials exist. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateTemplate, Certification
from courses.models import CoursePage, Enrollment
from demo.data.names import source

CERTIFICATIONS = [
    # (course slug, certification code, name in Chinese, name in English)
    ("security", "security", "安全上岗资格", "Security clearance for duty"),
    ("confidentiality", "confidentiality", "保密上岗资格", "Confidentiality clearance for duty"),
    ("skills", "skills", "运营业务技能合格", "Operations skills qualified"),
    ("emergency", "emergency", "应急处置合格", "Emergency response qualified"),
]
EXPIRING_SOON = "emergency"  # issued 351 days ago: expires in 14 days


def load(out) -> None:
    template, _ = CertificateTemplate.objects.get_or_create(
        name="培训合格证书（中文）",
        defaults={
            "language": CertificateTemplate.Language.ZH_HANS,
            "title": "{certification}证书",
            "body": "兹证明 {name}（工号 {employee_number}）已完成“{course}”培训并考核合格，特发此证。",
            "signatories": [("signatory", {"name": "王人事", "title": "人力资源部"}),
                            ("signatory", {"name": "孙安全", "title": "安全保卫部"})],
        },
    )
    services.signing_key_current()
    certifications = {}
    for slug, code, chinese, english in CERTIFICATIONS:
        certification, created = source(
            Certification, code=code, names={"zh-hans": chinese, "en": english},
            validity_days=365, recertification_days=30, template=template,
        )
        course = CoursePage.objects.filter(slug=slug).first()
        if created and course is not None:
            certification.courses.add(course)
        certifications[slug] = (certification, course)

    specialist = get_user_model().objects.filter(username="specialist").first()
    issued = 0
    if specialist is not None:
        now = timezone.now()
        for slug, (certification, course) in certifications.items():
            if course is None or Certificate.objects.filter(user=specialist, certification=certification).exists():
                continue
            enrollment = Enrollment.objects.filter(user=specialist, course=course, completed_at__isnull=False).first()
            if enrollment is None:
                continue
            at = now - timedelta(days=351) if slug == EXPIRING_SOON else enrollment.completed_at
            services.certificate_issue(user=specialist, certification=certification, course=course,
                                       completed_at=at, score_percent=None, now=at)
            issued += 1
    out.write(f"  certificates: {len(certifications)} certifications, {issued} certificates issued")
