"""Domain tests' helpers: one transaction as a view runs it, a ticket issued in one, a check-in by code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kiosk.data.models import Office, Ticket
from kiosk.domain.appointments import check_in as appointments
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.queue import tickets
from kiosk.domain.queue.settings import QueueSettings


@contextmanager
def committing(session: Session) -> Iterator[None]:
    """One transaction, as a view or the CLI runs it: commit on success, roll back on a refusal."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def issue(session: Session, office: Office, settings: QueueSettings, now: datetime, service: str = "passport-first",
          **kw: object) -> Ticket:
    with committing(session):
        return tickets.issue_ticket(session, office, service, now, settings, **kw)  # type: ignore[arg-type]


def check_in(session: Session, office: Office, code: str, now: datetime, settings: QueueSettings,
             config: dict[str, Any]) -> Ticket:
    """A kiosk's check-in by a declaration's or an appointment's code, in one transaction."""
    with committing(session):
        return appointments.check_in(session, office, code, now, settings, config["declarations"],
                                     BookingRules.from_config(config["appointments"]), language="vi",
                                     source="kiosk")
