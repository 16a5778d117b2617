"""What the hall display shows: counters and their current call, the latest calls, people waiting per service.

Plain Python over a Session. A display redraws all of it on every change, so one snapshot function serves the
first page, every reconnect and every live update alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from kiosk.config import ConfigError
from kiosk.data.models import AT_COUNTER_STATUSES, Counter, Device, Event, Office, Service, Ticket
from kiosk.domain.hall.wording import STYLES
from kiosk.domain.queue.estimates import served_services, waiting_by_service

CALL_KINDS = ("ticket.called", "ticket.recalled")
# Changes that alter what the display shows; other events (printers, audit) leave it as it is.
SHOWN_KINDS = frozenset({*CALL_KINDS, "ticket.issued", "ticket.serving", "ticket.done", "ticket.no_show",
                         "ticket.requeued", "ticket.cancelled", "ticket.transferred", "counter.state"})
# A call still waiting to be announced is dropped once its ticket reaches the counter, is finished, or leaves.
SETTLING_KINDS = frozenset({"ticket.serving", "ticket.done", "ticket.no_show", "ticket.cancelled",
                            "ticket.transferred"})
MAX_REPLAYED_CALLS = 50  # a display back after a long outage announces at most this many
_EVENT_COLUMNS = (Event.id, Event.kind, Event.payload, Event.created_at)  # rows, not objects: read per hall drawn
_AT_COUNTERS = (select(Ticket.counter_id, Ticket.number, Ticket.status, Ticket.appointment_id)
                .where(Ticket.counter_id.in_(bindparam("counters", expanding=True)),
                       Ticket.status.in_(AT_COUNTER_STATUSES))
                .order_by(Ticket.called_at))


@dataclass(frozen=True)
class DisplaySettings:
    announce_citizen_language: bool
    number_style: str
    replay_missed_calls_max_age_s: int
    flash_s: int
    recent_calls: int
    audio_cache_files: int

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> DisplaySettings:
        display = config["display"]
        if display["number_style"] not in STYLES:
            raise ConfigError(f"display.number_style must be one of {', '.join(STYLES)}, "
                              f"got {display['number_style']!r}")
        return cls(**{key: display[key] for key in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Call:
    """One call or recall of a ticket to a counter: the unit the display shows and announces."""

    event_id: int
    number: str
    counter: int
    language: str
    recall: bool
    at: datetime


@dataclass(frozen=True)
class CounterNow:
    number: int
    ticket: str | None
    status: str | None  # called | serving | None (the counter is free)
    flash_age_s: float | None  # seconds since its latest call, while that call still flashes
    paused: bool = False  # shown as paused, not hidden: those waiting for it see why nobody is called
    appointment: bool = False  # the ticket came with a booking: the hall sees booked times being kept


@dataclass(frozen=True)
class ServiceWaiting:
    prefix: str
    names: dict[str, str]
    waiting: int
    served: bool  # an open counter serves it now


@dataclass(frozen=True)
class Hall:
    office_names: dict[str, str]
    timezone: str
    notice: dict[str, str]
    counters: list[CounterNow]
    recent: list[Call]
    services: list[ServiceWaiting]


def call_from_event(event_id: int, kind: str, payload: dict[str, Any], at: datetime) -> Call | None:
    """The call an event makes, or None for any other event."""
    if kind not in CALL_KINDS or payload.get("counter") is None:
        return None
    return Call(event_id, payload["number"], int(payload["counter"]), payload.get("language") or "vi",
                kind == "ticket.recalled", at)


def hall_state(session: Session, office: Office, zone: str | None, now: datetime, settings: DisplaySettings) -> Hall:
    """Everything the display shows, for the counters of its zone (all counters when it has none)."""
    counters = [c for c in _zone_counters(session, office, zone) if c.state in ("open", "paused")]
    latest_events = select(*_EVENT_COLUMNS).order_by(Event.id.desc()).limit(4 * settings.recent_calls)
    recent = _calls(session, office.id, {c.number for c in counters}, latest_events)
    latest = {call.counter: call for call in reversed(recent)}
    current = _current_tickets(session, [c.id for c in counters])
    shown = []
    for counter in counters:
        number, status, booked = current.get(counter.id, (None, None, False))
        flash = _flash_age(latest.get(counter.number), number, now, settings.flash_s)
        shown.append(CounterNow(counter.number, number, status, flash, counter.state == "paused", booked))
    services = _services(session, office, now)
    return Hall(office.names, office.timezone, office.notice, shown, recent[: settings.recent_calls], services)


def missed_calls(
    session: Session, office: Office, zone: str | None, between: tuple[int, int], now: datetime, max_age_s: int
) -> list[Call]:
    """Calls with ids in (after, upto] young enough to announce still, oldest first: what a reconnecting
    display missed. Later ones reach it live."""
    numbers = zone_counter_numbers(session, office, zone)
    after, upto = between
    query = (
        select(*_EVENT_COLUMNS)
        .where(Event.id > after, Event.id <= upto, Event.created_at >= now - timedelta(seconds=max_age_s))
        .order_by(Event.id.desc())
        .limit(MAX_REPLAYED_CALLS)
    )
    return list(reversed(_calls(session, office.id, numbers, query)))


def zone_counter_numbers(session: Session, office: Office, zone: str | None) -> set[int]:
    """The counters a display of this zone shows (all of the office's when it has no zone)."""
    return {c.number for c in _zone_counters(session, office, zone)}


def call_event(session: Session, office_id: int, event_id: int) -> Call | None:
    """The call an event of this office made, or None."""
    event = session.get(Event, event_id)
    if event is None or event.office_id != office_id:
        return None
    return call_from_event(event.id, event.kind, event.payload, event.created_at)


def device_zone(session: Session, device_id: int) -> str | None:
    return session.scalar(select(Device.zone).where(Device.id == device_id))


def _zone_counters(session: Session, office: Office, zone: str | None) -> list[Counter]:
    query = select(Counter).where(Counter.office_id == office.id).order_by(Counter.number)
    return list(session.scalars(query.where(Counter.zone == zone) if zone else query))


def _calls(session: Session, office_id: int, counters: set[int], query: Any) -> list[Call]:
    """Calls at these counters among the events the query picks (as rows of _EVENT_COLUMNS), in the query's order."""
    events = session.execute(query.where(Event.office_id == office_id, Event.kind.in_(CALL_KINDS)))
    calls = (call_from_event(e.id, e.kind, e.payload, e.created_at) for e in events)
    return [call for call in calls if call is not None and call.counter in counters]


def _current_tickets(session: Session, counter_ids: list[int]) -> dict[int, tuple[str, str, bool]]:
    """Number, status and whether it was booked, of the ticket at each counter (the latest call when, oddly, there
    are two)."""
    rows = session.execute(_AT_COUNTERS, {"counters": counter_ids}).all()
    return {row.counter_id: (row.number, row.status, row.appointment_id is not None) for row in rows}


def _flash_age(latest: Call | None, ticket: str | None, now: datetime, flash_s: int) -> float | None:
    if latest is None or latest.number != ticket:
        return None
    age = max(0.0, (now - latest.at).total_seconds())
    return age if age < flash_s else None


def _services(session: Session, office: Office, now: datetime) -> list[ServiceWaiting]:
    waiting, served = waiting_by_service(session, office, now), served_services(session, office)
    query = select(Service).where(Service.office_id == office.id, Service.active).order_by(Service.prefix)
    services = session.scalars(query)
    return [ServiceWaiting(s.prefix, s.names, waiting.get(s.id, 0), s.id in served) for s in services]
