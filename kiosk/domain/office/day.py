"""The day at a glance on the supervisor's desk: today's tickets by where they are, and the devices in touch.

Plain Python over a Session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.data.models import WAITING_STATUSES, Device, Office, PrintJob, Ticket
from kiosk.domain.printing.jobs import OPEN_STATUSES
from kiosk.domain.queue.numbering import service_day

# A screen is marked seen at least every SEEN_EVERY while its stream is open (web/common/presence.py).
CONNECTED_WITHIN = timedelta(seconds=90)


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
    waiting_prints: int  # tickets queued on its printer and not yet printed


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
    waiting = dict(session.execute(
        select(PrintJob.device_id, func.count()).where(PrintJob.status.in_(OPEN_STATUSES)).group_by(PrintJob.device_id)
    ).all())
    return [DeviceState(d, _in_touch(d, now), waiting.get(d.id, 0)) for d in devices]


def _in_touch(device: Device, now: datetime) -> bool:
    return device.last_seen_at is not None and now - device.last_seen_at <= CONNECTED_WITHIN


