"""The devices that act for the office (kiosks, displays, counter tablets, API clients): their tokens, whether
each is in touch, and revoking one that is lost or replaced."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, Device, Office
from kiosk.domain.events.hub import StreamEvent
from kiosk.domain.events.log import record_event
from kiosk.domain.queue.errors import CounterNotFoundError

# How often a screen in use writes that it is alive: often enough for the supervisor's desk, rarely enough that
# fifty screens cost the database a write a second at most.
SEEN_EVERY = timedelta(seconds=30)
REVOKED = "device.revoked"


class DeviceNotFoundError(Exception):
    """No device in use by that name in this office (unknown, or revoked already)."""


@dataclass(frozen=True)
class NewDevice:
    device: Device
    token: str  # shown once; only its hash is stored


def create_device(
    session: Session,
    office: Office,
    role: str,
    name: str,
    now: datetime,
    *,
    counter_number: int | None = None,
    zone: str | None = None,
    printer_url: str | None = None,
) -> NewDevice:
    """A device (kiosk, display, staff tablet or API client) with a fresh bearer token."""
    counter_id = None
    if counter_number is not None:
        counter_id = session.scalar(
            select(Counter.id).where(Counter.office_id == office.id, Counter.number == counter_number)
        )
        if counter_id is None:
            raise CounterNotFoundError(counter_number)
    token = secrets.token_urlsafe(24)
    device = Device(
        office_id=office.id,
        name=name,
        role=role,
        token_hash=hash_token(token),
        zone=zone,
        printer_url=printer_url,
        counter_id=counter_id,
        created_at=now,
    )
    session.add(device)
    session.flush()
    return NewDevice(device, token)


def device_for_token(session: Session, token: str) -> Device | None:
    """The device in use behind a token; a revoked one is refused on its very next request."""
    device = session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
    return None if device is None or device.revoked else device


def devices_in_use(session: Session, office: Office) -> list[Device]:
    query = select(Device).where(Device.office_id == office.id, Device.revoked.is_(False))
    return list(session.scalars(query.order_by(Device.role, Device.name)))


def revoke(session: Session, office: Office, name: str, now: datetime, by: str) -> list[Device]:
    """Stop every device in use under this name (a name is a place: `kiosk-lobby`); each revocation is in the log,
    which is also how a stream the device holds open learns to end."""
    query = select(Device).where(Device.office_id == office.id, Device.name == name, Device.revoked.is_(False))
    found = list(session.scalars(query.order_by(Device.id)))
    if not found:
        raise DeviceNotFoundError(name)
    for device in found:
        device.revoked = True
        payload = {"device_id": device.id, "name": device.name, "role": device.role}
        record_event(session, office.id, REVOKED, payload, now, by)
    return found


def revoked_in(events: Iterable[StreamEvent], device_id: int) -> bool:
    """Whether these events revoke the device: its open stream ends there, without asking the database."""
    return any(event.kind == REVOKED and event.payload.get("device_id") == device_id for event in events)


def seen_lately(last_seen_at: datetime | None, now: datetime) -> bool:
    return last_seen_at is not None and now - last_seen_at < SEEN_EVERY


def mark_seen(session: Session, device_ids: Collection[int], now: datetime) -> set[int]:
    """These devices are in touch now (the supervisor's desk shows whether each screen is connected): one write for
    all the screens a process holds streams for. The ones still in use, so a device revoked meanwhile is let go."""
    if not device_ids:
        return set()
    in_use = Device.id.in_(device_ids) & Device.revoked.is_(False)
    session.execute(update(Device).where(in_use).values(last_seen_at=now))
    return set(session.scalars(select(Device.id).where(in_use)))


def hash_token(token: str) -> str:
    """Tokens are long and random, so a plain SHA-256 is enough to keep a stolen database from reusing them."""
    return hashlib.sha256(token.encode()).hexdigest()
