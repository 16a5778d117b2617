"""Days' figures read from their tickets, day by day: each group's tally, the waits by the whole second, arrivals
and departures by the quarter hour, appointments kept and missed, officers' time signed in. Read live for the
days still open, and once for each closed day (`closed_days` keeps them)."""

from __future__ import annotations

from collections import Counter as Tallies
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kiosk.data.models import Appointment, Declaration, Event, Office, StaffUser, Ticket
from kiosk.domain.statistics.measures import Measures, Targets
from kiosk.domain.statistics.periods import Period
from kiosk.domain.statistics.tally import Tally

SPLITS = ("service", "counter", "officer", "source", "priority", "day")
GREEN_CHANNEL = "urgent"
QUARTER_S = 900


@dataclass
class Figures:
    groups: dict[tuple[str, Any], Tally] = field(default_factory=dict)  # (split, key): split "day" is the whole
    waits: Tallies[int] = field(default_factory=Tallies)  # whole seconds waited: tickets called
    arrived: Tallies[tuple[date, int]] = field(default_factory=Tallies)  # (day, local minute of its quarter)
    left: Tallies[tuple[date, int]] = field(default_factory=Tallies)  # called, or gone before
    kept: int = 0
    missed: int = 0

    def group(self, split: str, key: Any) -> Tally:
        return self.groups.setdefault((split, key), Tally())

    def add(self, other: Figures) -> None:
        for key, tally in other.groups.items():
            self.group(*key).add(tally)
        self.waits.update(other.waits)
        self.arrived.update(other.arrived)
        self.left.update(other.left)
        self.kept += other.kept
        self.missed += other.missed


def from_tickets(session: Session, office: Office, days: Collection[date], targets: Targets, now: datetime
                 ) -> dict[date, Figures]:
    """The figures of each of these days."""
    if not days:
        return {}
    measures = Measures(session.get_bind().dialect.name)
    found: dict[date, Figures] = {}

    def of(day: date) -> Figures:
        return found.setdefault(day, Figures())

    span = Period(min(days), max(days))
    wanted = and_(Ticket.office_id == office.id, Ticket.service_day.in_(sorted(days)))
    _groups(session, measures, targets, wanted, of)
    _waits(session, measures, wanted, of)
    _quarters(session, office, measures, wanted, of)
    _appointments(session, office, span, now, days, of)
    _signed_in(session, office, span, wanted, days, of)
    return found


def clamped_wait(measures: Measures) -> ColumnElement[float]:
    """Never below zero: an appointment called before its slot waited none."""
    wait = measures.wait()
    return case((wait < 0, 0.0), else_=wait)


def _tickets(query: Any, wanted: ColumnElement[bool]) -> Any:
    return (query.select_from(Ticket).outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
            .outerjoin(Declaration, Declaration.id == Ticket.declaration_id).where(wanted))


def _groups(session: Session, measures: Measures, targets: Targets, wanted: ColumnElement[bool], of: Any) -> None:
    """One query grouped by every split's key, then each group added to its day's splits."""
    keys = (Ticket.service_id, Ticket.counter_id, Ticket.officer_id, measures.source(), Ticket.priority,
            Ticket.service_day)
    for row in session.execute(_tickets(select(*keys, *_sums(measures, targets)), wanted).group_by(*keys)):
        tally = Tally(*(value or 0 for value in row[len(keys):]))
        figures = of(row.service_day)
        for split, key in zip(SPLITS, row[:len(keys)], strict=True):
            figures.group(split, key).add(tally)


def _sums(measures: Measures, targets: Targets) -> list[ColumnElement[Any]]:
    """The Tally's fields, in order (signed-in time is the events', not the tickets')."""
    done = Ticket.status == "done"
    called = Ticket.called_at.is_not(None)
    started = Ticket.served_at.is_not(None)
    wait = clamped_wait(measures)

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    return [
        func.count(), count(done), count(Ticket.status == "no_show"), count(Ticket.status == "cancelled"),
        count(Ticket.transferred_from_id.is_not(None)), count(Ticket.priority.is_not(None)),
        count(Ticket.priority == GREEN_CHANNEL), count(Ticket.appointment_id.is_not(None)),
        count(called), func.sum(case((called, wait))),
        count(and_(done, called)), count(and_(done, called, wait <= measures.target(targets))),
        count(started), func.sum(case((started, measures.walk_up()))),
        count(and_(done, started)), func.sum(case((and_(done, started), measures.service()))),
        count(done), func.sum(case((done, measures.visit()))),
    ]


def _waits(session: Session, measures: Measures, wanted: ColumnElement[bool], of: Any) -> None:
    seconds = cast(func.round(clamped_wait(measures)), Integer)
    query = _tickets(select(Ticket.service_day, seconds, func.count()), wanted).where(Ticket.called_at.is_not(None))
    for day, waited, count in session.execute(query.group_by(Ticket.service_day, seconds)):
        of(day).waits[waited] += count


def _quarters(session: Session, office: Office, measures: Measures, wanted: ColumnElement[bool], of: Any) -> None:
    """Arrivals (issue) and departures from the queue (the call, or leaving before it) per quarter hour."""
    zone = ZoneInfo(office.timezone)
    for kind, moment in (("arrived", Ticket.issued_at), ("left", func.coalesce(Ticket.called_at, Ticket.finished_at))):
        quarter = measures.epoch(moment) // QUARTER_S
        query = select(Ticket.service_day, quarter, func.count()).where(wanted, moment.is_not(None))
        for day, q, count in session.execute(query.group_by(Ticket.service_day, quarter)):
            local = datetime.fromtimestamp(int(q) * QUARTER_S, UTC).astimezone(zone)
            getattr(of(day), kind)[(day, local.hour * 60 + local.minute)] += count


def _appointments(session: Session, office: Office, period: Period, now: datetime, days: Collection[date],
                  of: Any) -> None:
    """Appointments kept (checked in) and missed (not checked in by their slot's end), on their slot's day."""
    zone = ZoneInfo(office.timezone)
    start, end = period.utc_bounds(office.timezone)
    query = select(Appointment.slot_at, Appointment.status).where(
        Appointment.office_id == office.id, Appointment.slot_at >= start, Appointment.slot_at < end,
        Appointment.status.in_(("checked_in", "no_show", "booked")))
    for slot, status in session.execute(query):
        day = slot.astimezone(zone).date()
        if day not in days:
            continue
        if status == "checked_in":
            of(day).kept += 1
        elif status == "no_show" or slot < now:
            of(day).missed += 1


def _signed_in(session: Session, office: Office, period: Period, wanted: ColumnElement[bool],
               days: Collection[date], of: Any) -> None:
    """Each officer's time from sign-in to sign-out, on the sign-in's day; a sign-in never closed (the browser
    shut) lasts to the officer's last ticket finished that day."""
    zone = ZoneInfo(office.timezone)
    start, end = period.utc_bounds(office.timezone)
    staff = {name: staff_id for name, staff_id in session.execute(
        select(StaffUser.username, StaffUser.id).where(StaffUser.office_id == office.id))}
    last_done = {(day, officer): moment for day, officer, moment in session.execute(
        select(Ticket.service_day, Ticket.officer_id, func.max(Ticket.finished_at))
        .where(wanted, Ticket.officer_id.is_not(None)).group_by(Ticket.service_day, Ticket.officer_id))}
    events = session.execute(select(Event.actor, Event.kind, Event.created_at).where(
        Event.office_id == office.id, Event.kind.in_(("staff.login", "staff.logout")),
        Event.created_at >= start, Event.created_at < end).order_by(Event.created_at))
    since: dict[int, datetime] = {}
    for actor, kind, moment in events:
        officer = staff.get((actor or "").removeprefix("staff:"))
        if officer is None:
            continue
        if kind == "staff.login":
            since.setdefault(officer, moment)
        elif officer in since:
            _count(of, zone, officer, since.pop(officer), moment, days)
    for officer, signed_in in since.items():
        day = signed_in.astimezone(zone).date()
        _count(of, zone, officer, signed_in, last_done.get((day, officer)) or signed_in, days)


def _count(of: Any, zone: ZoneInfo, officer: int, signed_in: datetime, signed_out: datetime,
           days: Collection[date]) -> None:
    """The span on the sign-in's day, cut at its midnight."""
    day = signed_in.astimezone(zone).date()
    midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
    if day in days and signed_out > signed_in:
        of(day).group("officer", officer).signed_in_s += (min(signed_out, midnight) - signed_in).total_seconds()
