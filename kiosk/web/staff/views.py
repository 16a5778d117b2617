"""The counter console (`/staff`): an officer's tablet at one counter, ~1280x800, touch.

Every button posts the ticket the screen shows and gets the console back as a partial with what happened; the
waiting list comes live over the console's own SSE stream. A tablet opened once at `/staff?device=TOKEN` keeps
its counter in a cookie and opens there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from htmx_flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from kiosk.data.models import Counter, Office, Service, Ticket
from kiosk.domain.declarations.form import FORM_TITLES, choice_label, steps
from kiosk.domain.hall.board import SHOWN_KINDS
from kiosk.domain.office.settings import counters
from kiosk.domain.queue import tickets as queue
from kiosk.domain.queue import waiting_list as console
from kiosk.domain.queue.errors import QueueError
from kiosk.domain.whole_numbers import whole_number
from kiosk.runtime.app import db, read_db, runtime
from kiosk.web.api.stream import event_stream, sse_response
from kiosk.web.auth.views import require, staff_language
from kiosk.web.common.pairing import pair, paired_device
from kiosk.web.common.refusals import queue_refusal
from kiosk.web.common.staff_wording import staff_context
from kiosk.web.display.stream import sse_text

bp = Blueprint("staff", __name__, url_prefix="/staff")
# Changes that alter a counter's waiting list.
QUEUE_KINDS = SHOWN_KINDS | {"ticket.priority_approved", "ticket.priority_refused", "counter.saved", "service.saved"}
LONGEST_NOTE = 200  # a reason or a transfer note, as the API allows and the form's maxlength says
Action = Callable[[Session, Counter], str]
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
    """A tablet paired to counter 3 works counter 3 only, as its token does on the API."""
    wanted = (request.view_args or {}).get("number")
    if wanted is None:
        return None
    tablet = paired_device("staff")
    if tablet is None or tablet.works_at(wanted):
        return None
    if request.method == "GET" and not request.htmx:
        return redirect(url_for("staff.console_page", number=tablet.counter_number))
    return _("This tablet is paired to counter %(number)s.", number=tablet.counter_number), 403


@bp.after_request
def no_store(response: Response) -> Response:
    response.vary.add("HX-Request")
    response.headers["Cache-Control"] = "no-store"  # declarations are personal data: not in the tablet's cache
    return response


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
    waiting = console.waiting_at(read_db(), context["counter"], context["now"])
    return render_template("staff/console.html", **context, waiting=waiting)


@bp.post("/counters/<int:number>/call-next")
def call_next(number: int) -> str:
    def act(session: Session, counter: Counter) -> str:
        rt = runtime()
        ticket = queue.call_next(session, counter, rt.clock(), rt.settings, current_user.actor)
        return _("Called %(number)s.", number=ticket.number) if ticket else _("Nobody is waiting.")

    return counter_action(number, act)


@bp.post("/counters/<int:number>/call")
def call_number(number: int) -> str:
    wanted, reason = request.form.get("number", "").strip(), request.form.get("reason", "").strip()
    if not wanted or not reason:
        return render_console(number, error=_("Type the number and the reason for calling it out of turn."))
    if len(reason) > LONGEST_NOTE:
        return render_console(number, error=_("A reason or note of at most 200 characters, please."))

    def act(session: Session, counter: Counter) -> str:
        ticket = queue.call_number(session, counter, wanted, runtime().clock(), reason, current_user.actor)
        return _("Called %(number)s out of turn.", number=ticket.number)

    return counter_action(number, act)


@bp.post("/counters/<int:number>/recall")
def recall(number: int) -> str:
    def act(session: Session, counter: Counter) -> str:
        ticket = queue.recall(session, counter, runtime().clock(), current_user.actor)
        return _("Called %(number)s again (%(count)s).", number=ticket.number, count=ticket.recall_count)

    return counter_action(number, act)


@bp.post("/counters/<int:number>/start")
def start(number: int) -> str:
    def act(session: Session, counter: Counter) -> str:
        ticket = queue.start(session, counter, runtime().clock(), current_user.actor)
        return _("Serving %(number)s.", number=ticket.number)

    return counter_action(number, act)


@bp.post("/counters/<int:number>/complete")
def complete(number: int) -> str:
    def act(session: Session, counter: Counter) -> str:
        ticket = queue.complete(session, counter, runtime().clock(), current_user.actor)
        return _("%(number)s is done.", number=ticket.number)

    return counter_action(number, act)


@bp.post("/counters/<int:number>/no-show")
def no_show(number: int) -> str:
    requeue = request.form.get("requeue") == "1"

    def act(session: Session, counter: Counter) -> str:
        rt = runtime()
        ticket = queue.no_show(session, counter, rt.clock(), rt.settings, requeue=requeue, actor=current_user.actor)
        if requeue:
            return _("%(number)s did not come and is back at the end of the queue.", number=ticket.number)
        return _("%(number)s did not come.", number=ticket.number)

    return counter_action(number, act)


@bp.post("/counters/<int:number>/transfer")
def transfer(number: int) -> str:
    service, note = request.form.get("service", ""), request.form.get("note", "").strip()
    if len(note) > LONGEST_NOTE:
        return render_console(number, error=_("A reason or note of at most 200 characters, please."))

    def act(session: Session, counter: Counter) -> str:
        ticket = queue.transfer(session, counter, service, runtime().clock(), note, current_user.actor)
        return _("%(number)s was sent to %(service)s, keeping its place.", number=ticket.number,
                 service=ticket.service.name(str(get_locale())))

    return counter_action(number, act)


@bp.post("/counters/<int:number>/state")
def set_state(number: int) -> str:
    state = request.form.get("state", "")
    if state not in ("open", "paused", "closed"):
        abort(400)

    def act(session: Session, counter: Counter) -> str:
        queue.set_counter_state(session, counter, state, runtime().clock(), current_user.actor)
        return {"open": _("The counter is open."), "paused": _("The counter is paused."),
                "closed": _("The counter is closed.")}[state]

    return counter_action(number, act, check_shown=False)


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
        ticket = console.find_scanned(session, session.get_one(Office, current_user.office_id), typed,
                                      runtime().clock())
    except QueueError as exc:
        return render_template("staff/_scan.html", counter_number=counter, typed=typed, error=queue_refusal(exc)[1])
    target = url_for("staff.ticket_page", ticket_id=ticket.id, counter=counter)
    if request.htmx:
        return Response(status=204, headers={"HX-Redirect": target})
    return redirect(target)


@bp.get("/tickets/<int:ticket_id>")
def ticket_page(ticket_id: int) -> str:
    """The ticket with its declaration, grouped like the paper form; every opening is in the audit log."""
    counter, session, rt = request.args.get("counter", type=int), db(), runtime()
    with session.begin():  # rendered inside: the page and its audit event are one transaction
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or ticket.office_id != current_user.office_id:
            abort(404)
        declaration = console.open_declaration(session, ticket, rt.clock(), current_user.actor, counter)
        return render_template(
            "staff/ticket.html", ticket=ticket, declaration=declaration, counter=counter,
            office=session.get_one(Office, ticket.office_id), form=steps(declaration.kind) if declaration else (),
            form_titles=FORM_TITLES, choice_label=choice_label,
        )


def counter_action(number: int, act: Action, *, check_shown: bool = True) -> str:
    """Lock the counter, check it still has the ticket the screen showed, act, and show the console again."""
    session, outcome, error = db(), None, None
    shown = request.form.get("shown", "")
    try:
        with session.begin():
            counter = _counter(session, number, lock=True)
            if check_shown:
                console.expect_current(session, counter, whole_number(shown))
            outcome = act(session, counter)
    except QueueError as exc:
        error = queue_refusal(exc)[1]
    return render_console(number, outcome=outcome, error=error)


def render_console(number: int, **message: str | None) -> str:
    return render_template("staff/_console.html", **console_context(read_db(), number), **message)


def console_context(session: Session, number: int) -> dict[str, Any]:
    rt = runtime()
    counter = _counter(session, number)
    services = select(Service).where(Service.office_id == counter.office_id, Service.active).order_by(Service.prefix)
    return {
        "counter": counter,
        "current": queue.current_ticket(session, counter),
        "services": session.scalars(services).all(),
        "max_requeues": rt.settings.max_requeues,
        "now": rt.clock(),
    }


def _counter(session: Session, number: int, *, lock: bool = False) -> Counter:
    try:
        return queue.get_counter(session, session.get_one(Office, current_user.office_id), number, lock=lock)
    except QueueError:
        abort(404)


def _waiting_messages(office_id: int, number: int) -> Iterator[str]:
    rt = runtime()
    cursor = rt.hub.head  # read before the first list: whatever comes after is sent again, never lost

    def waiting_list(event_id: int) -> str:
        with rt.readonly_sessions() as session:
            counter = queue.get_counter(session, session.get_one(Office, office_id), number)
            html = render_template("staff/_waiting.html", waiting=console.waiting_at(session, counter, rt.clock()),
                                   now=rt.clock())
        return sse_text("waiting", html, event_id)

    yield waiting_list(cursor)
    yield from event_stream(rt.hub, office_id, cursor, rt.config["server"]["heartbeat_s"],
                            lambda batch: waiting_list(batch[-1].id) if any(e.kind in QUEUE_KINDS for e in batch)
                            else "")
