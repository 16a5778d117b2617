"""Tickets: issuing one with the day's next number, finding one, the citizen giving one up. Plain Python over a
Session.

Every function takes the session and the time; the caller owns the transaction. Each change writes its event
last, in the same transaction.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import WAITING_STATUSES, Office, PriorityKind, Service, Ticket, TicketSource
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.errors import (
    DailyCapError,
    OfficeClosedError,
    TicketNotFoundError,
    UnknownServiceError,
    WrongStateError,
)
from kiosk.domain.queue.estimates import Estimate, estimate_for_new
from kiosk.domain.queue.numbering import format_number, service_day, take_next_seq, typed_number
from kiosk.domain.queue.opening_hours import office_is_open
from kiosk.domain.queue.settings import QueueSettings

TOKEN_IN_URL = re.compile(r"/t/([A-Za-z0-9_-]{16,43})/?(?:[?#].*)?$")
TOLD = "kiosk_told"  # session.info: the estimates issue_ticket worked out, by ticket id


def ticket_payload(ticket: Ticket) -> dict[str, Any]:
    """What an event says about a ticket: enough for a display and the audit log, nothing personal (a priority
    ticket is just that: why it is one, elderly, disabled or pregnant, stays on the staff's screens)."""
    return {
        "ticket_id": ticket.id,
        "number": ticket.number,
        "service": ticket.service.code,
        "status": ticket.status,
        "counter": ticket.counter.number if ticket.counter else None,
        "priority": ticket.priority is not None,
        "language": ticket.language,
        "recall_count": ticket.recall_count,
    }


def find_service(session: Session, office: Office, code: str) -> Service:
    service = session.scalar(select(Service).where(Service.office_id == office.id, Service.code == code))
    if service is None or not service.active:
        raise UnknownServiceError(code)
    return service


def issue_ticket(
    session: Session,
    office: Office,
    service_code: str,
    now: datetime,
    settings: QueueSettings,
    *,
    priority: PriorityKind | None = None,
    language: str = "vi",
    source: TicketSource = "api",
    actor: str | None = None,
) -> Ticket:
    """A new waiting ticket with the day's next number for its service."""
    service = find_service(session, office, service_code)
    if not office_is_open(office, now):
        raise OfficeClosedError(office.code)
    approved = priority in settings.auto_approved
    told = estimate_for_new(session, office, service, approved, now, settings)  # before the number's lock
    day = service_day(office, now)
    seq = take_next_seq(session, service, day)
    if service.daily_cap is not None and seq > service.daily_cap:
        raise DailyCapError(service.code)  # the caller's rollback returns the number
    ticket = Ticket(
        office_id=office.id,
        service=service,
        issued_service_id=service.id,
        service_day=day,
        seq=seq,
        number=format_number(service.prefix, seq),
        token=secrets.token_urlsafe(16),
        status="waiting",
        priority=priority,
        priority_approved=approved,
        source=source,
        language=language,
        issued_at=now,
        arrived_at=now,
        recall_count=0,
        requeue_count=0,
        estimated_wait_s=told.wait_s,  # what the citizen is told
    )
    session.add(ticket)
    session.flush()
    session.info.setdefault(TOLD, {})[ticket.id] = told
    record_event(session, office.id, "ticket.issued", ticket_payload(ticket), now, actor)
    return ticket


def told_at_issue(session: Session, ticket_id: int) -> Estimate | None:
    """The estimate `issue_ticket` worked out for this ticket in this session: the answer to the citizen shows it,
    the same figures as the paper, without reading the hall again."""
    told: Estimate | None = session.info.get(TOLD, {}).get(ticket_id)
    return told


def find_ticket(session: Session, office: Office, token: str) -> Ticket:
    """The office's ticket with this QR token (another office's ticket counts as none)."""
    ticket = session.scalar(select(Ticket).where(Ticket.token == token))
    if ticket is None or ticket.office_id != office.id:
        raise TicketNotFoundError(token)
    return ticket


def find_scanned(session: Session, office: Office, typed: str, now: datetime) -> Ticket:
    """The ticket whose QR address (…/t/<token>) a scanner typed, or today's ticket with the number typed."""
    text = typed.strip()
    found = TOKEN_IN_URL.search(text)
    if found:
        return find_ticket(session, office, found.group(1))
    day, number = service_day(office, now), typed_number(text)
    query = select(Ticket).where(Ticket.office_id == office.id, Ticket.service_day == day, Ticket.number == number)
    ticket = session.scalar(query)
    if ticket is None:
        raise TicketNotFoundError(text)
    return ticket


def cancel(session: Session, token: str, now: datetime, actor: str | None = None) -> Ticket:
    """The citizen gives up a waiting ticket; whoever holds its token may (the phone page, the API)."""
    ticket = session.scalar(select(Ticket).where(Ticket.token == token).with_for_update())
    if ticket is None:
        raise TicketNotFoundError(token)
    if ticket.status not in WAITING_STATUSES:
        raise WrongStateError(ticket.number)
    ticket.status, ticket.finished_at = "cancelled", now
    session.flush()
    record_event(session, ticket.office_id, "ticket.cancelled", ticket_payload(ticket), now, actor)
    return ticket
