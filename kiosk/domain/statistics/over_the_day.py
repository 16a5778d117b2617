"""The period's shape through the day, on the office's clock: arrivals per weekday and hour (a mean working day),
people waiting through the day, and how long waits were."""

from __future__ import annotations

from collections import Counter as Tallies
from dataclasses import dataclass
from datetime import date

QUARTER_MIN = 15
WAIT_BINS_MIN = (5, 10, 15, 20, 30, 45, 60, 90)  # the last bin holds every longer wait


@dataclass(frozen=True)
class DayShape:
    arrivals: dict[tuple[int, int], float]  # (weekday 0 = Monday, hour): mean arrivals on a working day
    waiting: dict[int, float]  # minute of the day (every quarter hour): mean people waiting then
    open_days: int


def day_shape(arrived: dict[tuple[date, int], int], left: dict[tuple[date, int], int]) -> DayShape:
    """From the tickets that came into and left the queue in each (day, local minute of the quarter hour)."""
    arrivals: Tallies[tuple[int, int]] = Tallies()
    change: Tallies[int] = Tallies()
    for (day, minute), count in arrived.items():
        arrivals[(day.weekday(), minute // 60)] += count
        change[minute] += count
    for (_day, minute), count in left.items():
        change[minute] -= count
    days = {day for day, _minute in arrived}
    weekdays = Tallies(day.weekday() for day in days)
    waiting, now_waiting = {}, 0
    for minute in range(0, 24 * 60, QUARTER_MIN):
        now_waiting += change[minute]
        waiting[minute] = now_waiting / len(days) if days else 0.0
    return DayShape({key: count / weekdays[key[0]] for key, count in arrivals.items()},
                    _trimmed(waiting), len(days))


def wait_bins(waits: dict[int, int]) -> list[tuple[int, int | None, int]]:
    """How many waited under 5 minutes, 5 to 10, …, and longer than the last bin: (from, to, count)."""
    edges = [0, *WAIT_BINS_MIN]
    bins = [(low, high, 0) for low, high in zip(edges, edges[1:], strict=False)] + [(edges[-1], None, 0)]
    counts: Tallies[int] = Tallies()
    for seconds, count in waits.items():
        counts[next((i for i, high in enumerate(WAIT_BINS_MIN) if seconds < high * 60), len(WAIT_BINS_MIN))] += count
    return [(low, high, counts[i]) for i, (low, high, _zero) in enumerate(bins)]


def _trimmed(waiting: dict[int, float]) -> dict[int, float]:
    """The day from the first quarter anyone waited to the last."""
    busy = [minute for minute, people in waiting.items() if people > 0.005]
    return {m: round(p, 2) for m, p in waiting.items() if busy and busy[0] <= m <= busy[-1]}
