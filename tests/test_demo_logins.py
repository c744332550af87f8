"""`make run` prints the demo logins with the address it really serves on (PORT=8123 make run)."""

import io

from django.core.management import call_command


def test_logins_name_the_address_make_run_serves_on():
    out = io.StringIO()
    call_command("lms_demo_logins", base_url="http://127.0.0.1:8123/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/admin/" in text
    assert "http://127.0.0.1:8123/api/permits/decide/" in text
    assert ":8000" not in text


def test_the_logins_list_two_trainers_so_a_second_grader_can_confirm():
    out = io.StringIO()
    call_command("lms_demo_logins", stdout=out)
    text = out.getvalue()
    assert "trainer " in text and "trainer2" in text and "吴培训" in text
