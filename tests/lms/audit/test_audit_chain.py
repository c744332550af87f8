"""The ledger's hash recipe and chain walk, without a database (lms/audit/chain.py)."""

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from lms.audit import chain

AT = datetime(2026, 11, 27, 14, 5, tzinfo=UTC)


def entry(seq, prev, **overrides):
    payload = chain.payload(
        seq=seq,
        kind="permit",
        action="issued",
        object_type="lms_permits.permit",
        object_id=str(seq),
        object_repr="张三 · ops",
        actor_id=7,
        actor_username="officer",
        at=AT + timedelta(seconds=seq),
        data={"n": seq},
        **overrides,
    )
    return chain.Link(seq=seq, prev_hash=prev, hash=chain.entry_hash(prev, payload), payload=payload)


def build(n):
    links, prev = [], chain.GENESIS
    for seq in range(1, n + 1):
        link = entry(seq, prev)
        links.append(link)
        prev = link.hash
    return links


def walk(links, locate=None):
    walker = chain.ChainWalker(locate=locate)
    for link in links:
        problem = walker.check(link)
        if problem:
            return problem
    return None


def test_canonical_json_sorts_keys_drops_whitespace_keeps_unicode_and_writes_decimals_and_times_as_strings():
    shanghai = timezone(timedelta(hours=8))
    value = {"b": Decimal("87.50"), "a": datetime(2026, 11, 27, 22, 5, 1, 5, tzinfo=shanghai), "名": date(2026, 1, 2)}
    assert chain.canonical_json(value) == '{"a":"2026-11-27T14:05:01.000005Z","b":"87.50","名":"2026-01-02"}'.encode()


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_json():
    payload = {"seq": 1, "data": {}}
    expected = hashlib.sha256(
        chain.GENESIS.encode() + json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert chain.entry_hash(chain.GENESIS, payload) == expected


def test_naive_datetimes_and_nan_are_refused():
    with pytest.raises(ValueError):
        chain.normalise({"at": datetime(2026, 1, 1)})
    with pytest.raises(ValueError):
        chain.canonical_json({"x": float("nan")})
    with pytest.raises(TypeError):
        chain.normalise({"x": object()})


def test_normalised_values_hash_the_same_after_a_json_round_trip():
    data = {"score": Decimal("1.50"), "when": AT, "ids": {3, 1, 2}, "pair": (1, "a")}
    stored = json.loads(json.dumps(chain.normalise(data)))
    assert chain.canonical_json(stored) == chain.canonical_json(data)


def test_an_intact_chain_walks_clean():
    walker = chain.ChainWalker()
    for link in build(5):
        assert walker.check(link) is None
    assert walker.count == 5
    assert walker.check_head(head_seq=5, head_hash=build(5)[-1].hash) is None


def test_an_edited_entry_is_named():
    links = build(5)
    edited = links[2]
    links[2] = chain.Link(edited.seq, edited.prev_hash, edited.hash, {**edited.payload, "data": {"n": 99}})
    assert walk(links) == chain.Problem(3, "edited")


def test_a_deleted_entry_is_named_by_the_gap():
    links = build(5)
    del links[1]
    assert walk(links) == chain.Problem(2, "missing", "2..2")


def test_entries_cut_off_the_end_are_caught_by_the_head():
    links = build(5)
    walker = chain.ChainWalker()
    for link in links[:3]:
        walker.check(link)
    assert walker.check_head(head_seq=5, head_hash=links[-1].hash) == chain.Problem(4, "missing", "4..5")


def test_a_reordered_entry_is_named_with_the_entry_it_really_follows():
    links = build(5)
    # swap the seq numbers of entries 3 and 4 (as a raw UPDATE would): walking in seq order meets old 4 first
    third, fourth = links[2], links[3]
    moved = [
        chain.Link(3, fourth.prev_hash, fourth.hash, {**fourth.payload, "seq": 3}),
        chain.Link(4, third.prev_hash, third.hash, {**third.payload, "seq": 4}),
    ]
    by_hash = {third.hash: 4, fourth.hash: 3}
    assert walk(links[:2] + moved + links[4:], locate=by_hash.get) == chain.Problem(3, "reordered", "4")


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link():
    links = build(4)
    forged_payload = {**links[1].payload, "data": {"n": "forged"}}
    links[1] = chain.Link(2, links[1].prev_hash, chain.entry_hash(links[1].prev_hash, forged_payload), forged_payload)
    assert walk(links) == chain.Problem(3, "broken_link")
