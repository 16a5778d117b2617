"""Services and tickets: what a kiosk or ticket button needs."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import get_locale
from sqlalchemy import select

from kiosk.data.models import PRIORITY_KINDS, Office, Ticket
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.printing import jobs
from kiosk.domain.queue.errors import TicketNotFoundError
from kiosk.domain.queue.estimates import service_waits
from kiosk.domain.queue.tickets import cancel, issue_ticket
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.blueprint import bp
from kiosk.web.api.inputs import json_body, text_field
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.printing import wake_spooler
from kiosk.web.common.public_ticket import public_ticket


@bp.get("/services")
@requires("kiosk", "display", "staff")
def list_services() -> Response:
    session, rt = read_db(), runtime()
    office = session.get_one(Office, caller().office_id)
    language = str(get_locale())
    return jsonify([
        {"code": s.service.code, "prefix": s.service.prefix, "name": s.service.name(language), "waiting": s.waiting,
         "estimated_wait_s": s.wait_s}
        for s in service_waits(session, office, rt.clock(), rt.settings)
    ])


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
        ticket = issue_ticket(
            session, office, str(service), rt.clock(), rt.settings, priority=priority,  # type: ignore[arg-type]
            language=language, source="kiosk" if who.role == "kiosk" else "staff", actor=who.actor,
        )
        printer_url = jobs.printer_for(who.role, who.printer_url, rt.config)
        if printer_url:
            jobs.enqueue(session, ticket, printer_url, rt.clock(), who.device_id)
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
        ticket = cancel(session, token, rt.clock(), "citizen")
    return jsonify(public_ticket(read_db(), ticket.id))
