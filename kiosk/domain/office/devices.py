"""The office as configured: loading it into the database, and the devices that act for it."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, CounterService, Device, Office, Service
from kiosk.domain.queue.errors import CounterNotFoundError

# How often a screen in use writes that it is alive: often enough for the supervisor's desk, rarely enough that
# fifty screens cost the database a write a second at most.
SEEN_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class NewDevice:
    device: Device
    token: str  # shown once; only its hash is stored


def sync_office(session: Session, config: dict[str, Any]) -> Office:
    """Create or update the office from the config, and add the services and counters it lacks.

    Services and counters already there are left as they are: once loaded they are the supervisor's desk's to
    edit, and loading the office file again (every `make run`) must not undo those edits. Nothing is deleted.
    """
    spec = config["office"]
    office = session.scalar(select(Office).where(Office.code == spec["code"]))
    if office is None:
        office = Office(code=spec["code"])
        session.add(office)
    office.names = spec["name"]
    office.timezone = spec["timezone"]
    office.languages = spec.get("languages", ["vi"])
    office.hours = spec.get("hours", {})
    office.enforce_hours = spec.get("enforce_hours", False)
    office.notice = spec.get("notice", {})
    session.flush()
    services = {s["code"]: _sync_service(session, office, s) for s in config["services"]}
    for spec_counter in config.get("counters", []):
        _sync_counter(session, office, spec_counter, services)
    session.flush()
    return office


def _sync_service(session: Session, office: Office, spec: dict[str, Any]) -> Service:
    service = session.scalar(select(Service).where(Service.office_id == office.id, Service.code == spec["code"]))
    if service is not None:
        return service
    service = Service(office_id=office.id, code=spec["code"])
    session.add(service)
    service.prefix = spec["prefix"]
    service.names = spec["name"]
    service.daily_cap = spec.get("daily_cap")
    service.needs_declaration = spec.get("needs_declaration", False)
    service.active = spec.get("active", True)
    session.flush()
    return service


def _sync_counter(session: Session, office: Office, spec: dict[str, Any], services: dict[str, Service]) -> None:
    counter = session.scalar(select(Counter).where(Counter.office_id == office.id, Counter.number == spec["number"]))
    if counter is not None:
        return
    counter = Counter(office_id=office.id, number=spec["number"], state="open", priority_streak=0)
    session.add(counter)
    counter.zone = spec.get("zone", "hall")
    counter.services = [
        CounterService(service_id=services[code].id, weight=float(weight)) for code, weight in spec["services"].items()
    ]


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
