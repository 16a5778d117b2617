"""Counter actions for staff tablets and integrations; each acts on the counter's current ticket."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, Office, Ticket
from kiosk.domain.queue import tickets as queue
from kiosk.runtime.app import db, runtime
from kiosk.web.api import bp
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.errors import ApiError
from kiosk.web.api.inputs import json_body, text_field

Action = Callable[[Session, Counter, dict[str, Any]], Ticket | None]


def counter_action(number: int, action: Action, fields: set[str]) -> Response | tuple[str, int]:
    """Lock the counter, act, answer with the ticket; the counter lock makes a double tap harmless."""
    who = caller()
    if not who.works_at(number):
        raise ApiError(403, _("This tablet is paired to counter %(number)s.", number=who.counter_number))
    body = json_body(fields)
    session = db()
    with session.begin():
        office = session.get_one(Office, who.office_id)
        counter = queue.get_counter(session, office, number, lock=True)
        ticket = action(session, counter, body)
        answer = None if ticket is None else staff_ticket(ticket)
    return ("", 204) if answer is None else jsonify(ticket=answer)


def staff_ticket(ticket: Ticket) -> dict[str, Any]:
    return queue.ticket_payload(ticket) | {
        "arrived_at": ticket.arrived_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "requeue_count": ticket.requeue_count,
    }


@bp.post("/counters/<int:number>/call-next")
@requires("staff")
def call_next(number: int) -> Response | tuple[str, int]:
    rt = runtime()
    return counter_action(
        number, lambda s, c, _b: queue.call_next(s, c, rt.clock(), rt.settings, caller().actor), set()
    )


@bp.post("/counters/<int:number>/call")
@requires("staff")
def call_number(number: int) -> Response | tuple[str, int]:
    def act(session: Session, counter: Counter, body: dict[str, Any]) -> Ticket:
        wanted = str(text_field(body, "number", required=True))
        reason = text_field(body, "reason") or ""
        return queue.call_number(session, counter, wanted, runtime().clock(), reason, caller().actor)

    return counter_action(number, act, {"number", "reason"})


@bp.post("/counters/<int:number>/recall")
@requires("staff")
def recall(number: int) -> Response | tuple[str, int]:
    return counter_action(number, lambda s, c, _b: queue.recall(s, c, runtime().clock(), caller().actor), set())


@bp.post("/counters/<int:number>/start")
@requires("staff")
def start(number: int) -> Response | tuple[str, int]:
    return counter_action(number, lambda s, c, _b: queue.start(s, c, runtime().clock(), caller().actor), set())


@bp.post("/counters/<int:number>/complete")
@requires("staff")
def complete(number: int) -> Response | tuple[str, int]:
    return counter_action(number, lambda s, c, _b: queue.complete(s, c, runtime().clock(), caller().actor), set())


@bp.post("/counters/<int:number>/no-show")
@requires("staff")
def no_show(number: int) -> Response | tuple[str, int]:
    def act(session: Session, counter: Counter, body: dict[str, Any]) -> Ticket:
        requeue = body.get("requeue", False)
        if not isinstance(requeue, bool):
            raise ApiError(422, _("Field %(field)s must be true or false.", field="requeue"))
        rt = runtime()
        return queue.no_show(session, counter, rt.clock(), rt.settings, requeue=requeue, actor=caller().actor)

    return counter_action(number, act, {"requeue"})


@bp.post("/counters/<int:number>/transfer")
@requires("staff")
def transfer(number: int) -> Response | tuple[str, int]:
    def act(session: Session, counter: Counter, body: dict[str, Any]) -> Ticket:
        service = str(text_field(body, "service", required=True))
        note = text_field(body, "note") or ""
        return queue.transfer(session, counter, service, runtime().clock(), note, caller().actor)

    return counter_action(number, act, {"service", "note"})


@bp.post("/counters/<int:number>/state")
@requires("staff")
def set_state(number: int) -> Response | tuple[str, int]:
    def act(session: Session, counter: Counter, body: dict[str, Any]) -> Ticket | None:
        state = str(text_field(body, "state", required=True, choices=("open", "paused", "closed")))
        queue.set_counter_state(session, counter, state, runtime().clock(), caller().actor)
        return None

    return counter_action(number, act, {"state"})
