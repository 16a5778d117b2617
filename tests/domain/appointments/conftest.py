"""Fixtures of the booking tests: the office's booking rules and a booker's request on the fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Office
from kiosk.domain.appointments import booking
from kiosk.domain.appointments.rules import BookingRules
from tests.support.domain import committing

SECRET = "test-secret"
ID_NUMBER = "040195000123"
PHONE = "0912345678"


@pytest.fixture
def rules(config: dict[str, Any]) -> BookingRules:
    return BookingRules.from_config(config["appointments"])


@pytest.fixture
def make_booking(session: Session, office: Office, morning: datetime,
                 rules: BookingRules) -> Callable[..., Appointment]:
    """Book in one transaction as a view does; keywords change the request (id_number, phone, start, ...)."""

    def make(start: datetime, *, now: datetime = morning, service: str = "passport-first", **kw: Any) -> Appointment:
        asked = booking.BookingRequest(**{"service": service, "start": start, "id_number": ID_NUMBER,
                                          "phone": PHONE, "language": "vi", "actor": "citizen", **kw})
        with committing(session):
            return booking.book(session, office, asked, now, rules, SECRET)

    return make
