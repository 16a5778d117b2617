"""Appointments in the call order, on a fixed clock: due at the slot, before walk-ins who came after the slot
began, never before approved priority, the wait counted from the slot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.domain.queue.call_policy import CallPolicy, Candidate, call_order

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi
POLICY = CallPolicy(priority_ratio=3, max_normal_wait=timedelta(minutes=45))


def at(minutes: float) -> datetime:
    """`minutes` before now."""
    return NOW - timedelta(minutes=minutes)


def test_a_due_appointment_goes_before_walk_ins_who_came_after_its_slot() -> None:
    walk_in = Candidate(1, at(9), 2.0, False)  # came at 09:51, on a heavier service
    booked = Candidate(2, at(25), 1.0, False, due_at=at(10))  # checked in early, slot 09:50
    assert call_order([walk_in, booked], NOW, 0, POLICY) == [2, 1]


def test_its_wait_counts_from_the_slot_not_from_check_in() -> None:
    earlier = Candidate(1, at(15), 1.0, False)  # walked in at 09:45, before the slot began
    booked = Candidate(2, at(28), 1.0, False, due_at=at(10))  # checked in at 09:32, slot 09:50
    assert call_order([booked, earlier], NOW, 0, POLICY) == [1, 2]


def test_not_yet_due_waits_behind_walk_ins() -> None:
    booked = Candidate(1, at(20), 1.0, False, due_at=NOW + timedelta(minutes=10))
    assert call_order([booked, Candidate(2, at(1), 1.0, False)], NOW, 0, POLICY) == [2, 1]


def test_never_before_approved_priority() -> None:
    booked = Candidate(1, at(30), 1.0, False, due_at=at(20))
    priority = Candidate(2, at(1), 1.0, True)
    assert call_order([booked, priority], NOW, 0, POLICY) == [2, 1]
