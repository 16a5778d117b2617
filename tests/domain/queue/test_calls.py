"""Calls at a counter with a fixed clock: lifecycle, events, transfer, out-of-order calls, recall and no-show,
the priority ratio and a closed counter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, Event, Office
from kiosk.domain.queue import calls
from kiosk.domain.queue.errors import CounterClosedError, NoCurrentTicketError, RequeueLimitError, WrongStateError
from tests.support.domain import committing, issue


def counter(session: Session, office: Office, number: int) -> Counter:
    return calls.get_counter(session, office, number)


def test_every_change_writes_its_event_in_the_same_transaction(session, office, settings, morning) -> None:
    ticket = issue(session, office, settings, morning)
    with committing(session):
        calls.call_next(session, counter(session, office, 1), morning, settings)
    kinds = session.scalars(select(Event.kind).order_by(Event.id)).all()
    assert kinds == ["ticket.issued", "ticket.called"]
    last = session.scalars(select(Event).order_by(Event.id.desc())).first()
    assert last is not None and last.payload["number"] == ticket.number and last.payload["counter"] == 1


def test_full_cycle_recall_no_show_requeue_call_start_done(session, office, settings, morning) -> None:
    ticket = issue(session, office, settings, morning)
    desk = counter(session, office, 1)
    t = morning
    with committing(session):
        assert calls.call_next(session, desk, t, settings).number == ticket.number
        calls.recall(session, desk, t + timedelta(minutes=1))
        calls.recall(session, desk, t + timedelta(minutes=2))
        requeued = calls.no_show(session, desk, t + timedelta(minutes=3), settings, requeue=True)
    assert (requeued.status, requeued.recall_count, requeued.requeue_count) == ("waiting", 2, 1)
    assert requeued.arrived_at == t + timedelta(minutes=3)  # back to the end of the queue
    with committing(session):
        calls.call_next(session, desk, t + timedelta(minutes=4), settings)
        with pytest.raises(RequeueLimitError):
            calls.no_show(session, desk, t + timedelta(minutes=5), settings, requeue=True)
        calls.start(session, desk, t + timedelta(minutes=6))
        done = calls.complete(session, desk, t + timedelta(minutes=9))
    assert done.status == "done" and done.finished_at == t + timedelta(minutes=9)
    with committing(session), pytest.raises(NoCurrentTicketError):
        calls.recall(session, desk, t + timedelta(minutes=10))


def test_no_show_without_requeue_closes_the_ticket(session, office, settings, morning) -> None:
    issue(session, office, settings, morning)
    desk = counter(session, office, 1)
    with committing(session):
        calls.call_next(session, desk, morning, settings)
        gone = calls.no_show(session, desk, morning, settings)
        assert gone.status == "no_show"
        assert calls.call_next(session, desk, morning, settings) is None


def test_transfer_keeps_number_and_arrival_so_the_citizen_keeps_their_place(session, office, settings, morning) -> None:
    early = issue(session, office, settings, morning)  # A001 at 09:00
    later = issue(session, office, settings, morning + timedelta(minutes=20), "passport-lost")  # D001 at 09:20
    with committing(session):
        calls.call_next(session, counter(session, office, 1), morning + timedelta(minutes=30), settings)
        moved = calls.transfer(session, counter(session, office, 1), "passport-lost", morning + timedelta(minutes=31))
    assert (moved.number, moved.status, moved.service.code) == ("A001", "transferred", "passport-lost")
    assert moved.arrived_at == early.issued_at
    with committing(session):
        # Counter 4 serves passport-lost: the transferred A001 (arrived 09:00) goes before D001 (09:20).
        first = calls.call_next(session, counter(session, office, 4), morning + timedelta(minutes=32), settings)
    assert first.number == "A001" and later.number == "D001"


def test_call_a_number_out_of_order(session, office, settings, morning) -> None:
    issue(session, office, settings, morning)
    wanted = issue(session, office, settings, morning + timedelta(minutes=1))
    desk = counter(session, office, 2)
    with committing(session):
        called = calls.call_number(session, desk, "a002", morning, "citizen with a baby")
    assert called.number == wanted.number and called.counter.number == 2
    event = session.scalars(select(Event).order_by(Event.id.desc())).first()
    assert event is not None and event.payload["out_of_order"] and event.payload["reason"] == "citizen with a baby"
    with committing(session), pytest.raises(WrongStateError):
        calls.call_number(session, counter(session, office, 1), "A002", morning)


def test_call_next_finishes_the_previous_ticket(session, office, settings, morning) -> None:
    first = issue(session, office, settings, morning)
    issue(session, office, settings, morning)
    desk = counter(session, office, 1)
    with committing(session):
        calls.call_next(session, desk, morning, settings)
        calls.call_next(session, desk, morning + timedelta(minutes=5), settings)
    session.refresh(first)
    assert first.status == "done"


def test_priority_ratio_and_unapproved_urgent(session, office, settings, morning) -> None:
    normal = issue(session, office, settings, morning)
    urgent = issue(session, office, settings, morning, priority="urgent")  # waits for a supervisor
    elders = [issue(session, office, settings, morning, priority="elderly") for _ in range(4)]
    assert not urgent.priority_approved and all(e.priority_approved for e in elders)
    desk = counter(session, office, 1)
    order = []
    with committing(session):
        for minute in range(6):
            order.append(calls.call_next(session, desk, morning + timedelta(minutes=minute), settings).number)
    # ratio 3: three elderly, then the oldest normal ticket, then the last elderly, then the urgent request.
    assert order == [elders[0].number, elders[1].number, elders[2].number, normal.number, elders[3].number,
                     urgent.number]


def test_closed_counter_cannot_call(session, office, settings, morning) -> None:
    issue(session, office, settings, morning)
    desk = counter(session, office, 3)
    with committing(session):
        calls.set_counter_state(session, desk, "paused", morning)
    with committing(session), pytest.raises(CounterClosedError):
        calls.call_next(session, desk, morning, settings)


def test_behind_a_long_queue_the_priority_ticket_and_then_the_oldest_are_called(session, office, settings,
                                                                                 morning) -> None:
    normals = [issue(session, office, settings, morning + timedelta(seconds=n)) for n in range(calls.HEADS + 8)]
    elder = issue(session, office, settings, morning + timedelta(minutes=1), priority="elderly")
    desk = counter(session, office, 1)
    order = []
    with committing(session):
        for minute in range(calls.HEADS + 9):
            order.append(calls.call_next(session, desk, morning + timedelta(minutes=2 + minute), settings).number)
    assert order == [elder.number, *(ticket.number for ticket in normals)]
