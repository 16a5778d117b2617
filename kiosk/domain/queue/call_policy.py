"""Which waiting ticket a counter calls next: pure ordering, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Candidate:
    ticket_id: int
    arrived_at: datetime
    weight: float  # the counter's weight for the ticket's service
    priority: bool  # an approved priority ticket


@dataclass(frozen=True)
class CallPolicy:
    priority_ratio: int  # priority calls in a row before a waiting normal ticket gets its turn
    max_normal_wait: timedelta  # a normal ticket waiting this long goes before priority


def call_order(candidates: list[Candidate], now: datetime, streak: int, policy: CallPolicy) -> list[int]:
    """Ticket ids best first: overdue normal tickets, then priority within the ratio, then by weighted wait."""
    normals_wait = any(not c.priority for c in candidates)
    priority_turn = streak < policy.priority_ratio or not normals_wait

    def key(c: Candidate) -> tuple[int, float, datetime, int]:
        waited = now - c.arrived_at
        if not c.priority and waited >= policy.max_normal_wait:
            group = 0
        elif c.priority:
            group = 1 if priority_turn else 2
        else:
            group = 2 if priority_turn else 1
        # FIFO among equals: same weighted wait, then the earlier arrival, then the lower id.
        return (group, -waited.total_seconds() * c.weight, c.arrived_at, c.ticket_id)

    return [c.ticket_id for c in sorted(candidates, key=key)]
