"""Arrivals per hour for the coming days, from the office's history.

Each weekday and hour is the weighted mean of the same weekday and hour over the last WEEKS usual weeks, a week
back weighing DECAY times the week after it. The days after a closed period (Tết: CLOSED_RUN or more days the
office would have been open, with no ticket) are a surge: the k-th day open after each past closed period had so
many times the usual arrivals; the mean of those ratios over past closures multiplies the forecast of the k-th day
open after the next one. Its error is measured the same way: forecast each past week from the weeks before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Office, Ticket

WEEKS = 8
DECAY = 0.75
CLOSED_RUN = 3  # open days in a row without a ticket: a closed period, after which a surge is learned
SURGE_DAYS = 10  # days open after a closed period that the surge lasts

Counts = Mapping[date, Mapping[int, int]]  # local day -> hour -> arrivals


@dataclass(frozen=True)
class Week:
    """The office's week: the hours each weekday (0 = Monday) is open."""

    hours: Mapping[int, range]

    def is_open(self, day: date) -> bool:
        return bool(self.hours.get(day.weekday()))


@dataclass(frozen=True)
class ForecastError:
    hours: int  # open hours forecast and compared
    mean_abs_error: float  # arrivals per hour
    weighted_abs_error: float  # summed error over summed arrivals (WAPE)


def office_week(hours: Mapping[str, str]) -> Week:
    """The office's configured hours as hours of the day: "07:30-17:00" covers hours 7 to 16."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    week = {}
    for index, name in enumerate(days):
        span = hours.get(name)
        if span:
            opens, closes = span.split("-")
            close_h, close_m = (int(part) for part in closes.split(":"))
            week[index] = range(int(opens.split(":")[0]), close_h + (1 if close_m else 0))
    return Week(week)


def hourly_arrivals(session: Session, office: Office, first: date, last: date) -> dict[date, dict[int, int]]:
    """Tickets issued per local day and hour, over these service days."""
    zone, counts = ZoneInfo(office.timezone), defaultdict[date, dict[int, int]](dict)
    query = select(Ticket.arrived_at).where(Ticket.office_id == office.id, Ticket.service_day >= first,
                                            Ticket.service_day <= last)
    for (arrived,) in session.execute(query):
        local = arrived.astimezone(zone)
        hours = counts[local.date()]
        hours[local.hour] = hours.get(local.hour, 0) + 1
    return dict(counts)


def forecast(counts: Counts, week: Week, first: date, days: int, closed: Collection[date] = ()) -> dict[date, dict[
        int, float]]:
    """Arrivals per hour for `days` days from `first`, from `counts` before it; `closed`: days known to be shut."""
    history_start = min(counts, default=first)
    shut = _closed_days(counts, week, history_start, first) | set(closed)
    surge = surge_profile(counts, week, history_start, first, shut)
    ahead: dict[date, dict[int, float]] = {}
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day in shut or not week.is_open(day):
            ahead[day] = {}
            continue
        factor = surge.get(_days_since_closure(day, week, shut, history_start), 1.0)
        ahead[day] = {hour: value * factor for hour, value in _usual(counts, week, day, first, shut).items()}
    return ahead


def surge_profile(counts: Counts, week: Week, start: date, before: date, shut: set[date]) -> dict[int, float]:
    """k -> arrivals on the k-th day open after a past closed period over the usual for that day, averaged."""
    ratios: dict[int, list[float]] = defaultdict(list)
    day = start
    while day < before:
        k = _days_since_closure(day, week, shut, start)
        if k and day not in shut and week.is_open(day):
            usual = sum(_usual(counts, week, day, day, shut).values())
            if usual:
                ratios[k].append(sum(counts.get(day, {}).values()) / usual)
        day += timedelta(days=1)
    return {k: sum(r) / len(r) for k, r in ratios.items()}


def backtest(counts: Counts, week: Week, first: date, weeks: int) -> tuple[ForecastError, ForecastError]:
    """Each of `weeks` weeks from `first` forecast from the days before it, hour by hour over its open hours:
    this forecast's error and the plain "same hour last week" one's."""
    ours, naive = [], []
    for index in range(weeks):
        start = first + timedelta(weeks=index)
        past = {day: hours for day, hours in counts.items() if day < start}
        ahead = forecast(past, week, start, 7)
        for day, hours in ahead.items():
            if not week.is_open(day) or not counts.get(day):
                continue  # a day the office was shut is not a forecast to score
            last_week = counts.get(day - timedelta(weeks=1), {})
            for hour in week.hours[day.weekday()]:
                actual = counts[day].get(hour, 0)
                ours.append((hours.get(hour, 0.0), actual))
                naive.append((float(last_week.get(hour, 0)), actual))
    return _error(ours), _error(naive)


def _usual(counts: Counts, week: Week, day: date, before: date, shut: set[date]) -> dict[int, float]:
    """The weighted mean per hour of the last WEEKS same weekdays before `before` that were open and not in a
    surge."""
    sums: dict[int, float] = defaultdict(float)
    weight, total = 1.0, 0.0
    back = day - timedelta(weeks=1)
    while back >= before:
        back -= timedelta(weeks=1)
    start, looked = min(counts, default=before), 0
    while back >= start and looked < WEEKS:
        if back not in shut and counts.get(back) and not _days_since_closure(back, week, shut, start):
            for hour, arrivals in counts[back].items():
                sums[hour] += weight * arrivals
            total += weight
            weight *= DECAY
            looked += 1
        back -= timedelta(weeks=1)
    return {hour: value / total for hour, value in sums.items()} if total else {}


def _closed_days(counts: Counts, week: Week, start: date, before: date) -> set[date]:
    """Open weekdays without a ticket in runs of CLOSED_RUN or more (a single quiet day is not a closure)."""
    shut, run = set(), []
    day = start
    while day < before:
        if week.is_open(day) and not counts.get(day):
            run.append(day)
        elif week.is_open(day):
            if len(run) >= CLOSED_RUN:
                shut.update(run)
            run = []
        day += timedelta(days=1)
    return shut | (set(run) if len(run) >= CLOSED_RUN else set())  # a closure still going on


def _days_since_closure(day: date, week: Week, shut: set[date], start: date) -> int:
    """1 for the first day open after a closed period, 2 for the second, ...; 0 beyond SURGE_DAYS or none."""
    opened, back = 0, day
    while back >= start and opened <= SURGE_DAYS:
        if back in shut:
            return opened if opened <= SURGE_DAYS else 0
        if week.is_open(back):
            opened += 1
        back -= timedelta(days=1)
    return 0


def _error(pairs: list[tuple[float, int]]) -> ForecastError:
    if not pairs:
        return ForecastError(0, 0.0, 0.0)
    errors = sum(abs(forecast_ - actual) for forecast_, actual in pairs)
    arrivals = sum(actual for _, actual in pairs)
    return ForecastError(len(pairs), errors / len(pairs), errors / arrivals if arrivals else 0.0)
