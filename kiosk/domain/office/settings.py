"""Services and counters as the supervisor's desk edits them: checked, stored, in force at the next request.

Plain Python over a Session; the caller owns the transaction. The queue reads services and counters from the
database on every call, so nothing needs a restart. Nothing is deleted: a service is switched off instead, so
the day's tickets keep their service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from kiosk.data.models import Counter, CounterService, Office, Service
from kiosk.domain.events.log import record_event
from kiosk.domain.languages import LANGUAGES, _
from kiosk.domain.office.accounts import SettingsError
from kiosk.domain.whole_numbers import whole_number

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
MAX_WEIGHT = 10.0
LONGEST_TEXT = 64  # a zone or a service's name: the zone column's size, two lines on the ticket
Row = TypeVar("Row", Service, Counter)


@dataclass(frozen=True)
class ServiceForm:
    code: str
    prefix: str
    names: dict[str, str]
    daily_cap: str = ""  # as typed: empty for no cap
    needs_declaration: bool = False
    active: bool = True

    @classmethod
    def of(cls, service: Service) -> ServiceForm:
        """The form as the stored service fills it."""
        cap = "" if service.daily_cap is None else str(service.daily_cap)
        return cls(service.code, service.prefix, service.names, cap, service.needs_declaration, service.active)


@dataclass(frozen=True)
class CounterForm:
    number: str  # as typed
    zone: str
    weights: dict[int, str] = field(default_factory=dict)  # service id → weight as typed; empty: not served

    @classmethod
    def of(cls, counter: Counter) -> CounterForm:
        return cls(str(counter.number), counter.zone, {cs.service_id: f"{cs.weight:g}" for cs in counter.services})


def services(session: Session, office: Office) -> list[Service]:
    return list(session.scalars(select(Service).where(Service.office_id == office.id).order_by(Service.prefix)))


def counters(session: Session, office: Office) -> list[Counter]:
    return list(session.scalars(select(Counter).where(Counter.office_id == office.id).order_by(Counter.number)))


def save_service(
    session: Session, office: Office, service_id: int | None, form: ServiceForm, now: datetime, by: str | None
) -> Service:
    """Create (service_id None) or change a service."""
    service = _own(session, Service, office, service_id)
    problems: dict[str, str] = {}
    code, prefix = form.code.strip().lower(), form.prefix.strip().upper()
    if service is None and not CODE_RE.match(code):
        problems["code"] = _("2 to 64 lower-case letters, digits or dashes.")
    elif service is None and _taken(session, Service, Service.code, office, code, None):
        problems["code"] = _("Another service has this code.")
    if not re.fullmatch(r"[A-Z]", prefix):
        problems["prefix"] = _("One letter, A to Z.")
    elif _taken(session, Service, Service.prefix, office, prefix, service):
        problems["prefix"] = _("Another service has this letter.")
    names = {lang: " ".join(form.names.get(lang, "").split()) for lang in LANGUAGES}
    if not names["vi"]:
        problems["name_vi"] = _("Please fill this in.")
    for lang, name in names.items():
        if len(name) > LONGEST_TEXT:
            problems[f"name_{lang}"] = _("At most 64 characters.")
    cap = _whole_number(form.daily_cap, problems, "daily_cap", optional=True)
    if problems:
        raise SettingsError(problems)
    if service is None:
        service = Service(office_id=office.id, code=code)
        session.add(service)
    service.prefix, service.names, service.daily_cap = prefix, {k: v for k, v in names.items() if v}, cap
    service.needs_declaration, service.active = form.needs_declaration, form.active
    session.flush()
    payload = {"service": service.code, "prefix": service.prefix, "active": service.active, "daily_cap": cap}
    record_event(session, office.id, "service.saved", payload, now, by)
    return service


def save_counter(
    session: Session, office: Office, counter_id: int | None, form: CounterForm, now: datetime, by: str | None
) -> Counter:
    """Create (counter_id None) or change a counter: its number, zone, and the services it serves with weights."""
    counter = _own(session, Counter, office, counter_id)
    problems: dict[str, str] = {}
    number = _whole_number(form.number, problems, "number")
    if number is not None and _taken(session, Counter, Counter.number, office, number, counter):
        problems["number"] = _("Another counter has this number.")
    if not form.zone.strip():
        problems["zone"] = _("Please fill this in.")
    elif len(form.zone.strip()) > LONGEST_TEXT:
        problems["zone"] = _("At most 64 characters.")
    own_services = {s.id for s in services(session, office)}
    weights = {sid: _weight(typed, problems, f"weight_{sid}") for sid, typed in form.weights.items()
               if typed.strip() and sid in own_services}
    if not weights:
        problems["services"] = _("A counter serves at least one service.")
    if problems or number is None:  # a missing number is among the problems
        raise SettingsError(problems)
    if counter is None:
        counter = Counter(office_id=office.id, state="closed", priority_streak=0)
        session.add(counter)
    counter.number, counter.zone = number, form.zone.strip()
    kept = {cs.service_id: cs for cs in counter.services}
    counter.services = [_served(kept.get(sid), sid, weight) for sid, weight in weights.items()]
    session.flush()
    payload = {"counter": counter.number, "zone": counter.zone, "services": sorted(weights)}
    record_event(session, office.id, "counter.saved", payload, now, by)
    return counter


def _served(existing: CounterService | None, service_id: int, weight: float) -> CounterService:
    """Update a kept link in place: replacing it would delete and insert the same primary key in one flush."""
    link = existing or CounterService(service_id=service_id)
    link.weight = weight
    return link


def _own(session: Session, model: type[Row], office: Office, row_id: int | None) -> Row | None:
    if row_id is None:
        return None
    row = session.get(model, row_id)
    if row is None or row.office_id != office.id:
        raise SettingsError({"id": _("No such row; reload the page.")})
    return row


def _taken(
    session: Session, model: type[Row], column: InstrumentedAttribute[Any], office: Office, value: object,
    mine: Row | None,
) -> bool:
    """Whether another row of the office already has this value (codes, letters, numbers are unique)."""
    query = select(model.id).where(model.office_id == office.id, column == value)
    if mine is not None:
        query = query.where(model.id != mine.id)
    return session.scalar(query) is not None


def _whole_number(typed: str, problems: dict[str, str], key: str, *, optional: bool = False) -> int | None:
    typed = typed.strip()
    if optional and not typed:
        return None
    number = whole_number(typed)
    if number is None or number < 1:
        problems[key] = _("A whole number, 1 or more.")
        return None
    return number


def _weight(typed: str, problems: dict[str, str], key: str) -> float:
    try:
        weight = float(typed.replace(",", "."))  # a Vietnamese keyboard types 1,5
    except ValueError:
        weight = 0.0
    if not 0 < weight <= MAX_WEIGHT:
        problems[key] = _("A weight above 0 and at most 10.")
    return weight
