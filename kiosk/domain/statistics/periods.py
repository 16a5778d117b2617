"""The period a report covers: whole days of the office's calendar, from the first to the last, both included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NAMED = ("today", "week", "month", "quarter", "year")
LONGEST_DAYS = 3 * 366  # a report of three years at most
EARLIEST, LATEST = date(1971, 1, 1), date(2999, 12, 31)  # far enough from the calendar's ends to reckon in UTC


class PeriodError(ValueError):
    """A period that is no period: its end before its start, a date that is none, or far too long."""


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodError(f"{self.last} is before {self.first}")
        if (self.last - self.first).days >= LONGEST_DAYS:
            raise PeriodError(f"more than {LONGEST_DAYS} days")
        if self.first < EARLIEST or self.last > LATEST:
            raise PeriodError(f"outside {EARLIEST} to {LATEST}")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def utc_bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """From the first day's local midnight to the midnight after the last."""
        zone = ZoneInfo(timezone)
        start = datetime.combine(self.first, time(0), zone)
        end = datetime.combine(self.last + timedelta(days=1), time(0), zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def named_period(name: str, today: date) -> Period:
    """This day, week (from Monday), month, quarter or year, up to today."""
    if name == "week":
        return Period(today - timedelta(days=today.weekday()), today)
    if name == "month":
        return Period(today.replace(day=1), today)
    if name == "quarter":
        return Period(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if name == "year":
        return Period(date(today.year, 1, 1), today)
    if name == "today":
        return Period(today, today)
    raise PeriodError(name)


def typed_period(first: str, last: str) -> Period:
    """A custom period from two ISO dates (YYYY-MM-DD)."""
    try:
        return Period(date.fromisoformat(first.strip()), date.fromisoformat(last.strip()))
    except ValueError as exc:
        raise PeriodError(str(exc)) from exc
