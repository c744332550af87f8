"""``manage.py scorm_import``: imports each file, reports refusals with the entry and the rule, exits with an error
when any was refused, and adds a version with ``--activity``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from courses.scorm.models import ScormActivity, ScormPackage
from tests.courses.scorm.packages import MULTI_12, package, stored_files
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("scorm_import", *map(str, args), stdout=out)
    return out.getvalue()


def test_imports_a_package(tmp_path):
    path = tmp_path / "fire.zip"
    path.write_bytes(package(MULTI_12, title="起重作业"))
    uploader = UserFactory(username="trainer-cli")
    out = run(path, "--user", "trainer-cli", "--trust")
    activity = ScormActivity.objects.get()
    assert f"{path}: imported as activity {activity.pk} “起重作业”, version 1 (SCORM 1.2, 3 item(s))" in out
    assert (activity.claim_policy, activity.uploaded_by, activity.current.package_name) == ("trust", uploader,
                                                                                           "fire.zip")


def test_refuses_with_the_entry_and_the_rule_and_exits_with_an_error(tmp_path):
    good, slip, bad = tmp_path / "good.zip", tmp_path / "slip.zip", tmp_path / "bad.zip"
    good.write_bytes(package())
    slip.write_bytes(package(extra={"../evil.html": b"x"}))
    bad.write_bytes(b"not a zip")
    before = stored_files()
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError, match="3 of 4 package"):
        call_command("scorm_import", str(good), str(slip), str(bad), str(tmp_path / "missing.zip"), stdout=out)
    text = out.getvalue()
    assert f"{good}: imported as activity" in text
    assert f"{slip}: refused: ../evil.html: the path leaves the package" in text
    assert f"{bad}: refused: bad.zip: not a ZIP archive" in text
    assert f"{tmp_path / 'missing.zip'}: refused: missing.zip: not a file" in text
    assert ScormActivity.objects.count() == 1 and ScormPackage.objects.count() == 1
    assert len(stored_files() - before) == ScormPackage.objects.get().file_count


def test_a_wrong_extension_is_refused(tmp_path):
    path = tmp_path / "course.rar"
    path.write_bytes(package())
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("scorm_import", str(path))
    assert not ScormActivity.objects.exists()


def test_activity_makes_a_new_version(tmp_path):
    first, second = tmp_path / "v1.zip", tmp_path / "v2.zip"
    first.write_bytes(package(title="版本一"))
    second.write_bytes(package(title="版本二"))
    run(first)
    activity = ScormActivity.objects.get()
    out = run(second, "--activity", activity.pk)
    assert f"imported as activity {activity.pk} “版本一”, version 2" in out
    activity.refresh_from_db()
    assert (activity.current.number, activity.current.package_name, activity.versions.count()) == (2, "v2.zip", 2)
    assert ScormActivity.objects.count() == 1


def test_an_unknown_activity_or_user_stops_before_importing(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(package())
    with pytest.raises(CommandError, match="no SCORM activity 999"):
        run(path, "--activity", 999)
    with pytest.raises(CommandError, match="no user 'nobody'"):
        run(path, "--user", "nobody")
    assert not ScormActivity.objects.exists()
