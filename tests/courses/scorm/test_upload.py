"""Installing SCORM packages: valid 1.2 and 2004 packages, versions, and a hostile corpus that is refused with the entry
and the rule, leaving no row, no stored file and no temporary directory behind."""

from __future__ import annotations

import io
import tempfile
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from courses.scorm import services
from courses.scorm.models import ScormActivity, ScormAttempt, ScormPackage, ScormScoState
from tests.courses.scorm.packages import (
    MULTI_12,
    PAGE,
    activity_from,
    encrypted,
    learner_for,
    manifest,
    package,
    package_files,
    stored_files,
    symlinked,
    with_entry,
    zip_bytes,
)
from tests.h5p.test_malicious_archives import _lying_sizes as lying_sizes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    """Temporary directories of this test only, so another run's packages cannot disturb the count."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("lms-scorm-*"))


def files_of(version: ScormPackage) -> set[str]:
    prefix = version.storage_path + "/"
    return {name.removeprefix(prefix) for name in stored_files() if name.startswith(prefix)}


# --- valid packages ----------------------------------------------------------------------------------------------


def test_a_scorm12_package_installs_as_a_new_activity(private_tmp):
    data = package([{"identifier": "SCO-1", "href": "index.html?lang=zh", "mastery": 80}],
                   extra={".hidden": b"x", "__MACOSX/._index.html": b"x", "_assets/logo.txt": b"logo",
                          "sub/.DS_Store": b"x"})
    before = stored_files()
    activity = activity_from(data, name="fire.zip")
    version = activity.current
    assert (activity.title, activity.grading_method, activity.claim_policy) == ("Fire Safety", "highest", "completion")
    assert (version.number, version.scorm_version, version.family, version.package_name) == (1, "1.2", "1.2",
                                                                                              "fire.zip")
    assert version.scos == [{
        "identifier": "SCO-1", "title": "SCO-1", "href": "index.html?lang=zh", "path": "index.html",
        "scorm_type": "sco", "mastery_score": "80.00", "time_limit_action": "", "max_time_allowed": "",
        "launch_data": "",
    }]
    assert version.manifest["toc"] == [[0, "SCO-1", "SCO-1"]]
    stored = files_of(version)
    # hidden files and macOS forks are left out; SCORM tools' "_" folders are kept (H5P would drop them)
    assert stored == {"imsmanifest.xml", "index.html", "sco.js", "css/style.css", "_assets/logo.txt"}
    assert version.file_count == len(stored)
    assert stored_files() - before == {f"{version.storage_path}/{name}" for name in stored}
    assert services.storage().open(f"{version.storage_path}/index.html").read() == PAGE
    assert leftovers(private_tmp) == []


def test_a_scorm2004_package_installs_with_its_mastery_as_a_percent(private_tmp):
    data = package([{"identifier": "SCO-1", "href": "content/start.html", "mastery": "0.8"}], version="2004",
                   title="Forklift")
    activity = activity_from(data, title="叉车安全", grading_method="last", claim_policy="trust", max_attempts=3)
    version = activity.current
    assert (activity.title, activity.grading_method, activity.claim_policy, activity.max_attempts) == (
        "叉车安全", "last", "trust", 3)
    assert (version.scorm_version, version.family, version.title) == ("2004-4", "2004", "Forklift")
    assert version.sco("SCO-1")["mastery_score"] == "80.00"
    assert "content/start.html" in files_of(version)
    assert leftovers(private_tmp) == []


def test_a_multi_sco_package_keeps_its_assets_untracked():
    activity = activity_from(package(MULTI_12))
    version = activity.current
    assert [s["identifier"] for s in version.scos] == ["SCO-A", "SCO-B", "ASSET"]
    assert [s["identifier"] for s in version.tracked_scos] == ["SCO-A", "SCO-B"]


def test_a_package_can_be_prepared_from_an_upload_and_installed_later(private_tmp):
    prepared = services.package_prepare(file=SimpleUploadedFile("x.zip", package()), name="x.zip")
    assert leftovers(private_tmp) == [prepared.root.parent.name]
    assert not ScormActivity.objects.exists()
    with prepared:
        activity = services.package_install(prepared=prepared)
    assert activity.current.number == 1
    assert leftovers(private_tmp) == []


def test_a_prepared_package_that_is_never_installed_is_removed(private_tmp):
    prepared = services.package_prepare(file=io.BytesIO(package()), name="x.zip")
    prepared.cleanup()
    prepared.cleanup()  # idempotent
    assert leftovers(private_tmp) == []
    assert not ScormActivity.objects.exists() and not ScormPackage.objects.exists()


# --- versions ----------------------------------------------------------------------------------------------------


def test_a_second_upload_makes_version_two_and_attempts_keep_their_version():
    activity = activity_from(package(title="Edition 1"), title="消防")
    first = activity.current
    user, _lesson = learner_for(activity)
    old = services.attempt_open(user=user, activity=activity)
    assert old.package == first

    again = activity_from(package([{"identifier": "NEW", "href": "new.html"}], title="Edition 2"),
                          activity=activity, name="v2.zip")
    activity.refresh_from_db()
    second = activity.current
    assert again.pk == activity.pk and activity.title == "消防"  # the trainer's title stays
    assert (second.number, second.package_name) == (2, "v2.zip")
    assert list(activity.versions.values_list("number", flat=True)) == [2, 1]
    assert second.storage_path != first.storage_path
    assert "index.html" in files_of(first) and "new.html" in files_of(second)  # the old files stay for v1

    assert services.attempt_open(user=user, activity=activity).pk == old.pk  # still open: still version 1
    services.commit_record(user=user, attempt_id=old.pk, sco="SCO-1", seq=1, session="s",
                           data={"cmi.core.lesson_status": "completed"}, terminate=True)
    new = services.attempt_open(user=user, activity=activity, new=True)
    assert (new.number, new.package_id) == (2, second.pk)
    old.refresh_from_db()
    assert old.package_id == first.pk


def test_a_failed_database_write_removes_the_files_it_stored(monkeypatch, private_tmp):
    before = stored_files()

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ScormPackage.objects, "create", broken)
    with pytest.raises(RuntimeError):
        activity_from(package())
    assert stored_files() == before
    assert not ScormActivity.objects.exists()
    assert leftovers(private_tmp) == []


def test_a_failed_file_write_removes_the_files_already_stored(monkeypatch, private_tmp):
    before = stored_files()
    store = services.storage()
    save = store.save
    calls = []

    def flaky(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        return save(name, content, **kwargs)

    monkeypatch.setattr(type(store), "save", lambda self, name, content, **kw: flaky(name, content, **kw))
    with pytest.raises(OSError):
        activity_from(package())
    assert len(calls) == 3
    assert stored_files() == before
    assert not ScormActivity.objects.exists()
    assert leftovers(private_tmp) == []


# --- the hostile corpus --------------------------------------------------------------------------------------------

LIMITS = {"LMS_SCORM_MAX_FILES": 20, "LMS_SCORM_MAX_FILE_BYTES": 512 * 1024, "LMS_SCORM_MAX_TOTAL_BYTES": 768 * 1024,
          "LMS_SCORM_MAX_RATIO": 50, "LMS_SCORM_RATIO_MIN_BYTES": 64 * 1024, "LMS_SCORM_MAX_MANIFEST_BYTES": 16 * 1024}
XXE = b"""<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>"""
BOMB = b"""<!DOCTYPE manifest [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>"""


def _launch(href: str, **sco) -> bytes:
    return zip_bytes({**package_files(), "imsmanifest.xml": manifest([{"identifier": "SCO-1", "href": href, **sco}])})


def _truncated() -> bytes:
    data = package()
    return data[: len(data) // 2]


def _many() -> bytes:
    return package(extra={f"pages/p{i}.html": b"x" for i in range(25)})


def _duplicate() -> bytes:
    with pytest.warns(UserWarning, match="Duplicate name"):
        return with_entry(package_files(), "index.html", b"<script>evil()</script>")


def _header_lies() -> bytes:
    """A bomb whose headers claim 1,000 bytes: reading stops at the claimed size, and the CRC then fails."""
    real = 300 * 1024
    return lying_sizes(package(extra={"zeros.bin": b"\0" * real}), real, 1000)


def _corrupt_entry() -> bytes:
    """Bytes overwritten inside an entry's compressed data: its CRC (or the inflater) fails while it is read."""
    data = bytearray(package(extra={"notes.txt": b"hello world " * 2000}))
    at = data.find(b"notes.txt") + len(b"notes.txt") + 20
    data[at:at + 40] = b"\xff" * 40
    return bytes(data)


# (build, rule, the entry the message must name)
CORPUS = {
    "zip-slip": (lambda: package(extra={"../x.html": b"x"}), "parent-path", "../x.html"),
    "zip-slip-nested": (lambda: package(extra={"a/../../x.html": b"x"}), "parent-path", "a/../../x.html"),
    "absolute-path": (lambda: package(extra={"/var/www/x.html": b"x"}), "absolute-path", "/var/www/x.html"),
    "drive-letter": (lambda: package(extra={"C:/x.html": b"x"}), "drive-letter", "C:/x.html"),
    "backslash": (lambda: package(extra={"a\\..\\..\\x.html": b"x"}), "backslash", "a\\..\\..\\x.html"),
    "symlink": (lambda: symlinked(package_files(), "link.html"), "symlink", "link.html"),
    "encrypted": (lambda: encrypted(package_files(extra={"secret.txt": b"secret"}), "secret.txt"), "encrypted",
                  "secret.txt"),
    "zip-bomb": (lambda: package(extra={"zeros.bin": b"\0" * (300 * 1024)}), "compression-ratio", "zeros.bin"),
    "file-too-large": (lambda: zip_bytes(package_files(extra={"video.mp4": b"\1" * (513 * 1024)}),
                                         compression=zipfile.ZIP_STORED), "file-too-large", "video.mp4"),
    "total-too-large": (lambda: zip_bytes(package_files(extra={f"v{i}.mp4": b"\1" * (300 * 1024) for i in range(3)}),
                                          compression=zipfile.ZIP_STORED), "total-too-large", "v2.mp4"),
    "too-many-entries": (_many, "too-many-files", "bad.zip"),
    "duplicate-entry": (_duplicate, "duplicate-entry", "index.html"),
    "file-and-folder": (lambda: package(extra={"a": b"x", "a/b.html": b"y"}), "duplicate-entry", "a"),
    "folder-and-file": (lambda: package(extra={"a/b.html": b"y", "a": b"x"}), "duplicate-entry", "a"),
    "case-collision": (lambda: package(extra={"INDEX.html": b"<script>evil()</script>"}), "case-collision",
                       "INDEX.html"),
    "case-collision-folder": (lambda: package(extra={"CSS/style.css": b"x"}), "case-collision", "CSS/style.css"),
    "header-lies": (_header_lies, "corrupt-entry", "zeros.bin"),
    "corrupt-entry": (_corrupt_entry, "corrupt-entry", "notes.txt"),
    "not-a-zip": (lambda: b"MZ\x90\x00 this is not a zip at all" * 10, "not-a-zip", "bad.zip"),
    "truncated": (_truncated, "not-a-zip", "bad.zip"),
    "missing-manifest": (lambda: zip_bytes({"index.html": PAGE}), "missing-manifest", "bad.zip"),
    "manifest-in-a-folder": (lambda: zip_bytes({"course/imsmanifest.xml": manifest(), "course/index.html": PAGE}),
                             "missing-manifest", "bad.zip"),
    "manifest-too-large": (lambda: package(title="x" * (17 * 1024)), "manifest-too-large", "imsmanifest.xml"),
    "xxe": (lambda: package(doctype=XXE.decode()), "unsafe-xml", "imsmanifest.xml"),
    "entity-bomb": (lambda: package(doctype=BOMB.decode()), "unsafe-xml", "imsmanifest.xml"),
    "malformed": (lambda: zip_bytes({**package_files(), "imsmanifest.xml": b"<manifest><oops></manifest>"}),
                  "malformed", "imsmanifest.xml"),
    "not-a-manifest": (lambda: zip_bytes({**package_files(), "imsmanifest.xml": b"<html/>"}), "not-a-manifest",
                       "imsmanifest.xml"),
    "unknown-version": (lambda: zip_bytes({**package_files(), "imsmanifest.xml": manifest().replace(
        b"<schemaversion>1.2</schemaversion>", b"<schemaversion>CAM 9</schemaversion>").replace(
        b"adlcp_rootv1p2", b"adlcp_other")}), "unknown-version", "imsmanifest.xml"),
    "nothing-to-launch": (lambda: zip_bytes({**package_files(), "imsmanifest.xml": manifest([])}), "no-sco",
                          "imsmanifest.xml"),
    "launch-http": (lambda: _launch("http://evil/"), "unsafe-href", "http://evil/"),
    "launch-protocol-relative": (lambda: _launch("//evil.example/x.html"), "unsafe-href", "//evil.example/x.html"),
    "launch-parent": (lambda: _launch("../../x.html"), "unsafe-href", "../../x.html"),
    "launch-encoded-parent": (lambda: _launch("%2e%2e/%2e%2e/x.html"), "unsafe-href", "%2e%2e/%2e%2e/x.html"),
    "launch-javascript": (lambda: _launch("javascript:alert(1)"), "unsafe-href", "javascript:alert(1)"),
    "launch-javascript-tab": (lambda: _launch("java\tscript:alert(1)"), "unsafe-href", "script:alert(1)"),
    "launch-data": (lambda: _launch("data:text/html,<script>alert(1)</script>"), "unsafe-href", "data:text/html"),
    "launch-missing": (lambda: zip_bytes({k: v for k, v in package_files([{"identifier": "S", "href": "gone.html"}])
                                          .items() if k != "gone.html"}), "missing-launch", "gone.html"),
    "launch-hidden": (lambda: package([{"identifier": "S", "href": ".secret/index.html"}]), "missing-launch",
                      ".secret/index.html"),
    "invalid-mastery": (lambda: _launch("index.html", mastery="120"), "invalid-mastery", "120"),
    # an identifier names the SCO's commit URL (one path segment) and its data row (255 characters)
    "identifier-with-slash": (lambda: package([{"identifier": "a/b", "href": "index.html"}]), "invalid-identifier",
                              "a/b"),
    "identifier-too-long": (lambda: package([{"identifier": "x" * 256, "href": "index.html"}]),
                            "invalid-identifier", "x" * 80),
}


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 30


def every_file(*folders: Path) -> set[Path]:
    return {p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def strays(tmp_path: Path) -> list[Path]:
    """What a refused package left outside the storage: any file in this test's folder (the upload is extracted
    into a temporary directory inside it) or where an entry that escaped it would land."""
    escaped = [tmp_path.parent / "x.html", tmp_path.parent.parent / "x.html", Path("/var/www/x.html"),
               Path("C:/x.html").resolve(), Path.cwd() / "x.html"]
    return sorted(every_file(tmp_path)) + [p for p in escaped if p.exists()]


@override_settings(**LIMITS)
@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_hostile_packages_are_refused_naming_the_entry_and_nothing_is_written(kind, private_tmp, tmp_path):
    build, rule, entry = CORPUS[kind]
    data = build()
    ScormActivity.objects.create(title="existing")  # an upload on an activity must not change it either
    before = stored_files()
    storage_root = Path(services.storage().location)
    everything_before = every_file(storage_root)
    with pytest.raises(ValidationError) as info:
        activity_from(data, name="bad.zip")
    error = info.value
    message = " ".join(error.messages)
    assert error.code == rule, message
    assert entry in message, message
    assert message.startswith(("bad.zip: ", "imsmanifest.xml: ", f"{entry}: ")), message
    assert "BytesIO" not in message and "/etc/passwd" not in message and "root:" not in message
    assert "lms-scorm-" not in message and str(private_tmp) not in message  # never the server's temporary path
    assert list(ScormActivity.objects.values_list("title", flat=True)) == ["existing"]
    assert not ScormPackage.objects.exists()
    assert stored_files() == before
    assert every_file(storage_root) == everything_before  # nor anywhere else in the private storage
    assert leftovers(private_tmp) == []
    assert strays(tmp_path) == []  # nothing outside the storage either


@override_settings(**LIMITS)
@pytest.mark.parametrize("kind", ["zip-slip", "case-collision", "xxe", "launch-http", "launch-missing"])
def test_a_hostile_new_version_leaves_the_activity_as_it_was(kind, private_tmp):
    activity = activity_from(package(), title="消防")
    before = stored_files()
    build, rule, _entry = CORPUS[kind]
    with pytest.raises(ValidationError) as info:
        activity_from(build(), activity=activity, name="bad.zip", title="changed")
    assert info.value.code == rule
    activity.refresh_from_db()
    assert (activity.title, activity.current.number, activity.versions.count()) == ("消防", 1, 1)
    assert stored_files() == before
    assert leftovers(private_tmp) == []


@pytest.mark.parametrize("name", ["course.rar", "course.zip.exe", "course.h5p", "imsmanifest.xml", "zip"])
def test_a_wrong_extension_is_refused_before_anything_is_read(name, private_tmp):
    with pytest.raises(ValidationError) as info:
        activity_from(package(), name=name)
    assert info.value.code == "extension"
    assert " ".join(info.value.messages) == f"{name}: the file name must end in .zip"
    assert not ScormActivity.objects.exists()
    assert leftovers(private_tmp) == []


@override_settings(LMS_SCORM_MAX_UPLOAD_BYTES=1000)
def test_an_upload_above_the_limit_is_refused_before_it_is_read(private_tmp):
    with pytest.raises(ValidationError) as info:
        services.activity_import(file=SimpleUploadedFile("big.zip", package() + b"\0" * 1000), name="big.zip")
    assert info.value.code == "upload-too-large"
    assert "big.zip" in " ".join(info.value.messages) and "1000" in " ".join(info.value.messages)
    assert leftovers(private_tmp) == []


def test_a_path_on_disk_is_read_and_its_size_checked(tmp_path, private_tmp):
    path = tmp_path / "disk.zip"
    path.write_bytes(package())
    assert services.activity_import(file=path, name=path.name).current.package_name == "disk.zip"
    with override_settings(LMS_SCORM_MAX_UPLOAD_BYTES=10):
        with pytest.raises(ValidationError) as info:
            services.activity_import(file=str(path))
    assert info.value.code == "upload-too-large" and "disk.zip" in info.value.messages[0]
    assert leftovers(private_tmp) == []


def test_the_manifest_error_names_the_offending_value_not_the_secret():
    with pytest.raises(ValidationError) as info:
        activity_from(package(doctype=XXE.decode()), name="bad.zip")
    assert info.value.messages == ["imsmanifest.xml: the manifest declares a DTD or entities, which are not read "
                                   "(DTDForbidden)"]


def test_a_refused_new_version_leaves_the_attempts_alone():
    activity = activity_from(package())
    user, _lesson = learner_for(activity)
    attempt = services.attempt_open(user=user, activity=activity)
    with pytest.raises(ValidationError):
        activity_from(b"not a zip", activity=activity, name="bad.zip")
    assert ScormAttempt.objects.get().pk == attempt.pk
    assert not ScormScoState.objects.exists()


def test_an_asset_may_have_any_identifier_and_a_sco_up_to_255_characters():
    activity = activity_from(package([{"identifier": "x" * 255, "href": "index.html"},
                                      {"identifier": "docs/a", "href": "a.html", "type": "asset"}]))
    assert [s["identifier"] for s in activity.current.scos] == ["x" * 255, "docs/a"]


def test_the_mastery_score_and_launch_parameters_reach_the_manifest_json():
    activity = activity_from(package([{"identifier": "S", "href": "index.html", "mastery": "75.5",
                                       "parameters": "?chapter=1"}]))
    sco = activity.current.sco("S")
    assert sco["href"] == "index.html?chapter=1" and sco["path"] == "index.html"
    assert D(sco["mastery_score"]) == D("75.50")
