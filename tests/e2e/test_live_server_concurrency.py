"""The H5P player posts several statements at once (a question set's answers, its completion, the resume state).
The live server must answer every one of them, on SQLite as on PostgreSQL: issue #20, item 12 ("cannot release
savepoint - SQL statements in progress" when two requests shared the test's one in-memory SQLite connection).
No browser: plain HTTP from threads, bounded in count and time, to the test server on this machine only."""

from __future__ import annotations

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from courses import services as course_services
from courses.h5p.models import H5PStatement
from tests.factories import UserFactory, make_course
from tests.h5p.factories import import_sample, make_h5p_lesson

pytestmark = pytest.mark.django_db(transaction=True)
VERB = "http://adlnet.gov/expapi/verbs/"
THREADS, EACH = 6, 8



def test_concurrent_statements_are_all_recorded(live_server):
    activity = import_sample("truefalse")
    course = make_course(title="Concurrency", lessons=0, slug="concurrency")
    make_h5p_lesson(course=course, activities=[activity])
    user = UserFactory(username="learner-concurrent")
    course_services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    csrf = _get_new_csrf_string()
    url = live_server.url + reverse("lms_h5p_statement_create", args=[activity.pk])
    object_id = f"{live_server.url}/h5p/activities/{activity.pk}/"

    def post(n: int) -> tuple[int, str]:
        # half of them attempts (re-scored, a signal on commit), half interactions: both kinds of write at once
        verb, result = ("answered", {"score": {"raw": 1, "max": 1}, "response": "false"}) if n % 2 else (
            "interacted", None)
        body = json.dumps({"verb": {"id": VERB + verb}, "object": {"id": object_id},
                           **({"result": result} if result else {})}).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310  (local server)
            "Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": live_server.url + "/",
            "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        })
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, ""
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")[:300]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(post, range(THREADS * EACH)))

    assert [a for a in answers if a[0] != 201] == []
    assert H5PStatement.objects.filter(activity=activity, user=user).count() == THREADS * EACH
    assert H5PStatement.objects.filter(activity=activity, user=user, is_attempt=True).count() == THREADS * EACH // 2
