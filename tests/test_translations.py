"""Simplified Chinese ships complete: every catalog of every app, no empty or fuzzy entry, same placeholders."""

import contextlib
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from tests.conftest import skip_or_fail

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


# Every gettext string of the source is in its app's catalog: the test above only checks the entries a catalog
# already has, so a string nobody ran makemessages for would slip through in English.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # makemessages' default extensions for the "django" domain
TOP_DIRS = sorted({p.relative_to(ROOT).parts[0] for p in CATALOGS})


def _source_files(top: Path) -> list[Path]:
    """The files makemessages reads under ``top``: those git tracks or would track (new files included, git-ignored
    ones such as the fetched H5P player or the demo's media left out); every file when git is not at hand."""
    listing = ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."]
    git = shutil.which("git")
    result = subprocess.run([git, *listing], cwd=top, capture_output=True) if git else None
    if result is not None and result.returncode == 0:
        files = [top / name for name in result.stdout.decode().split("\0") if name]
    else:  # no git, or not a work tree (an unpacked sdist)
        files = [p for p in top.rglob("*") if not {".venv", "node_modules", "__pycache__"} & set(p.parts)]
    return [f for f in files if f.suffix in SOURCE_SUFFIXES and f.is_file()]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[Path, Path]:
    """makemessages run on a copy of the apps, so that the repository is left alone: each committed zh_Hans
    catalog -> the catalog makemessages makes from the source as it is now."""
    if not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge", "msgattrib")):
        skip_or_fail("GNU gettext (xgettext, msguniq, msgmerge, msgattrib) is not installed")
    copy = tmp_path_factory.mktemp("makemessages")
    for top in TOP_DIRS:
        for source in _source_files(ROOT / top):
            target = copy / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for po in CATALOGS:  # an empty locale dir per catalog: makemessages files each source under the nearest one
        (copy / po.relative_to(ROOT).parents[2]).mkdir(parents=True, exist_ok=True)
    with contextlib.chdir(copy):
        call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)
    return {po: copy / po.relative_to(ROOT) for po in CATALOGS}


def _keys(po: polib.POFile) -> dict[tuple, polib.POEntry]:
    return {(e.msgctxt, e.msgid, e.msgid_plural): e for e in po if not e.obsolete and e.msgid}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_has_every_source_string(path, extracted):
    """Fails for a gettext string (or a changed plural or context) of the source that the committed zh_Hans
    catalog lacks: run makemessages for the app (docs/development.md, "Translations") and translate what it adds."""
    made = extracted[path]
    wanted = _keys(polib.pofile(str(made))) if made.exists() else {}  # none when the app has no string at all
    committed = _keys(polib.pofile(str(path)))
    missing = [
        f"{'[' + ctxt + '] ' if ctxt else ''}{msgid!r}{' / ' + repr(plural) if plural else ''}"
        f" ({', '.join(f'{file}:{line}' for file, line in entry.occurrences[:2])})"
        for (ctxt, msgid, plural), entry in wanted.items()
        if (ctxt, msgid, plural) not in committed
    ]
    assert not missing, f"{len(missing)} source strings missing from {path.relative_to(ROOT)}:\n" + "\n".join(missing)
