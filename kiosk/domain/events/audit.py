"""The audit log as the supervisor's desk reads it: the office's events, newest first, by kind, actor and day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Event, Office

AUDIT_PAGE = 100


@dataclass(frozen=True)
class AuditFilter:
    kind: str = ""
    actor: str = ""  # part of the actor, e.g. a username
    day: date | None = None  # the office's local day
    before_id: int | None = None  # the next, older page


def audit_log(session: Session, office: Office, wanted: AuditFilter) -> list[Event]:
    """The office's events, newest first, one page at a time."""
    query = select(Event).where(Event.office_id == office.id)
    if wanted.kind:
        query = query.where(Event.kind == wanted.kind)
    if wanted.actor:
        query = query.where(Event.actor.contains(wanted.actor.strip(), autoescape=True))
    if wanted.day is not None:
        start = datetime.combine(wanted.day, time(0), ZoneInfo(office.timezone))
        query = query.where(Event.created_at >= start, Event.created_at < start + timedelta(days=1))
    if wanted.before_id is not None:
        query = query.where(Event.id < wanted.before_id)
    return list(session.scalars(query.order_by(Event.id.desc()).limit(AUDIT_PAGE)))


def event_kinds(session: Session, office: Office) -> list[str]:
    """The kinds the office's log holds, for the filter's choices."""
    return list(session.scalars(select(Event.kind).where(Event.office_id == office.id).distinct().order_by(Event.kind)))
