"""What the supervisor's desk shows of the bookings: a day's by slot with their state, and a week's occupancy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, AppointmentStatus, Office, Service, Ticket
from kiosk.domain.appointments import calendar
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.appointments.window import state_of


@dataclass(frozen=True)
class BookingLine:
    code: str
    service: Service
    start: datetime
    state: AppointmentStatus | str  # "served" once its ticket is done
    ticket: str | None  # the number it checked in with
    declaration: bool
    booked_by: str | None


@dataclass(frozen=True)
class Occupancy:
    service: Service
    days: list[tuple[date, int, int]]  # (day, booked, bookable places)


def day_bookings(session: Session, office: Office, day: date, now: datetime,
                 rules: BookingRules) -> list[BookingLine]:
    """The day's bookings by slot, each with its state as of now (a booking past its window is a no-show)."""
    since, until = calendar.day_range(office, day)
    rows = session.execute(
        select(Appointment, Ticket.number, Ticket.status).outerjoin(Ticket, Ticket.appointment_id == Appointment.id)
        .where(Appointment.office_id == office.id, Appointment.slot_at >= since, Appointment.slot_at < until)
        .order_by(Appointment.slot_at, Appointment.service_id, Appointment.id)).all()
    return [BookingLine(a.code, a.service, a.slot_at, "served" if status == "done" else state_of(a, now, rules),
                        number, a.declaration_code is not None, a.booked_by) for a, number, status in rows]


def week_occupancy(session: Session, office: Office, first: date, now: datetime,
                   rules: BookingRules) -> list[Occupancy]:
    """Per bookable service, each of seven days: places booked (checked in included) of the bookable places."""
    found = []
    for service in office.services:
        shown = calendar.calendar_of(session, office, service, rules)
        if not service.active or not shown.bookable:
            continue
        days = []
        for offset in range(7):
            day = first + timedelta(days=offset)
            starts = calendar.day_slots(session, office, service, day, shown, rules)
            since, until = calendar.day_range(office, day)
            booked = len(session.scalars(select(Appointment.id).where(
                Appointment.office_id == office.id, Appointment.service_id == service.id,
                Appointment.status.in_(calendar.TAKEN), Appointment.slot_at >= since,
                Appointment.slot_at < until)).all())
            days.append((day, booked, len(starts) * shown.bookable_places))
        found.append(Occupancy(service, days))
    return found
