"""The hour-of-day ratios the live estimate uses, learned once a day from the office's last weeks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from kiosk.data.models import Office
from kiosk.domain.queue.daily import DailyCache
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.replay import Sample, counter_weights, replay, visits
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.wait_model import Calibration, learn, modelled_wait

LEARN_DAYS = 28
_learned: DailyCache[Calibration] = DailyCache()


def calibration(session: Session, office: Office, now: datetime, settings: QueueSettings) -> Calibration:
    """Ratios learned from the office's last LEARN_DAYS days before today."""
    today = service_day(office, now)

    def from_history() -> Calibration:
        history = visits(session, office, today - timedelta(days=LEARN_DAYS), today - timedelta(days=1))
        return learn(learning_samples(replay(history, counter_weights(session, office), office.timezone,
                                             settings.default_service_s, settings.estimate_sample)))

    return _learned.get(session, office, today, from_history)


def learning_samples(samples: Iterable[Sample]) -> list[tuple[int, int, float, float]]:
    """(service id, hour, modelled wait, wait that followed) of the scored waits the model gave a figure for."""
    return [(s.visit.service_id, s.state.hour, modelled, s.waited_s) for s in samples
            if s.scored and s.waited_s is not None and (modelled := modelled_wait(s.state)) is not None]
