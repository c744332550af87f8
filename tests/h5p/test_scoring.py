"""Re-scoring and grading: pure, no database."""

import json
import zipfile
from decimal import Decimal as D

import pytest

from courses.h5p import scoring
from courses.h5p.scoring import Score
from tests.h5p.factories import sample

MC = {
    "answers": [{"correct": True, "text": "a"}, {"correct": False, "text": "b"}, {"correct": False, "text": "c"}],
    "behaviour": {"type": "auto", "singlePoint": True, "passPercentage": 100},
}


def content_of(key: str) -> dict:
    with zipfile.ZipFile(sample(key)) as zf:
        return json.loads(zf.read("content/content.json"))


@pytest.mark.parametrize(("response", "expected"), [("0", D(1)), ("1", D(0)), ("0[,]1", D(0)), ("", D(0)),
                                                    ("7", D(0)), ("x", D(0)), ("0[,]0", D(0))])
def test_multichoice_single_answer(response, expected):
    assert scoring.multichoice(MC, response) == Score(expected, D(1))


def test_multichoice_multiple_correct_without_single_point_counts_each_answer():
    params = {"answers": [{"correct": True}, {"correct": True}, {"correct": False}],
              "behaviour": {"singlePoint": False}}
    assert scoring.multichoice(params, "0") == Score(D(1), D(2))
    assert scoring.multichoice(params, "0[,]1") == Score(D(2), D(2))
    assert scoring.multichoice(params, "0[,]2") == Score(D(0), D(2))  # a wrong choice costs a point, floor 0


def test_truefalse():
    assert scoring.truefalse({"correct": "false"}, "false") == Score(D(1), D(1))
    assert scoring.truefalse({"correct": "false"}, "true") == Score(D(0), D(1))
    assert scoring.truefalse({"correct": "false"}, None) is None


def test_blanks_solutions_alternatives_tips_and_entities():
    params = {"questions": ["<p>Oslo is the capital of *Norway/Noreg:a country*.</p>", "<p>*A &amp; B* and *C*</p>"],
              "behaviour": {"caseSensitive": False}}
    assert scoring.blank_solutions(params) == [["Norway", "Noreg"], ["A & B"], ["C"]]
    assert scoring.blanks(params, "noreg[,]a & b[,]x") == Score(D(2), D(3))
    assert scoring.blanks(params, "Norway") == Score(D(1), D(3))


def test_blanks_case_sensitive_and_spelling_errors():
    params = {"questions": ["*Norway*"], "behaviour": {"caseSensitive": True}}
    assert scoring.blanks(params, "norway") == Score(D(0), D(1))
    params["behaviour"]["acceptSpellingErrors"] = True
    assert scoring.blanks(params, "Norwya") == Score(D(1), D(1))


def test_blanks_without_questions_uses_the_library_default():
    assert scoring.blanks({}, "Norway") == Score(D(1), D(1))


def test_question_set_sums_its_questions_and_counts_unanswered_as_zero():
    params = {"questions": [
        {"library": "H5P.MultiChoice 1.16", "params": MC, "subContentId": "a"},
        {"library": "H5P.TrueFalse 1.6", "params": {"correct": "true"}, "subContentId": "b"},
        {"library": "H5P.Blanks 1.14", "params": {"questions": ["*x* *y*"]}, "subContentId": "c"},
    ]}
    assert scoring.question_set(params, {"a": "0", "b": "true", "c": "x[,]z"}) == Score(D(3), D(4))
    assert scoring.question_set(params, {"a": "0"}) == Score(D(1), D(4))
    params["questions"].append({"library": "H5P.Essay 1.5", "params": {}, "subContentId": "d"})
    assert scoring.question_set(params, {}) is None  # a type we cannot re-score


def test_real_samples_answer_keys():
    assert scoring.rescore("H5P.TrueFalse", content_of("truefalse"), "false") == Score(D(1), D(1))
    assert scoring.rescore("H5P.MultiChoice", content_of("multichoice"), "0") == Score(D(1), D(1))
    assert scoring.rescore("H5P.MultiChoice", content_of("multichoice"), "2") == Score(D(0), D(1))
    assert scoring.rescore("H5P.Blanks", content_of("xss"), "wrong") == Score(D(0), D(1))
    qs = content_of("questionset")
    right = {q["subContentId"]: str(next(i for i, a in enumerate(q["params"]["answers"]) if a["correct"]))
             for q in qs["questions"][:5]}
    assert qs["poolSize"] == 5 and len(qs["questions"]) == 10  # 5 of 10 questions are drawn per attempt
    assert scoring.question_set(qs, right) == Score(D(5), D(5))
    wrong_one = {**right, next(iter(right)): "9"}
    assert scoring.question_set(qs, wrong_one) == Score(D(4), D(5))
    # one drawn question unanswered: it scores 0 out of the same maximum as every other question
    assert scoring.question_set(qs, dict(list(right.items())[:4])) == Score(D(4), D(5))
    assert scoring.question_set(qs, {}) == Score(D(0), D(5))
    six = {q["subContentId"]: "0" for q in qs["questions"][:6]}
    assert scoring.question_set(qs, six) is None  # more answers than questions drawn


@pytest.mark.parametrize(("method", "expected"), [("highest", D(80)), ("last", D(40)), ("first", D(50)),
                                                  ("average", D("56.67"))])
def test_grading_methods(method, expected):
    assert scoring.grade([D(50), D(80), D(40)], method) == expected
    assert scoring.grade([], method) is None


def test_only_top_level_scoring_statements_count():
    answered = {"verb": {"id": "http://adlnet.gov/expapi/verbs/answered"}, "object": {"id": "https://x/h5p/1/"},
                "result": {"score": {"raw": 1, "max": 1}}}
    assert scoring.counts(answered)
    child = {**answered, "object": {"id": "https://x/h5p/1/?subContentId=ab-12"},
             "context": {"contextActivities": {"parent": [{"id": "https://x/h5p/1/"}]}}}
    assert not scoring.counts(child) and scoring.sub_content_id(child) == "ab-12"
    assert not scoring.counts({**answered, "verb": {"id": "http://adlnet.gov/expapi/verbs/interacted"}})
    assert not scoring.counts({**answered, "result": {}})
