"""The counter console (`/staff`): an officer's tablet at one counter, ~1280x800, touch.

Every button posts the ticket the screen shows and gets the console back as a partial with what happened; the
waiting list comes live over the console's own SSE stream. A tablet opened once at `/staff?device=TOKEN` keeps
its counter in a cookie and opens there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from htmx_flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from kiosk.data.models import Appointment, Counter, Office, Service, Ticket
from kiosk.domain.appointments.holder import NotAnIdNumberError, card_matches_booking
from kiosk.domain.declarations.form import FORM_TITLES, choice_label, steps
from kiosk.domain.declarations.opening import open_declaration
from kiosk.domain.hall.board import SHOWN_KINDS
from kiosk.domain.office.settings import counters
from kiosk.domain.queue import at_counter, calls
from kiosk.domain.queue.at_counter import CounterAction, CounterRequest
from kiosk.domain.queue.errors import QueueError
from kiosk.domain.queue.tickets import find_scanned
from kiosk.domain.queue.waiting_list import waiting_at
from kiosk.domain.whole_numbers import whole_number
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.htmx import hx_redirect, no_store
from kiosk.web.common.pairing import pair, paired_device
from kiosk.web.common.refusals import queue_refusal
from kiosk.web.common.sign_in import require, staff_language
from kiosk.web.common.sse import event_stream, sse_message, sse_response
from kiosk.web.common.staff_wording import staff_context
from kiosk.web.staff.outcomes import outcome

bp = Blueprint("staff", __name__, url_prefix="/staff")
# Changes that alter a counter's waiting list.
QUEUE_KINDS = SHOWN_KINDS | {"ticket.priority_approved", "ticket.priority_refused", "counter.saved", "service.saved"}
ConsoleAnswer = str | tuple[str, int]
bp.context_processor(staff_context)


@bp.before_request
def guard() -> Response | tuple[str, int] | None:
    """Pair first (the token leaves the address at once), then every address needs a signed-in officer."""
    staff_language()
    offered = request.args.get("device")
    if offered is not None:
        return pair("staff", offered)
    return require("officer")() or _only_the_paired_counter()


def _only_the_paired_counter() -> Response | tuple[str, int] | None:
    """A tablet paired to counter 3 works counter 3 only, as its token does on the API, and for its own office's
    officers only (in a province another office's officer would be working counter 3 of their own office)."""
    tablet = paired_device("staff")
    if tablet is None:
        return None
    if tablet.office_id != current_user.office_id:
        return _("This tablet belongs to another office. Sign out and sign in with an account of that office."), 403
    wanted = (request.view_args or {}).get("number")
    if wanted is None or tablet.works_at(wanted):
        return None
    if request.method == "GET" and not request.htmx:
        return redirect(url_for("staff.console_page", number=tablet.counter_number))
    return _("This tablet is paired to counter %(number)s.", number=tablet.counter_number), 403


bp.after_request(no_store)  # declarations are personal data: not in the tablet's cache


@bp.get("")
def home() -> Response | str:
    """A paired tablet opens on its counter; otherwise the officer chooses one."""
    tablet = paired_device("staff")
    if tablet is not None and tablet.counter_number is not None:
        return redirect(url_for("staff.console_page", number=tablet.counter_number))
    return choose_counter()


@bp.get("/counters")
def choose_counter() -> str:
    office = read_db().get_one(Office, current_user.office_id)
    return render_template("staff/choose.html", counters=counters(read_db(), office))


@bp.get("/counters/<int:number>")
def console_page(number: int) -> str:
    context = console_context(read_db(), number)
    waiting = waiting_at(read_db(), context["counter"], context["now"])
    return render_template("staff/console.html", **context, waiting=waiting)


@bp.post("/counters/<int:number>/call-next")
def call_next(number: int) -> ConsoleAnswer:
    return counter_action(number, "call_next")


@bp.post("/counters/<int:number>/call")
def call_number(number: int) -> ConsoleAnswer:
    wanted, reason = request.form.get("number", "").strip(), request.form.get("reason", "").strip()
    if not wanted or not reason:
        return render_console(number, error=_("Type the number and the reason for calling it out of turn."))
    return counter_action(number, "call", ticket_number=wanted, reason=reason)


@bp.post("/counters/<int:number>/recall")
def recall(number: int) -> ConsoleAnswer:
    return counter_action(number, "recall")


@bp.post("/counters/<int:number>/start")
def start(number: int) -> ConsoleAnswer:
    return counter_action(number, "start")


@bp.post("/counters/<int:number>/complete")
def complete(number: int) -> ConsoleAnswer:
    return counter_action(number, "complete")


@bp.post("/counters/<int:number>/no-show")
def no_show(number: int) -> ConsoleAnswer:
    return counter_action(number, "no_show", requeue=request.form.get("requeue") == "1")


@bp.post("/counters/<int:number>/transfer")
def transfer(number: int) -> ConsoleAnswer:
    service, note = request.form.get("service", ""), request.form.get("note", "").strip()
    return counter_action(number, "transfer", service=service, note=note)


@bp.post("/counters/<int:number>/state")
def set_state(number: int) -> ConsoleAnswer:
    return counter_action(number, "state", state=request.form.get("state", ""))


@bp.get("/counters/<int:number>/stream")
def waiting_stream(number: int) -> Response:
    """The counter's waiting list on connect and after every change to the queue."""
    _counter(read_db(), number)  # an unknown counter is a 404 now, not a broken stream the browser retries
    g.device = paired_device("staff")  # a paired tablet counts as connected while it listens
    return sse_response(stream_with_context(_waiting_messages(current_user.office_id, number)))


@bp.get("/scan")
def scan() -> Response | str:
    """What a scanner (or the camera, or a finger) typed: the ticket's QR address, or its number."""
    counter, typed = request.args.get("counter", type=int), request.args.get("q", "")
    session = read_db()
    try:
        ticket = find_scanned(session, session.get_one(Office, current_user.office_id), typed,
                                      runtime().clock())
    except QueueError as exc:
        return render_template("staff/_scan.html", counter_number=counter, typed=typed, error=queue_refusal(exc)[1])
    target = url_for("staff.ticket_page", ticket_id=ticket.id, counter=counter)
    return hx_redirect(target) if request.htmx else redirect(target)


@bp.get("/tickets/<int:ticket_id>")
def ticket_page(ticket_id: int) -> str:
    """The ticket with its declaration, grouped like the paper form; every opening is in the audit log."""
    counter, session, rt = request.args.get("counter", type=int), db(), runtime()
    with session.begin():  # rendered inside: the page and its audit event are one transaction
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or ticket.office_id != current_user.office_id:
            abort(404)
        declaration = open_declaration(session, ticket, rt.clock(), current_user.actor, _opened_at(ticket))
        return render_template(
            "staff/ticket.html", ticket=ticket, declaration=declaration, counter=counter,
            appointment=session.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None,
            office=session.get_one(Office, ticket.office_id), form=steps(declaration.kind) if declaration else (),
            form_titles=FORM_TITLES, choice_label=choice_label,
        )


@bp.post("/tickets/<int:ticket_id>/holder")
def check_holder(ticket_id: int) -> ConsoleAnswer:
    """Bookings cannot be passed on: the officer types or scans the ID card in front of them, and the booking says
    whether it was made with that card's number."""
    session, rt = db(), runtime()
    with session.begin():
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or ticket.office_id != current_user.office_id or ticket.appointment_id is None:
            abort(404)
        appointment = session.get_one(Appointment, ticket.appointment_id)
        office = session.get_one(Office, ticket.office_id)
        try:
            matches = card_matches_booking(session, office, ticket, request.form.get("id_number", ""),
                                           current_app.config["SECRET_KEY"], rt.clock(), current_user.actor)
        except NotAnIdNumberError:
            error = _("Type the 12-digit ID number, or scan the QR code on the back of the card.")
            return render_template("staff/_holder.html", ticket=ticket, appointment=appointment, office=office,
                                   error=error), 422
        return render_template("staff/_holder.html", ticket=ticket, appointment=appointment, office=office,
                               matches=matches)


def _opened_at(ticket: Ticket) -> int | None:
    """The counter an opening is logged at: the paired tablet's, else the one the ticket is called to. Never the
    address's `counter`, which only leads back to the console and anyone can type."""
    tablet = paired_device("staff")
    if tablet is not None and tablet.counter_number is not None:
        return tablet.counter_number
    return ticket.counter.number if ticket.counter else None


def counter_action(number: int, action: CounterAction, **details: Any) -> ConsoleAnswer:
    """Act on the ticket the screen showed (a state change whatever it shows), then show the console again."""
    ask = CounterRequest(action, current_user.actor, check_shown=action != "state",
                         shown_id=whole_number(request.form.get("shown", "")), officer_id=current_user.user_id,
                         **details)
    session, rt = db(), runtime()
    try:
        with session.begin():
            own = session.get_one(Office, current_user.office_id)
            ticket = at_counter.act(session, own, number, ask, rt.clock(), rt.settings)
    except QueueError as exc:
        status, error = queue_refusal(exc)
        # A refusal is news for the officer, shown in place; a request no console sends (400) is an error.
        return render_console(number, error=error), (400 if status == 400 else 200)
    return render_console(number, outcome=outcome(ask, ticket))


def render_console(number: int, **message: str | None) -> str:
    return render_template("staff/_console.html", **console_context(read_db(), number), **message)


def console_context(session: Session, number: int) -> dict[str, Any]:
    rt = runtime()
    counter = _counter(session, number)
    services = select(Service).where(Service.office_id == counter.office_id, Service.active).order_by(Service.prefix)
    return {
        "counter": counter,
        "current": calls.current_ticket(session, counter),
        "services": session.scalars(services).all(),
        "max_requeues": rt.settings.max_requeues,
        "now": rt.clock(),
    }


def _counter(session: Session, number: int) -> Counter:
    try:
        return calls.get_counter(session, session.get_one(Office, current_user.office_id), number)
    except QueueError:
        abort(404)


def _waiting_messages(office_id: int, number: int) -> Iterator[str]:
    rt = runtime()
    cursor = rt.hub.head  # read before the first list: whatever comes after is sent again, never lost

    def waiting_list(event_id: int) -> str:
        with rt.readonly_sessions() as session:
            counter = calls.get_counter(session, session.get_one(Office, office_id), number)
            html = render_template("staff/_waiting.html", waiting=waiting_at(session, counter, rt.clock()),
                                   now=rt.clock())
        return sse_message("waiting", html, event_id)

    yield waiting_list(cursor)
    yield from event_stream(rt.hub, office_id, cursor,
                            lambda batch: waiting_list(batch[-1].id) if any(e.kind in QUEUE_KINDS for e in batch)
                            else "", scope=("waiting", number, str(get_locale())))
