"""How the admin shows values (exams/admin_display.py): words for yes, no and nothing, times in the site's zone
(named on inspect pages), accounts by their person's name. No database."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import translation

from exams import admin_display
from exams.admin_display import export_value, text

AT = dt.datetime(2026, 12, 4, 6, 3, 5, tzinfo=dt.UTC)


def test_yes_no_and_nothing_are_words():
    assert (text(True), text(False), text(None), text("")) == ("Yes", "No", "—", "—")
    with translation.override("zh-hans"):
        assert (text(True), text(False)) == ("是", "否")


def test_times_are_in_the_sites_zone_and_named_where_they_are_evidence():
    assert text(AT) == "2026-12-04 14:03"
    assert text(AT, zone=True) == "2026-12-04 14:03:05 (Asia/Shanghai)"
    with override_settings(TIME_ZONE="Europe/Berlin"):
        assert text(AT, zone=True) == "2026-12-04 07:03:05 (Europe/Berlin)"
    assert text(dt.date(2026, 12, 4)) == "2026-12-04"


def test_exports_write_local_times_and_words():
    assert export_value(AT, "xlsx") == dt.datetime(2026, 12, 4, 14, 3, 5)
    assert export_value(AT, "csv") == "2026-12-04 14:03:05"
    assert (export_value(True, "csv"), export_value(None, "xlsx"), export_value(3, "csv")) == ("Yes", "", 3)


def test_accounts_are_named_by_their_person_with_the_username_as_a_detail():
    user = get_user_model()(username="zhangsan")
    before = admin_display._person_name
    try:
        admin_display.register_person_name(lambda u: "")
        assert text(user) == "zhangsan"
        admin_display.register_person_name(lambda u: "张三")
        assert text(user) == "张三 (zhangsan)"
    finally:
        admin_display._person_name = before


def test_json_fields_show_json_in_a_code_block_never_pythons_repr():
    from django.db import models
    from wagtail.admin.ui.fields import display_class_registry

    display = display_class_registry.get(models.JSONField())({"scos": [{"scorm_type": "sco", "ok": True}], "x": None})
    html = display.render_html()
    assert html.startswith("<pre") and "&quot;ok&quot;: true" in html and "&quot;x&quot;: null" in html
    assert "True" not in html and "None" not in html and "&#x27;" not in html
    assert display_class_registry.get(models.JSONField())(["a", "b"]).render_html() == "a, b"  # a list of words


def test_language_codes_show_as_the_languages_name():
    assert admin_display.language_name("zh-hans") == "Simplified Chinese"
    with translation.override("zh-hans"):
        assert admin_display.language_name("zh-hans") == "简体中文"
        assert admin_display.language_name("en") == "英语"
    assert (admin_display.language_name(""), admin_display.language_name("xx-nowhere")) == ("—", "xx-nowhere")
