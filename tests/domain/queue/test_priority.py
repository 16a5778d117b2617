"""A supervisor's priority decisions: an approved request goes first, a refused one keeps its place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.data.models import Event
from kiosk.domain.queue import calls, priority
from kiosk.domain.queue.errors import WrongStateError
from kiosk.domain.queue.estimates import waiting_ahead
from tests.support.domain import issue


def test_an_approved_priority_goes_first_and_a_refused_one_keeps_its_place(session, office, settings, morning) -> None:
    normal = issue(session, office, settings, morning)
    urgent = issue(session, office, settings, morning + timedelta(minutes=1), priority="urgent")
    other = issue(session, office, settings, morning + timedelta(minutes=2), priority="urgent")
    assert [t.id for t in priority.pending_priorities(session, office, morning)] == [urgent.id, other.id]
    priority.decide_priority(session, office, urgent.id, True, morning, "staff:boss")
    priority.decide_priority(session, office, other.id, False, morning, "staff:boss")
    session.commit()
    assert priority.pending_priorities(session, office, morning) == [] and other.priority is None
    with pytest.raises(WrongStateError):
        priority.decide_priority(session, office, urgent.id, True, morning, "staff:boss")
    now = morning + timedelta(minutes=3)
    order = [calls.call_next(session, calls.get_counter(session, office, n), now, settings) for n in (1, 2, 1)]
    assert [t.id for t in order if t] == [urgent.id, normal.id, other.id]
    kinds = session.scalars(select(Event.kind).where(Event.kind.like("ticket.priority%"))).all()
    assert sorted(kinds) == ["ticket.priority_approved", "ticket.priority_refused"]


def test_people_ahead_count_approved_priorities_before_earlier_arrivals(session, office, settings, morning) -> None:
    first = issue(session, office, settings, morning)
    second = issue(session, office, settings, morning + timedelta(minutes=1))
    urgent = issue(session, office, settings, morning + timedelta(minutes=2), priority="urgent")
    later_urgent = issue(session, office, settings, morning + timedelta(minutes=3), priority="urgent")
    for ticket in (urgent, later_urgent):
        priority.decide_priority(session, office, ticket.id, True, morning, "staff:boss")
    session.commit()
    ahead = {t.id: waiting_ahead(session, office, t) for t in (first, second, urgent, later_urgent)}
    assert ahead == {first.id: 2, second.id: 3, urgent.id: 0, later_urgent.id: 1}
