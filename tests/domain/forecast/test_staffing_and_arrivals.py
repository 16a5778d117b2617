"""Erlang C against the textbook, and the arrivals forecast on a history whose pattern is known."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.domain.forecast.arrivals import backtest, forecast, office_week
from kiosk.domain.forecast.staffing import Target, counters_needed, erlang_c, service_level

WEEK = office_week({"mon": "07:30-17:00", "tue": "07:30-17:00", "wed": "07:30-17:00", "thu": "07:30-17:00",
                    "fri": "07:30-17:00", "sat": "07:30-11:30"})


@pytest.mark.parametrize(("counters", "waits", "level"), [(11, 0.6821, 0.3896), (12, 0.4494, 0.6402),
                                                          (13, 0.2853, 0.7956), (14, 0.1741, 0.8884)])
def test_erlang_c_gives_the_textbook_figures(counters: int, waits: float, level: float) -> None:
    # The classic call-centre example: 100 calls in half an hour, 180 s each (A = 10 erlangs), answered in 20 s.
    assert erlang_c(counters, 10.0) == pytest.approx(waits, abs=5e-5)
    assert service_level(counters, 10.0, 180, 20) == pytest.approx(level, abs=5e-5)


def test_counters_needed_are_the_fewest_reaching_the_target() -> None:
    assert counters_needed(200, 180, Target(20, 0.8)) == 14  # 13 reach 79.6 % only
    assert counters_needed(0, 180, Target(20, 0.8)) == 0
    assert erlang_c(10, 10.0) == 1.0 and service_level(9, 10.0, 180, 20) == 0.0  # cannot keep up


def usual(day: date) -> dict[int, int]:
    """The known pattern: 10 + hour arrivals each hour on weekdays, 5 an hour on Saturday mornings."""
    if day.weekday() == 5:
        return dict.fromkeys(range(7, 12), 5)
    return {hour: 10 + hour for hour in range(7, 17)} if day.weekday() < 5 else {}


def test_the_forecast_repeats_a_steady_week() -> None:
    first = date(2026, 11, 23)  # a Monday
    history = {first - timedelta(days=back): usual(first - timedelta(days=back)) for back in range(1, 71)}
    ahead = forecast(history, WEEK, first, 14)
    assert len(ahead) == 14 and ahead[first] == pytest.approx(usual(first))
    assert ahead[first + timedelta(days=5)] == pytest.approx(dict.fromkeys(range(7, 12), 5))
    assert ahead[first + timedelta(days=6)] == {}  # Sunday
    ours, naive = backtest(history, WEEK, first - timedelta(weeks=2), 2)
    assert ours.mean_abs_error == pytest.approx(0) and ours.hours == 2 * (5 * 10 + 5) == naive.hours


def test_the_surge_after_a_closed_period_is_learned_from_past_ones() -> None:
    first = date(2026, 11, 23)
    closed_from, closed_to = date(2026, 9, 28), date(2026, 10, 4)  # a week shut, Monday to Sunday
    history = {}
    for back in range(1, 120):
        day = first - timedelta(days=back)
        if closed_from <= day <= closed_to:
            continue
        opened_after = sum(1 for d in range((day - closed_to).days) if WEEK.is_open(closed_to + timedelta(days=d + 1)))
        factor = 2 if day > closed_to and opened_after <= 10 else 1  # the ten open days after: twice the usual
        history[day] = {hour: factor * count for hour, count in usual(day).items()}
    shut = {first + timedelta(days=d) for d in range(3)}  # Monday to Wednesday shut in the coming week
    ahead = forecast(history, WEEK, first, 14, closed=shut)
    assert ahead[first] == {} and ahead[first + timedelta(days=2)] == {}
    thursday = first + timedelta(days=3)
    assert ahead[thursday] == pytest.approx({hour: 2 * count for hour, count in usual(thursday).items()})
    assert forecast(history, WEEK, first, 1)[first] == pytest.approx(usual(first))  # no closure: no surge
