"""The audit log as the supervisor's desk reads it: the office's events, newest first, by kind, actor and day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Device, Event, Office, Service, StaffUser

AUDIT_PAGE = 100


@dataclass(frozen=True)
class AuditNames:
    """What the log's events name by code or id, so the desk can name them in words: every service, device (a
    revoked one too) and staff account the office has had."""

    services: dict[str, Service]  # by code
    service_codes: dict[int, str]  # a counter's event lists its services by id
    devices: dict[int, str]  # id: name
    staff: dict[str, str]  # username: full name
    timezone: str  # the office's, for the times events carry (a booking's slot)


@dataclass(frozen=True)
class AuditFilter:
    kind: str = ""
    actor: str = ""  # part of the actor, e.g. a username
    day: date | None = None  # the office's local day (the first of a range)
    until: date | None = None  # the range's last day (none: the day alone)
    before_id: int | None = None  # the next, older page


def audit_log(session: Session, office: Office, wanted: AuditFilter, most: int = AUDIT_PAGE) -> list[Event]:
    """The office's events, newest first, one page (or an export's `most`) at a time."""
    query = select(Event).where(Event.office_id == office.id)
    if wanted.kind:
        query = query.where(Event.kind == wanted.kind)
    if wanted.actor:
        query = query.where(Event.actor.contains(wanted.actor.strip(), autoescape=True))
    if wanted.day is not None:
        start = datetime.combine(wanted.day, time(0), ZoneInfo(office.timezone))
        end = datetime.combine(max(wanted.until or wanted.day, wanted.day) + timedelta(days=1), time(0),
                               ZoneInfo(office.timezone))
        query = query.where(Event.created_at >= start, Event.created_at < end)
    if wanted.before_id is not None:
        query = query.where(Event.id < wanted.before_id)
    return list(session.scalars(query.order_by(Event.id.desc()).limit(most)))


def event_kinds(session: Session, office: Office) -> list[str]:
    """The kinds the office's log holds, for the filter's choices."""
    return list(session.scalars(select(Event.kind).where(Event.office_id == office.id).distinct().order_by(Event.kind)))


def audit_names(session: Session, office: Office) -> AuditNames:
    """One read of what the page of events may name, however many events name it."""
    services = list(session.scalars(select(Service).where(Service.office_id == office.id)))
    devices = session.execute(select(Device.id, Device.name).where(Device.office_id == office.id))
    staff = session.execute(select(StaffUser.username, StaffUser.full_name).where(StaffUser.office_id == office.id))
    return AuditNames({s.code: s for s in services}, {s.id: s.code for s in services},
                      {row.id: row.name for row in devices}, {row.username: row.full_name for row in staff},
                      office.timezone)
