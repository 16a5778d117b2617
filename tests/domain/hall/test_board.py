"""What the hall shows, straight from the domain: no app, a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kiosk.config import ConfigError
from kiosk.data.models import Office
from kiosk.domain.hall.board import DisplaySettings, hall_state, missed_calls
from kiosk.domain.queue import calls, tickets
from kiosk.domain.queue.settings import QueueSettings


def issue(session: Session, office: Office, settings: QueueSettings, now: datetime, *services: str) -> None:
    for service in services:
        tickets.issue_ticket(session, office, service, now, settings)
    session.commit()


def act(session: Session, office: Office, now: datetime, counter: int, action: Any, *args: Any) -> None:
    action(session, calls.get_counter(session, office, counter, lock=True), now, *args)
    session.commit()


def test_the_hall_shows_each_open_or_paused_counter_the_latest_calls_and_who_waits(
    session: Session, office: Office, settings: QueueSettings, morning: datetime, display_settings: DisplaySettings
) -> None:
    issue(session, office, settings, morning, "passport-first", "passport-first", "passport-first", "border-pass")
    act(session, office, morning, 1, calls.call_next, settings)
    act(session, office, morning + timedelta(seconds=5), 2, calls.call_next, settings)
    act(session, office, morning + timedelta(seconds=30), 1, calls.recall)
    act(session, office, morning, 3, lambda s, c, now: calls.set_counter_state(s, c, "paused", now))

    hall = hall_state(session, office, None, morning + timedelta(seconds=32), display_settings)
    assert [(c.number, c.ticket, c.status, c.paused) for c in hall.counters] == [
        (1, "A001", "called", False), (2, "A002", "called", False), (3, None, None, True), (4, None, None, False),
        (5, None, None, False), (6, None, None, False)]  # paused: shown as such, not hidden
    assert [c.flash_age_s for c in hall.counters[:2]] == [2.0, None]  # the recall flashes again, the older call not
    assert [(c.number, c.counter, c.recall) for c in hall.recent] == [
        ("A001", 1, True), ("A002", 2, False), ("A001", 1, False)]
    assert {s.prefix: s.waiting for s in hall.services} == {"A": 1, "B": 0, "C": 0, "D": 0, "E": 1, "F": 0}
    assert all(s.served for s in hall.services)  # B and C have other counters
    act(session, office, morning, 6, lambda s, c, now: calls.set_counter_state(s, c, "closed", now))
    later = hall_state(session, office, None, morning + timedelta(seconds=40), display_settings)
    assert [s.prefix for s in later.services if not s.served] == ["F"]  # counter 6 alone serves it
    assert 6 not in [c.number for c in later.counters]  # closed for the day: off the wall
    assert hall.office_names["vi"].startswith("Phòng Quản lý") and hall.timezone == "Asia/Ho_Chi_Minh"


def test_a_display_shows_only_its_zone(
    session: Session, office: Office, settings: QueueSettings, morning: datetime, display_settings: DisplaySettings
) -> None:
    calls.get_counter(session, office, 6).zone = "annex"
    session.commit()
    issue(session, office, settings, morning, "foreigners", "passport-first")
    act(session, office, morning, 6, calls.call_next, settings)
    act(session, office, morning, 1, calls.call_next, settings)
    annex = hall_state(session, office, "annex", morning, display_settings)
    assert [(c.number, c.ticket) for c in annex.counters] == [(6, "F001")]
    assert [c.number for c in annex.recent] == ["F001"]
    assert [c.number for c in hall_state(session, office, None, morning, display_settings).recent] == ["A001", "F001"]


def test_missed_calls_are_those_after_the_last_seen_and_young_enough(
    session: Session, office: Office, settings: QueueSettings, morning: datetime
) -> None:
    issue(session, office, settings, morning, *["passport-first"] * 4)
    for minutes, counter in ((0, 1), (5, 2), (9, 1), (10, 2)):
        act(session, office, morning + timedelta(minutes=minutes), counter, calls.call_next, settings)
    now = morning + timedelta(minutes=10, seconds=30)
    everything = missed_calls(session, office, None, (0, 10**9), now, 24 * 3600)
    assert [c.number for c in everything] == ["A001", "A002", "A003", "A004"]
    young = missed_calls(session, office, None, (0, 10**9), now, 120)
    assert [c.number for c in young] == ["A003", "A004"]
    after_first = missed_calls(session, office, None, (everything[2].event_id, everything[2].event_id), now, 120)
    assert after_first == []  # (after, upto]: the later ones reach the display live


def test_number_style_is_checked_at_start_up(config: dict[str, Any]) -> None:
    config["display"]["number_style"] = "roman"
    with pytest.raises(ConfigError, match="display.number_style must be one of digits, whole"):
        DisplaySettings.from_config(config)
