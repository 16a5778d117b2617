"""Check-in at the kiosk by code: a declaration's code once, an appointment's code on its day only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office
from kiosk.domain.appointments import check_in as appointments
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.queue.settings import QueueSettings
from tests.support.domain import check_in, committing
from tests.support.kiosk_factories import TK01_STEPS, TODAY, fill


def test_check_in_by_declaration_code_once(
    session: Session, office: Office, draft: Declaration, morning: datetime, settings: QueueSettings,
    config: dict[str, Any],
) -> None:
    with committing(session):
        fill(draft, TK01_STEPS, morning)
        declarations.submit(session, draft, TODAY, morning)
    ticket = check_in(session, office, f" {draft.code} ", morning, settings, config)
    assert ticket.declaration_id == draft.id and ticket.number.startswith("A") and draft.status == "checked_in"
    session.commit()
    with pytest.raises(appointments.AlreadyCheckedInError) as again:  # the same day: that ticket, not a second
        check_in(session, office, str(draft.code), morning, settings, config)
    assert again.value.ticket_id == ticket.id
    session.rollback()
    with pytest.raises(appointments.CodeUsedError):  # another day: used
        check_in(session, office, str(draft.code), morning + timedelta(days=1), settings, config)
    session.rollback()
    with pytest.raises(appointments.UnknownCodeError):
        check_in(session, office, "12345678", morning, settings, config)


def test_a_declaration_code_expires_after_its_days(
    session: Session, office: Office, draft: Declaration, morning: datetime, settings: QueueSettings,
    config: dict[str, Any],
) -> None:
    with committing(session):
        fill(draft, TK01_STEPS, morning)
        declarations.submit(session, draft, TODAY, morning)
    days = config["declarations"]["code_valid_days"]
    assert declarations.valid_until(office, draft, config["declarations"]) == TODAY + timedelta(days=days)
    with pytest.raises(appointments.ExpiredCodeError):
        check_in(session, office, str(draft.code), morning + timedelta(days=days + 1), settings, config)
    session.rollback()
    last_day = check_in(session, office, str(draft.code), morning + timedelta(days=days), settings, config)
    assert last_day.declaration_id == draft.id


def test_check_in_by_appointment_code_on_its_day_only(
    session: Session, office: Office, morning: datetime, settings: QueueSettings, config: dict[str, Any]
) -> None:
    with committing(session):
        today = appointments.book(session, office, "passport-reissue", morning + timedelta(minutes=20), "vi", morning)
        tomorrow = appointments.book(session, office, "foreigners", morning + timedelta(days=1), "en", morning)
    ticket = check_in(session, office, today.code, morning, settings, config)
    assert (ticket.appointment_id, ticket.source, ticket.number) == (today.id, "appointment", "B001")
    with pytest.raises(appointments.NotTodayError):
        check_in(session, office, tomorrow.code, morning, settings, config)
