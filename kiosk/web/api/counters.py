"""Counter actions for staff tablets and integrations; each acts on the counter's current ticket."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, jsonify
from flask_babel import gettext as _

from kiosk.data.models import Office, Ticket
from kiosk.domain.queue import at_counter
from kiosk.domain.queue.at_counter import CounterAction, CounterRequest
from kiosk.domain.queue.tickets import ticket_payload
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.blueprint import bp
from kiosk.web.api.errors import ApiError
from kiosk.web.api.inputs import read_body
from kiosk.web.api.shapes import CallNumber, CounterStateChange, NoShow, Press, Transfer
from kiosk.web.common.db import db, runtime

Answer = Response | tuple[str, int]
F = TypeVar("F", bound=Callable[..., Answer])


def own_counter(view: F) -> F:
    """A tablet paired to counter 3 acts at counter 3 only (checked before its request is read)."""

    @wraps(view)
    def guarded(number: int) -> Answer:
        who = caller()
        if not who.works_at(number):
            raise ApiError(403, _("This tablet is paired to counter %(number)s.", number=who.counter_number))
        return view(number)

    return guarded  # type: ignore[return-value]


@bp.post("/counters/<int:number>/call")
@requires("staff")
@own_counter
def call_number(number: int) -> Answer:
    body = read_body(CallNumber)
    return counter_action(number, "call", ticket_number=body.number, reason=body.reason or "")


@bp.post("/counters/<int:number>/no-show")
@requires("staff")
@own_counter
def no_show(number: int) -> Answer:
    return counter_action(number, "no_show", requeue=read_body(NoShow).requeue)


@bp.post("/counters/<int:number>/transfer")
@requires("staff")
@own_counter
def transfer(number: int) -> Answer:
    body = read_body(Transfer)
    return counter_action(number, "transfer", service=body.service, note=body.note or "")


@bp.post("/counters/<int:number>/state")
@requires("staff")
@own_counter
def set_state(number: int) -> Answer:
    return counter_action(number, "state", state=read_body(CounterStateChange).state)


def plain_action(action: CounterAction) -> Callable[[int], Answer]:
    """A button that takes no fields (any sent is refused): call next, call again, start, done."""

    def view(number: int) -> Answer:
        read_body(Press)
        return counter_action(number, action)

    return view


PLAIN_ACTIONS: tuple[tuple[CounterAction, str], ...] = (
    ("call_next", "call-next"), ("recall", "recall"), ("start", "start"), ("complete", "complete"),
)
for _action, _path in PLAIN_ACTIONS:
    bp.add_url_rule(f"/counters/<int:number>/{_path}", endpoint=_action, methods=["POST"],
                    view_func=requires("staff")(own_counter(plain_action(_action))))


def counter_action(number: int, action: CounterAction, **details: Any) -> Answer:
    """Act at the counter and answer with the ticket acted on (204: nobody waits, or a state change)."""
    who, rt, session = caller(), runtime(), db()
    with session.begin():
        office = session.get_one(Office, who.office_id)
        ticket = at_counter.act(session, office, number, CounterRequest(action, who.actor, **details), rt.clock(),
                                rt.settings)
        answer = None if ticket is None else staff_ticket(ticket)
    return ("", 204) if answer is None else jsonify(ticket=answer)


def staff_ticket(ticket: Ticket) -> dict[str, Any]:
    return ticket_payload(ticket) | {
        "arrived_at": ticket.arrived_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "requeue_count": ticket.requeue_count,
    }
