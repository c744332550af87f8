"""Package validation and SVG checks, on the real samples and small synthetic packages. No database."""

from __future__ import annotations

import pytest

from courses.h5p import safezip, svg
from courses.h5p.errors import PackageError
from courses.h5p.validation import validate_package
from tests.h5p.factories import SAMPLE_NAMES, library_json, package_files, sample, zip_bytes


def extract_and_validate(tmp_path, data: bytes, **options):
    tmp_path.mkdir(parents=True, exist_ok=True)
    archive = tmp_path / "p.h5p"
    archive.write_bytes(data)
    root = tmp_path / "x"
    root.mkdir()
    return validate_package(root, safezip.extract(archive, root, safezip.Limits()), **options), root


@pytest.mark.parametrize("key", sorted(SAMPLE_NAMES))
def test_every_sample_is_a_valid_package(key, tmp_path):
    root = tmp_path / "x"
    root.mkdir()
    info = validate_package(root, safezip.extract(sample(key), root, safezip.Limits()))
    assert info.main_library[0] in {"H5P.TrueFalse", "H5P.MultiChoice", "H5P.QuestionSet", "H5P.Blanks"}
    assert info.main_library in info.dependencies
    assert {lib.key for lib in info.libraries} >= info.dependencies  # self-contained
    assert "content.json" in info.content_files
    assert info.sanitised_svgs == (("content/images/xss.svg",) if key == "xss" else ())


def test_macos_junk_and_extra_top_level_files_are_skipped(tmp_path):
    data = zip_bytes(package_files(extra={"__MACOSX/._h5p.json": b"\0", "content/.DS_Store": b"\0",
                                          "README.txt": b"hello"}))
    info, root = extract_and_validate(tmp_path, data)
    assert not (root / "__MACOSX").exists() and ".DS_Store" not in info.content_files
    assert info.content_files == ("content.json",)


def test_dependencies_may_come_from_installed_libraries(tmp_path):
    library = library_json(preloadedDependencies=[{"machineName": "H5P.Question", "majorVersion": 1,
                                                   "minorVersion": 5}])
    data = zip_bytes(package_files(library=library))
    with pytest.raises(PackageError) as info:
        extract_and_validate(tmp_path, data)
    assert (info.value.rule, info.value.detail["library"]) == ("missing-dependency", "H5P.Question 1.5")
    installed = {("H5P.Question", 1, 5): [("H5P.JoubelUI", 1, 3)], ("H5P.JoubelUI", 1, 3): []}
    result, _root = extract_and_validate(tmp_path / "again", data, installed=installed)
    assert result.dependencies == {("H5P.TrueFalse", 1, 6), ("H5P.Question", 1, 5), ("H5P.JoubelUI", 1, 3)}


def test_core_api_up_to_1_28_is_accepted(tmp_path):
    data = zip_bytes(package_files(library=library_json(coreApi={"majorVersion": 1, "minorVersion": 28})))
    extract_and_validate(tmp_path, data)


@pytest.mark.parametrize("bad", [
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
    b'<a x:href=" JaVaScRiPt:alert(1)"><text>x</text></a></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body xmlns="http://www.w3.org/1999/xhtml">'
    b'<script>alert(1)</script></body></foreignObject></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT>alert(1)</SCRIPT></svg>',
])
def test_svg_active_content_is_found_and_removed(bad):
    assert svg.has_active_content(bad)
    clean = svg.sanitise(bad)
    assert not svg.has_active_content(clean)
    assert b"alert" not in clean and b"onload" not in clean


def test_svg_with_entities_or_not_svg_is_unsafe():
    with pytest.raises(svg.UnsafeSvg):
        svg.sanitise(b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>')
    with pytest.raises(svg.UnsafeSvg):
        svg.sanitise(b"<html><script>alert(1)</script></html>")


def test_clean_svg_is_left_alone():
    data = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="5" style="fill:#666"/></svg>'
    assert svg.sanitise(data) is data
