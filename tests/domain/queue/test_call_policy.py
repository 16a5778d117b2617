"""Call order, pure: weighted waiting time, priority ratio, maximum wait, FIFO among equals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.domain.queue.call_policy import CallPolicy, Candidate, call_order

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
POLICY = CallPolicy(priority_ratio=2, max_normal_wait=timedelta(minutes=45))


def waited(minutes: float, ticket_id: int, *, weight: float = 1.0, priority: bool = False) -> Candidate:
    return Candidate(ticket_id, NOW - timedelta(minutes=minutes), weight, priority)


def test_longest_wait_first_and_fifo_among_equals() -> None:
    same_time = [waited(10, 7), waited(10, 3), waited(20, 9)]
    assert call_order(same_time, NOW, 0, POLICY) == [9, 3, 7]


def test_weight_multiplies_waiting_time_across_services() -> None:
    # 10 minutes at weight 2 counts as 20 and beats 15 minutes at weight 1.
    assert call_order([waited(15, 1), waited(10, 2, weight=2.0)], NOW, 0, POLICY)[0] == 2


def test_priority_first_until_the_ratio_then_a_normal_ticket() -> None:
    queue = [waited(30, 1), waited(5, 2, priority=True)]
    assert call_order(queue, NOW, 0, POLICY)[0] == 2
    assert call_order(queue, NOW, 1, POLICY)[0] == 2
    assert call_order(queue, NOW, 2, POLICY)[0] == 1  # two priority calls in a row: a normal one's turn


def test_priority_continues_when_no_normal_ticket_waits() -> None:
    only_priority = [waited(5, 2, priority=True), waited(8, 4, priority=True)]
    assert call_order(only_priority, NOW, 9, POLICY) == [4, 2]


def test_a_normal_ticket_past_the_maximum_wait_goes_before_priority() -> None:
    queue = [waited(50, 1), waited(40, 2, priority=True)]
    assert call_order(queue, NOW, 0, POLICY)[0] == 1


def test_ratio_zero_gives_priority_no_preference() -> None:
    policy = CallPolicy(priority_ratio=0, max_normal_wait=timedelta(hours=3))
    assert call_order([waited(10, 1), waited(5, 2, priority=True)], NOW, 0, policy) == [1, 2]
