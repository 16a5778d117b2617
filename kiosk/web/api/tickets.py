"""Services and tickets: what a kiosk or ticket button needs."""

from __future__ import annotations

from flask import Response, g, jsonify
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.data.models import Office, Ticket
from kiosk.domain.appointments.check_in import AlreadyCheckedInError, CheckInError, check_in, record_refusal
from kiosk.domain.printing import jobs
from kiosk.domain.queue.errors import TicketNotFoundError
from kiosk.domain.queue.estimates import service_waits
from kiosk.domain.queue.tickets import cancel, issue_ticket
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.blueprint import bp
from kiosk.web.api.errors import ApiError
from kiosk.web.api.inputs import read_body
from kiosk.web.api.shapes import TakeTicket
from kiosk.web.common.bookings import booking_rules
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.limits import WRONG_CODES, device_or_address, limiter, refused
from kiosk.web.common.printing import wake_spooler
from kiosk.web.common.public_ticket import issued_ticket, public_ticket
from kiosk.web.common.refusals import check_in_refusal


@bp.get("/services")
@requires("kiosk", "display", "staff")
def list_services() -> Response:
    session, rt = read_db(), runtime()
    office = session.get_one(Office, caller().office_id)
    language = str(get_locale())
    return jsonify([
        {"code": s.service.code, "prefix": s.service.prefix, "name": s.service.name(language), "waiting": s.waiting,
         "estimated_wait_s": s.wait_s, "counters_open": s.counters_open}
        for s in service_waits(session, office, rt.clock(), rt.settings)
    ])


@bp.post("/tickets")
@limiter.limit(WRONG_CODES, key_func=device_or_address, deduct_when=refused)
@requires("kiosk", "staff")
def create_ticket() -> tuple[Response, int]:
    """A ticket for a service, or the one a declaration's code checks in (once a day: again, that day's ticket)."""
    body = read_body(TakeTicket)
    code = body.declaration or body.appointment
    if body.service is None and code is None:
        raise ApiError(422, _("Missing field: %(field)s.", field="service"))
    rt, session, who, now = runtime(), db(), caller(), runtime().clock()
    options = {"priority": body.priority, "language": body.language or str(get_locale()),
               "source": "kiosk" if who.role == "kiosk" else "staff", "actor": who.actor}
    try:
        with session.begin():
            office = session.get_one(Office, who.office_id)
            if code is not None:
                ticket = check_in(session, office, code, now, rt.settings, rt.config["declarations"],
                                  booking_rules(), **options)
            else:
                ticket = issue_ticket(session, office, str(body.service), now, rt.settings, **options)  # type: ignore[arg-type]
            printer_url = jobs.printer_for(who.role, who.printer_url, rt.config)
            if printer_url:
                jobs.enqueue(session, ticket, printer_url, now, who.device_id)
    except AlreadyCheckedInError as again:
        return jsonify(public_ticket(read_db(), again.ticket_id)), 200
    except CheckInError as wrong:
        g.refused = True
        with session.begin():
            record_refusal(session, who.office_id, wrong, now, who.actor)
        raise ApiError(*check_in_refusal(wrong)) from None
    if printer_url:
        wake_spooler()
    return jsonify(issued_ticket(session, ticket, office, printing=bool(printer_url))), 201


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
