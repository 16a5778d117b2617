"""The end of the day: whether those waiting for a service are served before closing at the current pace (the
service's recent time at the counter, its share of the counters open now), so the desk can open a counter or
extend the hours, and a new walk-in hears before taking a number that their turn may come after closing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from kiosk.data.models import Office, Service
from kiosk.domain.queue.estimates import service_waits
from kiosk.domain.queue.opening_hours import closing_time
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.wait_model import QueueState


@dataclass(frozen=True)
class CutOff:
    """A service whose waiting citizens outlast the day."""

    service: Service
    waiting: int
    servable: int  # of them, the ones the current pace serves before closing
    closes_at: datetime

    @property
    def left(self) -> int:
        return self.waiting - self.servable


def servable(state: QueueState, seconds: float) -> int:
    """Citizens the service's counters call within `seconds` at the current pace (the first waits for a counter
    to free up when all are busy)."""
    if state.capacity <= 0 or seconds <= 0:
        return 0
    started = 0.5 if state.busy >= state.counters_open else 0.0
    return max(0, math.floor(seconds * state.capacity / state.service_s - started + 1))


def after_closing(state: QueueState, office: Office, now: datetime) -> bool:
    """Whether the citizen with `state.ahead` before them is called only after closing at the current pace."""
    closes = closing_time(office, now)
    if closes is None or state.capacity <= 0:
        return False  # no hours today; no counter open is said on its own
    return state.ahead + 1 > servable(state, (closes - now).total_seconds())


def at_risk(session: Session, office: Office, now: datetime, settings: QueueSettings) -> list[CutOff]:
    """The services whose waiting citizens will not all be called before closing at the current pace."""
    closes = closing_time(office, now)
    if closes is None:
        return []
    seconds, risks = (closes - now).total_seconds(), []
    for wait in service_waits(session, office, now, settings):
        if wait.waiting and wait.counters_open:
            can = servable(wait.state, seconds)
            if can < wait.waiting:
                risks.append(CutOff(wait.service, wait.waiting, can, closes))
    return risks
