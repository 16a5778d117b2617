"""What the console's screen rests on: an action on a screen that is out of date is refused, and the waiting
list it shows puts approved priority first, then arrival."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.domain.queue import at_counter, calls, waiting_list
from kiosk.domain.queue.errors import CounterChangedError
from tests.support.domain import issue


def test_an_action_on_a_screen_that_is_out_of_date_is_refused(session, office, settings, morning) -> None:
    first = issue(session, office, settings, morning)
    counter = calls.get_counter(session, office, 1)
    at_counter.expect_current(session, counter, None)  # nobody at the counter, as the screen shows
    calls.call_next(session, counter, morning, settings)
    with pytest.raises(CounterChangedError):
        at_counter.expect_current(session, counter, None)  # a second tap of "call next"
    at_counter.expect_current(session, counter, first.id)


def test_the_waiting_list_shows_approved_priority_first_then_arrival(session, office, settings, morning) -> None:
    early = issue(session, office, settings, morning)
    urgent = issue(session, office, settings, morning + timedelta(minutes=1), priority="urgent")
    elderly = issue(session, office, settings, morning + timedelta(minutes=2), priority="elderly")
    issue(session, office, settings, morning, "passport-reissue")
    lines = waiting_list.waiting_at(session, calls.get_counter(session, office, 1), morning + timedelta(minutes=3))
    assert [(line.service.code, line.total) for line in lines] == [("passport-first", 3), ("passport-reissue", 1)]
    assert [t.number for t in lines[0].tickets] == [elderly.number, early.number, urgent.number]
