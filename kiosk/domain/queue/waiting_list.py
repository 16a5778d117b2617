"""The waiting list a counter console shows: today's waiting tickets of each service the counter serves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.data.models import WAITING_STATUSES, Counter, PriorityKind, Service, Ticket
from kiosk.domain.queue.numbering import service_day

SHOWN_WAITING = 12  # per service; the console says how many more wait


@dataclass(frozen=True)
class WaitingTicket:
    number: str
    arrived_at: datetime
    priority: PriorityKind | None
    priority_approved: bool
    transferred: bool
    appointment: bool = False  # checked in with a booking: due at its slot


@dataclass(frozen=True)
class WaitingLine:
    service: Service
    tickets: list[WaitingTicket]
    total: int


def waiting_at(session: Session, counter: Counter, now: datetime) -> list[WaitingLine]:
    """Today's waiting tickets for each service the counter serves: approved priority first, then by arrival."""
    day = service_day(counter.office, now)
    lines = []
    for link in sorted(counter.services, key=lambda cs: cs.service.prefix):
        waiting = (Ticket.office_id == counter.office_id, Ticket.service_day == day,
                   Ticket.service_id == link.service_id, Ticket.status.in_(WAITING_STATUSES))
        rows = session.execute(
            select(Ticket.number, Ticket.arrived_at, Ticket.priority, Ticket.priority_approved, Ticket.status,
                   Ticket.source)
            .where(*waiting)
            .order_by(Ticket.priority_approved.desc(), Ticket.arrived_at, Ticket.id)
            .limit(SHOWN_WAITING)
        ).all()
        shown = [WaitingTicket(r.number, r.arrived_at, r.priority, r.priority_approved, r.status == "transferred",
                               r.source == "appointment") for r in rows]
        total = len(rows) if len(rows) < SHOWN_WAITING else session.scalar(select(func.count()).where(*waiting))
        lines.append(WaitingLine(link.service, shown, total or 0))
    return lines
