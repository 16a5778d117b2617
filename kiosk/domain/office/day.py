"""The supervisor's desk: priority requests to decide, the day at a glance, the devices, the audit log.

Plain Python over a Session; the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.data.models import WAITING_STATUSES, Device, Event, Office, Ticket
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.errors import TicketNotFoundError, WrongStateError
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.tickets import ticket_payload

# A screen marks itself seen at least every half minute while its stream is open (devices.mark_seen).
CONNECTED_WITHIN = timedelta(seconds=90)
AUDIT_PAGE = 100


@dataclass(frozen=True)
class DayFigures:
    issued: int
    waiting: int
    at_counters: int
    done: int
    no_show: int
    average_wait_min: float | None


@dataclass(frozen=True)
class DeviceState:
    device: Device
    connected: bool


@dataclass(frozen=True)
class AuditFilter:
    kind: str = ""
    actor: str = ""  # part of the actor, e.g. a username
    day: date | None = None  # the office's local day
    before_id: int | None = None  # the next, older page


def pending_priorities(session: Session, office: Office, now: datetime) -> list[Ticket]:
    """Today's waiting tickets whose priority (the urgent green channel, …) still waits for a supervisor."""
    query = select(Ticket).where(
        Ticket.office_id == office.id, Ticket.service_day == service_day(office, now),
        Ticket.status.in_(WAITING_STATUSES), Ticket.priority.is_not(None), Ticket.priority_approved.is_(False),
    )
    return list(session.scalars(query.order_by(Ticket.arrived_at, Ticket.id)))


def decide_priority(
    session: Session, office: Office, ticket_id: int, approve: bool, now: datetime, actor: str
) -> Ticket:
    """Approve (the next call at a counter of its service takes it first, within the call policy) or refuse
    (it keeps its place as a normal ticket). A ticket called or decided meanwhile is refused."""
    ticket = session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    if ticket is None or ticket.office_id != office.id:
        raise TicketNotFoundError(str(ticket_id))
    if ticket.status not in WAITING_STATUSES or ticket.priority is None or ticket.priority_approved:
        raise WrongStateError(ticket.number)
    asked = ticket.priority
    if approve:
        ticket.priority_approved = True
    else:
        ticket.priority = None
    session.flush()
    kind = "ticket.priority_approved" if approve else "ticket.priority_refused"
    record_event(session, office.id, kind, ticket_payload(ticket) | {"asked": asked}, now, actor)
    return ticket


def day_figures(session: Session, office: Office, now: datetime) -> DayFigures:
    """Today's tickets by where they are, and the mean wait from arrival to call."""
    day = service_day(office, now)
    counts = dict(session.execute(
        select(Ticket.status, func.count()).where(Ticket.office_id == office.id, Ticket.service_day == day)
        .group_by(Ticket.status)
    ).all())
    waits = session.execute(
        select(Ticket.arrived_at, Ticket.called_at)
        .where(Ticket.office_id == office.id, Ticket.service_day == day, Ticket.called_at.is_not(None))
    ).all()
    minutes = [(called - arrived).total_seconds() / 60 for arrived, called in waits if called and called > arrived]
    return DayFigures(
        issued=sum(counts.values()),
        waiting=sum(counts.get(status, 0) for status in WAITING_STATUSES),
        at_counters=counts.get("called", 0) + counts.get("serving", 0),
        done=counts.get("done", 0),
        no_show=counts.get("no_show", 0),
        average_wait_min=round(sum(minutes) / len(minutes), 1) if minutes else None,
    )


def device_states(session: Session, office: Office, now: datetime) -> list[DeviceState]:
    """Every device in use, with whether it has been in touch lately (a display holds its stream open)."""
    query = select(Device).where(Device.office_id == office.id, Device.revoked.is_(False))
    devices = session.scalars(query.order_by(Device.role, Device.name))
    return [DeviceState(d, d.last_seen_at is not None and now - d.last_seen_at <= CONNECTED_WITHIN) for d in devices]


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
