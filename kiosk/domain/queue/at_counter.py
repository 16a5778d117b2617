"""What an officer asks of a counter, done one way for the console and the API: lock the counter, check it still
has the ticket the officer's screen showed, act, and say which ticket it was.

The lock makes a double tap harmless; the check means a console that shows an old ticket (a second tablet, the
API, a slow network) never calls or finishes the wrong citizen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from kiosk.data.models import Counter, Office, Ticket
from kiosk.domain.queue import calls
from kiosk.domain.queue.errors import CounterChangedError, NoteTooLongError
from kiosk.domain.queue.settings import QueueSettings

LONGEST_NOTE = 200  # a reason or a transfer note; the form's maxlength says the same
CounterAction = Literal["call_next", "call", "recall", "start", "complete", "no_show", "transfer", "state"]


@dataclass(frozen=True)
class CounterRequest:
    """One button an officer pressed (or one API call), with what the button needs."""

    action: CounterAction
    actor: str
    ticket_number: str = ""  # call: the number called out of turn
    reason: str = ""  # call: why, kept in the log
    requeue: bool = False  # no_show: back to the end of the queue
    service: str = ""  # transfer: the service's code
    note: str = ""  # transfer: for the next counter
    state: str = ""  # state: open | paused | closed
    check_shown: bool = False  # the console sends the ticket its screen shows; the API acts on what is there
    shown_id: int | None = None
    officer_id: int | None = None  # the signed-in officer pressing; a device token acts for nobody in particular


Act = Callable[[Session, Counter, CounterRequest, datetime, QueueSettings], Ticket | None]
ACTIONS: dict[CounterAction, Act] = {
    "call_next": lambda s, c, r, now, qs: calls.call_next(s, c, now, qs, r.actor),
    "call": lambda s, c, r, now, qs: calls.call_number(s, c, r.ticket_number, now, r.reason, r.actor),
    "recall": lambda s, c, r, now, qs: calls.recall(s, c, now, r.actor),
    "start": lambda s, c, r, now, qs: calls.start(s, c, now, r.actor),
    "complete": lambda s, c, r, now, qs: calls.complete(s, c, now, r.actor),
    "no_show": lambda s, c, r, now, qs: calls.no_show(s, c, now, qs, requeue=r.requeue, actor=r.actor),
    "transfer": lambda s, c, r, now, qs: calls.transfer(s, c, r.service, now, r.note, r.actor),
    "state": lambda s, c, r, now, qs: calls.set_counter_state(s, c, r.state, now, r.actor),
}


def act(
    session: Session, office: Office, number: int, request: CounterRequest, now: datetime, settings: QueueSettings
) -> Ticket | None:
    """Do what the officer asked at counter `number`; the ticket acted on (None: nobody waits, or a state change)."""
    if len(request.reason) > LONGEST_NOTE or len(request.note) > LONGEST_NOTE:
        raise NoteTooLongError(str(LONGEST_NOTE))
    counter = calls.get_counter(session, office, number, lock=True)
    if request.check_shown:
        expect_current(session, counter, request.shown_id)
    ticket = ACTIONS[request.action](session, counter, request, now, settings)
    if ticket is not None:
        _mark_officer(ticket, request.officer_id)
    return ticket


def _mark_officer(ticket: Ticket, officer_id: int | None) -> None:
    """The officer who last handled the ticket at a counter (for their figures); none once it is back in a queue."""
    if ticket.counter_id is None:
        ticket.officer_id = None
    elif officer_id is not None:
        ticket.officer_id = officer_id


def expect_current(session: Session, counter: Counter, shown_id: int | None) -> None:
    """Refuse when the counter's ticket is no longer the one the officer's screen shows."""
    current = calls.current_ticket(session, counter)
    if (current.id if current else None) != shown_id:
        raise CounterChangedError(counter.number)
