"""When a booking checks in at the kiosk: from `early` before its slot to `late` after it began. After that it is
a no-show on its own (counted when read, and written down by the housekeeping pass)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, AppointmentStatus
from kiosk.domain.appointments.booking import payload
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.events.log import record_event


def check_in_from(appointment: Appointment, rules: BookingRules) -> datetime:
    return appointment.slot_at - rules.early


def check_in_until(appointment: Appointment, rules: BookingRules) -> datetime:
    return appointment.slot_at + rules.late


def state_of(appointment: Appointment, now: datetime, rules: BookingRules) -> AppointmentStatus:
    """The booking's state as the desk shows it: booked past its window is a no-show, written down or not yet."""
    if appointment.status == "booked" and now > check_in_until(appointment, rules):
        return "no_show"
    return appointment.status


def mark_no_shows(session: Session, now: datetime, rules: BookingRules) -> int:
    """Every booking past its window becomes a no-show, with its event (the statistics count them)."""
    missed = list(session.scalars(select(Appointment).where(
        Appointment.status == "booked", Appointment.slot_at < now - rules.late).with_for_update()))
    for appointment in missed:
        appointment.status = "no_show"
        session.flush()
        record_event(session, appointment.office_id, "appointment.no_show", payload(appointment), now, "system")
    return len(missed)
