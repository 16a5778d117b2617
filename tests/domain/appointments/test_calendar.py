"""The calendar on a fixed clock (Monday 23 Nov 2026, 09:00 in Hanoi): slots inside the hours, places less the
walk-in share, closed days, extra sessions, the horizon, and the bookings a change would strand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, BookingDay, Office
from kiosk.domain.appointments import calendar, calendar_desk
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.queue.tickets import find_service
from tests.support.domain import committing

MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 7, minute, tzinfo=UTC)  # Hanoi is UTC+7 all year


def test_slots_inside_the_sessions_with_the_walk_in_share_kept(
        session: Session, office: Office, morning: datetime, rules: BookingRules) -> None:
    first = find_service(session, office, "passport-first")  # office file: 6 places, 07:30-11:30, 13:30-16:30
    slots = calendar.free_slots(session, office, first, TUESDAY, TUESDAY, morning, rules)[TUESDAY]
    assert (slots[0].start, slots[0].end) == (local(TUESDAY, 7, 30), local(TUESDAY, 7, 45))
    assert slots[-1].end == local(TUESDAY, 16, 30) and len(slots) == 16 + 12
    assert {(s.places, s.left) for s in slots} == {(4, 4)}  # 6 places, 30 % kept for walk-ins
    today = calendar.free_slots(session, office, first, MONDAY, MONDAY, morning, rules)[MONDAY]
    assert today[0].start == local(MONDAY, 9, 15)  # what has begun is not offered
    visa = find_service(session, office, "foreigners")  # the defaults: office hours, 4 places
    assert calendar.free_slots(session, office, visa, TUESDAY, TUESDAY, morning, rules)[TUESDAY][-1].end == local(
        TUESDAY, 17)


def test_closed_days_extra_sessions_and_the_horizon(
        session: Session, office: Office, morning: datetime, rules: BookingRules) -> None:
    first = find_service(session, office, "passport-first")
    sunday = date(2026, 11, 29)
    with committing(session):
        session.add_all([BookingDay(office_id=office.id, day=TUESDAY, kind="closed", note="Holiday"),
                         BookingDay(office_id=office.id, service_id=first.id, day=sunday, kind="extra",
                                    opens="08:00", closes="09:00", note="Surge")])
    days = calendar.free_slots(session, office, first, MONDAY, MONDAY + timedelta(days=30), morning, rules)
    assert days[TUESDAY] == [] and [s.start for s in days[sunday]] == [local(sunday, 8, m) for m in (0, 15, 30, 45)]
    assert max(days) == MONDAY + timedelta(days=rules.horizon_days)
    tet = min(rules.closed_days)  # the office file's Tết
    assert calendar.free_slots(session, office, first, tet, tet, local(tet, 9) - timedelta(days=3), rules)[tet] == []


def test_a_change_that_strands_bookings_lists_them_first(
        session: Session, office: Office, morning: datetime, rules: BookingRules,
        make_booking: Callable[..., Appointment]) -> None:
    kept = make_booking(local(TUESDAY, 8))
    stranded = make_booking(local(TUESDAY, 14), id_number="040195000124", phone="0912345679")
    first = find_service(session, office, "passport-first")
    mornings_only = calendar_desk.CalendarForm.of(calendar.calendar_of(session, office, first, rules))
    mornings_only = replace(mornings_only, sessions={**mornings_only.sessions, "tue": "07:30-11:30"})
    with committing(session):
        plan = calendar_desk.save_calendar(session, office, first, mornings_only, morning, rules, "staff:sup")
    assert [a.code for a in plan.stranded] == [stranded.code] and not plan.saved
    with committing(session):
        plan = calendar_desk.save_calendar(session, office, first, mornings_only, morning, rules, "staff:sup",
                                           keep_stranded=True)
    assert plan.saved and session.get(Appointment, stranded.id).status == "booked"  # the office decided: kept
    tuesday = calendar.free_slots(session, office, first, TUESDAY, TUESDAY, morning, rules)[TUESDAY]
    assert tuesday[-1].end == local(TUESDAY, 11, 30)
    assert next(s for s in tuesday if s.start == kept.slot_at).left == 3  # effective at once
