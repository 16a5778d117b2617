"""Daily ticket numbers per office and service, in the office's own time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk.data.models import Office, Service, TicketSequence


def service_day(office: Office, now: datetime) -> date:
    """The office's calendar day: a new day starts at local midnight, with no cron job."""
    return now.astimezone(ZoneInfo(office.timezone)).date()


def format_number(prefix: str, seq: int) -> str:
    """A012 for the 12th ticket; A1002 once the day passes 999."""
    return f"{prefix}{seq:03d}"


def take_next_seq(session: Session, service: Service, day: date) -> int:
    """Increment and return the day's counter in one statement; the row lock makes it gap-free and unique."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(TicketSequence)
        .values(office_id=service.office_id, service_id=service.id, service_day=day, last=1)
        .on_conflict_do_update(
            index_elements=["office_id", "service_id", "service_day"],
            set_={"last": TicketSequence.last + 1},
        )
        .returning(TicketSequence.last)
    )
    return int(session.execute(statement).scalar_one())
