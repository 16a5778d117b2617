"""At the counter: calling the next citizen (or one out of turn), calling again, serving, finishing, no-show,
sending to another service, opening and closing the counter. Plain Python over a Session.

Every function takes the session and the time; the caller owns the transaction (and has locked the counter, see
`at_counter.act`). Each change writes its event last, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from kiosk.data.models import (
    AT_COUNTER_STATUSES,
    COUNTER_STATES,
    WAITING_STATUSES,
    Appointment,
    Counter,
    CounterState,
    Office,
    Ticket,
    TicketStatus,
)
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.call_policy import Candidate, call_order
from kiosk.domain.queue.errors import (
    CounterClosedError,
    CounterNotFoundError,
    NoCurrentTicketError,
    RequeueLimitError,
    TicketNotFoundError,
    UnknownCounterStateError,
    WrongStateError,
)
from kiosk.domain.queue.numbering import service_day, typed_number
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.tickets import find_service, ticket_payload

# Walk-ins of one service and kind (priority or not) are called in the order they came, so only the first few of
# each kind can be next: enough to pass over those other counters are calling this moment. A queue of hundreds
# after a holiday is read as a few dozen rows. Booked tickets go by their slot and are all read.
HEADS = 32


def _heads() -> Select[Any]:
    """The waiting tickets of the office's day and the counter's services that can be next: built once."""
    booked = Ticket.source == "appointment"
    place = func.row_number().over(partition_by=(Ticket.service_id, Ticket.priority_approved, booked),
                                   order_by=(Ticket.arrived_at, Ticket.id))
    waiting = (
        select(Ticket.id, Ticket.service_id, Ticket.arrived_at, Ticket.priority_approved, Ticket.source,
               Appointment.slot_at, place.label("place"))
        .outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
        .where(
            Ticket.office_id == bindparam("office"),
            Ticket.service_day == bindparam("day"),
            Ticket.status.in_(WAITING_STATUSES),
            Ticket.service_id.in_(bindparam("services", expanding=True)),
        )
        .subquery()
    )
    return select(waiting).where(or_(waiting.c.place <= HEADS, waiting.c.source == "appointment"))


_HEADS = _heads()


def get_counter(session: Session, office: Office, number: int, *, lock: bool = False) -> Counter:
    """The office's counter by its number; locked for the transaction when it is about to act."""
    query = select(Counter).where(Counter.office_id == office.id, Counter.number == number)
    counter = session.scalar(query.with_for_update() if lock else query)
    if counter is None:
        raise CounterNotFoundError(number)
    return counter


def current_ticket(session: Session, counter: Counter) -> Ticket | None:
    """The ticket called to or being served at the counter."""
    query = select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status.in_(AT_COUNTER_STATUSES))
    return session.scalar(query.order_by(Ticket.called_at.desc()).limit(1))


def call_next(
    session: Session, counter: Counter, now: datetime, settings: QueueSettings, actor: str | None = None
) -> Ticket | None:
    """Call the best waiting ticket to this counter; two counters calling at once never get the same one."""
    _require_open(counter)
    weights = {cs.service_id: cs.weight for cs in counter.services}
    day = service_day(counter.office, now)
    rows = session.execute(_HEADS, {"office": counter.office_id, "day": day, "services": list(weights)}).all()
    candidates = [Candidate(r.id, r.arrived_at, weights[r.service_id], r.priority_approved,
                            r.slot_at if r.source == "appointment" else None) for r in rows]
    for ticket_id in call_order(candidates, now, counter.priority_streak, settings.call):
        ticket = _lock_waiting(session, ticket_id)
        if ticket is not None:
            counter.priority_streak = counter.priority_streak + 1 if ticket.priority_approved else 0
            _finish_current(session, counter, now, actor)
            return _call(session, ticket, counter, now, actor, "ticket.called")
    return None


def call_number(
    session: Session, counter: Counter, number: str, now: datetime, reason: str = "", actor: str | None = None
) -> Ticket:
    """Call a given number out of order (an officer's choice, with a reason kept in the log)."""
    _require_open(counter)
    day = service_day(counter.office, now)
    ticket_id = session.scalar(
        select(Ticket.id).where(
            Ticket.office_id == counter.office_id, Ticket.service_day == day, Ticket.number == typed_number(number)
        )
    )
    if ticket_id is None:
        raise TicketNotFoundError(number)
    ticket = _lock_waiting(session, ticket_id)
    if ticket is None:
        raise WrongStateError(number)
    _finish_current(session, counter, now, actor)
    return _call(session, ticket, counter, now, actor, "ticket.called", {"out_of_order": True, "reason": reason})


def recall(session: Session, counter: Counter, now: datetime, actor: str | None = None) -> Ticket:
    """Announce the called ticket again; counted, so the officer can see when to give up."""
    ticket = _at_counter(session, counter, "called")
    ticket.recall_count += 1
    session.flush()
    record_event(session, counter.office_id, "ticket.recalled", ticket_payload(ticket), now, actor)
    return ticket


def start(session: Session, counter: Counter, now: datetime, actor: str | None = None) -> Ticket:
    """The citizen has arrived at the counter."""
    ticket = _at_counter(session, counter, "called")
    ticket.status, ticket.served_at = "serving", now
    session.flush()
    record_event(session, counter.office_id, "ticket.serving", ticket_payload(ticket), now, actor)
    return ticket


def complete(session: Session, counter: Counter, now: datetime, actor: str | None = None) -> Ticket:
    """The citizen's business at this counter is done."""
    ticket = _at_counter(session, counter, *AT_COUNTER_STATUSES)
    _done(session, ticket, now, actor)
    return ticket


def no_show(
    session: Session,
    counter: Counter,
    now: datetime,
    settings: QueueSettings,
    *,
    requeue: bool = False,
    actor: str | None = None,
) -> Ticket:
    """Nobody came: close the ticket, or put it back at the end of the queue if the office allows."""
    ticket = _at_counter(session, counter, "called")
    if requeue and ticket.requeue_count >= settings.max_requeues:
        raise RequeueLimitError(ticket.number)
    if requeue:
        ticket.status, ticket.arrived_at, ticket.counter = "waiting", now, None
        ticket.requeue_count += 1
        kind = "ticket.requeued"
    else:
        ticket.status, ticket.finished_at = "no_show", now
        kind = "ticket.no_show"
    session.flush()
    record_event(session, counter.office_id, kind, ticket_payload(ticket), now, actor)
    return ticket


def transfer(
    session: Session, counter: Counter, service_code: str, now: datetime, note: str = "", actor: str | None = None
) -> Ticket:
    """Send the citizen to another service; the ticket keeps its number, token and place by arrival time."""
    ticket = _at_counter(session, counter, *AT_COUNTER_STATUSES)
    target = find_service(session, counter.office, service_code)
    ticket.transferred_from_id = ticket.service_id
    ticket.service, ticket.status, ticket.counter = target, "transferred", None
    ticket.note = note or ticket.note
    session.flush()
    payload = ticket_payload(ticket) | {"from_counter": counter.number, "note": note}
    record_event(session, counter.office_id, "ticket.transferred", payload, now, actor)
    return ticket


def set_counter_state(
    session: Session, counter: Counter, state: str, now: datetime, actor: str | None = None
) -> None:
    """Open, pause or close a counter; the display and estimates follow."""
    counter.state = counter_state(state)
    session.flush()
    record_event(session, counter.office_id, "counter.state", {"counter": counter.number, "state": state}, now, actor)


def counter_state(typed: str) -> CounterState:
    """One of the states a counter can be in, or a refusal."""
    for state in COUNTER_STATES:
        if state == typed:
            return state
    raise UnknownCounterStateError(typed)


def _require_open(counter: Counter) -> None:
    if counter.state != "open":
        raise CounterClosedError(counter.number)


def _lock_waiting(session: Session, ticket_id: int) -> Ticket | None:
    """Lock the ticket if it still waits; a ticket another counter holds is skipped, not waited for."""
    query = select(Ticket).where(Ticket.id == ticket_id, Ticket.status.in_(WAITING_STATUSES))
    return session.scalar(query.with_for_update(skip_locked=True))


def _at_counter(session: Session, counter: Counter, *statuses: TicketStatus) -> Ticket:
    ticket = current_ticket(session, counter)
    if ticket is None:
        raise NoCurrentTicketError(counter.number)
    if ticket.status not in statuses:
        raise WrongStateError(ticket.number)
    return ticket


def _finish_current(session: Session, counter: Counter, now: datetime, actor: str | None) -> None:
    """Calling the next citizen closes the one before, as an officer would expect."""
    previous = current_ticket(session, counter)
    if previous is not None:
        _done(session, previous, now, actor)


def _done(session: Session, ticket: Ticket, now: datetime, actor: str | None) -> None:
    ticket.status, ticket.finished_at = "done", now
    session.flush()
    record_event(session, ticket.office_id, "ticket.done", ticket_payload(ticket), now, actor)


def _call(
    session: Session,
    ticket: Ticket,
    counter: Counter,
    now: datetime,
    actor: str | None,
    kind: str,
    extra: dict[str, Any] | None = None,
) -> Ticket:
    ticket.status, ticket.counter, ticket.called_at = "called", counter, now
    ticket.served_at = ticket.finished_at = None
    session.flush()
    record_event(session, counter.office_id, kind, ticket_payload(ticket) | (extra or {}), now, actor)
    return ticket
