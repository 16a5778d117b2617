"""Check-in at the kiosk on a fixed clock: the window's edges, the late rule both ways, the automatic no-show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Office
from kiosk.domain.appointments import check_in as appointments
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.appointments.window import mark_no_shows, state_of
from kiosk.domain.queue.settings import QueueSettings
from tests.support.domain import committing


def check_in(session: Session, office: Office, code: str, now: datetime, settings: QueueSettings,
             config: dict[str, Any], rules: BookingRules) -> Any:
    with committing(session):
        return appointments.check_in(session, office, code, now, settings, config["declarations"], rules,
                                     language="vi", source="kiosk")


@pytest.fixture
def slot(morning: datetime) -> datetime:
    return morning + timedelta(hours=1)  # 10:00 today


def test_the_window_opens_30_minutes_early(
        session: Session, office: Office, settings: QueueSettings, config: dict[str, Any], rules: BookingRules,
        slot: datetime, make_booking: Callable[..., Appointment]) -> None:
    booked = make_booking(slot)
    with pytest.raises(appointments.TooEarlyError) as early:
        check_in(session, office, booked.code, slot - timedelta(minutes=31), settings, config, rules)
    assert early.value.opens_at == slot - timedelta(minutes=30)  # "come back from 09:30"
    ticket = check_in(session, office, booked.code, slot - timedelta(minutes=30), settings, config, rules)
    assert (ticket.source, ticket.appointment_id, booked.status) == ("appointment", booked.id, "checked_in")


def test_late_keeps_the_day_as_a_walk_in(
        session: Session, office: Office, settings: QueueSettings, config: dict[str, Any], rules: BookingRules,
        slot: datetime, make_booking: Callable[..., Appointment]) -> None:
    on_time, late = make_booking(slot), make_booking(slot, id_number="040195000124", phone="0912345679")
    edge = check_in(session, office, on_time.code, slot + timedelta(minutes=15), settings, config, rules)
    assert edge.source == "appointment"
    walk_in = check_in(session, office, late.code, slot + timedelta(minutes=16), settings, config, rules)
    assert walk_in.source == "kiosk" and late.status == "checked_in"  # a walk-in ticket, not due at the slot


def test_late_refused_with_the_next_free_slots(
        session: Session, office: Office, settings: QueueSettings, config: dict[str, Any], rules: BookingRules,
        slot: datetime, make_booking: Callable[..., Appointment]) -> None:
    booked = make_booking(slot)
    with pytest.raises(appointments.TooLateError) as late:
        check_in(session, office, booked.code, slot + timedelta(minutes=16), settings, config,
                 replace(rules, late_rule="refuse"))
    assert late.value.next_slots[0].start == slot + timedelta(minutes=30)  # the next slot not begun


def test_a_booking_not_checked_in_becomes_a_no_show_on_its_own(
        session: Session, rules: BookingRules, slot: datetime, make_booking: Callable[..., Appointment]) -> None:
    booked = make_booking(slot)
    assert state_of(booked, slot + timedelta(minutes=15), rules) == "booked"
    assert state_of(booked, slot + timedelta(minutes=16), rules) == "no_show"  # as the desk reads it at once
    with committing(session):
        assert mark_no_shows(session, slot + timedelta(minutes=15), rules) == 0
        assert mark_no_shows(session, slot + timedelta(minutes=16), rules) == 1  # the housekeeping pass
    assert booked.status == "no_show"
