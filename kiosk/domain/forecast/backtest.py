"""The wait estimate against the waits that followed, by service: the estimator before (people ahead x pace /
open counters), the one in use now, and the figures stored on the tickets at issue.

Each day is estimated with ratios learned from the LEARN_DAYS days before it only, as the live estimate is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from sqlalchemy.orm import Session

from kiosk.data.models import Office
from kiosk.domain.queue.calibration import LEARN_DAYS, learning_samples
from kiosk.domain.queue.daily import DailyCache
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.replay import Sample, Visit, counter_weights, replay, visits
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.wait_model import Calibration, expected_wait, first_wait, learn

CLOSE_S = 300  # "within five minutes"
ALL = 0  # the key of every service together


@dataclass(frozen=True)
class Accuracy:
    waits: int
    mean_abs_error_s: float
    within_5_min: float  # share of waits the estimate was within CLOSE_S of


@dataclass(frozen=True)
class Backtest:
    """Per service id (ALL: all together): the estimator before, the one in use, the estimates given at issue."""

    first: Mapping[int, Accuracy]
    improved: Mapping[int, Accuracy]
    given: Mapping[int, Accuracy]


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[int, list[float]] = defaultdict(list)

    def add(self, service_id: int, estimate: float, waited: float) -> None:
        for key in (service_id, ALL):
            self.errors[key].append(abs(estimate - waited))

    def accuracy(self) -> dict[int, Accuracy]:
        return {key: Accuracy(len(e), sum(e) / len(e), sum(1 for x in e if x <= CLOSE_S) / len(e))
                for key, e in self.errors.items()}


def backtest(history: list[Visit], weights: Mapping[int, Mapping[int, float]], timezone: str,
             default_service_s: float, sample_size: int, scored_from: date) -> Backtest:
    """Score the days from `scored_from` on; the days of `history` before it only teach (ratios, pace)."""
    first, improved, given = _Errors(), _Errors(), _Errors()
    learned_days: dict[date, list[tuple[int, int, float, float]]] = {}
    samples = replay(history, weights, timezone, default_service_s, sample_size)
    for day, day_samples in groupby(samples, key=lambda s: s.visit.service_day):
        today = list(day_samples)
        if day >= scored_from:
            calibration = learn(_window(learned_days, day))
            for sample in (s for s in today if s.scored):
                _score(sample, calibration, first, improved, given)
        learned_days[day] = learning_samples(today)
    return Backtest(first.accuracy(), improved.accuracy(), given.accuracy())


_recent: DailyCache[Backtest] = DailyCache(kept=8)


def recent_accuracy(session: Session, office: Office, now: datetime, settings: QueueSettings, days: int) -> Backtest:
    """The backtest of the last `days` days before today (learning from the LEARN_DAYS before them), once a day."""
    today = service_day(office, now)

    def score() -> Backtest:
        first = today - timedelta(days=days)
        history = visits(session, office, first - timedelta(days=LEARN_DAYS), today - timedelta(days=1))
        return backtest(history, counter_weights(session, office), office.timezone, settings.default_service_s,
                        settings.estimate_sample, first)

    return _recent.get(session, office, today, score)


def _window(learned: Mapping[date, list[tuple[int, int, float, float]]], day: date) -> Iterable[
        tuple[int, int, float, float]]:
    for back in range(1, LEARN_DAYS + 1):
        yield from learned.get(day - timedelta(days=back), ())


def _score(sample: Sample, calibration: Calibration, first: _Errors, improved: _Errors, given: _Errors) -> None:
    assert sample.waited_s is not None
    service, waited = sample.visit.service_id, sample.waited_s
    before = first_wait(sample.state)
    now = expected_wait(sample.state, service, calibration)
    if before is not None and now is not None:  # the same waits for both: where either says "no counter", neither
        first.add(service, before, waited)
        improved.add(service, now.middle_s, waited)
    if sample.visit.estimated_wait_s is not None:
        given.add(service, sample.visit.estimated_wait_s, waited)
