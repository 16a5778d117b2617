"""Whether the office issues tickets now: its configured hours in its own time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.data.models import Office

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def office_is_open(office: Office, now: datetime) -> bool:
    """Within today's configured hours, or always when the office does not enforce them."""
    if not office.enforce_hours:
        return True
    local = now.astimezone(ZoneInfo(office.timezone))
    span = office.hours.get(WEEKDAYS[local.weekday()])
    if not span:
        return False
    opens, closes = span.split("-")
    return opens <= local.strftime("%H:%M") < closes


def span_minutes(span: str) -> tuple[int, int]:
    """ "07:30-11:30" as minutes from midnight (24:00 is the day's end)."""
    opens, closes = span.split("-")
    return _minutes(opens), _minutes(closes)


def closing_time(office: Office, now: datetime) -> datetime | None:
    """Today's closing time in the office's time zone; None on a day without hours."""
    zone = ZoneInfo(office.timezone)
    local = now.astimezone(zone)
    span = office.hours.get(WEEKDAYS[local.weekday()])
    if not span:
        return None
    return datetime.combine(local.date(), time(0), zone) + timedelta(minutes=span_minutes(span)[1])


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def opening_week(hours: dict[str, str]) -> list[tuple[str, str, str]]:
    """The week as a notice writes it: days in a row with the same hours together, as (first day, last day, hours):
    mon–fri 07:30-17:00, sat 07:30-11:30. A closed day ends a run."""
    week: list[tuple[str, str, str]] = []
    for day in WEEKDAYS:
        span = hours.get(day)
        if span and week and week[-1][2] == span and WEEKDAYS.index(week[-1][1]) == WEEKDAYS.index(day) - 1:
            week[-1] = (week[-1][0], day, span)
        elif span:
            week.append((day, day, span))
    return week
