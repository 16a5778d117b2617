"""How long a wait is, from what the queue looks like when the ticket is issued: the one rule the kiosk, the ticket,
the phone page and the backtest share. Pure: no session, no clock.

`first_wait` is the estimator the office had before (people ahead x mean service time / open counters), kept as
the baseline the backtest measures the gain against. `expected_wait` adds what it missed: a counter shared with
other services gives each only its share (service mix), someone is usually still at the counter (half a service),
priority tickets issued later go first, and the office's own history says how the hour of the day bends the pace
(lunch, staff leaving): the ratio of the waits that followed to this rule's figure, learned per service and hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MAX_OVERTAKEN = 0.5  # the call policy lets at most this share of calls go to priority tickets (ratio 3: 0.75)
MIN_LEARNED_S = 300  # shorter estimates are left out of the learned ratios: a ratio of seconds says little
MIN_SAMPLES = 30  # fewer waits than this for a service and hour: the service's ratios; fewer still: none
WIDE_S = 600  # a spread this wide (10 min) is shown as a range, not one figure
# The shortest mean service believed: calls closed at once (a mistaken call) must not make a queue look endlessly fast.
SHORTEST_SERVICE_S = 60.0


@dataclass(frozen=True)
class QueueState:
    """The queue a new ticket joins, as seen for its service at issue."""

    ahead: int  # tickets of the service that go first
    counters_open: int  # open counters serving the service
    capacity: float  # their time left for it once the other services they serve take their share
    busy: int  # of those counters, the ones someone is at
    service_s: float  # recent mean time at the counter, call to finish
    priority_share: float  # share of today's arrivals for the service that went first
    priority: bool  # the ticket itself goes first
    hour: int  # local hour of the day


@dataclass(frozen=True)
class Ratios:
    """The wait that followed over the rule's figure: low and high quantiles and the median."""

    low: float
    middle: float
    high: float


NEUTRAL = Ratios(1.0, 1.0, 1.0)


@dataclass(frozen=True)
class Calibration:
    """Ratios per (service id, hour), and per service for hours with too few waits."""

    by_hour: Mapping[tuple[int, int], Ratios]
    by_service: Mapping[int, Ratios]

    def ratios(self, service_id: int, hour: int) -> Ratios:
        return self.by_hour.get((service_id, hour)) or self.by_service.get(service_id) or NEUTRAL


NO_HISTORY = Calibration({}, {})


@dataclass(frozen=True)
class WaitRange:
    """The estimate and the span most waits fell in; shown as a range when the span is wide."""

    middle_s: int
    low_s: int
    high_s: int

    @property
    def wide(self) -> bool:
        return self.high_s - self.low_s >= WIDE_S


def first_wait(state: QueueState) -> float | None:
    """The estimator before: people ahead at the recent pace, shared by the open counters (None: none open)."""
    if not state.counters_open:
        return None
    return state.ahead * state.service_s / state.counters_open


def modelled_wait(state: QueueState) -> float | None:
    """People ahead (plus half a service when every counter is busy) at the service's share of the counters,
    stretched by the priority tickets that will come in ahead of a normal one."""
    if state.capacity <= 0:
        return None
    people = state.ahead + (0.5 if state.busy >= state.counters_open else 0.0)
    overtaken = 1.0 if state.priority else 1.0 / (1.0 - min(state.priority_share, MAX_OVERTAKEN))
    return people * state.service_s / state.capacity * overtaken


def expected_wait(state: QueueState, service_id: int, calibration: Calibration) -> WaitRange | None:
    """The modelled wait bent by the office's history for the service at this hour; None: no counter open."""
    modelled = modelled_wait(state)
    if modelled is None:
        return None
    ratios = calibration.ratios(service_id, state.hour)
    return WaitRange(round(modelled * ratios.middle), round(modelled * ratios.low), round(modelled * ratios.high))


def capacity(counters: Iterable[Mapping[int, float]], service_id: int, waiting: Mapping[int, int]) -> float:
    """The open counters' share for a service: each splits its time among its services by weight x people waiting
    (the call policy orders by weighted waiting), the ticket being issued counted in `waiting`."""
    total = 0.0
    for weights in counters:
        if service_id not in weights:
            continue
        demand = {code: weight * waiting.get(code, 0) for code, weight in weights.items()}
        whole = sum(demand.values())
        total += demand[service_id] / whole if whole else 1.0
    return total


def priority_share(arrivals: int, first: int) -> float:
    """Today's share of arrivals that went first, held back while the day has few (no guess before the first)."""
    return first / (arrivals + 10)


def learn(samples: Iterable[tuple[int, int, float, float]]) -> Calibration:
    """Ratios from (service id, hour, modelled s, waited s): the 20th, 50th and 80th percentile of waited/modelled."""
    by_hour: dict[tuple[int, int], list[float]] = {}
    by_service: dict[int, list[float]] = {}
    for service_id, hour, modelled, waited in samples:
        if modelled >= MIN_LEARNED_S:
            by_hour.setdefault((service_id, hour), []).append(waited / modelled)
            by_service.setdefault(service_id, []).append(waited / modelled)
    return Calibration({key: _ratios(r) for key, r in by_hour.items() if len(r) >= MIN_SAMPLES},
                       {key: _ratios(r) for key, r in by_service.items() if len(r) >= MIN_SAMPLES})


def _ratios(values: list[float]) -> Ratios:
    ordered = sorted(values)
    return Ratios(_quantile(ordered, 0.2), _quantile(ordered, 0.5), _quantile(ordered, 0.8))


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
