"""Priority requests (the elderly, a small child, a disability, pregnancy, the urgent green channel): the kiosk
only marks them; a supervisor approves (the ticket is called first, within the call policy) or refuses.

Plain Python over a Session; the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import WAITING_STATUSES, Office, Ticket
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.errors import TicketNotFoundError, WrongStateError
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.tickets import ticket_payload


def pending_priorities(session: Session, office: Office, now: datetime) -> list[Ticket]:
    """Today's waiting tickets whose priority (the urgent green channel, …) still waits for a supervisor."""
    query = select(Ticket).where(
        Ticket.office_id == office.id, Ticket.service_day == service_day(office, now),
        Ticket.status.in_(WAITING_STATUSES), Ticket.priority.is_not(None), Ticket.priority_approved.is_(False),
    )
    return list(session.scalars(query.order_by(Ticket.arrived_at, Ticket.id)))


def decide_priority(
    session: Session, office: Office, ticket_id: int, approve: bool, now: datetime, actor: str
) -> Ticket:
    """Approve (the next call at a counter of its service takes it first, within the call policy) or refuse
    (it keeps its place as a normal ticket). A ticket called or decided meanwhile is refused."""
    ticket = session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    if ticket is None or ticket.office_id != office.id:
        raise TicketNotFoundError(str(ticket_id))
    if ticket.status not in WAITING_STATUSES or ticket.priority is None or ticket.priority_approved:
        raise WrongStateError(ticket.number)
    asked = ticket.priority
    if approve:
        ticket.priority_approved = True
    else:
        ticket.priority = None
    session.flush()
    kind = "ticket.priority_approved" if approve else "ticket.priority_refused"
    record_event(session, office.id, kind, ticket_payload(ticket) | {"asked": asked}, now, actor)
    return ticket
