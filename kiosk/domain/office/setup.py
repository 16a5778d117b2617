"""The office as configured: loading it, its services and its counters into the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Counter, CounterService, Office, Service


def sync_offices(session: Session, config: dict[str, Any]) -> list[Office]:
    """Every office of the configuration (one, or a province's), each as `sync_office` loads it."""
    return [sync_office(session, {**config, **sections}) for sections in config["offices"]]


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
