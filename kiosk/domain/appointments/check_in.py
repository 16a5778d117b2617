"""Appointments and check-in by code: the citizen types (or scans) a code and gets the ticket that goes with it.

A code is either a declaration's made earlier on a phone or a kiosk (8 digits) or a booking's (any other length:
10 digits, 6 for bookings made before). A booking checks in inside its window (window.py); a late one by the
office's rule. Plain Python over a Session; the caller owns the transaction.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Office, Ticket
from kiosk.domain.appointments import calendar
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.appointments.window import check_in_from, check_in_until
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.declarations.codes import APPOINTMENT_DIGITS, DECLARATION_DIGITS, new_code
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.tickets import find_service, issue_ticket


class CheckInError(Exception):
    """Base of every refusal a check-in gives."""


class UnknownCodeError(CheckInError):
    """No appointment or declaration with this code in this office."""


class CodeUsedError(CheckInError):
    """The code has already given its ticket."""


class NotTodayError(CheckInError):
    """The appointment is for another day."""


class ExpiredCodeError(CheckInError):
    """A declaration's code past its validity (declarations.code_valid_days): declare again."""


class CancelledBookingError(CheckInError):
    """The booking was given up."""


class TooEarlyError(CheckInError):
    """Before the booking's window: come back from `opens_at` (said on the office's clock, `timezone`)."""

    def __init__(self, code: str, opens_at: datetime, timezone: str) -> None:
        super().__init__(code)
        self.opens_at, self.timezone = opens_at, timezone


class TooLateError(CheckInError):
    """After the window, where the office refuses late bookings: the next free slots to book instead."""

    def __init__(self, code: str, next_slots: list[calendar.Slot], timezone: str) -> None:
        super().__init__(code)
        self.next_slots, self.timezone = next_slots, timezone


class AlreadyCheckedInError(CheckInError):
    """The code gave a ticket earlier today: that ticket is shown again rather than a second number given."""

    def __init__(self, code: str, ticket_id: int) -> None:
        super().__init__(code)
        self.ticket_id = ticket_id


def book(session: Session, office: Office, service_code: str, slot_at: datetime, language: str,
         now: datetime) -> Appointment:
    """An appointment at a given time, without the calendar's checks (booking.book has them): for tests."""
    service = find_service(session, office, service_code)
    code = new_code(session, Appointment, office.id, APPOINTMENT_DIGITS)
    appointment = Appointment(
        office_id=office.id, service=service, slot_at=slot_at, ends_at=slot_at + timedelta(minutes=15), code=code,
        status="booked", language=language, created_at=now,
    )
    session.add(appointment)
    session.flush()
    return appointment


def check_in(session: Session, office: Office, typed: str, now: datetime, settings: QueueSettings,
             declaration_config: dict[str, Any], booking: BookingRules, **ticket: Any) -> Ticket:
    """Issue the ticket a code stands for, once; `ticket` are issue_ticket's keyword arguments."""
    code = re.sub(r"\D", "", typed)  # a scanner may add a prefix or spaces; codes are digits only
    if len(code) == DECLARATION_DIGITS:
        declaration = declarations.find_submitted(session, office, code)
        if declaration is None:
            raise UnknownCodeError(code)
        if declaration.status != "submitted":
            raise _used(session, office, code, Ticket.declaration_id == declaration.id, now)
        if service_day(office, now) > declarations.valid_until(office, declaration, declaration_config):
            raise ExpiredCodeError(code)
        return declarations.issue_for(session, office, declaration, now, settings, declaration_config, **ticket)
    appointment = session.scalar(select(Appointment).where(Appointment.office_id == office.id,
                                                           Appointment.code == code).with_for_update())
    if appointment is None:
        raise UnknownCodeError(code)
    if appointment.status == "cancelled":
        raise CancelledBookingError(code)
    if appointment.status == "checked_in":
        raise _used(session, office, code, Ticket.appointment_id == appointment.id, now)
    if service_day(office, appointment.slot_at) != service_day(office, now):
        raise NotTodayError(code)
    return _check_in_booking(session, office, appointment, now, settings, booking, **ticket)


def _check_in_booking(session: Session, office: Office, appointment: Appointment, now: datetime,
                      settings: QueueSettings, booking: BookingRules, **ticket: Any) -> Ticket:
    """Inside the window: a ticket due at the slot. Late: a walk-in ticket keeping the day, or a refusal with the
    next free slots, as the office decided."""
    if now < check_in_from(appointment, booking):
        raise TooEarlyError(appointment.code, check_in_from(appointment, booking), office.timezone)
    late = now > check_in_until(appointment, booking)
    if late and booking.late_rule == "refuse":
        raise TooLateError(appointment.code, calendar.next_free(session, office, appointment.service, now, booking),
                           office.timezone)
    issued = issue_ticket(session, office, appointment.service.code, now, settings,
                          **{**ticket, "source": ticket.get("source", "kiosk") if late else "appointment"})
    issued.appointment_id = appointment.id
    appointment.status, appointment.checked_in_at = "checked_in", now
    if appointment.declaration_code:
        declaration = declarations.find_submitted(session, office, appointment.declaration_code)
        if declaration is not None and declaration.status == "submitted":
            issued.declaration_id = declaration.id
            declaration.status, declaration.checked_in_at = "checked_in", now
    session.flush()
    return issued


def _used(session: Session, office: Office, code: str, gave: ColumnElement[bool], now: datetime) -> CheckInError:
    """Today's ticket of a code used today (to show again), else a plain refusal."""
    today = session.scalar(select(Ticket.id).where(gave, Ticket.office_id == office.id,
                                                   Ticket.service_day == service_day(office, now))
                           .order_by(Ticket.id.desc()).limit(1))
    return CodeUsedError(code) if today is None else AlreadyCheckedInError(code, today)


def record_refusal(session: Session, office_id: int, refusal: CheckInError, now: datetime, actor: str) -> None:
    """A refused code is an audit event (which kiosk, why; never the code typed): guessing leaves a trace."""
    reasons = {UnknownCodeError: "unknown", CodeUsedError: "used", NotTodayError: "not_today",
               ExpiredCodeError: "expired", CancelledBookingError: "cancelled", TooEarlyError: "too_early",
               TooLateError: "too_late"}
    reason = reasons.get(type(refusal), "other")
    record_event(session, office_id, "checkin.refused", {"reason": reason}, now, actor)
