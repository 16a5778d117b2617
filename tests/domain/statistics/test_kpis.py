"""The report's figures on one hand-made day in Hanoi (UTC+7), every one worked out by hand below: a recall, a
no-show put back in the queue, a final no-show, a transfer keeping its arrival, an appointment waiting from its
slot, a citizen who left, and a ticket late in the evening beside one just after the office's midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Office, StaffUser, Ticket
from kiosk.domain.events.log import record_event
from kiosk.domain.queue import calls, tickets
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.statistics import closed_days
from kiosk.domain.statistics.kpis import Report, report
from kiosk.domain.statistics.measures import Targets
from kiosk.domain.statistics.periods import Period
from tests.support.domain import committing

DAY = date(2026, 11, 23)


def at(hour: int, minute: int, day: date = DAY) -> datetime:
    """Local time in Hanoi as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture
def day_report(session: Session, office: Office, settings: QueueSettings) -> Report:
    with committing(session):
        issued = {number: tickets.issue_ticket(session, office, service, at(h, m), settings, priority=priority)
                  for number, service, h, m, priority in [
                      ("A001", "passport-first", 9, 0, None), ("A002", "passport-first", 9, 2, None),
                      ("A003", "passport-first", 9, 3, None), ("B001", "passport-reissue", 9, 5, None),
                      ("C001", "passport-child", 9, 6, "elderly"), ("B002", "passport-reissue", 9, 45, None)]}
        appointment = Appointment(office_id=office.id, service_id=issued["B002"].service_id, slot_at=at(10, 0),
                                  ends_at=at(10, 15), code="123456", status="checked_in", language="vi",
                                  created_at=at(8, 0), checked_in_at=at(9, 45))
        session.add(appointment)
        session.flush()
        issued["B002"].appointment_id = appointment.id
        c1, c2, c3, c4 = (calls.get_counter(session, office, n) for n in (1, 2, 3, 4))
        tickets.cancel(session, issued["C001"].token, at(9, 15))
        serve(session, c1, "A001", at(9, 10), at(9, 11), at(9, 20))
        calls.call_number(session, c2, "A002", at(9, 20))
        calls.recall(session, c2, at(9, 21))
        calls.no_show(session, c2, at(9, 24), settings, requeue=True)  # waits again from 09:24
        calls.call_number(session, c2, "A003", at(9, 30))
        calls.recall(session, c2, at(9, 31))
        calls.no_show(session, c2, at(9, 33), settings)
        calls.call_number(session, c1, "B001", at(9, 25))
        calls.start(session, c1, at(9, 26))
        calls.transfer(session, c1, "passport-lost", at(9, 30))  # keeps its arrival at 09:05
        serve(session, c4, "B001", at(9, 40), at(9, 41), at(9, 50))
        serve(session, c2, "A002", at(9, 50), at(9, 51), at(9, 55))
        serve(session, c3, "B002", at(10, 5), at(10, 6), at(10, 10))  # the slot was 10:00
        tickets.issue_ticket(session, office, "passport-first", at(23, 50), settings)  # A004
        serve(session, c1, "A004", at(23, 55), at(23, 56), at(23, 59))
        tickets.issue_ticket(session, office, "passport-first", at(0, 10, DAY + timedelta(days=1)), settings)
    return report(session, office, Period(DAY, DAY), Targets(15 * 60, {}), at(12, 0, DAY + timedelta(days=1)))


def serve(session: Session, counter: object, number: str, call: datetime, start: datetime, done: datetime) -> None:
    calls.call_number(session, counter, number, call)  # type: ignore[arg-type]
    calls.start(session, counter, start)  # type: ignore[arg-type]
    calls.complete(session, counter, done)  # type: ignore[arg-type]


def test_counts_and_rates_are_over_the_days_arrivals(day_report: Report) -> None:
    t = day_report.total
    # A001-A004, B001, B002, C001: the ticket taken at 00:10 belongs to the next day.
    assert (t.issued, t.served, t.no_show, t.cancelled, t.transferred, t.priority) == (7, 5, 1, 1, 1, 1)
    assert (t.no_show_rate, t.cancelled_rate, t.priority_share) == (1 / 7, 1 / 7, 1 / 7)
    assert (day_report.appointments_kept, day_report.appointments_missed) == (1, 0)


def test_waits_walk_ups_services_and_visits(day_report: Report) -> None:
    # Waits of every ticket called: A001 10 min, A003 27 (09:03 to its call at 09:30), B001 35 (its arrival
    # 09:05 to its call at the new service, 09:40), A002 26 (from its requeue at 09:24), B002 5 (from its slot),
    # A004 5.
    assert day_report.waits == {300: 2, 600: 1, 1560: 1, 1620: 1, 2100: 1}
    t = day_report.total
    assert t.mean_wait_s == pytest.approx(6480 / 6)
    assert day_report.median_wait_s == pytest.approx((600 + 1560) / 2)
    assert day_report.p90_wait_s == pytest.approx(2100)
    # Served in time (15 min): A001, B002, A004 of the five served.
    assert t.service_level == pytest.approx(3 / 5)
    assert t.mean_walk_up_s == pytest.approx(60)
    assert t.mean_service_s == pytest.approx((540 + 540 + 240 + 240 + 180) / 5)
    # Visits from issue to done: A001 20 min, B001 45, A002 53, B002 25, A004 9.
    assert t.mean_visit_s == pytest.approx((1200 + 2700 + 3180 + 1500 + 540) / 5)


def test_splits_add_up_to_the_day(day_report: Report, session: Session) -> None:
    by_counter = {key: tally.issued for key, tally in day_report.splits["counter"].items()}
    numbers = {c.id: c.number for c in session.query(Ticket).first().service.office.counters}  # type: ignore[union-attr]
    assert {numbers.get(key): count for key, count in by_counter.items()} == {1: 2, 2: 2, 3: 1, 4: 1, None: 1}
    assert {k: v.issued for k, v in day_report.splits["source"].items()} == {"walk_in": 6, "appointment": 1}
    assert day_report.splits["priority"]["elderly"].cancelled == 1
    assert sum(t.served for t in day_report.splits["service"].values()) == 5


def test_a_closed_day_kept_reads_as_it_was_counted(session: Session, office: Office, day_report: Report) -> None:
    later = at(12, 0, DAY + timedelta(days=5))
    targets = Targets(15 * 60, {})
    with committing(session):
        closed_days.keep(session, office, closed_days.days_to_keep(session, office, Period(DAY, DAY), targets, later),
                         targets, later)
    assert closed_days.kept_days(session, office, Period(DAY, DAY), targets) == {DAY}
    kept = report(session, office, Period(DAY, DAY), targets, later)
    assert (kept.total, kept.waits, kept.median_wait_s, kept.p90_wait_s) == (
        day_report.total, day_report.waits, day_report.median_wait_s, day_report.p90_wait_s)
    assert kept.splits == day_report.splits and kept.shape == day_report.shape
    other_target = Targets(10 * 60, {})  # another target: the day is not read as kept, but from its tickets
    assert report(session, office, Period(DAY, DAY), other_target, later).total.within_target == 3  # A001: 10 min


def test_an_officer_idle_is_signed_in_time_less_service(session: Session, office: Office,
                                                        settings: QueueSettings) -> None:
    an = StaffUser(office_id=office.id, username="an", full_name="An", password_hash="!", role="officer",
                   active=True)
    with committing(session):
        session.add(an)
        session.flush()
        record_event(session, office.id, "staff.login", {"username": "an"}, at(8, 0), "staff:an")
        counter = calls.get_counter(session, office, 1)
        for minute in (10, 30):
            ticket = tickets.issue_ticket(session, office, "passport-first", at(8, minute - 5), settings)
            serve(session, counter, ticket.number, at(8, minute), at(8, minute + 1), at(8, minute + 10))
            ticket.officer_id = an.id
        record_event(session, office.id, "staff.logout", {"username": "an"}, at(9, 0), "staff:an")
        # Signed in again in the afternoon and never out: it lasts to the last ticket done that day (08:40).
        record_event(session, office.id, "staff.login", {"username": "an"}, at(14, 0), "staff:an")
    day = report(session, office, Period(DAY, DAY), Targets(900, {}), at(12, 0, DAY + timedelta(days=1)))
    officer = day.splits["officer"][an.id]
    assert (officer.served, officer.signed_in_s) == (2, 3600)
    assert officer.service_s == pytest.approx(2 * 540) and officer.idle_s == pytest.approx(3600 - 1080)
