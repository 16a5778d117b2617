"""What the counter console shows and the checks behind its buttons. Plain Python over a Session.

The officer acts on the ticket their screen shows. Every action says which one that was, and it is refused when
the counter's ticket has changed meanwhile (a second tap, another tablet, the API), so nobody is called twice
and nobody is finished by mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.data.models import WAITING_STATUSES, Counter, Declaration, Office, Service, Ticket
from kiosk.domain.events.log import record_event
from kiosk.domain.queue import tickets as queue
from kiosk.domain.queue.errors import CounterChangedError, TicketNotFoundError
from kiosk.domain.queue.numbering import service_day

SHOWN_WAITING = 12  # per service; the console says how many more wait
TOKEN_IN_URL = re.compile(r"/t/([A-Za-z0-9_-]{16,43})/?(?:[?#].*)?$")


@dataclass(frozen=True)
class WaitingTicket:
    number: str
    arrived_at: datetime
    priority: str | None
    priority_approved: bool
    transferred: bool


@dataclass(frozen=True)
class ServiceQueue:
    service: Service
    tickets: list[WaitingTicket]
    total: int


def expect_current(session: Session, counter: Counter, shown_id: int | None) -> None:
    """Refuse when the counter's ticket is no longer the one the officer's screen shows."""
    current = queue.current_ticket(session, counter)
    if (current.id if current else None) != shown_id:
        raise CounterChangedError(counter.number)


def waiting_at(session: Session, counter: Counter, now: datetime) -> list[ServiceQueue]:
    """Today's waiting tickets for each service the counter serves: approved priority first, then by arrival."""
    day = service_day(counter.office, now)
    lines = []
    for link in sorted(counter.services, key=lambda cs: cs.service.prefix):
        waiting = (Ticket.office_id == counter.office_id, Ticket.service_day == day,
                   Ticket.service_id == link.service_id, Ticket.status.in_(WAITING_STATUSES))
        rows = session.execute(
            select(Ticket.number, Ticket.arrived_at, Ticket.priority, Ticket.priority_approved, Ticket.status)
            .where(*waiting)
            .order_by(Ticket.priority_approved.desc(), Ticket.arrived_at, Ticket.id)
            .limit(SHOWN_WAITING)
        ).all()
        shown = [WaitingTicket(r.number, r.arrived_at, r.priority, r.priority_approved, r.status == "transferred")
                 for r in rows]
        total = len(rows) if len(rows) < SHOWN_WAITING else session.scalar(select(func.count()).where(*waiting))
        lines.append(ServiceQueue(link.service, shown, total or 0))
    return lines


def find_scanned(session: Session, office: Office, typed: str, now: datetime) -> Ticket:
    """The ticket whose QR address (…/t/<token>) a scanner typed, or today's ticket with the number typed."""
    text = typed.strip()
    found = TOKEN_IN_URL.search(text)
    if found:
        return queue.find_ticket(session, office, found.group(1))
    query = select(Ticket).where(
        Ticket.office_id == office.id, Ticket.service_day == service_day(office, now), Ticket.number == text.upper()
    )
    ticket = session.scalar(query)
    if ticket is None:
        raise TicketNotFoundError(text)
    return ticket


def open_declaration(
    session: Session, ticket: Ticket, now: datetime, actor: str, counter: int | None
) -> Declaration | None:
    """The ticket's declaration, its opening written to the audit log (who, when, where); None when it has none."""
    if ticket.declaration_id is None:
        return None
    declaration = session.get(Declaration, ticket.declaration_id)
    if declaration is None:
        return None  # purged after the retention period
    payload = {"declaration_id": declaration.id, "ticket_id": ticket.id, "number": ticket.number, "counter": counter}
    record_event(session, ticket.office_id, "declaration.opened", payload, now, actor)
    return declaration
