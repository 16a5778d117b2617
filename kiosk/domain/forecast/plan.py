"""The desk's plan: per hour of the coming days the arrivals forecast, the counters Erlang C says they need, and
the counters that were open at that weekday and hour lately; with the forecast's own backtest error."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Office, Ticket
from kiosk.domain.forecast.arrivals import ForecastError, backtest, forecast, hourly_arrivals, office_week
from kiosk.domain.forecast.staffing import Target, counters_needed
from kiosk.domain.queue.daily import DailyCache
from kiosk.domain.queue.numbering import service_day

HISTORY_DAYS = 400  # a year and the weeks before it: the last Tết's surge is in it
RECENT_DAYS = 28  # the service time and the counters open are taken from these last days
BACKTEST_WEEKS = 8


@dataclass(frozen=True)
class PlanHour:
    hour: int
    arrivals: float
    needed: int
    were_open: float | None  # counters calling at this weekday and hour lately, on average; None: no such day


@dataclass(frozen=True)
class PlanDay:
    day: date
    hours: list[PlanHour]

    @property
    def arrivals(self) -> float:
        return sum(hour.arrivals for hour in self.hours)

    @property
    def peak_needed(self) -> int:
        return max((hour.needed for hour in self.hours), default=0)

    @property
    def peak_were_open(self) -> float | None:
        known = [hour.were_open for hour in self.hours if hour.were_open is not None]
        return max(known) if known else None


@dataclass(frozen=True)
class Plan:
    days: list[PlanDay]  # from today
    service_s: float
    target: Target
    error: ForecastError  # this forecast over the last weeks
    naive_error: ForecastError  # "the same hour last week", for comparison


_plans: DailyCache[Plan] = DailyCache(kept=8)


def office_plan(session: Session, office: Office, now: datetime, target: Target, horizon_days: int,
                default_service_s: float) -> Plan:
    """The plan from today for `horizon_days` days, learned from the days before today (once a day)."""
    today = service_day(office, now)

    def learn() -> Plan:
        counts = hourly_arrivals(session, office, today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1))
        week = office_week(office.hours)
        service_s = _service_s(session, office, today) or default_service_s
        were_open = _counters_open(session, office, today)
        ahead = forecast(counts, week, today, horizon_days)
        days = [PlanDay(day, [PlanHour(hour, arrivals, counters_needed(arrivals, service_s, target),
                                       were_open.get((day.weekday(), hour)))
                              for hour, arrivals in sorted(hours.items()) if hour in week.hours.get(day.weekday(),
                                                                                                     ())])
                for day, hours in ahead.items()]
        errors = backtest(counts, week, today - timedelta(weeks=BACKTEST_WEEKS), BACKTEST_WEEKS)
        return Plan(days, service_s, target, *errors)

    return _plans.get(session, office, today, learn)


def _service_s(session: Session, office: Office, today: date) -> float | None:
    """Mean time at the counter (call to finish) over the recent days."""
    rows = session.execute(select(Ticket.called_at, Ticket.finished_at).where(
        Ticket.office_id == office.id, Ticket.status == "done", Ticket.service_day >= today - timedelta(
            days=RECENT_DAYS), Ticket.service_day < today, Ticket.called_at.is_not(None)))
    seconds = [(finished - called).total_seconds() for called, finished in rows if called and finished]
    return sum(seconds) / len(seconds) if seconds else None


def _counters_open(session: Session, office: Office, today: date) -> dict[tuple[int, int], float]:
    """(weekday, hour) -> counters that called someone in that hour, averaged over the recent days it had any."""
    zone, calling = ZoneInfo(office.timezone), defaultdict[tuple[date, int], set[int]](set)
    rows = session.execute(select(Ticket.called_at, Ticket.counter_id).where(
        Ticket.office_id == office.id, Ticket.service_day >= today - timedelta(days=RECENT_DAYS),
        Ticket.service_day < today, Ticket.called_at.is_not(None), Ticket.counter_id.is_not(None)))
    for called, counter in rows:  # (both set: the query asks for them)
        if called is None or counter is None:
            continue
        local = called.astimezone(zone)
        calling[(local.date(), local.hour)].add(counter)
    by_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (day, hour), counters in calling.items():
        by_slot[(day.weekday(), hour)].append(len(counters))
    return {slot: sum(counts) / len(counts) for slot, counts in by_slot.items()}
