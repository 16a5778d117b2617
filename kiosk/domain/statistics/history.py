"""A past for the demo office: `fill_history` writes realistic service days before today, so the reports, the
forecast and the benches have something to read. Seeded, so the same call writes the same days.

Each day is lived at the office's counters: citizens arrive by weekday and hour (a surge after Tết), take a number
for a service (some from an appointment, some with a declaration made on their phone, a few with priority), wait
for the first counter free among those serving it, and are served, recalled, transferred, marked no-show (some
requeued) or leave before being called when the wait is beyond their patience. Written with bulk inserts: a year
of a provincial office (≈150,000 tickets) in seconds.
"""

from __future__ import annotations

import base64
import heapq
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from kiosk.data.models import Appointment, Counter, Declaration, Event, Office, Service, StaffUser, Ticket
from kiosk.domain.queue.numbering import format_number
from kiosk.domain.statistics.calendar import WorkingDay, working_days

TICKETS_PER_COUNTER = 75  # on a usual Wednesday
# Arrivals by the hour they come in (local time): the morning rush, the lunch dip, a smaller afternoon.
HOUR_WEIGHT = {7: 1.4, 8: 1.7, 9: 1.5, 10: 1.1, 11: 0.6, 12: 0.3, 13: 0.8, 14: 1.0, 15: 0.8, 16: 0.5}
# The mix of services and their mean time at the counter (minutes); an office's other services get the default.
SERVICE_MIX = {"passport-first": (0.34, 4.5), "passport-reissue": (0.3, 4.0), "passport-child": (0.12, 5.0),
               "passport-lost": (0.06, 3.5), "border-pass": (0.1, 3.0), "foreigners": (0.08, 6.0)}
DEFAULT_MIX = (0.1, 4.0)
PRIORITIES = (("elderly", 0.04), ("child", 0.02), ("disabled", 0.01), ("pregnant", 0.01), ("urgent", 0.005))
LANGUAGES = (("vi", 0.92), ("en", 0.05), ("zh", 0.03))
APPOINTMENT_SHARE = 0.12  # of passport tickets; a tenth of the appointments are missed
PHONE_DECLARATION_SHARE = 0.3  # of tickets for a service that needs a declaration
NO_SHOW, REQUEUED, RECALLED, TRANSFERRED, STAFF_ISSUED = 0.04, 0.3, 0.08, 0.03, 0.02
HELP_OUT = timedelta(minutes=10)  # a counter takes another service's citizen when it would otherwise idle this long
PATIENCE_MIN = (20, 120)  # every citizen waits 20 minutes; then leaves after 2 hours more on average
OFFICER_NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Hoàng Văn Cường", "Vũ Thị Dung", "Đặng Minh Đức",
                 "Bùi Thị Hà", "Đỗ Quang Huy", "Ngô Thị Lan", "Dương Văn Long", "Lý Thị Mai")
DECLARED_AHEAD = timedelta(hours=20)  # a phone declaration is made the evening before
NO_PASSWORD = "!history"  # an account of the past: it matches no password


@dataclass(frozen=True)
class HistoryLoaded:
    days: int  # working days written (days that already had tickets are left alone)
    tickets: int
    appointments: int


@dataclass(eq=False)
class _Visit:
    """One ticket as it is lived, before it is written."""

    service: Service
    arrived: datetime
    priority: str | None = None
    slot: datetime | None = None
    phone_declaration: bool = False
    source: str = "kiosk"
    language: str = "vi"
    missed: bool = False  # an appointment nobody came to
    turn: int = 0  # breaks a tie between two citizens due at the same moment
    row: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Desk:
    """A counter open for the day, its officer, and when it is next free."""

    counter: Counter
    officer_id: int
    services: frozenset[int]
    free: datetime


def fill_history(session: Session, office: Office, days: int, today: date, *, seed: int = 1) -> HistoryLoaded:
    """Fill the `days` calendar days before `today` (today itself untouched) with the office's past work."""
    rng = random.Random(f"{seed}:{office.code}")
    first, last = today - timedelta(days=days), today - timedelta(days=1)
    taken = set(session.scalars(select(Ticket.service_day).where(
        Ticket.office_id == office.id, Ticket.service_day.between(first, last)).distinct()))
    counters = [c for c in office.counters if c.services]
    officers = _officers(session, office, len(counters) + 2)
    loaded = HistoryLoaded(0, 0, 0)
    for working in working_days(office.hours, first, last):
        if working.day in taken or not counters:
            rng.random()  # the days after stay the same whether or not this one was already there
            continue
        visits, missed = _live_day(rng, office, working, counters, officers)
        loaded = _write_day(session, office, working.day, visits, missed, officers, loaded)
    return loaded


def _officers(session: Session, office: Office, wanted: int) -> list[StaffUser]:
    """The office's officers, with accounts of the past added (they sign in with no password) up to `wanted`."""
    query = select(StaffUser).where(StaffUser.office_id == office.id, StaffUser.role == "officer")
    officers = list(session.scalars(query.order_by(StaffUser.id)))
    names = {o.username for o in officers}
    number = 1
    while len(officers) < wanted:
        username = f"officer{number}"
        if username not in names:
            officers.append(StaffUser(office_id=office.id, username=username, full_name=OFFICER_NAMES[
                len(officers) % len(OFFICER_NAMES)], password_hash=NO_PASSWORD, role="officer", active=True))
            session.add(officers[-1])
        number += 1
    session.flush()
    return officers


def _live_day(rng: random.Random, office: Office, working: WorkingDay, counters: list[Counter],
              officers: list[StaffUser]) -> tuple[list[_Visit], list[_Visit]]:
    """The day's tickets, served at the counters, and the appointments nobody came to."""
    zone = ZoneInfo(office.timezone)
    midnight = datetime.combine(working.day, time(0), zone)
    opens = (midnight + timedelta(minutes=working.opens_min)).astimezone(UTC)
    closes = (midnight + timedelta(minutes=working.closes_min)).astimezone(UTC)
    open_counters = counters if working.load > 1.5 else rng.sample(counters, max(2, len(counters) - rng.randint(0, 1)))
    on_duty = rng.sample(officers, len(open_counters))
    desks = [_Desk(c, o.id, frozenset(cs.service_id for cs in c.services), opens)
             for c, o in zip(open_counters, on_duty, strict=True)]
    count = max(0, round(rng.gauss(1, 0.08) * working.load * TICKETS_PER_COUNTER * len(counters)))
    hours = [h for h in HOUR_WEIGHT if working.opens_min // 60 <= h and h * 60 < working.closes_min]
    visits = [_visit(rng, office, working.day, hours, (opens, closes)) for _ in range(count)]
    for visit in visits:
        visit.missed = visit.slot is not None and rng.random() < 0.1
    _serve(rng, [v for v in visits if not v.missed], desks, {s.id: s for s in office.services})
    return [v for v in visits if not v.missed], [v for v in visits if v.missed]


def _visit(rng: random.Random, office: Office, day: date, hours: list[int], span: tuple[datetime, datetime]
           ) -> _Visit:
    """A citizen coming in at an hour of the day's usual shape, for a service of the usual mix."""
    services = [s for s in office.services if s.active]
    service = rng.choices(services, [SERVICE_MIX.get(s.code, DEFAULT_MIX)[0] for s in services])[0]
    hour = rng.choices(hours, [HOUR_WEIGHT[h] for h in hours])[0]
    top = datetime.combine(day, time(hour), ZoneInfo(office.timezone)).astimezone(UTC)
    start, end = max(span[0], top), min(span[1], top + timedelta(hours=1))
    arrived = start + timedelta(seconds=rng.uniform(0, max(60.0, (end - start).total_seconds())))
    visit = _Visit(service, arrived)
    visit.language = _pick(rng, LANGUAGES, office.languages) or "vi"
    visit.priority = _pick(rng, PRIORITIES)
    if service.code.startswith("passport") and rng.random() < APPOINTMENT_SHARE:
        slot = arrived + timedelta(minutes=rng.uniform(-10, 20))
        visit.slot = slot.replace(minute=slot.minute - slot.minute % 15, second=0, microsecond=0)
        visit.source = "appointment"
    elif service.needs_declaration and rng.random() < PHONE_DECLARATION_SHARE:
        visit.phone_declaration = True
    elif rng.random() < STAFF_ISSUED:
        visit.source = "staff"
    return visit


def _pick(rng: random.Random, shares: tuple[tuple[str, float], ...], among: list[str] | None = None) -> str | None:
    """One of the kinds by its share, or None for the rest (a priority) or when it is not offered."""
    draw = rng.random()
    for kind, share in shares:
        if draw < share:
            return kind if among is None or kind in among else None
        draw -= share
    return None


def _order(visit: _Visit) -> datetime:
    """Who goes first: an appointment at its slot, approved priority a quarter of an hour ahead."""
    if visit.slot is not None:
        return max(visit.arrived, visit.slot)
    return visit.arrived - timedelta(minutes=15) if visit.priority else visit.arrived


def _serve(rng: random.Random, visits: list[_Visit], desks: list[_Desk], services: dict[int, Service]) -> None:
    """Each visit in turn at the first counter free for its service; fills each visit's ticket row. A requeued
    no-show takes its turn again among those who came after it."""
    for n, visit in enumerate(visits):
        visit.turn = n
    turns = [(_order(v), v.turn, v) for v in visits]
    heapq.heapify(turns)
    while turns:
        _when, _n, visit = heapq.heappop(turns)
        if visit.row:
            _call(rng, visit, visit.row["arrived_at"], visit.service, desks, services, turns)
        else:
            _serve_one(rng, visit, desks, services, turns)


def _serve_one(rng: random.Random, visit: _Visit, desks: list[_Desk], services: dict[int, Service],
               requeued: list[tuple[datetime, int, _Visit]]) -> None:
    visit.row = {"status": "waiting", "issued_at": visit.arrived, "arrived_at": visit.arrived, "recall_count": 0,
                 "requeue_count": 0, "transferred_from_id": None, "counter_id": None, "officer_id": None,
                 "called_at": None, "served_at": None, "finished_at": None}
    desk = _desk_for(visit.service, desks)
    due = max(visit.arrived, visit.slot or visit.arrived)
    patience = timedelta(minutes=PATIENCE_MIN[0] + rng.expovariate(1 / PATIENCE_MIN[1]))
    if max(desk.free, due) - visit.arrived > patience:
        visit.row.update(status="cancelled", finished_at=visit.arrived + patience)
        return
    _call(rng, visit, due, visit.service, desks, services, requeued)


def _call(rng: random.Random, visit: _Visit, ready: datetime, service: Service, desks: list[_Desk],
          services: dict[int, Service], requeued: list[tuple[datetime, int, _Visit]]) -> None:
    """Called at the first desk free for the service; then no-show, or served (and maybe sent on)."""
    desk = _desk_for(service, desks)
    called = max(ready, desk.free)
    row = visit.row
    row.update(status="called", called_at=called, counter_id=desk.counter.id, officer_id=desk.officer_id)
    walk_up = timedelta(seconds=rng.uniform(20, 90))
    if rng.random() < RECALLED:
        row["recall_count"] = rng.randint(1, 2)
        walk_up += timedelta(seconds=rng.uniform(60, 120))
    if rng.random() < NO_SHOW and not row["transferred_from_id"]:
        gone = called + timedelta(minutes=rng.uniform(2, 4))
        row["recall_count"] = max(1, row["recall_count"])
        desk.free = gone
        if row["requeue_count"] == 0 and rng.random() < REQUEUED:
            row.update(status="waiting", arrived_at=gone, requeue_count=1, counter_id=None)
            heapq.heappush(requeued, (gone, visit.turn, visit))
        else:
            row.update(status="no_show", finished_at=gone)
        return
    served = called + walk_up
    mean = SERVICE_MIX.get(service.code, DEFAULT_MIX)[1]
    done = served + timedelta(minutes=rng.lognormvariate(0, 0.45) * mean * 0.8)
    desk.free = done
    row.update(status="done", served_at=served, finished_at=done)
    if not row["transferred_from_id"] and rng.random() < TRANSFERRED:
        onward = rng.choice([s for s in services.values() if s.id != service.id and s.active])
        row["transferred_from_id"] = service.id
        visit.service = onward
        _call(rng, visit, done + timedelta(minutes=rng.uniform(1, 5)), onward, desks, services, requeued)


def _desk_for(service: Service, desks: list[_Desk]) -> _Desk:
    """The first counter free among those serving the service; one of the others helps when it is free well before."""
    first = min(desks, key=lambda d: d.free)
    own = min((d for d in desks if service.id in d.services), key=lambda d: d.free, default=first)
    return first if first.free + HELP_OUT < own.free else own


def _write_day(session: Session, office: Office, day: date, visits: list[_Visit], missed: list[_Visit],
               officers: list[StaffUser], loaded: HistoryLoaded) -> HistoryLoaded:
    """The day's appointments, phone declarations, tickets and sign-ins, in a few bulk inserts."""
    rng = random.Random(f"{office.code}:{day}")
    booked = [v for v in visits if v.slot is not None] + missed
    # Codes of the past are not digits only, so no code typed at a kiosk ever finds one; they find the rows again.
    codes = {id(v): f"h{day:%y%m%d}{n:04d}" for n, v in enumerate(booked)}
    _insert(session, Appointment, [
        {"office_id": office.id, "service_id": v.row.get("transferred_from_id") or v.service.id,
         "slot_at": v.slot, "ends_at": v.slot + timedelta(minutes=15) if v.slot else None, "code": codes[id(v)],
         "status": "no_show" if v.missed else "checked_in", "language": v.language,
         "created_at": v.arrived - timedelta(days=rng.randint(1, 14)),
         "checked_in_at": None if v.missed else v.arrived, "booked_by": "citizen"} for v in booked])
    declared = [v for v in visits if v.phone_declaration]
    declared_codes = {id(v): f"h{day:%y%m%d}{n:04d}" for n, v in enumerate(declared)}
    _insert(session, Declaration, [
        {"office_id": office.id, "kind": "TK01a" if v.service.code == "passport-child" else "TK01",
         "status": "purged", "fields": {}, "warnings": {}, "code": declared_codes[id(v)], "language": v.language,
         "source": "phone", "created_at": v.arrived - DECLARED_AHEAD, "updated_at": v.arrived - DECLARED_AHEAD,
         "submitted_at": v.arrived - DECLARED_AHEAD, "checked_in_at": v.arrived} for v in declared])
    appointments = _ids_by_code(session, Appointment, office, day, codes)
    declarations = _ids_by_code(session, Declaration, office, day, declared_codes)
    _insert(session, Ticket, _ticket_rows(rng, office, day, visits, appointments, declarations))
    _insert(session, Event, _sign_ins(office, visits, officers))
    return HistoryLoaded(loaded.days + 1, loaded.tickets + len(visits), loaded.appointments + len(booked))


def _insert(session: Session, model: type[Appointment | Declaration | Ticket | Event],
            rows: list[dict[str, Any]]) -> None:
    """One executemany on the table (the ORM's bulk path would go row by row to learn each new id)."""
    if rows:
        session.execute(insert(cast(Table, model.__table__)), rows)


def _ids_by_code(session: Session, model: type[Appointment | Declaration], office: Office, day: date,
                 codes: dict[int, str]) -> dict[int, int]:
    """The new rows' ids for each visit, found again by the day's codes."""
    query = select(model.code, model.id).where(model.office_id == office.id, model.code.startswith(f"h{day:%y%m%d}"))
    found = {row.code: row.id for row in session.execute(query)}
    return {visit: found[code] for visit, code in codes.items()}


def _ticket_rows(rng: random.Random, office: Office, day: date, visits: list[_Visit], appointments: dict[int, int],
                 declarations: dict[int, int]) -> list[dict[str, Any]]:
    seqs: dict[int, int] = {}
    rows = []
    for visit in sorted(visits, key=lambda v: v.arrived):
        issued = visit.row["transferred_from_id"] or visit.service.id
        prefix = next(s.prefix for s in office.services if s.id == issued)
        seqs[issued] = seqs.get(issued, 0) + 1
        rows.append(visit.row | {
            "office_id": office.id, "service_id": visit.service.id, "issued_service_id": issued, "service_day": day,
            "seq": seqs[issued], "number": format_number(prefix, seqs[issued]),
            "token": base64.urlsafe_b64encode(rng.randbytes(24)).decode(),
            "priority": visit.priority, "priority_approved": visit.priority is not None,
            "source": visit.source, "language": visit.language,
            "appointment_id": appointments.get(id(visit)), "declaration_id": declarations.get(id(visit))})
    return rows


def _sign_ins(office: Office, visits: list[_Visit], officers: list[StaffUser]) -> list[dict[str, Any]]:
    """Each officer on duty signs in before their first call and out after their last ticket."""
    spans: dict[int, tuple[datetime, datetime]] = {}
    for visit in visits:
        officer, called, done = visit.row["officer_id"], visit.row["called_at"], visit.row["finished_at"]
        if officer is not None and called is not None:
            first, last = spans.get(officer, (called, done or called))
            spans[officer] = (min(first, called), max(last, done or called))
    names = {o.id: o.username for o in officers}
    rows: list[dict[str, Any]] = []
    for officer, (first, last) in sorted(spans.items(), key=lambda item: item[1][0]):
        who = f"staff:{names[officer]}"
        rows.append({"office_id": office.id, "kind": "staff.login", "actor": who, "created_at":
                     first - timedelta(minutes=5), "payload": {"username": names[officer], "address": "10.0.0.20",
                                                               "role": "officer"}})
        rows.append({"office_id": office.id, "kind": "staff.logout", "actor": who,
                     "created_at": last + timedelta(minutes=2), "payload": {"username": names[officer]}})
    return sorted(rows, key=lambda r: r["created_at"])
