"""The matrix API: HR everyone, a manager the team, anybody else their own row; /api/matrix/me/."""

import pytest
from rest_framework.test import APIClient

from lms import roles
from tests.lms.factories import matrix_world, person_in, user_in

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return sorted(r["name"] for r in response.json()["results"])


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_hr_sees_everyone_paginated_and_filtered():
    certification, requirement, people = matrix_world()
    api = api_for(user_in(roles.HR))
    body = api.get("/api/matrix/").json()
    assert body["count"] == 7
    row = next(r for r in body["results"] if r["name"] == "已逾期")
    assert row["is_compliant"] is False
    (cell,) = row["cells"]
    assert (cell["requirement"], cell["certification"], cell["status"], cell["status_label"]) == (
        requirement.pk,
        certification.pk,
        "overdue",
        "Overdue",
    )
    assert cell["scope"] == "position" and cell["scope_name"] == "运营专员"
    assert names(api.get("/api/matrix/", {"status": "expired"})) == ["已过期"]
    assert names(api.get("/api/matrix/", {"position": people["done"].position_id})) == sorted(
        ["已完成", "将到期", "已过期", "已逾期", "将到期限", "未取得"]
    )
    assert api.get("/api/matrix/", {"status": "sunny"}).status_code == 400
    assert api.get("/api/matrix/", {"department": "x"}).status_code == 400


def test_a_manager_sees_the_team_only():
    manager = person_in(roles.MANAGER, name="赵经理")
    matrix_world(manager=manager)
    assert names(api_for(manager.user).get("/api/matrix/")) == sorted(["赵经理", "已逾期", "未取得"])


def test_a_learner_sees_only_their_own_row_and_me():
    __, __, people = matrix_world()
    api = api_for(people["expired"].user)
    assert names(api.get("/api/matrix/")) == ["已过期"]
    me = api.get("/api/matrix/me/").json()
    assert me["name"] == "已过期" and me["cells"][0]["status"] == "expired" and me["cells"][0]["expired_at"]


def test_me_without_a_profile_is_404_and_anonymous_is_refused():
    assert api_for(user_in(roles.HR)).get("/api/matrix/me/").status_code == 404
    assert APIClient().get("/api/matrix/").status_code in (401, 403)


def test_the_api_query_count_does_not_grow_with_people():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PersonFactory

    __, __, people = matrix_world()
    api = api_for(user_in(roles.HR))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/matrix/").status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm up: the caller's permissions are cached on the user after the first request
    few = queries()
    for __ in range(8):
        PersonFactory(position=people["done"].position)
    assert queries() == few
