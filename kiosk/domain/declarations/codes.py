"""Check-in codes: short, digits only (typed on the kiosk's pad or read from a QR), random and unique."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Declaration

DECLARATION_DIGITS = 8  # typed on a digit pad or read from the phone's QR by a scanner
APPOINTMENT_DIGITS = 6


def new_code(session: Session, model: type[Declaration] | type[Appointment], office_id: int, digits: int) -> str:
    """Random, so a code says nothing and cannot be guessed from the one before; unique in the office."""
    while True:
        code = str(10 ** (digits - 1) + secrets.randbelow(9 * 10 ** (digits - 1)))
        if session.scalar(select(model.id).where(model.office_id == office_id, model.code == code)) is None:
            return code
