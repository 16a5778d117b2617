"""The office's figures over a period, as the field defines them (see `measures`), whole and split by service,
counter, officer, source, priority and day. One implementation for the reports page, its exports and the API.

Rates are over arrivals (every ticket issued is one); the service level is the share of the served whose wait was
within their service's target; waits are of every ticket called (served or not), to the whole second. Closed
days are read as kept (`closed_days`), the others from their tickets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kiosk.data.models import Office
from kiosk.domain.statistics import closed_days
from kiosk.domain.statistics.figures import SPLITS, Figures, from_tickets
from kiosk.domain.statistics.measures import Targets
from kiosk.domain.statistics.over_the_day import DayShape, day_shape
from kiosk.domain.statistics.periods import Period
from kiosk.domain.statistics.tally import Tally

__all__ = ["SPLITS", "Report", "Tally", "report"]


@dataclass(frozen=True)
class Report:
    period: Period
    total: Tally
    median_wait_s: float | None
    p90_wait_s: float | None  # nine in ten called waited this long or less
    waits: dict[int, int]  # whole seconds waited: how many called tickets waited that long (the distribution)
    appointments_kept: int
    appointments_missed: int
    shape: DayShape
    splits: dict[str, dict[Any, Tally]] = field(default_factory=dict)


def report(session: Session, office: Office, period: Period, targets: Targets, now: datetime) -> Report:
    """Every figure of the period: the kept days added up in the database, the other days from their tickets."""
    kept = closed_days.kept_days(session, office, period, targets)
    figures = closed_days.read_kept(session, office, period, targets) if kept else Figures()
    live = {day for day in period.each_day() if day not in kept}
    for each in from_tickets(session, office, live, targets, now).values():
        figures.add(each)
    splits: dict[str, dict[Any, Tally]] = {name: {} for name in SPLITS}
    for (split, key), tally in figures.groups.items():
        splits[split][key] = tally
    total = Tally()
    for tally in splits["day"].values():
        total.add(tally)
    waits = dict(sorted(figures.waits.items()))
    return Report(period, total, _median(waits), _rank(waits, math.ceil(0.9 * sum(waits.values()))), waits,
                  figures.kept, figures.missed, day_shape(figures.arrived, figures.left), splits)


def _median(waits: dict[int, int]) -> float | None:
    """The middle wait (the mean of the two middle ones for an even count)."""
    count = sum(waits.values())
    if not count:
        return None
    low, high = _rank(waits, (count + 1) // 2), _rank(waits, count // 2 + 1)
    return (low + high) / 2 if count % 2 == 0 else low  # type: ignore[operator]


def _rank(waits: dict[int, int], rank: int) -> float | None:
    """The wait of the `rank`th shortest (1: the shortest)."""
    seen = 0
    for seconds, count in waits.items():
        seen += count
        if seen >= rank:
            return float(seconds)
    return None
