"""How good the wait estimate and the arrivals forecast are on a year of the demo office's history
(`kiosk demo --history`'s generator): the estimate given at issue against the wait that followed, by service,
for the estimator before (people ahead x pace / open counters) and the one in use; the forecast's error per hour
against "the same hour last week"; and how long learning each takes.

    python bench/estimate_bench.py [--days 365]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from kiosk.config import load_config  # noqa: E402
from kiosk.data.engine import make_engine, session_factory, upgrade  # noqa: E402
from kiosk.data.models import Office, Service  # noqa: E402
from kiosk.domain.forecast.arrivals import backtest as forecast_backtest  # noqa: E402
from kiosk.domain.forecast.arrivals import hourly_arrivals, office_week  # noqa: E402
from kiosk.domain.forecast.backtest import ALL, Accuracy, backtest  # noqa: E402
from kiosk.domain.office.setup import sync_office  # noqa: E402
from kiosk.domain.queue.calibration import LEARN_DAYS  # noqa: E402
from kiosk.domain.queue.replay import counter_weights, visits  # noqa: E402
from kiosk.domain.queue.settings import QueueSettings  # noqa: E402
from kiosk.domain.statistics.history import fill_history  # noqa: E402

TODAY = date(2027, 3, 1)  # a year back reaches over Tết 2027 (6-10 February) and its surge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    days = parser.parse_args().days
    folder = Path(tempfile.mkdtemp(prefix="kiosk-estimate-bench-"))
    config = load_config(environ={"KIOSK_INSTANCE": str(folder)})
    engine = make_engine(f"sqlite:///{folder / 'bench.sqlite'}")
    upgrade(engine)
    sessions = session_factory(engine)
    started = time.perf_counter()
    with sessions.begin() as session:
        office = sync_office(session, config)
        loaded = fill_history(session, office, days, TODAY)
    print(f"history: {loaded.tickets} tickets over {loaded.days} working days ({time.perf_counter() - started:.1f} s)")
    with sessions() as session:
        office = session.scalars(select(Office)).one()
        estimator(session, office, QueueSettings.from_config(config["queue"]), days)
        arrivals(session, office)


def estimator(session: object, office: Office, settings: QueueSettings, days: int) -> None:
    started = time.perf_counter()
    first = TODAY - timedelta(days=days)
    history = visits(session, office, first, TODAY)  # type: ignore[arg-type]
    result = backtest(history, counter_weights(session, office), office.timezone,  # type: ignore[arg-type]
                      settings.default_service_s, settings.estimate_sample, first + timedelta(days=LEARN_DAYS))
    print(f"\nwait estimate backtest ({time.perf_counter() - started:.1f} s; days after the first {LEARN_DAYS} "
          "scored, each with ratios learned from the 28 days before it)")
    print(f"{'service':<18}{'waits':>8}   {'before: MAE  ±5 min':>22}   {'now: MAE  ±5 min':>20}")
    names = {s.id: s.code for s in session.scalars(select(Service))}  # type: ignore[attr-defined]
    for key in sorted(result.first, key=lambda k: (k == ALL, k)):
        print(f"{names.get(key, 'all'):<18}{result.first[key].waits:>8}   {_figures(result.first[key]):>22}   "
              f"{_figures(result.improved[key]):>20}")


def arrivals(session: object, office: Office) -> None:
    started = time.perf_counter()
    counts = hourly_arrivals(session, office, TODAY - timedelta(days=400), TODAY - timedelta(days=1))  # type: ignore[arg-type]
    ours, naive = forecast_backtest(counts, office_week(office.hours), TODAY - timedelta(weeks=8), 8)
    print(f"\narrivals forecast backtest, last 8 weeks, per open hour ({time.perf_counter() - started:.1f} s)")
    for name, error in (("this forecast", ours), ("same hour last week", naive)):
        print(f"{name:<22} MAE {error.mean_abs_error:5.1f} arrivals/h   WAPE {error.weighted_abs_error:6.1%}   "
              f"({error.hours} hours)")


def _figures(accuracy: Accuracy) -> str:
    return f"{accuracy.mean_abs_error_s / 60:5.1f} min {accuracy.within_5_min:6.1%}"


if __name__ == "__main__":
    main()
