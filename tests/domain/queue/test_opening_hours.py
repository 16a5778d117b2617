"""The week's hours as the closed kiosk writes them (days in a row with the same hours go together), and today's
closing time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.data.models import Office
from kiosk.domain.queue.opening_hours import closing_time, opening_week

WORKING_WEEK = {day: "07:30-17:00" for day in ("mon", "tue", "wed", "thu", "fri")}


def test_days_in_a_row_with_the_same_hours_go_together() -> None:
    hours = {**WORKING_WEEK, "sat": "07:30-11:30"}
    assert opening_week(hours) == [("mon", "fri", "07:30-17:00"), ("sat", "sat", "07:30-11:30")]


def test_a_closed_day_or_other_hours_ends_a_run() -> None:
    hours = {**WORKING_WEEK, "wed": "13:00-17:00", "sun": "07:30-17:00"}
    del hours["fri"]
    assert opening_week(hours) == [("mon", "tue", "07:30-17:00"), ("wed", "wed", "13:00-17:00"),
                                   ("thu", "thu", "07:30-17:00"), ("sun", "sun", "07:30-17:00")]
    assert opening_week({}) == []


def test_an_office_open_until_midnight_closes_at_the_days_end() -> None:
    office = Office(timezone="Asia/Ho_Chi_Minh", hours={"mon": "07:30-24:00"})
    evening = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 22:00 in Hanoi
    assert closing_time(office, evening) == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    assert closing_time(office, evening + timedelta(days=1)) is None  # Tuesday: no hours
