"""The per-process event hub: one office's stream sees only its events, and a long gap replays from the database."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kiosk.data.engine import readonly_session_factory
from kiosk.data.models import Office
from kiosk.domain.events.hub import EventHub
from kiosk.domain.events.log import record_event
from kiosk.domain.office.setup import sync_office


def add_events(session: Session, office: Office, now: datetime, count: int, kind: str = "ticket.called") -> None:
    for n in range(count):
        record_event(session, office.id, kind, {"number": f"A{n:03d}"}, now)
    session.commit()


def second_office(session: Session, config: dict[str, Any]) -> Office:
    office = sync_office(session, dict(config, office=dict(config["office"], code="xnc-ha-tinh")))
    session.commit()
    return office


def test_streams_see_only_their_office(session, office, config, morning) -> None:
    other = second_office(session, config)
    hub = EventHub(readonly_session_factory(session.get_bind()))
    start = hub.head
    add_events(session, other, morning, 2, "ticket.issued")
    add_events(session, office, morning, 1)
    hub.refresh()
    ours = hub.wait(office.id, start, timeout=0.1)
    theirs = hub.wait(other.id, start, timeout=0.1)
    assert [e.kind for e in ours] == ["ticket.called"] and [e.kind for e in theirs] == ["ticket.issued"] * 2


def test_a_waiting_stream_wakes_when_the_hub_is_poked(session, office, morning) -> None:
    hub = EventHub(readonly_session_factory(session.get_bind()), poll_s=30)
    hub.start()
    start, got = hub.head, []
    waiter = threading.Thread(target=lambda: got.extend(hub.wait(office.id, start, timeout=10)))
    waiter.start()
    time.sleep(0.1)
    add_events(session, office, morning, 1)
    hub.poke()  # what the app's after-commit hook does; the 30 s poll would be far too late
    waiter.join(5)
    hub.stop()
    assert [e.payload["number"] for e in got] == ["A000"]


def test_a_gap_older_than_memory_is_replayed_from_the_database(session, office, morning) -> None:
    hub = EventHub(readonly_session_factory(session.get_bind()), keep=5)
    start = hub.head
    add_events(session, office, morning, 12)
    hub.refresh()
    add_events(session, office, morning, 12)
    hub.refresh()  # memory now holds only the newest events
    replay = hub.wait(office.id, start, timeout=0.1)
    assert len(replay) == 24 and [e.id for e in replay] == sorted(e.id for e in replay)


def test_changes_within_the_window_reach_a_stream_in_one_batch(session, office, morning) -> None:
    hub = EventHub(readonly_session_factory(session.get_bind()), poll_s=30, window_s=1.0)
    hub.start()
    start = hub.head
    add_events(session, office, morning, 1)
    hub.poke()
    first = hub.wait(office.id, start, timeout=10)
    for _ in range(3):  # a burst while the hub lets its window pass after the first
        add_events(session, office, morning, 1)
        hub.poke()
    burst = hub.wait(office.id, first[-1].id, timeout=10)
    hub.stop()
    assert len(first) == 1 and len(burst) == 3


def stream_waiting(session: Session, office: Office, quiet_s: float) -> tuple[EventHub, threading.Thread, list[Any]]:
    """A started hub with a 30 s poll, and a stream waiting on it for up to a minute; what it got."""
    hub = EventHub(readonly_session_factory(session.get_bind()), poll_s=30, quiet_s=quiet_s)
    hub.start()
    start, got = hub.head, []
    waiter = threading.Thread(target=lambda: got.extend(hub.wait(office.id, start, timeout=60)))
    waiter.start()
    return hub, waiter, got


def test_a_new_ticket_wakes_streams_with_the_next_call_or_after_the_quiet_time(session, office, morning) -> None:
    hub, waiter, got = stream_waiting(session, office, quiet_s=30)
    add_events(session, office, morning, 2, "ticket.issued")
    hub.poke()
    time.sleep(0.5)  # ample for the hub to read them; a stream woken for them would be done by now
    asleep = waiter.is_alive() and not got
    add_events(session, office, morning, 1, "ticket.called")
    hub.poke()
    waiter.join(10)
    hub.stop()
    assert asleep
    assert [e.kind for e in got] == ["ticket.issued", "ticket.issued", "ticket.called"]


def test_new_tickets_alone_wake_streams_after_the_quiet_time(session, office, morning) -> None:
    hub, waiter, got = stream_waiting(session, office, quiet_s=0.3)
    add_events(session, office, morning, 1, "ticket.issued")
    hub.poke()
    waiter.join(10)  # woken by the hub, not by its own minute running out
    hub.stop()
    assert not waiter.is_alive() and [e.kind for e in got] == ["ticket.issued"]


def test_news_of_another_office_leaves_a_stream_asleep(session, office, config, morning) -> None:
    other = second_office(session, config)
    hub, waiter, got = stream_waiting(session, office, quiet_s=0.0)
    add_events(session, other, morning, 1)
    hub.poke()
    time.sleep(0.5)  # ample for the hub to read it; a stream woken for it would be done by now
    asleep = waiter.is_alive() and not got
    add_events(session, office, morning, 1)
    hub.poke()
    waiter.join(10)
    hub.stop()
    assert asleep
    assert [e.office_id for e in got] == [office.id]


def test_every_stream_wakes_empty_at_the_beat_for_its_heartbeat(session, office, config) -> None:
    other = second_office(session, config)
    hub = EventHub(readonly_session_factory(session.get_bind()), poll_s=30, beat_s=0.3)
    hub.start()
    start, got = hub.head, {}
    waiters = [threading.Thread(target=lambda o=o: got.__setitem__(o, hub.wait(o, start)))
               for o in (office.id, other.id)]
    for waiter in waiters:
        waiter.start()
    for waiter in waiters:
        waiter.join(10)  # no timeout of their own: only the beat ends their wait
    hub.stop()
    assert got == {office.id: [], other.id: []}


def test_the_beat_goes_on_while_a_read_hangs(session, office) -> None:
    hub = EventHub(readonly_session_factory(session.get_bind()), poll_s=30, beat_s=0.3)
    stuck = threading.Event()
    hub._read = lambda: stuck.wait(60)  # type: ignore[method-assign]  # the database stopped answering
    hub.start()
    hub.poke()
    start, got = hub.head, []
    waiter = threading.Thread(target=lambda: got.append(hub.wait(office.id, start)))
    waiter.start()
    waiter.join(10)
    hub.stop()
    stuck.set()
    assert got == [[]]  # its heartbeat came: a dead client is still found


def test_a_caught_up_stream_stands_at_the_newest_event_and_a_quiet_office_s_moves_past_memory(
    session, office, config, morning
) -> None:
    other = second_office(session, config)
    hub = EventHub(readonly_session_factory(session.get_bind()), keep=5)
    start = hub.head
    add_events(session, office, morning, 1)
    hub.refresh()
    assert hub.caught_up(office.id, start) is None  # news for it
    assert hub.caught_up(other.id, start) == hub.head  # none: it stands with everyone, at the newest event
    add_events(session, other, morning, 12)
    hub.refresh()
    add_events(session, other, morning, 12)
    hub.refresh()  # memory no longer reaches back to the first event
    assert hub.news(office.id, start) is None
    assert hub.caught_up(office.id, start) is None  # the database still has its call
    first_call = hub.wait(office.id, start, timeout=0.1)[-1].id
    asked = time.monotonic()
    assert hub.wait(office.id, first_call, timeout=0.2) == []
    assert time.monotonic() - asked >= 0.2  # it waited for news, not asked the database again and again
    assert hub.caught_up(office.id, first_call) == hub.head  # quiet since: past what memory let go of
