"""Archive demo data: four offline sessions (an internal security training, an external training, a tabletop
and a live fire drill) with the demo users attending, and the archive rows of the course completions that the
foundation loader made (its signals were sent before the receiver existed, or not again on a re-run: the
backfill writes them through the same idempotent service)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from lms.archive.models import TrainingSession
from lms.archive.services import training_records_backfill_courses, training_session_create
from lms.people.models import Person

SESSIONS = [
    {
        "kind": "internal", "title": "安全管理培训（线下集中授课）", "days_ago": 20, "hours": "3.0",
        "organiser": "人力资源部", "trainer": "李培训", "place": "培训室 A", "scenario": "",
        "attendees": [("newhire", "", "合格"), ("specialist", "", "合格"), ("manager", "", "合格")],
        "evidence": ("security-training-sign-in.pdf", b"%PDF-1.4\n% demo sign-in sheet\n"),
    },
    {
        "kind": "external", "title": "消防安全管理人员培训（市消防协会）", "days_ago": 45, "hours": "16.0",
        "organiser": "市消防协会", "trainer": "", "place": "市消防培训中心", "scenario": "",
        "attendees": [("specialist", "", "取得结业证书"), ("security", "", "取得结业证书")],
        "evidence": None,
    },
    {
        "kind": "drill_tabletop", "title": "数据泄露应急预案桌面演练", "days_ago": 10, "hours": "2.0",
        "organiser": "运营部", "trainer": "赵经理", "place": "会议室 3",
        "scenario": "客户数据外泄，需在 1 小时内上报并处置",
        "attendees": [("manager", "指挥", "流程清晰"), ("specialist", "信息上报", "按时上报"),
                      ("newhire", "记录员", "记录完整")],
        "evidence": None,
    },
    {
        "kind": "drill_live", "title": "运营区火灾疏散实战演练", "days_ago": 5, "hours": "1.0",
        "organiser": "安全保卫部", "trainer": "孙安全", "place": "运营区 B1",
        "scenario": "运营区机房起火，全员疏散",
        "attendees": [("security", "现场指挥", "合格"), ("manager", "疏散引导员", "合格"),
                      ("specialist", "疏散人员", "3 分钟内撤离"), ("newhire", "疏散人员", "3 分钟内撤离")],
        "evidence": ("fire-drill-photos.pdf", b"%PDF-1.4\n% demo drill photos\n"),
    },
]


def load(out) -> None:
    people = {p.user.username: p for p in Person.objects.select_related("user")}
    created = 0
    for spec in SESSIONS:
        if TrainingSession.objects.filter(title=spec["title"]).exists():
            continue
        starts_at = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(
            days=spec["days_ago"]
        )
        session = training_session_create(
            kind=spec["kind"], title=spec["title"], starts_at=starts_at, hours=Decimal(spec["hours"]),
            organiser=spec["organiser"], trainer=spec["trainer"], place=spec["place"], scenario=spec["scenario"],
            recorded_by=people["trainer"].user if "trainer" in people else None,
            attendees=[
                {"person": people[username], "role": role, "outcome": outcome}
                for username, role, outcome in spec["attendees"]
                if username in people
            ],
        )
        if spec["evidence"]:
            name, content = spec["evidence"]
            session.evidence.save(name, ContentFile(content))
        created += 1
    completions = training_records_backfill_courses()
    out.write(f"  archive: {created} offline sessions added, {completions} course completions in the archive")
