"""Kiosk server time: each step of the passport declaration wizard (goal p95 <= 30 ms) and a walk-in ticket
(goal p95 <= 50 ms, before printing), measured in the app (no network) on a database that fills up as it goes.

    python bench/kiosk_bench.py              SQLite in a temp folder
    python bench/kiosk_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ranked  # noqa: E402
from kiosk import create_app  # noqa: E402
from tests.support.htmx_client import HtmxClient, paired_kiosk  # noqa: E402
from tests.support.kiosk_factories import TK01_STEPS  # noqa: E402
from tests.support.postgres import Cluster  # noqa: E402

DECLARATIONS = 60
WALK_INS = 300
# Submitting issues the declaration's ticket, so it has the ticket's goal.
GOALS_MS = {"walk-in ticket": 50, "step: submit + ticket": 50}
STEP_GOAL_MS = 30


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ranked(ordered, 0.95) * 1000


class TimedKiosk:
    """The tests' paired kiosk (tests/support/htmx_client.py), each of its htmx requests timed."""

    def __init__(self, kiosk: HtmxClient) -> None:
        self.kiosk = kiosk
        self.times: dict[str, list[float]] = defaultdict(list)

    def timed(self, name: str, method: str, path: str, **form: str) -> None:
        started = time.perf_counter()
        answer = self.kiosk.client.open(path, method=method, data=form, headers=self.kiosk.headers)
        self.times[name].append(time.perf_counter() - started)
        assert answer.status_code in (200, 204), (path, answer.status_code)


def run(env: dict[str, str]) -> dict[str, list[float]]:
    app = create_app({"environ": env, "start_hub": False})
    kiosk = TimedKiosk(paired_kiosk(app, app.test_client()))
    for _ in range(DECLARATIONS):
        kiosk.timed("menu", "GET", "/kiosk/menu")
        kiosk.timed("step: start", "POST", "/kiosk/declaration", kind="TK01")
        for key, values in TK01_STEPS.items():
            kiosk.timed(f"step: {key}", "POST", f"/kiosk/declaration/{key}", action="next", **values)
        kiosk.timed("step: submit + ticket", "POST", "/kiosk/declaration/submit")
    services = ("passport-first", "passport-reissue", "border-pass", "foreigners")
    for n in range(WALK_INS):
        kiosk.timed("services list", "GET", "/kiosk/services")
        kiosk.timed("walk-in ticket", "POST", "/kiosk/tickets", service=services[n % len(services)])
    app.extensions["kiosk"].engine.dispose()
    return kiosk.times


def report(label: str, times: dict[str, list[float]]) -> None:
    print(f"\nKiosk server time ({label})")
    for name, samples in times.items():
        p50, p95 = percentiles(samples)
        goal = GOALS_MS.get(name, STEP_GOAL_MS if name.startswith("step") else None)
        verdict = "" if goal is None else ("  ok" if p95 <= goal else f"  OVER the {goal} ms goal")
        print(f"  {name:24} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   (n={len(samples)}){verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_INSTANCE=tempfile.mkdtemp(prefix="kiosk-bench-"), KIOSK_SECRET_KEY="bench",
               KIOSK_CONFIG=str(Path(__file__).resolve().parents[1] / "config/office.example.toml"))
    if not args.postgres:
        report("SQLite", run(env))
        return
    cluster = Cluster().start()
    try:
        report("PostgreSQL", run({**env, "KIOSK_DATABASE_URL": cluster.new_database()}))
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
