"""content.json filtered by semantics, as H5P core's H5PContentValidator does."""

from __future__ import annotations

import io
import json

import pytest

from courses.h5p import services
from courses.h5p.content_filter import filter_content, filter_html, plain
from courses.h5p.services import storage as h5p_storage
from tests.h5p.factories import package_files, zip_bytes

SEMANTICS = [
    {"name": "question", "type": "text", "widget": "html", "tags": ["strong", "em"]},
    {"name": "label", "type": "text"},
    {"name": "answers", "type": "list", "field": {"name": "answer", "type": "group", "fields": [
        {"name": "text", "type": "text", "tags": ["code"]}, {"name": "correct", "type": "boolean"}]}},
    {"name": "feedback", "type": "group", "fields": [{"name": "items", "type": "list",
                                                      "field": {"name": "t", "type": "text"}}]},
    {"name": "media", "type": "library"},
]
CHILD = [{"name": "alt", "type": "text"}]


def test_html_fields_keep_only_allowed_tags_and_safe_attributes():
    dirty = ('<p onclick="x">Hi <strong>you</strong> <b>b</b><script>alert(1)</script>'
             '<img src=x onerror=alert(1)><a href="javascript:alert(1)">a</a></p><style>*{}</style>')
    assert filter_html(dirty, ["strong"]) == "<p>Hi <strong>you</strong> ba</p>"  # text kept, tags dropped
    assert filter_html('<a href="https://example.com/x" target="_blank">ok</a>', ["a"]) == (
        '<a href="https://example.com/x" target="_blank">ok</a>')
    assert filter_html("<div>open <em>tags", ["em"]) == "<div>open <em>tags</em></div>"


def test_plain_text_is_escaped_without_double_encoding():
    assert plain("<b>x</b> &amp; & 'q'") == "&lt;b&gt;x&lt;/b&gt; &amp; &amp; &#039;q&#039;"


def test_the_walker_follows_groups_lists_single_field_groups_and_sub_content():
    params = {
        "question": "<em>Q</em><script>x</script>", "label": "<i>L</i>",
        "answers": [{"text": "<code>1</code><iframe></iframe>", "correct": True}],
        "feedback": ["<b>f</b>"],  # a single-field group is flattened, as in core
        "media": {"library": "H5P.Child 1.0", "params": {"alt": "<svg onload=alert(1)>"}},
        "unknown": "kept",
    }
    result = filter_content(params, SEMANTICS, lambda name: CHILD if name == "H5P.Child 1.0" else None)
    assert result["question"] == "<em>Q</em>"
    assert result["label"] == "&lt;i&gt;L&lt;/i&gt;"
    assert result["answers"] == [{"text": "<code>1</code>", "correct": True}]
    assert result["feedback"] == ["&lt;b&gt;f&lt;/b&gt;"]
    assert result["media"]["params"]["alt"] == "&lt;svg onload=alert(1)&gt;"
    assert result["unknown"] == "kept"


@pytest.mark.django_db
def test_uploaded_content_json_is_stored_filtered():
    content = {"question": "<p>Is it <strong>safe</strong>?<img src=x onerror=alert(document.cookie)></p>",
               "correct": "false"}
    files = package_files(content=content, extra={
        "H5P.TrueFalse-1.6/semantics.json": json.dumps(SEMANTICS).encode()})
    activity = services.activity_import(file=io.BytesIO(zip_bytes(files)), name="x.h5p", may_install=True)
    assert activity.content_json["question"] == "<p>Is it <strong>safe</strong>?</p>"
    with h5p_storage().open(f"{activity.storage_path}/content/content.json") as fh:
        stored = json.loads(fh.read())
    assert stored["question"] == "<p>Is it <strong>safe</strong>?</p>" and stored["correct"] == "false"
    assert activity.main_library.semantics == SEMANTICS
