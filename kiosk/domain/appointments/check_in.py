"""Appointments and check-in by code: the citizen types (or scans) a code and gets the ticket that goes with it.

A code is either an appointment's (6 digits) or a declaration's made earlier on a phone or a kiosk
(8 digits). Plain Python over a Session; the caller owns the transaction.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Office, Ticket
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


class AlreadyCheckedInError(CheckInError):
    """The code gave a ticket earlier today: that ticket is shown again rather than a second number given."""

    def __init__(self, code: str, ticket_id: int) -> None:
        super().__init__(code)
        self.ticket_id = ticket_id


def book(session: Session, office: Office, service_code: str, slot_at: datetime, language: str,
         now: datetime) -> Appointment:
    """An appointment with a fresh code (the booking page and tests make them)."""
    service = find_service(session, office, service_code)
    code = new_code(session, Appointment, office.id, APPOINTMENT_DIGITS)
    appointment = Appointment(
        office_id=office.id, service=service, slot_at=slot_at, code=code, status="booked", language=language,
        created_at=now,
    )
    session.add(appointment)
    session.flush()
    return appointment


def check_in(session: Session, office: Office, typed: str, now: datetime, settings: QueueSettings,
             declaration_config: dict[str, Any], **ticket: Any) -> Ticket:
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
    if appointment.status != "booked":
        raise _used(session, office, code, Ticket.appointment_id == appointment.id, now)
    if service_day(office, appointment.slot_at) != service_day(office, now):
        raise NotTodayError(code)
    issued = issue_ticket(session, office, appointment.service.code, now, settings,
                          **{**ticket, "source": "appointment"})
    issued.appointment_id = appointment.id
    appointment.status, appointment.checked_in_at = "checked_in", now
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
               ExpiredCodeError: "expired"}
    reason = reasons.get(type(refusal), "other")
    record_event(session, office_id, "checkin.refused", {"reason": reason}, now, actor)
