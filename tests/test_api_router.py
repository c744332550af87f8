"""Walks the /api/ router: every list route is paginated and filterable, and says so in the schema."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.mixins import ListModelMixin
from rest_framework.test import APIClient

from lms import roles
from tests.factories import EnrollmentFactory
from tests.lms.factories import user_in
from tests.urlwalk import routes

pytestmark = pytest.mark.django_db


def list_routes():
    found = []
    for route in routes():
        cls = route.view_class
        if not route.route.startswith("api/") or cls is None:
            continue
        actions = getattr(route.callback, "actions", None)
        is_list = actions.get("get") == "list" if actions else issubclass(cls, ListModelMixin)
        if is_list:
            found.append(("/" + route.route.replace("^", "").replace("$", ""), cls))
    return found


def test_the_walk_finds_the_lists():
    paths = {path for path, _cls in list_routes()}
    assert {"/api/enrollments/", "/api/certificates/", "/api/h5p/results/", "/api/archive/records/"} <= paths


def test_every_list_is_paginated_and_filterable():
    user = user_in(roles.HR)
    EnrollmentFactory(user=user)
    api = APIClient()
    api.force_authenticate(user)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, cls in list_routes():
        assert cls().paginator is not None, f"{path}: no pagination"
        body = api.get(path).json()
        assert set(body) == {"count", "next", "previous", "results"}, path
        parameters = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
        assert "page" in parameters, f"{path}: pagination not in the schema"
        assert parameters - {"page"}, f"{path}: no filters"


def test_a_filter_filters_and_a_bad_value_is_a_clear_400():
    mine = EnrollmentFactory()
    EnrollmentFactory(user=mine.user)
    api = APIClient()
    api.force_authenticate(mine.user)
    assert [e["id"] for e in api.get("/api/enrollments/", {"course": mine.course_id}).json()["results"]] == [mine.pk]
    assert api.get("/api/enrollments/", {"course": "x"}).json()["error"]["fields"] == {
        "course": ["“x” is not a valid value."]
    }
    assert api.get("/api/enrollments/", {"source": "nope"}).status_code == 400
