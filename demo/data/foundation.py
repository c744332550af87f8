"""Foundation demo data: departments, positions, one user per role, the four policy courses, the
induction program 新员工入职培训, and one new hire part-way through it. Built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Locale, Site

from courses import services as course_services
from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.pages import Page  # the base page the site uses (WAGTAIL_PAGE_MODEL)
from demo.data import CONTENT_LANGUAGE
from demo.data.content import COURSES
from demo.data.names import source
from lms import roles
from lms.people import services as lms_services
from lms.people.models import Department, InductionProgram, InductionProgramCourse, Person, Position

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  (printed by `make run`; demo only)

DEMO_USERS = [
    {"username": "admin", "role": "superuser", "name": "系统管理员", "number": "A0001", "note": "everything"},
    {"username": "trainer", "role": roles.TRAINER, "name": "李培训", "number": "T0001",
     "note": "authors courses in /admin/; proctors the exam room: start code at /admin/exams/proctor/"},
    {"username": "trainer2", "role": roles.TRAINER, "name": "吴培训", "number": "T0002",
     "note": "second trainer: confirms grades (two-person rule) and approves exam content"},
    {"username": "hr", "role": roles.HR, "name": "王人事", "number": "H0001", "note": "people, programs, exports"},
    {"username": "manager", "role": roles.MANAGER, "name": "赵经理", "number": "M0001",
     "note": "manages the operations team"},
    {"username": "security", "role": roles.SECURITY_OFFICER, "name": "孙安全", "number": "S0001",
     "note": "areas and permits"},
    {"username": "auditor", "role": roles.AUDITOR, "name": "周审计", "number": "U0001", "note": "read-only"},
    {"username": "newhire", "role": roles.LEARNER, "name": "陈新", "number": "E1001",
     "note": "new hire, part-way through the induction"},
    {"username": "specialist", "role": roles.LEARNER, "name": "刘专员", "number": "E0901",
     "note": "operations specialist, induction done"},
]


def load(out) -> None:
    ops, _ = source(Department, code="ops", names={"zh-hans": "运营部", "en": "Operations"})
    hr_dept, _ = source(Department, code="hr", names={"zh-hans": "人力资源部", "en": "Human Resources"})
    sec_dept, _ = source(Department, code="security", names={"zh-hans": "安全保卫部", "en": "Security"})
    specialist, _ = source(Position, code="ops-specialist",
                           names={"zh-hans": "运营专员", "en": "Operations Specialist"})
    supervisor, _ = source(Position, code="ops-supervisor",
                           names={"zh-hans": "运营主管", "en": "Operations Supervisor"})
    manager_pos, _ = source(Position, code="ops-manager", names={"zh-hans": "运营经理", "en": "Operations Manager"})
    trainer_pos, _ = source(Position, code="trainer", names={"zh-hans": "培训师", "en": "Trainer"})

    courses = _courses()
    program = _induction_program(courses, positions=[specialist, supervisor])

    today = timezone.localdate()
    placement = {
        "admin": (None, None, 900),
        "trainer": (hr_dept, trainer_pos, 700),
        "trainer2": (hr_dept, trainer_pos, 500),
        "hr": (hr_dept, None, 800),
        "manager": (ops, manager_pos, 1200),
        "security": (sec_dept, None, 1000),
        "auditor": (None, None, 600),
        "specialist": (ops, specialist, 400),
        "newhire": (ops, specialist, 12),
    }
    people: dict[str, Person] = {}
    for spec in DEMO_USERS:
        department, position, days_ago = placement[spec["username"]]
        people[spec["username"]] = _person(
            spec,
            department=department,
            position=position,
            hire_date=today - dt.timedelta(days=days_ago),
            manager=people.get("manager") if spec["username"] in ("newhire", "specialist") else None,
        )

    _progress(people["specialist"].user, courses, lessons_per_course=None)
    _progress(people["newhire"].user, courses[:2], lessons_per_course={0: 2, 1: 1})
    out.write(f"  foundation: {len(courses)} courses, program “{program.name}”, {len(people)} demo users")


def _courses() -> list[CoursePage]:
    site = Site.objects.get(is_default_site=True)
    index = CourseIndexPage.objects.first()
    if index is None:
        root = Page.get_first_root_node()
        index = CourseIndexPage(
            locale=Locale.objects.get_or_create(language_code=CONTENT_LANGUAGE)[0],  # its pages are Chinese
            title="运营岗位培训中心",
            slug="training",
            intro="<p>安全、保密、业务技能与应急培训课程。新员工请先完成“新员工入职培训”。</p>",
        )
        root.add_child(instance=index)
        index.save_revision().publish()
        old_root = site.root_page
        site.root_page = index
        site.save()
        if old_root.depth == 2 and old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
    result = []
    for spec in COURSES:
        course = CoursePage.objects.filter(slug=spec["slug"]).first()
        if course is None:
            course = CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                category=spec["category"],
                summary=spec["summary"],
                estimated_hours=Decimal(spec["hours"]),
            )
            index.add_child(instance=course)
            course.save_revision().publish()
        for slug, title, minutes, body in spec["lessons"]:
            if not LessonPage.objects.child_of(course).filter(slug=slug).exists():
                lesson = LessonPage(title=title, slug=slug, estimated_minutes=minutes, body=body)
                course.add_child(instance=lesson)
                lesson.save_revision().publish()
        result.append(CoursePage.objects.get(pk=course.pk))
    return result


def _induction_program(courses: list[CoursePage], positions: list[Position]) -> InductionProgram:
    program, created = InductionProgram.objects.get_or_create(
        name="新员工入职培训",
        defaults={
            "description": "运营岗位新员工在入职 30 天内完成安全、保密、业务技能和应急四门课程。",
            "due_days": 30,
        },
    )
    if created:
        program.positions.set(positions)
    for i, course in enumerate(courses):
        InductionProgramCourse.objects.get_or_create(program=program, course=course, defaults={"sort_order": i})
    return program


def _person(spec: dict, *, department, position, hire_date, manager) -> Person:
    existing = Person.objects.filter(user__username=spec["username"]).first()
    if existing:
        return existing
    role = spec["role"]
    person = lms_services.person_create(
        username=spec["username"],
        email=f"{spec['username']}@example.com",
        password=DEMO_PASSWORD,
        employee_number=spec["number"],
        name=spec["name"],
        department=department,
        position=position,
        manager=manager,
        hire_date=hire_date,
        status=Person.Status.ONBOARDING if spec["username"] == "newhire" else Person.Status.ACTIVE,
        groups=[] if role in ("superuser", roles.LEARNER) else [role],
    )
    if role == "superuser":
        user = person.user
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return person


def _progress(user, courses: list[CoursePage], lessons_per_course: dict[int, int] | None) -> None:
    for i, course in enumerate(courses):
        course_services.enrollment_create(user=user, course=course, source="induction")
        lessons = list(course.lessons())
        count = len(lessons) if lessons_per_course is None else lessons_per_course.get(i, 0)
        for lesson in lessons[:count]:
            course_services.lesson_complete(user=user, lesson=lesson)


