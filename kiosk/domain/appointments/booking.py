"""Booking a slot and giving it up: the calendar's free places, one live booking per ID number and service, and
a daily limit per phone and per address, so a tout cannot take the day's places to sell them.

The office's row is locked for the booking (PostgreSQL: FOR NO KEY UPDATE, which tickets referring to the office
do not wait for; SQLite: the one writer), so two citizens taking the last place never both get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Office
from kiosk.domain.appointments import calendar
from kiosk.domain.appointments.keys import keyed
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.declarations.checks import FieldProblem, IdNumber, check_phone
from kiosk.domain.declarations.codes import new_code
from kiosk.domain.events.log import record_event
from kiosk.domain.languages import _
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.tickets import find_service

BOOKING_DIGITS = 10  # typed on the kiosk's pad or read from the QR; with the wrong-code limit, a guess is hopeless


class BookingError(Exception):
    """Base of every refusal a booking or a cancellation gives."""


class NotASlotError(BookingError):
    """No bookable slot begins then (closed, past, beyond the horizon, or not a slot's start)."""


class SlotFullError(BookingError):
    """Someone took the last place first."""


class AlreadyBookedError(BookingError):
    """This ID number already holds a live booking for the service."""


class PhoneLimitError(BookingError):
    """This phone number has made the day's bookings already."""


class AddressLimitError(BookingError):
    """Too many bookings from this address today."""


class BookerProblem(BookingError):
    """What the booker typed is wrong: which field, and the declaration's own words for why."""

    def __init__(self, field: str, problem: FieldProblem) -> None:
        super().__init__(field)
        self.field, self.problem = field, problem


class UnknownBookingError(BookingError):
    """No booking with this code."""


class NotCancellableError(BookingError):
    """The booking was used, cancelled or its time is past."""


@dataclass(frozen=True)
class BookingRequest:
    service: str
    start: datetime
    id_number: str
    phone: str
    language: str
    actor: str  # citizen | staff:<name> | a device's actor
    address: str | None = None  # where a citizen's request came from; none when staff book for a caller
    declaration_code: str | None = None


def check_booker(id_number: str, phone: str) -> tuple[str, str]:
    """The ID number's 12 digits and the phone number as the declaration checks them; BookerProblem else."""
    try:
        digits = IdNumber.parse(id_number).digits
    except FieldProblem as problem:
        raise BookerProblem("id_number", problem) from None
    try:
        return digits, check_phone(phone)
    except FieldProblem as problem:
        raise BookerProblem("phone", problem) from None


def book(session: Session, office: Office, asked: BookingRequest, now: datetime, rules: BookingRules,
         secret: str) -> Appointment:
    """A booking with its code, or the refusal that says why not."""
    id_number, phone = check_booker(asked.id_number, asked.phone)
    service = find_service(session, office, asked.service)
    declaration = _declaration(session, office, asked.declaration_code)
    session.scalar(select(Office.id).where(Office.id == office.id).with_for_update(key_share=True))
    slot = calendar.slot_at(session, office, service, asked.start, now, rules)
    if slot is None:
        raise NotASlotError(asked.start.isoformat())
    if slot.left <= 0:
        raise SlotFullError(asked.start.isoformat())
    id_key, phone_key = keyed(secret, "id", id_number), keyed(secret, "phone", phone)
    address_key = keyed(secret, "address", asked.address) if asked.address else None
    if session.scalar(select(Appointment.id).where(
            Appointment.office_id == office.id, Appointment.service_id == service.id, Appointment.id_key == id_key,
            Appointment.status == "booked", Appointment.slot_at > now - rules.late).limit(1)) is not None:
        raise AlreadyBookedError(service.code)
    if _booked_today(session, office, Appointment.phone_key == phone_key, now) >= rules.per_phone_per_day:
        raise PhoneLimitError(service.code)
    if address_key and _booked_today(session, office, Appointment.address_key == address_key,
                                     now) >= rules.per_address_per_day:
        raise AddressLimitError(service.code)
    appointment = Appointment(
        office_id=office.id, service=service, slot_at=slot.start, ends_at=slot.end, status="booked",
        code=new_code(session, Appointment, office.id, BOOKING_DIGITS), language=asked.language, created_at=now,
        id_key=id_key, phone_key=phone_key, address_key=address_key, booked_by=asked.actor,
        declaration_code=declaration,
    )
    session.add(appointment)
    session.flush()
    record_event(session, office.id, "appointment.booked", payload(appointment), now, asked.actor)
    return appointment


def cancel(session: Session, office: Office, code: str, now: datetime, actor: str) -> Appointment:
    """Give the place back (the citizen with the code, or the desk)."""
    appointment = find(session, office, code, lock=True)
    if appointment.status != "booked" or appointment.slot_at <= now:
        raise NotCancellableError(code)
    appointment.status, appointment.cancelled_at = "cancelled", now
    session.flush()
    record_event(session, office.id, "appointment.cancelled", payload(appointment), now, actor)
    return appointment


def find(session: Session, office: Office, code: str, *, lock: bool = False) -> Appointment:
    query = select(Appointment).where(Appointment.office_id == office.id, Appointment.code == code.strip())
    appointment = session.scalar(query.with_for_update() if lock else query)
    if appointment is None:
        raise UnknownBookingError(code)
    return appointment


def _declaration(session: Session, office: Office, code: str | None) -> str | None:
    """A declaration's code the citizen attached: it must be one of this office's, made and not yet used."""
    if not code or not code.strip():
        return None
    found = declarations.find_submitted(session, office, code.strip())
    if found is None or found.status != "submitted":
        raise BookerProblem("declaration", FieldProblem(_(
            "We could not find this declaration code. Please check the digits.")))
    return found.code


def _booked_today(session: Session, office: Office, same: ColumnElement[bool], now: datetime) -> int:
    since, until = calendar.day_range(office, service_day(office, now))
    return session.scalar(select(func.count()).where(
        Appointment.office_id == office.id, same, Appointment.created_at >= since,
        Appointment.created_at < until)) or 0


def payload(appointment: Appointment) -> dict[str, object]:
    """Nothing personal: the service and the slot."""
    return {"appointment_id": appointment.id, "service": appointment.service.code,
            "slot": appointment.slot_at.isoformat(), "status": appointment.status}
