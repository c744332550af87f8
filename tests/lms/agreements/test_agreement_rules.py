"""The agreement's pure rules, without a database."""

from datetime import UTC, datetime, timedelta

from lms.agreements import rules
from lms.agreements.rules import CheckAttempt, Step

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_applies_to_everyone_or_to_any_chosen_department_or_position():
    base = {"department_ids": [1], "position_ids": [7]}
    assert rules.applies(
        everyone=True, department_ids=[], position_ids=[], person_department_id=None, person_position_id=None
    )
    assert rules.applies(everyone=False, **base, person_department_id=1, person_position_id=None)
    assert rules.applies(everyone=False, **base, person_department_id=2, person_position_id=7)
    assert not rules.applies(everyone=False, **base, person_department_id=2, person_position_id=8)
    assert not rules.applies(everyone=False, **base, person_department_id=None, person_position_id=None)


def test_content_hash_pins_title_version_and_every_character_of_the_text():
    blocks = [("heading", "一、保密信息"), ("paragraph", "<p>客户资料属于保密信息。</p>")]
    digest = rules.content_hash(title="员工保密协议", version="2026-1", blocks=blocks)
    assert len(digest) == 64
    assert digest == rules.content_hash(title="员工保密协议", version="2026-1", blocks=list(blocks))
    assert digest != rules.content_hash(title="员工保密协议", version="2026-2", blocks=blocks)
    assert digest != rules.content_hash(
        title="员工保密协议", version="2026-1", blocks=[blocks[0], ("paragraph", "<p>客户资料属于保密信息!</p>")]
    )
    assert digest != rules.content_hash(title="员工保密协议", version="2026-1", blocks=blocks[::-1])


def test_only_a_pass_started_after_the_version_came_into_force_counts():
    old_pass = CheckAttempt(pk=1, started_at=T0 - timedelta(days=3), is_graded=True, is_passed=True)
    new_fail = CheckAttempt(pk=2, started_at=T0 + timedelta(hours=1), is_graded=True, is_passed=False)
    new_ungraded = CheckAttempt(pk=3, started_at=T0 + timedelta(hours=2), is_graded=False, is_passed=None)
    assert rules.qualifying_attempt([old_pass, new_fail, new_ungraded], version_since=T0) is None
    new_pass = CheckAttempt(pk=4, started_at=T0 + timedelta(hours=3), is_graded=True, is_passed=True)
    later_pass = CheckAttempt(pk=5, started_at=T0 + timedelta(hours=4), is_graded=True, is_passed=True)
    assert rules.qualifying_attempt([old_pass, later_pass, new_pass], version_since=T0) == later_pass


def test_next_step():
    def step(**kw):
        return rules.next_step(
            **{"is_applicable": True, "has_version": True, "has_signed": False, "has_passed": False, **kw}
        )

    assert step() is Step.CHECK
    assert step(has_passed=True) is Step.SIGN
    assert step(has_signed=True) is Step.SIGNED
    assert step(has_version=False) is Step.NOT_PUBLISHED
    assert step(is_applicable=False, has_passed=True) is Step.NOT_APPLICABLE
    assert step(is_applicable=False, has_signed=True) is Step.SIGNED  # moved out of the audience after signing
