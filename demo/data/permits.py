"""Permits demo data: the operations area and its server-room zone, background checks, 刘专员's issued
permits (one of them relies on a certificate that expires in two weeks), 陈新's application waiting for
the background check, a door controller with a known demo token, an approved visit, and some door traffic
(allowed entries and denies, for the decision log and "Allowed entries"). Idempotent."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates.models import Certification
from demo.data.names import source
from exams.localization import sources
from lms.people.models import Person
from lms.permits import services, tally
from lms.permits.models import BackgroundCheck, Controller, Decision, DecisionTally, Permit, VisitorEntry
from lms.requirements.models import Area

DEMO_CONTROLLER_TOKEN = "demo-door-token-2026"  # noqa: S105  (demo only: printed by `make run`)


def load(out) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["hr", "security", "admin", "specialist", "newhire"])}
    people = {p.user.username: p for p in Person.objects.filter(user__in=users.values()).select_related("user")}
    if len(people) < 5 or not Certification.objects.exists():
        out.write("  permits: skipped (foundation or certificates demo data missing)")
        return
    certs = {c.code: c for c in sources(Certification.objects.all())}
    ops, created = source(
        Area, code="ops", names={"zh-hans": "运营区域", "en": "Operations area"}, owner=users["security"],
        texts={"description": {"zh-hans": "运营岗位封闭工作区，门禁控制进出。",
                               "en": "The closed work area of operations staff; doors control entry and exit."}})
    if created:
        ops.required_certifications.set([c for k, c in certs.items() if k in ("security", "confidentiality")])
    server_room, created = source(
        Area, code="server-room", names={"zh-hans": "机房", "en": "Server room"}, parent=ops, owner=users["security"],
        texts={"description": {"zh-hans": "运营区域内的机房，另需应急处置合格。",
                               "en": "The server room inside the operations area; it also needs emergency "
                                     "response qualification."}})
    if created:
        server_room.required_certifications.set(
            [c for k, c in certs.items() if k in ("security", "confidentiality", "emergency")])

    for username, badge in (("specialist", "B0901"), ("newhire", "B1001")):
        Person.objects.filter(pk=people[username].pk, badge_number="").update(badge_number=badge)

    specialist, newhire = people["specialist"], people["newhire"]
    if not BackgroundCheck.objects.filter(person=specialist).exists():
        services.background_check_record(person=specialist, result="passed", checked_by=users["hr"],
                                         notes="健康证明、无犯罪记录证明齐全。", consent_at=timezone.now())
    if not BackgroundCheck.objects.filter(person=newhire).exists():
        services.background_check_record(person=newhire, result="pending", checked_by=users["hr"],
                                         notes="等待无犯罪记录证明。", consent_at=timezone.now())
    for area in (ops, server_room):
        if not Permit.objects.filter(person=specialist, area=area).exists():
            permit = services.permit_apply(person=specialist, area=area, requested_by=users["hr"], reason="运营专员")
            services.permit_approve(permit=permit, approver=users["security"])
            services.permit_approve(permit=permit, approver=users["admin"])
            services.permit_issue(permit=permit, issued_by=users["security"])
    if not Permit.objects.filter(person=newhire, area=ops).exists():
        services.permit_apply(person=newhire, area=ops, requested_by=users["hr"], reason="新员工入职")

    if not Controller.objects.filter(name="运营区一号门").exists():
        controller, _token = services.controller_create(name="运营区一号门", areas=[ops, server_room])
        controller.token_hash = services.token_hash(DEMO_CONTROLLER_TOKEN)
        controller.token_prefix = DEMO_CONTROLLER_TOKEN[:8]
        controller.save(update_fields=["token_hash", "token_prefix"])

    if not VisitorEntry.objects.filter(name="周审计师").exists():
        tomorrow = timezone.localdate() + timedelta(days=1)
        start = timezone.make_aware(datetime.combine(tomorrow, time(10, 0)))
        visit = services.visitor_register(
            name="周审计师", organisation="外部审计机构", reason="封闭管理年度审计", area=ops, escort=specialist,
            entry_at=start, expected_departure_at=start + timedelta(hours=2), registered_by=users["hr"],
            badge_number="V0001",
        )
        services.visitor_decide(visit=visit, approve=True, decided_by=users["security"])
    controller = Controller.objects.get(name="运营区一号门")
    if not Decision.objects.exists() and not DecisionTally.objects.exists():
        # Door traffic through the real decision path: 刘专员 in and out, 陈新 (permit not issued yet) and an
        # unknown badge refused. Allowed entries are counted; the flush writes them and chains the denies.
        for subject, area in [("B0901", ops)] * 3 + [("B0901", server_room), ("B1001", ops), ("B9999", ops)]:
            services.decide(area=area, subject=subject, controller=controller)
        tally.flush()
    out.write("  permits: areas ops and server-room, 2 permits issued, 1 applied, a door controller and its traffic, "
              "1 visit")
