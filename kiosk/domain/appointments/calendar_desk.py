"""The calendar as the supervisor's desk changes it: a service's slots and places, a closed day, an extra
session. A change takes effect at once, but never drops a booking silently: what it would strand (a booking no
longer on a slot, or beyond a slot's new places) is listed first, and saved only when the office says keep them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, BookingCalendar, BookingDay, Office, Service
from kiosk.domain.appointments import calendar
from kiosk.domain.appointments.calendar import SPAN_RE, ServiceCalendar, split_spans
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.declarations.checks import FieldProblem
from kiosk.domain.events.log import record_event
from kiosk.domain.languages import _
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.opening_hours import WEEKDAYS, span_minutes
from kiosk.domain.whole_numbers import whole_number

HOURS_LOOK = _("Write the hours like 07:30-11:30, 13:30-16:30.")


@dataclass(frozen=True)
class CalendarForm:
    """What the desk's form sends: text as typed, so a mistake comes back with the rest of the form kept."""

    bookable: bool
    slot_min: str
    places: str
    walk_in_percent: str
    horizon_days: str
    sessions: dict[str, str] = field(default_factory=dict)  # weekday -> "07:30-11:30, 13:30-16:30"

    @classmethod
    def of(cls, shown: ServiceCalendar) -> CalendarForm:
        return cls(shown.bookable, str(shown.slot_min), str(shown.places), str(round(shown.walk_in_share * 100)),
                   str(shown.horizon_days), {day: ", ".join(shown.sessions.get(day, [])) for day in WEEKDAYS})


@dataclass(frozen=True)
class CalendarPlan:
    """What saving did: saved, or not, with the problems of the form or the bookings it would strand."""

    saved: bool
    stranded: list[Appointment] = field(default_factory=list)
    problems: dict[str, FieldProblem] = field(default_factory=dict)


def check_calendar(form: CalendarForm, office: Office) -> ServiceCalendar:
    """The form as a calendar, or CalendarProblems; sessions only inside the office's hours of their day."""
    problems: dict[str, FieldProblem] = {}
    numbers = {}
    for key, low, high in (("slot_min", 5, 240), ("places", 1, 500), ("walk_in_percent", 0, 100),
                           ("horizon_days", 1, 120)):
        number = whole_number(getattr(form, key))
        if number is None or not low <= number <= high:
            problems[key] = FieldProblem(_("A whole number from %(low)s to %(high)s."), {"low": low, "high": high})
        numbers[key] = number or 0
    sessions = {}
    for day in WEEKDAYS:
        spans = split_spans(form.sessions.get(day, ""))
        problem = _session_problem(spans, office.hours.get(day))
        if problem:
            problems[f"sessions_{day}"] = problem
        sessions[day] = spans
    if problems:
        raise CalendarProblems(problems)
    return ServiceCalendar(form.bookable, numbers["slot_min"], numbers["places"], numbers["walk_in_percent"] / 100,
                           numbers["horizon_days"], {day: spans for day, spans in sessions.items() if spans})


class CalendarProblems(Exception):
    def __init__(self, problems: dict[str, FieldProblem]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def _session_problem(spans: list[str], hours: str | None) -> FieldProblem | None:
    if any(_bad_span(span) for span in spans):
        return FieldProblem(HOURS_LOOK)
    if spans and (not hours or any(not _inside(span_minutes(span), span_minutes(hours)) for span in spans)):
        return FieldProblem(_("Inside the office's hours of the day (%(hours)s); add an extra session for more."),
                            {"hours": hours or "—"})
    return None


def _bad_span(span: str) -> bool:
    return not SPAN_RE.match(span) or span_minutes(span)[0] >= span_minutes(span)[1]


def _inside(span: tuple[int, int], hours: tuple[int, int]) -> bool:
    return hours[0] <= span[0] and span[1] <= hours[1]


def save_calendar(session: Session, office: Office, service: Service, form: CalendarForm, now: datetime,
                  rules: BookingRules, actor: str, *, keep_stranded: bool = False) -> CalendarPlan:
    try:
        wanted = check_calendar(form, office)
    except CalendarProblems as wrong:
        return CalendarPlan(False, problems=wrong.problems)
    stranded = stranded_by(session, office, service, now, rules, wanted)
    if stranded and not keep_stranded:
        return CalendarPlan(False, stranded)
    row = session.scalar(select(BookingCalendar).where(BookingCalendar.office_id == office.id,
                                                       BookingCalendar.service_id == service.id))
    if row is None:
        row = BookingCalendar(office_id=office.id, service_id=service.id)
        session.add(row)
    row.bookable, row.slot_min, row.places = wanted.bookable, wanted.slot_min, wanted.places
    row.walk_in_share, row.horizon_days, row.sessions = wanted.walk_in_share, wanted.horizon_days, wanted.sessions
    row.updated_at = now
    session.flush()
    record_event(session, office.id, "calendar.changed", {"service": service.code, "kept": len(stranded)}, now,
                 actor)
    return CalendarPlan(True, stranded)


def stranded_by(session: Session, office: Office, service: Service, now: datetime, rules: BookingRules,
                wanted: ServiceCalendar, closed: set[date] | None = None) -> list[Appointment]:
    """Live bookings of the service the wanted calendar has no place for: off its slots (or on a day to be
    closed), or beyond a slot's places (the latest made first)."""
    live = list(session.scalars(select(Appointment).where(
        Appointment.office_id == office.id, Appointment.service_id == service.id, Appointment.status == "booked",
        Appointment.slot_at > now).order_by(Appointment.slot_at, Appointment.created_at, Appointment.id)))
    by_slot: dict[datetime, list[Appointment]] = defaultdict(list)
    starts: dict[date, set[datetime]] = {}
    stranded = []
    for appointment in live:
        day = service_day(office, appointment.slot_at)
        if day not in starts:
            slots = calendar.day_slots(session, office, service, day, wanted, rules)
            starts[day] = set() if closed and day in closed else {start for start, _end in slots}
        if appointment.slot_at in starts[day]:
            by_slot[appointment.slot_at].append(appointment)
        else:
            stranded.append(appointment)
    for held in by_slot.values():
        stranded += held[wanted.bookable_places:]
    return sorted(stranded, key=lambda a: (a.slot_at, a.id))


@dataclass(frozen=True)
class DayForm:
    day: date
    kind: str  # closed | extra
    service_id: int | None  # none: every service
    opens: str = ""
    closes: str = ""
    note: str = ""


def add_day(session: Session, office: Office, form: DayForm, now: datetime, rules: BookingRules, actor: str, *,
            keep_stranded: bool = False) -> CalendarPlan:
    """Close a day, or add an extra session (which strands nothing)."""
    if form.kind == "extra" and _bad_span(f"{form.opens}-{form.closes}"):
        return CalendarPlan(False, problems={"hours": FieldProblem(HOURS_LOOK)})
    if form.kind not in ("closed", "extra") or form.day < service_day(office, now):
        return CalendarPlan(False, problems={"day": FieldProblem(_("Choose a day from today on."))})
    stranded = []
    if form.kind == "closed":
        for service in office.services:
            if form.service_id in (None, service.id):
                wanted = calendar.calendar_of(session, office, service, rules)
                stranded += stranded_by(session, office, service, now, rules, wanted, closed={form.day})
    if stranded and not keep_stranded:
        return CalendarPlan(False, stranded)
    session.add(BookingDay(office_id=office.id, service_id=form.service_id, day=form.day, kind=form.kind,
                           opens=form.opens or None, closes=form.closes or None, note=form.note[:200]))
    session.flush()
    record_event(session, office.id, "calendar.day", {"day": form.day.isoformat(), "kind": form.kind,
                                                      "kept": len(stranded)}, now, actor)
    return CalendarPlan(True, stranded)


def remove_day(session: Session, office: Office, day_id: int, now: datetime, actor: str) -> None:
    """Take a closed day or an extra session off again (an extra session's bookings stay valid at their time)."""
    row = session.scalar(select(BookingDay).where(BookingDay.id == day_id, BookingDay.office_id == office.id))
    if row is not None:
        session.delete(row)
        session.flush()
        record_event(session, office.id, "calendar.day_removed", {"day": row.day.isoformat(), "kind": row.kind},
                     now, actor)


def days_ahead(session: Session, office: Office, now: datetime) -> list[BookingDay]:
    """The closed days and extra sessions from today on."""
    return list(session.scalars(select(BookingDay).where(
        BookingDay.office_id == office.id, BookingDay.day >= service_day(office, now)).order_by(BookingDay.day)))
