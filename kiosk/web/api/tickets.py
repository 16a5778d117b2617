"""Services and tickets: what a kiosk or ticket button needs."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import PRIORITY_KINDS, Office, Service, Ticket
from kiosk.domain.printing import jobs as printing
from kiosk.domain.queue import tickets as queue
from kiosk.domain.queue.errors import TicketNotFoundError
from kiosk.domain.queue.estimates import estimate, service_wait_s, waiting_by_service
from kiosk.runtime.app import db, read_db, runtime
from kiosk.web.api import bp
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.inputs import json_body, text_field
from kiosk.web.api.print_jobs import wake_spooler
from kiosk.web.common.i18n import LANGUAGES


@bp.get("/services")
@requires("kiosk", "display", "staff")
def list_services() -> Response:
    session, rt = read_db(), runtime()
    office = session.get_one(Office, caller().office_id)
    waiting = waiting_by_service(session, office, rt.clock())
    language = str(get_locale())
    services = session.scalars(select(Service).where(Service.office_id == office.id, Service.active)).all()
    return jsonify(
        [
            {
                "code": s.code,
                "prefix": s.prefix,
                "name": s.name(language),
                "waiting": waiting.get(s.id, 0),
                "estimated_wait_s": service_wait_s(session, s, waiting.get(s.id, 0), *_estimate_args()),
            }
            for s in services
        ]
    )


@bp.post("/tickets")
@requires("kiosk", "staff")
def create_ticket() -> tuple[Response, int]:
    body = json_body({"service", "priority", "language"})
    service = text_field(body, "service", required=True)
    priority = text_field(body, "priority", choices=PRIORITY_KINDS)
    language = text_field(body, "language", choices=LANGUAGES) or str(get_locale())
    rt, session, who = runtime(), db(), caller()
    with session.begin():
        office = session.get_one(Office, who.office_id)
        ticket = queue.issue_ticket(
            session,
            office,
            str(service),
            rt.clock(),
            rt.settings,
            priority=priority,
            language=language,
            source="kiosk" if who.role == "kiosk" else "staff",
            actor=who.actor,
        )
        printer_url = printing.printer_for(who.role, who.printer_url, rt.config)
        if printer_url:
            printing.enqueue(session, ticket, printer_url, rt.clock(), who.device_id)
    if printer_url:
        wake_spooler()
    return jsonify(public_ticket(read_db(), ticket.id)), 201


@bp.get("/tickets/<token>")
def ticket_status(token: str) -> Response:
    """Public: the token is the secret, and the answer holds nothing personal."""
    session = read_db()
    ticket_id = session.scalar(select(Ticket.id).where(Ticket.token == token))
    if ticket_id is None:
        raise TicketNotFoundError(token)
    return jsonify(public_ticket(session, ticket_id))


@bp.post("/tickets/<token>/cancel")
def cancel_ticket(token: str) -> Response:
    """Public like the status: whoever holds the ticket's token may give up its place."""
    rt, session = runtime(), db()
    with session.begin():
        office_id = session.scalar(select(Ticket.office_id).where(Ticket.token == token))
        if office_id is None:
            raise TicketNotFoundError(token)
        ticket = queue.cancel(session, session.get_one(Office, office_id), token, rt.clock(), "citizen")
    return jsonify(public_ticket(read_db(), ticket.id))


def public_ticket(session: Session, ticket_id: int) -> dict[str, Any]:
    """What the citizen's ticket says now: place in the queue, wait, counter; nothing personal."""
    ticket = session.get_one(Ticket, ticket_id)
    office = session.get_one(Office, ticket.office_id)
    waits = estimate(session, office, ticket, *_estimate_args())
    waiting = ticket.status in ("waiting", "transferred")
    return {
        "number": ticket.number,
        "service": ticket.service.code,
        "service_name": ticket.service.name(str(get_locale())),
        "status": ticket.status,
        "counter": ticket.counter.number if ticket.counter else None,
        "priority": ticket.priority,
        "language": ticket.language,
        "issued_at": ticket.issued_at.isoformat(),
        "token": ticket.token,
        "status_url": status_url(ticket.token),
        "position": waits.ahead if waiting else 0,
        "estimated_wait_s": waits.wait_s if waiting else 0,
        "print_status": printing.print_status(session, ticket.id),
    }


def status_url(token: str) -> str:
    return printing.status_url(runtime().config, token)


def _estimate_args() -> tuple[int, int]:
    queue_config = runtime().config["queue"]
    return queue_config["estimate_sample"], queue_config["default_service_min"] * 60
