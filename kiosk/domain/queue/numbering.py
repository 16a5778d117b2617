"""Daily ticket numbers per office and service, in the office's own time zone."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk.data.lock_holding import HELD_TO_COMMIT
from kiosk.data.models import Office, Service, TicketSequence

# A service's letter and the ticket's sequence, as an officer types them: "b1", "B 01", "B-001", " B001 ".
TYPED_NUMBER = re.compile(r"([A-Za-z])[\s-]*0*(\d{1,6})")


def service_day(office: Office, now: datetime) -> date:
    """The office's calendar day: a new day starts at local midnight, with no cron job."""
    return now.astimezone(ZoneInfo(office.timezone)).date()


def format_number(prefix: str, seq: int) -> str:
    """A012 for the 12th ticket; A1002 once the day passes 999."""
    return f"{prefix}{seq:03d}"


def typed_number(typed: str) -> str:
    """The ticket number an officer meant (`b1` is B001), so a number is found however it was typed; text that
    is no ticket number comes back trimmed and upper-case, to be not found."""
    text = typed.strip()
    found = TYPED_NUMBER.fullmatch(text)
    return format_number(found.group(1).upper(), int(found.group(2))) if found else text.upper()


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
    return int(session.execute(statement, execution_options=HELD_TO_COMMIT).scalar_one())
