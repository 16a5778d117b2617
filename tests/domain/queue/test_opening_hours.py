"""The week's hours as the closed kiosk writes them: days in a row with the same hours go together."""

from __future__ import annotations

from kiosk.domain.queue.opening_hours import opening_week

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
