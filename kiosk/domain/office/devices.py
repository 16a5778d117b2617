"""The devices that act for the office (kiosks, displays, counter tablets, API clients): their tokens, and whether
each is in touch."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, Device, Office
from kiosk.domain.queue.errors import CounterNotFoundError

# How often a screen in use writes that it is alive: often enough for the supervisor's desk, rarely enough that
# fifty screens cost the database a write a second at most.
SEEN_EVERY = timedelta(seconds=30)


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
    device = session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
    return None if device is None or device.revoked else device


def seen_lately(last_seen_at: datetime | None, now: datetime) -> bool:
    return last_seen_at is not None and now - last_seen_at < SEEN_EVERY


def mark_seen(session: Session, device_id: int, now: datetime) -> None:
    """The device is in touch now (the supervisor's desk shows whether each screen is connected)."""
    session.execute(update(Device).where(Device.id == device_id).values(last_seen_at=now))


def hash_token(token: str) -> str:
    """Tokens are long and random, so a plain SHA-256 is enough to keep a stolen database from reusing them."""
    return hashlib.sha256(token.encode()).hexdigest()
