"""The demo's H5P lesson teaches the policy in Chinese: our own content, no sample text, nothing from outside."""

import json
import re
import zipfile
from io import BytesIO, StringIO

import pytest

from courses.h5p.models import H5PActivity, H5PStatement
from courses.models import LessonPage
from demo.data import foundation, h5p, h5p_build

pytestmark = pytest.mark.django_db

SAMPLE_TEXT = ["Hello World", "Is this false", "blackcurrant", "THIS IS THE TITLE", "h5p-mcq-maker", "Trage",
               "xss", "SVG", "Which one of the following"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def samples():
    folder = h5p.samples_dir()
    if not folder.is_dir():
        pytest.fail(f"the shared H5P samples are missing: {folder}")
    return folder


def test_each_package_holds_our_content_and_only_the_libraries_it_needs(samples):
    index = h5p_build.library_index(samples)
    for name, _required in h5p.PACKAGES:
        with zipfile.ZipFile(BytesIO(h5p_build.build(name, samples, index))) as package:
            names = package.namelist()
            content = package.read("content/content.json").decode()
            assert json.loads(package.read("h5p.json"))["language"] == "zh-hans"
        assert not [n for n in names if n.startswith("content/") and n != "content/content.json"]
        assert not any(n.startswith("H5P.MathDisplay") for n in names), "MathDisplay loads MathJax from a CDN"
        assert CJK.search(content)
        assert not [t for t in SAMPLE_TEXT if t.lower() in content.lower()]


def test_demo_lesson_plays_four_chinese_activities_and_the_specialist_passed_the_required_ones(samples):
    out = StringIO()
    foundation.load(out)
    h5p.load(out)
    h5p.load(out)  # idempotent
    activities = list(H5PActivity.objects.order_by("pk"))
    assert [a.package_name for a in activities] == [f"{name}.h5p" for name, _ in h5p.PACKAGES]
    for activity in activities:
        assert CJK.search(activity.title), activity.title
        text = json.dumps(activity.content_json, ensure_ascii=False)
        assert not [t for t in SAMPLE_TEXT if t.lower() in text.lower()]
    lesson = LessonPage.objects.get(slug=h5p.LESSON_SLUG)
    assert [b.value["activity"].pk for b in lesson.body if b.block_type == "h5p"] == [a.pk for a in activities]
    passed = {s.activity.package_name for s in H5PStatement.objects.filter(
        user__username="specialist", is_attempt=True, is_passed=True, is_rescored=True)}
    assert passed == {f"{name}.h5p" for name, required in h5p.PACKAGES if required}


def test_the_docs_say_the_samples_serve_tests_and_where_the_demo_content_lives():
    """README and docs/development.md name the content folder the demo builds from, and every activity it loads
    has its folder there (issue #14)."""
    root = h5p.REPO_ROOT
    for doc in ("README.md", "docs/development.md"):
        text = " ".join((root / doc).read_text(encoding="utf-8").split())
        assert "demo/data/h5p_content/" in text and "../shared/h5p-samples" in text, doc
        assert "tests only" in text, doc
    for name, _required in h5p.PACKAGES:
        assert {p.name for p in (h5p_build.CONTENT_DIR / name).iterdir()} == {"h5p.json", "content.json"}
