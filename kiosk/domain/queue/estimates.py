"""How long a citizen will wait, from the queue as it stands (people ahead, the counters open for the service and
what else they serve, who is at them, the recent pace, today's priority share) and the office's history for the
hour (`wait_model.py`, `calibration.py`). With no open counter serving a service (its only counter paused or
closed) there is no estimate: the kiosk, the ticket, the phone and the desk say "no counter open" rather than a
wait nobody will keep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from kiosk.data.models import (
    AT_COUNTER_STATUSES,
    WAITING_STATUSES,
    Counter,
    CounterService,
    Office,
    Service,
    Ticket,
)
from kiosk.domain.queue.calibration import calibration
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.wait_model import (
    SHORTEST_SERVICE_S,
    QueueState,
    WaitRange,
    capacity,
    expected_wait,
    priority_share,
)

NOTHING_AHEAD = WaitRange(0, 0, 0)

# The reads every ticket issued and every hall drawn make, built once: building a statement costs more than
# SQLite takes to run it.
_TODAY = and_(Ticket.office_id == bindparam("office"), Ticket.service_day == bindparam("day"))
_OPEN_LINKS = (select(CounterService.counter_id, CounterService.service_id, CounterService.weight)
               .join(Counter).where(Counter.office_id == bindparam("office"), Counter.state == "open"))
_BUSY = select(Ticket.counter_id).where(_TODAY, Ticket.status.in_(AT_COUNTER_STATUSES))
_ARRIVALS = (select(Ticket.service_id, func.count(), func.count().filter(Ticket.priority_approved))
             .where(_TODAY).group_by(Ticket.service_id))
_WAITING = (select(Ticket.service_id, func.count()).where(_TODAY, Ticket.status.in_(WAITING_STATUSES))
            .group_by(Ticket.service_id))
_SERVED = (select(CounterService.service_id).join(Counter)
           .where(Counter.office_id == bindparam("office"), Counter.state == "open").distinct())
_DURATIONS = (select(Ticket.called_at, Ticket.finished_at)
              .where(Ticket.service_id == bindparam("service"), Ticket.status == "done", Ticket.called_at.is_not(None))
              .order_by(Ticket.finished_at.desc())
              .limit(bindparam("sample")))


@dataclass(frozen=True)
class Estimate:
    ahead: int
    wait: WaitRange | None  # None: no open counter serves the ticket's service
    state: QueueState | None = None  # the queue it is in; None: it has left the queue

    @property
    def wait_s(self) -> int | None:
        return None if self.wait is None else self.wait.middle_s


@dataclass(frozen=True)
class ServiceWait:
    service: Service
    waiting: int
    wait: WaitRange | None  # for a new ticket; None: no open counter serves it
    counters_open: int
    state: QueueState

    @property
    def wait_s(self) -> int | None:
        return None if self.wait is None else self.wait.middle_s


@dataclass(frozen=True)
class Hall:
    """The office now, read once for every service: open counters' services, who is at them, today's queue."""

    open_weights: dict[int, dict[int, float]]  # open counter id -> {service id: weight}
    busy: set[int]  # open counters with a ticket called or being served
    waiting: dict[int, int]  # service id -> tickets waiting
    arrivals: dict[int, tuple[int, int]]  # service id -> (arrivals today, of them approved priority)
    hour: int

    def state(self, service: Service, pace_s: float, ahead: int, priority: bool, counted: bool) -> QueueState:
        """The queue a ticket of `service` is in; `counted`: the ticket is already among the waiting."""
        waiting = dict(self.waiting)
        waiting[service.id] = waiting.get(service.id, 0) + (0 if counted else 1)
        serving = [c for c, weights in self.open_weights.items() if service.id in weights]
        arrived, first = self.arrivals.get(service.id, (0, 0))
        return QueueState(ahead=ahead, counters_open=len(serving),
                          capacity=capacity(self.open_weights.values(), service.id, waiting),
                          busy=len(self.busy.intersection(serving)), service_s=pace_s,
                          priority_share=priority_share(arrived, first), priority=priority, hour=self.hour)


def average_service_s(session: Session, service: Service, settings: QueueSettings) -> float:
    """Mean time from call to finish over the service's latest finished tickets."""
    durations = session.execute(_DURATIONS, {"service": service.id, "sample": settings.estimate_sample}).all()
    seconds = [(finished - called).total_seconds() for called, finished in durations if called and finished]
    return max(SHORTEST_SERVICE_S, sum(seconds) / len(seconds)) if seconds else float(settings.default_service_s)


def served_services(session: Session, office: Office) -> set[int]:
    """Ids of the services an open counter of the office serves."""
    return set(session.scalars(_SERVED, {"office": office.id}))


_SAME_QUEUE = and_(_TODAY, Ticket.service_id == bindparam("service"), Ticket.status.in_(WAITING_STATUSES),
                   Ticket.id != bindparam("ticket"))
_EARLIER = or_(Ticket.arrived_at < bindparam("arrived"),
               and_(Ticket.arrived_at == bindparam("arrived"), Ticket.id < bindparam("ticket")))
_PRIORITY = Ticket.priority_approved.is_(True)
_AHEAD_OF_PRIORITY = select(func.count()).select_from(Ticket).where(_SAME_QUEUE, _PRIORITY, _EARLIER)
_AHEAD_OF_NORMAL = select(func.count()).select_from(Ticket).where(_SAME_QUEUE, or_(_PRIORITY, _EARLIER))


def waiting_ahead(session: Session, office: Office, ticket: Ticket) -> int:
    """Waiting tickets of the same service that go first: earlier arrivals, and approved priority."""
    ahead = _AHEAD_OF_PRIORITY if ticket.priority_approved else _AHEAD_OF_NORMAL
    return session.scalar(ahead, {"office": office.id, "day": ticket.service_day, "service": ticket.service_id,
                                  "ticket": ticket.id, "arrived": ticket.arrived_at}) or 0


def hall(session: Session, office: Office, now: datetime) -> Hall:
    """The office's queue and counters as they stand now."""
    today = {"office": office.id, "day": service_day(office, now)}
    open_weights: dict[int, dict[int, float]] = {}
    for counter, service, weight in session.execute(_OPEN_LINKS, today):  # rows, not objects: per ticket issued
        open_weights.setdefault(counter, {})[service] = weight
    busy = session.scalars(_BUSY, today)
    arrivals = session.execute(_ARRIVALS, today)
    return Hall(open_weights=open_weights,
                busy={counter for counter in busy if counter is not None},
                waiting=waiting_by_service(session, office, now),
                arrivals={service: (count, first) for service, count, first in arrivals},
                hour=now.astimezone(ZoneInfo(office.timezone)).hour)


def estimate(session: Session, office: Office, ticket: Ticket, settings: QueueSettings,
             now: datetime | None = None) -> Estimate:
    """People ahead of a waiting ticket and its wait, as at `now` (by default when it was issued: a ticket printed
    off the request); nothing ahead once it has left the queue."""
    if ticket.status not in WAITING_STATUSES:
        return Estimate(0, NOTHING_AHEAD)
    when = now or ticket.issued_at
    ahead = waiting_ahead(session, office, ticket)
    return _estimate(session, office, hall(session, office, when), ticket.service, ahead, ticket.priority_approved,
                     when, settings, counted=True)


def estimate_for_new(session: Session, office: Office, service: Service, priority_approved: bool, now: datetime,
                     settings: QueueSettings) -> Estimate:
    """What a ticket of `service` issued now will be told, read before its number is taken: the number's row lock
    is then held for the insert alone, not for the dozen reads an estimate makes."""
    now_hall = hall(session, office, now)
    ahead = (waiting_first(session, office, service, now) if priority_approved
             else now_hall.waiting.get(service.id, 0))
    return _estimate(session, office, now_hall, service, ahead, priority_approved, now, settings, counted=False)


def _estimate(session: Session, office: Office, now_hall: Hall, service: Service, ahead: int, priority: bool,
              when: datetime, settings: QueueSettings, *, counted: bool) -> Estimate:
    """The wait of a ticket with `ahead` people before it in the hall as it stands; `counted`: it is among them."""
    state = now_hall.state(service, average_service_s(session, service, settings), ahead, priority, counted)
    return Estimate(ahead, expected_wait(state, service.id, calibration(session, office, when, settings)), state)


def waiting_first(session: Session, office: Office, service: Service, now: datetime) -> int:
    """Approved priority tickets waiting for the service today: the only ones ahead of a new priority ticket."""
    query = select(func.count()).select_from(Ticket).where(
        Ticket.office_id == office.id, Ticket.service_day == service_day(office, now),
        Ticket.service_id == service.id, Ticket.status.in_(WAITING_STATUSES), Ticket.priority_approved.is_(True))
    return session.scalar(query) or 0


def waiting_by_service(session: Session, office: Office, now: datetime) -> dict[int, int]:
    """Waiting tickets per service id today."""
    rows = session.execute(_WAITING, {"office": office.id, "day": service_day(office, now)}).all()
    return {service_id: count for service_id, count in rows}


def service_waits(session: Session, office: Office, now: datetime, settings: QueueSettings) -> list[ServiceWait]:
    """The office's active services with the people waiting, the wait a new (normal) ticket would have and the
    counters open for each (kiosk, API, desk)."""
    now_hall, learned = hall(session, office, now), calibration(session, office, now, settings)
    services = session.scalars(select(Service).where(Service.office_id == office.id, Service.active)
                               .order_by(Service.id))
    waits = []
    for service in services:
        people = now_hall.waiting.get(service.id, 0)
        state = now_hall.state(service, average_service_s(session, service, settings), people, False, counted=False)
        waits.append(ServiceWait(service, people, expected_wait(state, service.id, learned), state.counters_open,
                                 state))
    return waits
