"""The start-up check that keeps Chinese names off blank glyphs in certificate PDFs."""

import os
import subprocess

import pytest

from certificates import checks


def _fc_list_answering(families_by_pattern):
    def run(args, **kwargs):
        return subprocess.CompletedProcess(args, 0, stdout="\n".join(families_by_pattern.get(args[1], [])) + "\n")
    return run


def test_no_cjk_font_at_all_warns(monkeypatch):
    monkeypatch.setattr(checks.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(checks.subprocess, "run", _fc_list_answering({}))
    assert [w.id for w in checks.check_certificate_font()] == ["lms_certificates.W001"]


def test_configured_family_without_chinese_warns_when_another_font_has_it(monkeypatch, settings):
    settings.LMS_CERTIFICATE_FONT_FAMILY = "DejaVu Sans"
    monkeypatch.setattr(checks.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(checks.subprocess, "run", _fc_list_answering({":lang=zh": ["Noto Sans CJK SC"]}))
    assert [w.id for w in checks.check_certificate_font()] == ["lms_certificates.W002"]


def test_no_fontconfig_is_not_a_warning(monkeypatch):
    monkeypatch.setattr(checks.shutil, "which", lambda name: None)
    assert checks.check_certificate_font() == []


def test_this_machine_has_the_font():
    """make test installs fonts-noto-cjk; in CI its absence fails here, outside CI it is a reason to skip."""
    if not checks.cjk_fonts(checks.conf.CERTIFICATE_FONT_FAMILY):
        if os.environ.get("CI") == "true":
            pytest.fail("no CJK font for certificates (apt-get install fonts-noto-cjk)")
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    assert checks.check_certificate_font() == []
