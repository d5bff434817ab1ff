"""Fetch batches are budgeted by bytes, so photo mail cannot blow up memory."""

from __future__ import annotations

from ingest.imap_source import size_batches


def test_batches_stay_within_the_byte_budget() -> None:
    sizes = {uid: 4_000_000 for uid in range(1, 11)}
    batches = size_batches(sizes, budget=10_000_000)
    assert all(sum(sizes[u] for u in batch) <= 10_000_000 for batch in batches)
    assert [u for batch in batches for u in batch] == list(range(1, 11))


def test_a_message_larger_than_the_budget_travels_alone() -> None:
    assert size_batches({1: 100, 2: 50_000_000, 3: 100}, budget=1_000_000) == [[1], [2], [3]]


def test_many_small_messages_share_one_batch_in_uid_order() -> None:
    assert size_batches({5: 10, 3: 10, 9: 10}, budget=1000) == [[3, 5, 9]]


def test_no_uids_no_batches() -> None:
    assert size_batches({}, budget=1000) == []
