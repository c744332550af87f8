"""Training requirements demo data: requirements by department, position and area chosen so that the training
matrix shows every status for the demo people, and an expired certificate for 孙安全 (``security``). Idempotent.

What the matrix shows (today):
- 刘专员 (specialist): 安全上岗资格 done; 应急处置合格 due soon (expires in 14 days); 保密上岗资格 done (area 运营区域)
- 陈新 (newhire, hired 12 days ago): 运营业务技能合格 due soon (due in 2 days); 安全上岗资格 missing (due in 18 days)
- 赵经理 (manager, never certified): 安全上岗资格 overdue
- 孙安全 (security): 保密上岗资格 expired (certificate issued 400 days ago, valid 365)
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import Certificate, Certification
from exams.localization import sources
from lms.people.models import Department, Position
from lms.requirements.models import Area
from lms.requirements.services import requirement_create

# (certification code, scope, scope code, due within days)
REQUIREMENTS = [
    ("security", "department", "ops", 30),
    ("skills", "position", "ops-specialist", 14),
    ("emergency", "position", "ops-specialist", 30),
    ("confidentiality", "department", "security", 60),
    ("confidentiality", "area", "ops", 30),
    ("emergency", "area", "server-room", 30),
]
SCOPES = {"department": Department, "position": Position, "area": Area}


def load(out) -> None:
    certifications = {c.code: c for c in sources(Certification.objects.all())}
    if not certifications:
        out.write("  requirements: skipped (certificates demo data missing)")
        return
    applies_from = timezone.localdate() - timedelta(days=365)
    for code, scope, scope_code, days in REQUIREMENTS:
        target = sources(SCOPES[scope].objects.filter(code=scope_code)).first()
        certification = certifications.get(code)
        if target is None or certification is None:
            continue
        requirement_create(
            certification=certification, due_within_days=days, applies_from=applies_from, **{scope: target}
        )

    security = get_user_model().objects.filter(username="security").first()
    confidentiality = certifications.get("confidentiality")
    if (
        security is not None
        and confidentiality is not None
        and not Certificate.objects.filter(user=security, certification=confidentiality).exists()
    ):
        at = timezone.now() - timedelta(days=400)
        certificate_services.certificate_issue(user=security, certification=confidentiality, completed_at=at, now=at)
    out.write(f"  requirements: {len(REQUIREMENTS)} training requirements; the matrix shows every status")
