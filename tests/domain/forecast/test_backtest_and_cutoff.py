"""The estimator backtest on a hand-made morning, the wait model's parts, and the end-of-day cut-off at a fixed
pace."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from kiosk.data.models import Office
from kiosk.domain.forecast.backtest import ALL, backtest
from kiosk.domain.forecast.cutoff import after_closing, at_risk, servable
from kiosk.domain.queue.opening_hours import closing_time
from kiosk.domain.queue.replay import Visit
from kiosk.domain.queue.settings import QueueSettings
from kiosk.domain.queue.wait_model import (
    Calibration,
    QueueState,
    Ratios,
    capacity,
    expected_wait,
    first_wait,
    modelled_wait,
)
from tests.support.domain import issue

DAY = date(2026, 11, 23)
NINE = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hanoi


def visit(id_: int, arrived: int, called: int, finished: int, told: int | None = None) -> Visit:
    """A ticket of service 1 at counter 1, times in minutes after nine."""
    at = lambda minutes: NINE + timedelta(minutes=minutes)  # noqa: E731
    return Visit(id_, 1, 1, "done", False, "kiosk", DAY, at(arrived), at(called), at(finished), 1, told)


def test_the_backtest_scores_both_estimators_on_the_same_waits() -> None:
    # 1 arrives to a free counter; 2 (at 09:02) finds it busy, nobody waiting; 3 (09:04) has 2 ahead of it.
    history = [visit(1, 0, 0, 10), visit(2, 2, 10, 20, told=240), visit(3, 4, 20, 30)]
    result = backtest(history, {1: {1: 1.0}}, "Asia/Ho_Chi_Minh", 360, 20, DAY)
    # 2: before 0 x 360 / 1 = 0 s, now half a service = 180 s; it waited 480 s.
    # 3: before 1 x 360 = 360 s, now 1.5 x 360 = 540 s; it waited 960 s. 1 had no counter open: not scored.
    assert result.first[1].waits == result.improved[1].waits == 2
    assert result.first[1].mean_abs_error_s == (480 + 600) / 2 and result.first[1].within_5_min == 0
    assert result.improved[1].mean_abs_error_s == (300 + 420) / 2 and result.improved[1].within_5_min == 0.5
    assert result.given[ALL].waits == 1 and result.given[ALL].mean_abs_error_s == 240


def state(**changed: object) -> QueueState:
    values: dict[str, object] = dict(ahead=4, counters_open=2, capacity=2.0, busy=2, service_s=600, priority_share=0,
                                     priority=False, hour=9)
    return QueueState(**{**values, **changed})  # type: ignore[arg-type]


def test_the_wait_model_counts_shared_counters_priorities_and_the_hour() -> None:
    # A counter serving A and B, 2 waiting for each, gives A half its time; one serving A alone, all of it.
    assert capacity([{1: 1.0, 2: 1.0}, {1: 1.0}], 1, {1: 2, 2: 2}) == 1.5
    assert first_wait(state()) == 4 * 600 / 2 and first_wait(state(counters_open=0)) is None
    assert modelled_wait(state()) == 4.5 * 600 / 2  # all busy: half a service more
    assert modelled_wait(state(priority_share=0.2)) == pytest.approx(4.5 * 600 / 2 / 0.8)
    assert modelled_wait(state(priority_share=0.2, priority=True)) == 4.5 * 600 / 2
    learned = Calibration({(1, 9): Ratios(0.5, 1.2, 2.0)}, {})
    wait = expected_wait(state(), 1, learned)
    assert wait and (wait.low_s, wait.middle_s, wait.high_s, wait.wide) == (675, 1620, 2700, True)
    assert expected_wait(state(hour=10), 1, learned).middle_s == 1350  # type: ignore[union-attr]
    assert expected_wait(state(capacity=0.0), 1, learned) is None


def test_who_is_called_before_closing_at_a_fixed_pace(office: Office) -> None:
    four = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 16:00 in Hanoi, closing at 17:00
    assert closing_time(office, four) == four + timedelta(hours=1)
    # Two busy counters, 10 min each: the first in line is called in 5 min, then one every 5 min: 12 in the hour.
    assert servable(state(), 3600) == 12
    assert not after_closing(state(ahead=11), office, four) and after_closing(state(ahead=12), office, four)
    assert not after_closing(state(ahead=12), office, four - timedelta(hours=1))
    assert closing_time(office, datetime(2026, 11, 29, 3, 0, tzinfo=UTC)) is None  # Sunday


def test_the_desk_is_told_who_will_not_be_called_today(session: Session, office: Office,
                                                       settings: QueueSettings) -> None:
    four = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for _ in range(25):  # counters 4 and 5 serve lost-passport reports, nothing else waits: 2 counters, 6 min
        issue(session, office, settings, four, "passport-lost")
    # 2 x 60 / 6 = 20 called in the hour, and the 21st at 17:00 sharp.
    [cut] = at_risk(session, office, four, settings)
    assert (cut.service.code, cut.waiting, cut.servable, cut.left) == ("passport-lost", 25, 21, 4)
    assert at_risk(session, office, four - timedelta(hours=3), settings) == []
