"""Which waiting ticket a counter calls next: pure ordering, no database.

A checked-in appointment is due at its slot: its wait counts from the slot's start (not from check-in), and once
the slot has begun it weighs as much as the heaviest service waiting, so it goes before every walk-in who arrived
after its slot began. It is a normal ticket otherwise: approved priority keeps its turn (within the ratio).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Candidate:
    ticket_id: int
    arrived_at: datetime
    weight: float  # the counter's weight for the ticket's service
    priority: bool  # an approved priority ticket
    due_at: datetime | None = None  # an appointment's slot start


@dataclass(frozen=True)
class CallPolicy:
    priority_ratio: int  # priority calls in a row before a waiting normal ticket gets its turn
    max_normal_wait: timedelta  # a normal ticket waiting this long goes before priority


def call_order(candidates: list[Candidate], now: datetime, streak: int, policy: CallPolicy) -> list[int]:
    """Ticket ids best first: overdue normal tickets, then priority within the ratio, then by weighted wait."""
    normals_wait = any(not c.priority for c in candidates)
    priority_turn = streak < policy.priority_ratio or not normals_wait
    heaviest = max((c.weight for c in candidates), default=1.0)

    def key(c: Candidate) -> tuple[int, float, datetime, int]:
        since = c.due_at or c.arrived_at
        waited = now - since
        weight = heaviest if c.due_at is not None and since <= now else c.weight
        if not c.priority and waited >= policy.max_normal_wait:
            group = 0
        elif c.priority:
            group = 1 if priority_turn else 2
        else:
            group = 2 if priority_turn else 1
        # FIFO among equals: same weighted wait, then the earlier arrival (or slot), then the lower id.
        return (group, -waited.total_seconds() * weight, since, c.ticket_id)

    return [c.ticket_id for c in sorted(candidates, key=key)]
