"""The exam room's pure rules (no database): networks, start codes, device fingerprints, leaving the page."""

from __future__ import annotations

import pytest

from exams import room_rules

SECRET = b"k" * 32


def test_networks_one_per_line_commas_comments_and_single_addresses():
    nets = room_rules.parse_networks("192.168.10.0/24  # room 301\n2001:db8:10::/48, 10.0.0.5\n\n")
    assert [str(n) for n in nets] == ["192.168.10.0/24", "2001:db8:10::/48", "10.0.0.5/32"]


def test_a_line_that_is_not_a_network_is_named():
    with pytest.raises(room_rules.BadNetwork) as caught:
        room_rules.parse_networks("192.168.10.0/24\nroom-301\n")
    assert caught.value.entry == "room-301"


@pytest.mark.parametrize(("address", "allowed"), [
    ("192.168.10.77", True),
    ("::ffff:192.168.10.77", True),  # the same client over an IPv6 socket
    ("192.168.11.1", False),
    ("2001:db8:10::1", True),
    ("2001:db8:11::1", False),
    ("not-an-address", False),
    ("", False),
])
def test_an_address_is_allowed_only_inside_a_listed_network(address, allowed):
    nets = room_rules.parse_networks("192.168.10.0/24\n2001:db8:10::/48")
    assert room_rules.address_allowed(address, nets) is allowed


def test_no_list_allows_every_address():
    assert room_rules.address_allowed("203.0.113.9", [])


def test_the_code_changes_every_period_and_differs_per_exam():
    a = room_rules.start_code(secret=SECRET, exam_id=1, now=1_000_000.0, period=300)
    b = room_rules.start_code(secret=SECRET, exam_id=1, now=1_000_000.0 + 300, period=300)
    other = room_rules.start_code(secret=SECRET, exam_id=2, now=1_000_000.0, period=300)
    assert len(a.code) == 6 and a.code.isdigit()
    assert a.code != b.code and a.code != other.code
    assert 0 < a.seconds_left <= 300


def test_the_code_on_screen_and_the_one_before_it_are_accepted_older_ones_not():
    now, period = 1_000_000.0, 300

    def code_at(t):
        return room_rules.start_code(secret=SECRET, exam_id=7, now=t, period=period).code

    def matches(given):
        return room_rules.start_code_matches(given, secret=SECRET, exam_id=7, now=now, period=period)

    assert matches(code_at(now))
    assert matches(code_at(now - period))  # typed as it changed
    assert not matches(code_at(now - 2 * period))
    assert not matches(code_at(now + period))  # a future code is not known to anyone yet
    assert not matches("")


def test_a_code_typed_with_spaces_or_full_width_digits_is_the_same_code():
    shown = room_rules.start_code(secret=SECRET, exam_id=3, now=5000.0, period=300).code
    full_width = shown.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for typed in (f" {shown[:3]} {shown[3:]} ", full_width):
        assert room_rules.start_code_matches(typed, secret=SECRET, exam_id=3, now=5000.0, period=300)


def test_another_secret_gives_other_codes():
    mine = room_rules.start_code(secret=SECRET, exam_id=3, now=5000.0, period=300).code
    assert not room_rules.start_code_matches(mine, secret=b"x" * 32, exam_id=3, now=5000.0, period=300) or (
        room_rules.start_code(secret=b"x" * 32, exam_id=3, now=5000.0, period=300).code == mine
    )


def test_a_device_fingerprint_is_a_hash_not_the_token():
    fingerprint = room_rules.device_fingerprint("session:abc")
    assert len(fingerprint) == 64 and "abc" not in fingerprint
    assert fingerprint == room_rules.device_fingerprint("session:abc") != room_rules.device_fingerprint("session:abd")


def test_leaving_counts_page_events_and_ends_only_with_a_limit():
    assert room_rules.leaves(["focus_lost", "paste", "time_added", "binding_released"]) == 2
    assert not room_rules.ends_for_leaving(count=50, limit=0)
    assert not room_rules.ends_for_leaving(count=2, limit=3)
    assert room_rules.ends_for_leaving(count=3, limit=3)


def test_a_rules_change_names_the_fields_that_changed_and_ignores_how_a_list_is_written():
    before = {"allowed_networks": "10.1.0.0/16\n192.0.2.7", "requires_start_code": False, "binds_device": True,
              "leave_limit": 0}
    assert room_rules.rules_changed(before, dict(before)) == []
    same_list = dict(before, allowed_networks="  10.1.0.0/16  # 培训楼\r\n\r\n192.0.2.7\n")
    assert room_rules.rules_changed(before, same_list) == []
    assert room_rules.rules_changed(before, dict(before, allowed_networks="10.1.0.0/16")) == ["allowed_networks"]
    assert room_rules.rules_changed(before, dict(before, requires_start_code=True, leave_limit=3)) == [
        "requires_start_code", "leave_limit"]


def test_a_new_exam_changed_its_rules_only_when_it_has_any():
    off = {"allowed_networks": "", "requires_start_code": False, "binds_device": False, "leave_limit": 0}
    assert room_rules.rules_changed(None, off) == []
    assert room_rules.rules_changed(None, dict(off, binds_device=True)) == ["binds_device"]
