"""Simplified Chinese ships complete: every catalog of every app, no empty or fuzzy entry, same placeholders."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(p for p in ROOT.glob("*/**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def test_every_app_has_catalogs():
    apps = {p.relative_to(ROOT).parts[0] for p in CATALOGS}
    assert {"lms", "courses", "exams"} <= apps
    for po in CATALOGS:
        assert (po.parents[2] / "en" / "LC_MESSAGES" / "django.po").exists(), f"no English catalog beside {po}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_complete(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert not missing, f"{len(missing)} untranslated in {path}: {missing[:10]}"
    for entry in po.translated_entries():
        if entry.msgid_plural:  # Chinese has one form: it follows the plural msgid
            expected, translations = entry.msgid_plural, list(entry.msgstr_plural.values())
        else:
            expected, translations = entry.msgid, [entry.msgstr]
        for text in translations:
            assert sorted(set(PLACEHOLDER.findall(expected))) == sorted(set(PLACEHOLDER.findall(text))), entry.msgid
