"""Run inside a fresh process with DJANGO_SETTINGS_MODULE=tests.host.settings: migrate a new database, then
publish a course under the host's home page, enrol a learner and read the pages back. Prints OK lines."""

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

call_command("migrate", verbosity=0)
print("OK migrate")  # noqa: T201

from wagtail.models import Site  # noqa: E402

from courses.models import CourseIndexPage, CoursePage, LessonPage  # noqa: E402
from courses.services import enrollment_create  # noqa: E402

assert Group.objects.filter(name="Trainer").exists()
home = Site.objects.get(is_default_site=True).root_page
index = home.add_child(instance=CourseIndexPage(title="Training", slug="training"))
course = index.add_child(instance=CoursePage(title="Security basics", slug="security"))
course.add_child(instance=LessonPage(title="Lesson one", slug="one", body=[("paragraph", "<p>Hello</p>")]))
user = get_user_model().objects.create_user("learner", password="pw")
enrollment_create(user=user, course=CoursePage.objects.get(pk=course.pk))
client = Client()
client.force_login(user)
page = client.get("/training/security/")
assert page.status_code == 200 and "Security basics" in page.content.decode(), page.status_code
assert client.get("/my/").status_code == 200
admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
client.force_login(admin)
assert client.get("/admin/").status_code == 200
assert client.get(f"/admin/pages/{index.pk}/").status_code == 200
from tests.host.hostcourses.models import Room  # noqa: E402

Room.objects.create(name="A101")
print("OK pages")  # noqa: T201

from django.conf import settings  # noqa: E402

if getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page") != "wagtailcore.Page":
    from django.apps import apps

    base = apps.get_model(settings.WAGTAIL_PAGE_MODEL)
    for model in (CourseIndexPage, CoursePage, LessonPage):
        assert issubclass(model, base), f"{model.__name__} does not build on {base.__name__}"
    stored = base.objects.get(pk=course.pk)  # the course is a row of the swapped base page too
    stored.importance = "high"  # a field only the site's base page has
    stored.save()
    assert CoursePage.objects.get(pk=course.pk).importance == "high"
    print("OK swapped page model")  # noqa: T201
