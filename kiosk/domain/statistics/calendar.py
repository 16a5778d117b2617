"""The office's past working days as the demo history lives them: opening hours per weekday, Tết and the public
holidays closed, and how busy a day is (weekday, the surge after a closed period)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.domain.queue.opening_hours import span_minutes

# The first day of the lunar new year in Vietnam; the office is closed from two days before to four days after.
TET = (date(2019, 2, 5), date(2020, 1, 25), date(2021, 2, 12), date(2022, 2, 1), date(2023, 1, 22),
       date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26),
       date(2029, 2, 13), date(2030, 2, 3), date(2031, 1, 23), date(2032, 2, 11))
HOLIDAYS = ((1, 1), (4, 30), (5, 1), (9, 1), (9, 2))  # New Year, Reunification, Labour Day, National Day
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Monday is the busiest day, Friday the quietest; Saturday is a morning only.
WEEKDAY_LOAD = {"mon": 1.25, "tue": 1.05, "wed": 1.0, "thu": 0.95, "fri": 0.9, "sat": 0.55, "sun": 0.4}
DEFAULT_HOURS = {day: "07:30-17:00" for day in WEEKDAYS[:5]}
SURGE_PEAK = 2.2  # the first day after a long closing brings 3.2 times a usual day (≈4x at its busiest hours)
SURGE_DAYS = 9  # the surge halves in about a week


@dataclass(frozen=True)
class WorkingDay:
    day: date
    opens_min: int  # minutes from midnight; 1440: open until midnight
    closes_min: int
    load: float  # 1.0: a usual Wednesday


def closed_on(day: date) -> bool:
    """A public holiday or Tết."""
    if (day.month, day.day) in HOLIDAYS:
        return True
    return any(tet - timedelta(days=2) <= day <= tet + timedelta(days=4) for tet in TET)


def working_days(hours: dict[str, str], first: date, last: date) -> list[WorkingDay]:
    """The days from first to last (both included) the office opens, with their hours and load."""
    hours = hours or DEFAULT_HOURS
    days: list[WorkingDay] = []
    closed_run = 0
    day = first - timedelta(days=14)  # start early so a surge that began before `first` is still felt
    since_reopening = 999
    while day <= last:
        weekday = WEEKDAYS[day.weekday()]
        if closed_on(day) or weekday not in hours:
            closed_run += 1 if closed_on(day) else 0
        else:
            since_reopening = 0 if closed_run >= 4 else since_reopening + 1
            closed_run = 0
            if day >= first:
                opens, closes = span_minutes(hours[weekday])
                surge = 1 + SURGE_PEAK * math.exp(-since_reopening / SURGE_DAYS)
                days.append(WorkingDay(day, opens, closes, WEEKDAY_LOAD[weekday] * surge))
        day += timedelta(days=1)
    return days
