"""Past days played again: for each ticket, the queue it joined (people ahead, counters open and busy, recent
pace, priority share) as the estimate saw it at issue, and the wait that followed. The backtest scores estimators
on it; the live estimate learns its hour-of-day ratios from it.

A counter counts as open while someone is at it or if it called within the last OPEN_WITHIN: the history keeps
calls, not the buttons pressed on the desk.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import CounterService, Office, Ticket
from kiosk.domain.queue.wait_model import SHORTEST_SERVICE_S, QueueState, capacity, priority_share

OPEN_WITHIN = timedelta(minutes=20)
# At one instant: counters free up, then tickets arrive (one called as it arrives arrives first), then calls.
FINISH, ARRIVE, CALL, LEAVE = range(4)


class Visit(NamedTuple):
    """One past ticket, as much of it as the replay reads."""

    id: int
    service_id: int
    issued_service_id: int
    status: str
    priority_approved: bool
    source: str
    service_day: date
    arrived_at: datetime
    called_at: datetime | None
    finished_at: datetime | None
    counter_id: int | None
    estimated_wait_s: int | None


@dataclass(frozen=True)
class Sample:
    visit: Visit
    state: QueueState
    waited_s: float | None  # None: never called

    @property
    def scored(self) -> bool:
        """A wait the estimate given at issue is judged on: called, at the service it was issued for, not an
        appointment (due at its slot, not in turn)."""
        visit = self.visit
        return (self.waited_s is not None and visit.service_id == visit.issued_service_id
                and visit.source != "appointment")


def visits(session: Session, office: Office, first: date, last: date) -> list[Visit]:
    """The office's tickets of these service days, by arrival."""
    columns = [getattr(Ticket, name) for name in Visit._fields]
    rows = session.execute(select(*columns).where(Ticket.office_id == office.id, Ticket.service_day >= first,
                                                  Ticket.service_day <= last).order_by(Ticket.arrived_at, Ticket.id))
    return [Visit(*row) for row in rows]


def counter_weights(session: Session, office: Office) -> dict[int, dict[int, float]]:
    """Every counter's services and weights: counter id -> {service id: weight}."""
    weights: dict[int, dict[int, float]] = {}
    rows = session.execute(select(CounterService.counter_id, CounterService.service_id, CounterService.weight)
                           .where(CounterService.service.has(office_id=office.id)))
    for counter_id, service_id, weight in rows:
        weights.setdefault(counter_id, {})[service_id] = weight
    return weights


@dataclass
class _Hall:
    """What the sweep knows at one instant of a day."""

    weights: Mapping[int, Mapping[int, float]]
    timezone: ZoneInfo
    paces: dict[int, deque[float]]
    default_service_s: float
    waiting: dict[int, int] = field(default_factory=dict)
    waiting_first: dict[int, int] = field(default_factory=dict)
    arrivals: dict[int, int] = field(default_factory=dict)
    arrivals_first: dict[int, int] = field(default_factory=dict)
    at_counter: dict[int, int] = field(default_factory=dict)  # counter id -> visit id
    last_call: dict[int, datetime] = field(default_factory=dict)

    def state(self, visit: Visit, now: datetime) -> QueueState:
        service = visit.service_id
        open_ = [c for c in self.weights if self._open(c, now)]
        serving = [c for c in open_ if service in self.weights[c]]
        waiting = dict(self.waiting)
        waiting[service] = waiting.get(service, 0) + 1
        pace = self.paces.get(service)
        return QueueState(
            ahead=self.waiting_first.get(service, 0) if visit.priority_approved else self.waiting.get(service, 0),
            counters_open=len(serving),
            capacity=capacity((self.weights[c] for c in open_), service, waiting),
            busy=sum(1 for c in serving if c in self.at_counter),
            service_s=max(SHORTEST_SERVICE_S, sum(pace) / len(pace)) if pace else self.default_service_s,
            priority_share=priority_share(self.arrivals.get(service, 0), self.arrivals_first.get(service, 0)),
            priority=visit.priority_approved,
            hour=now.astimezone(self.timezone).hour,
        )

    def _open(self, counter: int, now: datetime) -> bool:
        called = self.last_call.get(counter)
        return counter in self.at_counter or (called is not None and now - called <= OPEN_WITHIN)

    def arrive(self, visit: Visit) -> None:
        for counts in (self.waiting, self.arrivals) + ((self.waiting_first, self.arrivals_first)
                                                       if visit.priority_approved else ()):
            counts[visit.service_id] = counts.get(visit.service_id, 0) + 1

    def leave(self, visit: Visit) -> None:
        self.waiting[visit.service_id] -= 1
        if visit.priority_approved:
            self.waiting_first[visit.service_id] -= 1

    def call(self, visit: Visit, now: datetime) -> None:
        self.leave(visit)
        if visit.counter_id is not None:
            self.at_counter[visit.counter_id] = visit.id
            self.last_call[visit.counter_id] = now

    def finish(self, visit: Visit) -> None:
        if visit.counter_id is not None and self.at_counter.get(visit.counter_id) == visit.id:
            del self.at_counter[visit.counter_id]
        if visit.status == "done" and visit.called_at and visit.finished_at:
            self.paces[visit.service_id].append((visit.finished_at - visit.called_at).total_seconds())


def replay(history: list[Visit], weights: Mapping[int, Mapping[int, float]], timezone: str,
           default_service_s: float, sample_size: int) -> Iterator[Sample]:
    """Each ticket of `history` (by arrival) with the queue it joined and its wait, day after day; the pace is the
    mean of the service's last `sample_size` finished tickets, as the live estimate takes it."""
    services = {visit.service_id for visit in history} | {s for w in weights.values() for s in w}
    paces: dict[int, deque[float]] = {service: deque(maxlen=sample_size) for service in services}
    for _day, day_visits in groupby(history, key=lambda visit: visit.service_day):
        hall = _Hall(weights, ZoneInfo(timezone), paces, default_service_s)
        for when, kind, visit in sorted(_moments(list(day_visits)), key=lambda m: (m[0], m[1], m[2].id)):
            if kind == ARRIVE:
                state = hall.state(visit, when)
                hall.arrive(visit)
                waited = _waited(visit)
                yield Sample(visit, state, waited)
            elif kind == CALL:
                hall.call(visit, when)
            elif kind == LEAVE:
                hall.leave(visit)
            else:
                hall.finish(visit)


def _waited(visit: Visit) -> float | None:
    if visit.called_at is None or visit.called_at < visit.arrived_at:
        return None
    return (visit.called_at - visit.arrived_at).total_seconds()


def _moments(day: list[Visit]) -> Iterator[tuple[datetime, int, Visit]]:
    for visit in day:  # (a requeued no-show arrives again after its first call: not before it here)
        yield visit.arrived_at, ARRIVE, visit
        if visit.called_at:
            yield max(visit.called_at, visit.arrived_at), CALL, visit
            if visit.finished_at:
                yield max(visit.finished_at, visit.arrived_at), FINISH, visit
        elif visit.finished_at:  # cancelled, or gone before being called
            yield max(visit.finished_at, visit.arrived_at), LEAVE, visit
