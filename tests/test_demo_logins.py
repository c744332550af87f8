"""`make run` prints the demo logins with the address it really serves on (PORT=8123 make run)."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[1]


def logins(**options) -> str:
    """What ``lms_demo_logins`` prints."""
    out = io.StringIO()
    call_command("lms_demo_logins", stdout=out, **options)
    return out.getvalue()


def test_logins_name_the_address_make_run_serves_on():
    text = logins(base_url="http://127.0.0.1:8123/")
    assert "http://127.0.0.1:8123/admin/" in text
    assert "http://127.0.0.1:8123/api/permits/decide/" in text
    assert ":8000" not in text


def test_the_logins_list_two_trainers_so_a_second_grader_can_confirm():
    text = logins()
    assert "trainer " in text and "trainer2" in text and "吴培训" in text


def test_every_address_is_printed_as_the_one_a_browser_here_opens():
    text = logins(base_url="http://0.0.0.0:8123")
    assert "Demo site: http://127.0.0.1:8123/   admin: http://127.0.0.1:8123/admin/" in text
    assert "served on every address of this computer (0.0.0.0)" in text
    assert "http://0.0.0.0" not in text


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_and_prints_the_address_and_port_it_is_given():
    """`ADDR=0.0.0.0 PORT=8123 make run` (dry run: nothing is executed) serves there, and the logins it prints
    name the same address."""
    plan = subprocess.run([shutil.which("make"), "-n", "run", "ADDR=0.0.0.0", "PORT=8123"], cwd=REPO,
                          capture_output=True, text=True, check=True, timeout=60).stdout
    assert "manage.py lms_demo_logins --base-url http://0.0.0.0:8123" in plan
    assert "manage.py runserver 0.0.0.0:8123" in plan
    assert ":8000" not in plan
