"""Server time of the reports on a province office's year: the reports page, one of its exports and the summary
API, for a day, a month and a year, measured in the app (no network) on `kiosk demo --history`'s past.
Goals at p95: 100 ms for a day, 1 s for a year.

    python bench/reports_bench.py [--postgres] [--days 365] [--runs 10] [--no-kept]

--no-kept runs with the clock a year back, so no day counts as closed and every report reads its tickets (how
the reports worked before closed days were kept).

The SQLite history is written once into the temp folder and used again by the next run (delete
`kiosk-reports-bench-*.sqlite` there to write it anew); PostgreSQL gets a throw-away cluster filled each run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import delete, func, select  # noqa: E402

from bench.common import percentiles, ranked, timed  # noqa: E402
from kiosk import create_app  # noqa: E402
from kiosk.data.engine import upgrade  # noqa: E402
from kiosk.data.models import Office, ReportCount, ReportDay, ReportGroup, Ticket  # noqa: E402
from kiosk.domain.office.setup import sync_office  # noqa: E402
from kiosk.domain.statistics.history import fill_history  # noqa: E402
from tests.support.app import auth, make_token  # noqa: E402
from tests.support.htmx_client import signed_in  # noqa: E402
from tests.support.postgres import Cluster  # noqa: E402
from tests.support.server import REPO  # noqa: E402

TODAY = date(2027, 3, 1)  # a year back reaches over Tết 2027 and its surge
LAST = TODAY - timedelta(days=1)
PERIODS = {"day": (LAST - timedelta(days=4), LAST - timedelta(days=4)),  # a Wednesday
           "month": (LAST - timedelta(days=30), LAST), "year": (TODAY - timedelta(days=365), LAST)}
GOALS_MS = {"day": 100, "year": 1000}


def office_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return env | {"KIOSK_INSTANCE": tempfile.mkdtemp(prefix="kiosk-reports-bench-"), "KIOSK_SECRET_KEY": "bench",
                  "KIOSK_CONFIG": str(REPO / "config/office.example.toml"), "KIOSK_DATABASE_URL": database_url}


def filled_app(database_url: str, days: int, kept: bool) -> Flask:
    """The example office with `days` of history (written only if the database has none)."""
    today = TODAY if kept else TODAY - timedelta(days=days + 7)
    app = create_app({"environ": office_env(database_url), "start_hub": False,
                      "clock": lambda: datetime.combine(today, time(3), UTC)})  # 10:00 in Hanoi
    rt = app.extensions["kiosk"]
    upgrade(rt.engine)  # a history kept from an older version gets the newer tables
    with rt.sessions.begin() as session:
        office = sync_office(session, rt.config)
        if not session.scalar(select(func.count()).select_from(Ticket)):
            started = perf_counter()
            loaded = fill_history(session, office, days, TODAY)
            print(f"history written: {loaded.tickets} tickets over {loaded.days} working days "
                  f"({perf_counter() - started:.1f} s)")
    with rt.sessions.begin() as session:
        for kept in (ReportGroup, ReportCount, ReportDay):  # so each run's first read keeps the closed days anew
            session.execute(delete(kept))
    with rt.sessions() as session:
        office = session.scalars(select(Office)).one()
        tickets = session.scalar(select(func.count()).select_from(Ticket).where(Ticket.office_id == office.id))
        print(f"history: {tickets} tickets")
    return app


def bench(app: Flask, runs: int) -> None:
    supervisor = signed_in(app, app.test_client(), "supervisor", f"boss{os.getpid()}").client
    api: FlaskClient = app.test_client()
    headers = auth(make_token(app, "staff"))
    for name, (first, last) in PERIODS.items():
        span = f"from={first}&to={last}"
        reads: dict[str, Callable[[], int]] = {
            "page": lambda span=span: supervisor.get(f"/admin/reports?period=custom&{span}").status_code,
            "export": lambda span=span: supervisor.get(
                f"/admin/reports/export.xlsx?period=custom&{span}&table=day").status_code,
            "api": lambda span=span: api.get(f"/api/v1/reports/summary?{span}&by=service",
                                             headers=headers).status_code,
        }
        for what, ask in reads.items():
            if what == "api" and api.get("/api/v1/reports/summary", headers=headers).status_code == 404:
                continue  # before the API was built
            first = timed(1, ask)[0]  # the first read keeps the closed days; templates compiled
            samples = timed(runs, ask)
            goal = GOALS_MS.get(name)
            p95 = ranked(samples, 0.95) * 1000
            verdict = "" if goal is None else ("  ok" if p95 <= goal else f"  OVER the {goal} ms goal")
            print(f"  {name:<5} {what:<6} first {first * 1000:7.0f} ms, then {percentiles(samples)}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-kept", action="store_true")
    options = parser.parse_args()
    cluster = Cluster().start() if options.postgres else None
    try:
        print(f"reports bench on {'PostgreSQL' if cluster else 'SQLite'}, {os.cpu_count()} cores"
              + (", no day kept" if options.no_kept else ""))
        cached = Path(tempfile.gettempdir()) / f"kiosk-reports-bench-{options.days}.sqlite"
        app = filled_app(cluster.new_database() if cluster else f"sqlite:///{cached}", options.days,
                         not options.no_kept)
        bench(app, options.runs)
        app.extensions["kiosk"].engine.dispose()
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
