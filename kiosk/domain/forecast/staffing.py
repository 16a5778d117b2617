"""Counters needed each hour to reach the service level (Erlang C, the M/M/N queue), set against those open.

With arrivals at rate λ, a mean service time s and N counters, the traffic is A = λ·s erlangs; the chance a
citizen waits at all is Erlang C, C(N, A) = N·B / (N − A·(1 − B)) with B the Erlang B loss, and the share called
within a target wait T is 1 − C(N, A)·exp(−(N − A)·T / s). The counters needed are the fewest N giving the target
share. Erlang C assumes nobody leaves and every counter serves everyone; both err on the side of one counter more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_COUNTERS = 200


@dataclass(frozen=True)
class Target:
    wait_s: float  # called within this wait ...
    level: float  # ... this share of citizens (0.8: 80 %)


def erlang_b(counters: int, traffic: float) -> float:
    """Erlang B by its stable recursion B(n) = A·B(n−1) / (n + A·B(n−1))."""
    loss = 1.0
    for n in range(1, counters + 1):
        loss = traffic * loss / (n + traffic * loss)
    return loss


def erlang_c(counters: int, traffic: float) -> float:
    """The chance an arrival waits; 1 when the counters cannot keep up (N ≤ A)."""
    if counters <= traffic:
        return 1.0
    loss = erlang_b(counters, traffic)
    return counters * loss / (counters - traffic * (1 - loss))


def service_level(counters: int, traffic: float, service_s: float, target_wait_s: float) -> float:
    """The share called within the target wait."""
    if counters <= traffic:
        return 0.0
    return 1 - erlang_c(counters, traffic) * math.exp(-(counters - traffic) * target_wait_s / service_s)


def counters_needed(arrivals_per_hour: float, service_s: float, target: Target) -> int:
    """The fewest counters reaching the target for these arrivals; 0 for none."""
    if arrivals_per_hour <= 0:
        return 0
    traffic = arrivals_per_hour * service_s / 3600
    for counters in range(max(1, math.floor(traffic) + 1), MAX_COUNTERS + 1):
        if service_level(counters, traffic, service_s, target.wait_s) >= target.level:
            return counters
    return MAX_COUNTERS
