"""At the counter: is the citizen in front of the officer the one who booked? Bookings cannot be transferred, so the
officer reads (or scans) the ID card and the booking says whether it was made with that number. Only the keyed
hashes are compared: the booking never kept the number itself."""

from __future__ import annotations

import hmac
import re
from datetime import date, datetime

from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Office, Ticket
from kiosk.domain.appointments.keys import keyed
from kiosk.domain.declarations.id_card import IdCardError, looks_like_card, read_card
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.numbering import service_day

ID_DIGITS = 12


class NotAnIdNumberError(Exception):
    """What was typed or scanned is neither a 12-digit ID number nor a chip ID card's QR."""


def card_matches_booking(session: Session, office: Office, ticket: Ticket, typed: str, secret: str, now: datetime,
                         actor: str) -> bool:
    """Whether the booking behind `ticket` was made with the ID number typed or scanned from the card; the check
    and its outcome (never the number) go in the audit log."""
    appointment = session.get_one(Appointment, ticket.appointment_id)
    id_number = _id_number(typed, service_day(office, now))
    matches = appointment.id_key is not None and hmac.compare_digest(appointment.id_key,
                                                                     keyed(secret, "id", id_number))
    record_event(session, ticket.office_id, "appointment.holder_checked",
                 {"ticket_id": ticket.id, "number": ticket.number, "matches": matches}, now, actor)
    return matches


def _id_number(typed: str, today: date) -> str:
    if looks_like_card(typed):
        try:
            return read_card(typed, today).id_number
        except IdCardError:
            raise NotAnIdNumberError(typed) from None
    digits = re.sub(r"\s", "", typed)
    if not re.fullmatch(rf"\d{{{ID_DIGITS}}}", digits):
        raise NotAnIdNumberError(typed)
    return digits
