"""What the citizen's ticket says now, for the phone page, the kiosk's ticket screen and the API."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from sqlalchemy.orm import Session

from kiosk.data.models import Office, Ticket
from kiosk.domain.forecast.cutoff import after_closing
from kiosk.domain.printing.jobs import print_status
from kiosk.domain.printing.ticket_text import status_url
from kiosk.domain.queue.estimates import Estimate, estimate
from kiosk.domain.queue.tickets import told_at_issue
from kiosk.web.common.db import runtime


def public_ticket(session: Session, ticket_id: int) -> dict[str, Any]:
    """Place in the queue, wait, counter, print status, as they stand now; nothing personal."""
    rt = runtime()
    ticket = session.get_one(Ticket, ticket_id)
    office = session.get_one(Office, ticket.office_id)
    waits = estimate(session, office, ticket, rt.settings, rt.clock())
    return ticket_answer(ticket, office, waits, print_status(session, ticket.id))


def issued_ticket(session: Session, ticket: Ticket, office: Office, printing: bool) -> dict[str, Any]:
    """The answer to the request that just issued the ticket in `session`'s committed transaction, from what that
    transaction holds, without reading again: the estimate the ticket was issued with, and its print job, just
    queued (or none)."""
    told = told_at_issue(session, ticket.id)
    assert told is not None, "issue_ticket keeps the estimate of every ticket it issues"
    return ticket_answer(ticket, office, told, "pending" if printing else "none")


def ticket_answer(ticket: Ticket, office: Office, waits: Estimate, printing: str) -> dict[str, Any]:
    """The public ticket from its rows, the wait it is told and its print status (`print_status`'s words)."""
    rt = runtime()
    now = rt.clock()
    return {
        "number": ticket.number,
        "service": ticket.service.code,
        "service_name": ticket.service.name(str(get_locale())),
        "status": ticket.status,
        "counter": ticket.counter.number if ticket.counter else None,
        "priority": ticket.priority is not None,  # not why: the kind is for the staff's screens only
        "language": ticket.language,
        "issued_at": ticket.issued_at.isoformat(),
        "token": ticket.token,
        "status_url": status_url(rt.config, ticket.token),
        "position": waits.ahead,
        "estimated_wait_s": waits.wait_s,
        # Where waits like this one spread widely, the span most of them fell in (low, high), else None.
        "estimated_wait_range_s": [waits.wait.low_s, waits.wait.high_s] if waits.wait and waits.wait.wide else None,
        "after_closing": bool(waits.state and after_closing(waits.state, office, now)),  # may not be called today
        "print_status": printing,
    }
