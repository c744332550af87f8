"""The option ids a learner sees (exams.option_ids): opaque, different per attempt and question, mapped back only
from the attempt's own ids. No database."""

import pytest
from django.core.exceptions import ValidationError

from exams.option_ids import IdMap
from tests.exams.factories import SAMPLES

BANK = {"a", "b", "c", "d", "i1", "i2", "i3", "p1", "p2", "c1", "c2", "c3"}


def idmap(kind, *, attempt_id=7, seed=12345, position=1):
    return IdMap(attempt_id=attempt_id, seed=seed, position=position,
                 snapshot={"kind": kind, "content": SAMPLES[kind]["content"]})


@pytest.mark.parametrize("kind,response", [
    ("single", "a"),
    ("multiple", ["a", "d"]),
    ("ordering", ["i3", "i1", "i2"]),
    ("matching", {"p1": "c2", "p2": "c1"}),
    ("truefalse", True),
    ("fill", ["保密柜", "专人"]),
    ("numeric", "24"),
])
def test_a_response_goes_out_opaque_and_comes_back_as_it_was(kind, response):
    ids = idmap(kind)
    shown = ids.response_to_learner(response)
    assert ids.response_from_learner(shown) == response
    if kind in ("single", "multiple", "ordering", "matching"):
        flat = [shown] if isinstance(shown, str) else list(shown) + (list(shown.values()) if isinstance(shown, dict)
                                                                     else [])
        assert not set(flat) & BANK and all(len(v) == 17 and v.startswith("o") for v in flat)


def test_ids_differ_between_attempts_questions_and_fields_and_do_not_sort_like_the_key():
    one, other = idmap("single"), idmap("single", seed=999)
    assert one.to_learner("options", "a") != other.to_learner("options", "a")
    assert one.to_learner("options", "a") != idmap("single", position=2).to_learner("options", "a")
    assert one.to_learner("options", "a") == idmap("single").to_learner("options", "a")  # stable within an attempt
    orders = {tuple(sorted("abc", key=lambda x, s=seed: idmap("single", seed=s).to_learner("options", x)))
              for seed in range(40)}
    assert len(orders) >= 4  # over attempts the sorted-first id is any option


@pytest.mark.parametrize("kind,posted", [
    ("single", "a"), ("single", "zzz"), ("single", ["x"]), ("multiple", ["a"]), ("multiple", "x"),
    ("ordering", ["i1", "i2", "i3"]), ("matching", {"p1": "c1"}), ("matching", ["x"]),
])
def test_the_banks_ids_and_anything_else_are_refused(kind, posted):
    with pytest.raises(ValidationError):
        idmap(kind).response_from_learner(posted)


def test_the_key_and_option_feedback_are_shown_in_the_learners_ids():
    ids = idmap("matching")
    key = ids.key_to_learner({"pairs": {"p1": "c1", "p2": "c2"}})
    assert key == {"pairs": {ids.to_learner("prompts", "p1"): ids.to_learner("choices", "c1"),
                             ids.to_learner("prompts", "p2"): ids.to_learner("choices", "c2")}}
    single = idmap("single")
    assert single.key_to_learner({"correct": ["a"]}) == {"correct": [single.to_learner("options", "a")]}
    assert single.feedback_key("b") == single.to_learner("options", "b")
