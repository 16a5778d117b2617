"""How long a citizen will wait: people ahead, recent service times and the counters open for it. With no open
counter serving a service (its only counter paused or closed) there is no estimate: the kiosk, the ticket, the
phone and the desk say "no counter open" rather than a wait nobody will keep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from kiosk.data.models import WAITING_STATUSES, Counter, CounterService, Office, Service, Ticket
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.settings import QueueSettings


@dataclass(frozen=True)
class Estimate:
    ahead: int
    wait_s: int | None  # None: no open counter serves the ticket's service


@dataclass(frozen=True)
class ServiceWait:
    service: Service
    waiting: int
    wait_s: int | None  # None: no open counter serves it
    counters_open: int


def average_service_s(session: Session, service: Service, settings: QueueSettings) -> float:
    """Mean time from call to finish over the service's latest finished tickets."""
    durations = session.execute(
        select(Ticket.called_at, Ticket.finished_at)
        .where(Ticket.service_id == service.id, Ticket.status == "done", Ticket.called_at.is_not(None))
        .order_by(Ticket.finished_at.desc())
        .limit(settings.estimate_sample)
    ).all()
    seconds = [(finished - called).total_seconds() for called, finished in durations if called and finished]
    return sum(seconds) / len(seconds) if seconds else float(settings.default_service_s)


def counters_for(session: Session, service: Service) -> int:
    """Open counters that serve the service."""
    query = select(func.count()).select_from(CounterService).join(Counter)
    return session.scalar(query.where(CounterService.service_id == service.id, Counter.state == "open")) or 0


def waiting_ahead(session: Session, office: Office, ticket: Ticket) -> int:
    """Waiting tickets of the same service that go first: earlier arrivals, and approved priority."""
    same_queue = and_(
        Ticket.office_id == office.id,
        Ticket.service_day == ticket.service_day,
        Ticket.service_id == ticket.service_id,
        Ticket.status.in_(WAITING_STATUSES),
        Ticket.id != ticket.id,
    )
    earlier = or_(
        Ticket.arrived_at < ticket.arrived_at, and_(Ticket.arrived_at == ticket.arrived_at, Ticket.id < ticket.id)
    )
    priority = Ticket.priority_approved.is_(True)
    ahead = and_(priority, earlier) if ticket.priority_approved else or_(priority, earlier)
    return session.scalar(select(func.count()).select_from(Ticket).where(same_queue, ahead)) or 0


def estimate(session: Session, office: Office, ticket: Ticket, settings: QueueSettings) -> Estimate:
    """People ahead of a waiting ticket and its wait; nothing ahead once it has left the queue."""
    if ticket.status not in WAITING_STATUSES:
        return Estimate(0, 0)
    ahead = waiting_ahead(session, office, ticket)
    return Estimate(ahead, _wait_s(session, ticket.service, ahead, counters_for(session, ticket.service), settings))


def waiting_by_service(session: Session, office: Office, now: datetime) -> dict[int, int]:
    """Waiting tickets per service id today."""
    rows = session.execute(
        select(Ticket.service_id, func.count())
        .where(
            Ticket.office_id == office.id,
            Ticket.service_day == service_day(office, now),
            Ticket.status.in_(WAITING_STATUSES),
        )
        .group_by(Ticket.service_id)
    ).all()
    return {service_id: count for service_id, count in rows}


def _wait_s(session: Session, service: Service, ahead: int, counters: int, settings: QueueSettings) -> int | None:
    """`ahead` people at the service's recent pace, shared by its open counters; None when none is open."""
    if counters == 0:
        return None
    return round(ahead * average_service_s(session, service, settings) / counters)


def service_waits(session: Session, office: Office, now: datetime, settings: QueueSettings) -> list[ServiceWait]:
    """The office's active services with the people waiting, the wait a new ticket would have and the counters
    open for each (kiosk, API, desk)."""
    waiting = waiting_by_service(session, office, now)
    services = session.scalars(select(Service).where(Service.office_id == office.id, Service.active)
                               .order_by(Service.id))
    waits = []
    for service in services:
        counters, people = counters_for(session, service), waiting.get(service.id, 0)
        waits.append(ServiceWait(service, people, _wait_s(session, service, people, counters, settings), counters))
    return waits
