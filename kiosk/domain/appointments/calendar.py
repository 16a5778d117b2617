"""A service's booking calendar: slots of a set length inside the office's hours, places per slot (less the share
kept for walk-ins), closed days and extra sessions, how far ahead. What the desk saved, else the office file.

Plain Python over a Session; times are aware UTC datetimes, days and hours the office's own.
"""

from __future__ import annotations

import re
from collections import Counter as Tally
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, BookingCalendar, BookingDay, Office, Service
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.opening_hours import WEEKDAYS, span_minutes

SPAN_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
TAKEN = ("booked", "checked_in")  # what holds a place (a no-show's slot is past anyway)


@dataclass(frozen=True)
class ServiceCalendar:
    bookable: bool
    slot_min: int
    places: int
    walk_in_share: float
    horizon_days: int
    sessions: dict[str, list[str]] = field(default_factory=dict)  # weekday -> ["07:30-11:30", ...]

    @property
    def bookable_places(self) -> int:
        """A slot's places less the walk-in share (rounded to the walk-ins' advantage)."""
        return max(0, int(self.places * (1 - self.walk_in_share) + 1e-9))


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    places: int
    left: int


def calendar_of(session: Session, office: Office, service: Service, rules: BookingRules) -> ServiceCalendar:
    """The desk's calendar for the service, else the office file's (`[appointments]`, per service on top)."""
    row = session.scalar(select(BookingCalendar).where(BookingCalendar.office_id == office.id,
                                                       BookingCalendar.service_id == service.id))
    if row is not None:
        return ServiceCalendar(row.bookable, row.slot_min, row.places, row.walk_in_share, row.horizon_days,
                               {day: list(spans) for day, spans in row.sessions.items()})
    own = rules.calendar.get(service.code, {})
    hours = own.get("hours") or office.hours
    return ServiceCalendar(
        bookable=own.get("bookable", True), slot_min=own.get("slot_min", rules.slot_min),
        places=own.get("places", rules.places), walk_in_share=own.get("walk_in_share", rules.walk_in_share),
        horizon_days=own.get("horizon_days", rules.horizon_days),
        sessions={day: split_spans(spans) for day, spans in hours.items() if spans},
    )


def split_spans(text: str) -> list[str]:
    """ "07:30-11:30, 13:30-16:30" as its spans (what the office file and the desk's fields hold)."""
    return [span.strip() for span in text.split(",") if span.strip()]


def sessions_on(session: Session, office: Office, service: Service, day: date, calendar: ServiceCalendar,
                rules: BookingRules) -> list[tuple[int, int]]:
    """The day's booking sessions in minutes from midnight: the weekday's, none on a closed day, with the day's
    extra sessions added."""
    exceptions = list(session.scalars(select(BookingDay).where(
        BookingDay.office_id == office.id, BookingDay.day == day,
        or_(BookingDay.service_id.is_(None), BookingDay.service_id == service.id))))
    closed = day in rules.closed_days or any(e.kind == "closed" for e in exceptions)
    spans = [] if closed else calendar.sessions.get(WEEKDAYS[day.weekday()], [])
    extra = [f"{e.opens}-{e.closes}" for e in exceptions if e.kind == "extra"]
    return sorted(span_minutes(span) for span in [*spans, *extra])


def day_slots(session: Session, office: Office, service: Service, day: date, calendar: ServiceCalendar,
              rules: BookingRules) -> list[tuple[datetime, datetime]]:
    """Every slot of the day as (start, end) in UTC, each whole inside its session."""
    midnight = datetime.combine(day, time.min, ZoneInfo(office.timezone))
    slots = []
    for opens, closes in sessions_on(session, office, service, day, calendar, rules):
        for start in range(opens, closes - calendar.slot_min + 1, calendar.slot_min):
            slots.append(((midnight + timedelta(minutes=start)).astimezone(UTC),
                          (midnight + timedelta(minutes=start + calendar.slot_min)).astimezone(UTC)))
    return slots


def free_slots(session: Session, office: Office, service: Service, first: date, last: date, now: datetime,
               rules: BookingRules) -> dict[date, list[Slot]]:
    """Bookable slots per day from `first` to `last` (within the horizon, from now on) with their places left;
    one query counts the bookings of the whole range."""
    calendar = calendar_of(session, office, service, rules)
    today = service_day(office, now)
    last = min(last, today + timedelta(days=calendar.horizon_days))
    first = max(first, today)
    if not calendar.bookable or first > last:
        return {}
    taken = _taken(session, office, service, first, last)
    found: dict[date, list[Slot]] = {}
    day = first
    while day <= last:
        found[day] = [Slot(start, end, calendar.bookable_places, calendar.bookable_places - taken[start])
                      for start, end in day_slots(session, office, service, day, calendar, rules) if start > now]
        day += timedelta(days=1)
    return found


def slot_at(session: Session, office: Office, service: Service, start: datetime, now: datetime,
            rules: BookingRules) -> Slot | None:
    """The bookable slot beginning at `start`, if there is one (open, in the horizon, not begun)."""
    day = service_day(office, start)
    for slot in free_slots(session, office, service, day, day, now, rules).get(day, []):
        if slot.start == start:
            return slot
    return None


def next_free(session: Session, office: Office, service: Service, now: datetime, rules: BookingRules,
              count: int = 3) -> list[Slot]:
    """The next few slots with a place left (what a late citizen is offered)."""
    today = service_day(office, now)
    days = free_slots(session, office, service, today, today + timedelta(days=rules.horizon_days), now, rules)
    return [slot for slots in days.values() for slot in slots if slot.left > 0][:count]


def day_range(office: Office, first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """From the office's midnight starting `first` to the one ending `last` (default: the same day)."""
    zone = ZoneInfo(office.timezone)
    return (datetime.combine(first, time.min, zone),
            datetime.combine((last or first) + timedelta(days=1), time.min, zone))


def _taken(session: Session, office: Office, service: Service, first: date, last: date) -> Tally[datetime]:
    since, until = day_range(office, first, last)
    rows = session.execute(select(Appointment.slot_at, func.count()).where(
        Appointment.office_id == office.id, Appointment.service_id == service.id,
        Appointment.status.in_(TAKEN), Appointment.slot_at >= since, Appointment.slot_at < until,
    ).group_by(Appointment.slot_at)).all()
    return Tally({start: count for start, count in rows})
