"""A year of a province on one database, the second half of bench/province_bench.py: every office's past written
by the product's own generator, then the database's size and the server time (in the app, no network) of what the
desk reads on it, at the first office:

  overview       GET /admin/province, a province account: every office's day side by side
  reports        GET /api/v1/reports/summary for a day, a month, a year (`office_report`, what /admin/reports
                 computes); the first read keeps the closed days and is printed apart
  live desk      GET /admin/live, the office's supervisor
  ticket, call   POST /api/v1/tickets at the lobby kiosk, POST /api/v1/counters/1/call-next at counter 1's tablet
Goals at p95: reports day ≤ 100 ms and year ≤ 1 s (the reports issue), ticket and call ≤ 1 s (as in the day).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from multiprocessing import get_context
from time import perf_counter

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, text

from bench.common import percentiles, ranked, timed
from kiosk import create_app
from kiosk.config import instance_folder, load_config
from kiosk.data.engine import database_url
from kiosk.data.models import Office
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.statistics.history import HistoryLoaded, fill_history
from kiosk.runtime import Runtime
from tests.support.app import auth
from tests.support.htmx_client import signed_in

FILL_JOBS = os.cpu_count() or 1  # offices filled at once: the generator is Python, PostgreSQL the other core
BIGGEST = 8  # tables listed
GOALS_MS = {"reports day": 100, "reports year": 1000, "take a ticket": 1000, "call next": 1000}

_runtime: Runtime | None = None  # each fill process's own


def a_year(env: dict[str, str], tokens: dict[str, str], days: int, runs: int) -> None:
    print(f"\nA year: {days} days of past at every office, then what the desk reads on it")
    fill_province(env, days)
    app = create_app({"environ": env, "start_hub": False})
    engine: Engine = app.extensions["kiosk"].engine
    try:
        vacuumed(engine)
        database_size(engine)
        desk_reads(app, tokens, runs)
    finally:
        engine.dispose()
    print(f"  load average {os.getloadavg()[0]:.2f} at the end")


def fill_province(env: dict[str, str], days: int) -> None:
    codes = [each["office"]["code"] for each in load_config(environ=env)["offices"]]
    started = perf_counter()
    with ProcessPoolExecutor(FILL_JOBS, mp_context=get_context("spawn"), initializer=open_runtime,
                             initargs=(env,)) as pool:
        filled = list(pool.map(fill_office, codes, [days] * len(codes)))
    wall = perf_counter() - started
    tickets, appointments = sum(done.tickets for done, _ in filled), sum(done.appointments for done, _ in filled)
    print(f"  history written in {wall:.0f} s ({FILL_JOBS} offices at a time; one office's year "
          f"{sum(s for _, s in filled) / len(filled):.1f} s on average, slowest {max(s for _, s in filled):.1f} s): "
          f"{tickets} tickets, {appointments} appointments, {sum(done.days for done, _ in filled)} working days over "
          f"{len(codes)} offices")


def open_runtime(env: dict[str, str]) -> None:
    """A fill process's runtime, as `kiosk demo` opens one, without the web app."""
    global _runtime
    config, instance = load_config(environ=env), instance_folder(env)
    _runtime = Runtime.open(config, instance, database_url(config["database"]["url"], instance), start_hub=False)


def fill_office(code: str, days: int) -> tuple[HistoryLoaded, float]:
    """One office's past, as `kiosk demo --history` writes it, in one transaction."""
    assert _runtime is not None
    started = perf_counter()
    with _runtime.sessions.begin() as session:
        office = session.scalars(select(Office).where(Office.code == code)).one()
        loaded = fill_history(session, office, days, service_day(office, _runtime.clock()))
    return loaded, perf_counter() - started


def vacuumed(engine: Engine) -> None:
    """VACUUM ANALYZE: a database a year old has had its autovacuum; a bulk load just written has not."""
    started = perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    print(f"  VACUUM ANALYZE {perf_counter() - started:.0f} s")


def database_size(engine: Engine) -> None:
    with engine.connect() as connection:
        size = connection.scalar(text("SELECT pg_size_pretty(pg_database_size(current_database()))"))
        biggest = connection.execute(text(
            "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)), pg_size_pretty(pg_indexes_size(oid)) "
            "FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
            f"ORDER BY pg_total_relation_size(oid) DESC LIMIT {BIGGEST}")).all()
        rows = {name: connection.scalar(text(f'SELECT count(*) FROM "{name}"')) for name, _, _ in biggest}
    print(f"  database size {size}; the biggest tables (with their indexes):")
    for name, total, indexes in biggest:
        print(f"    {name:<18} {rows[name]:>10} rows  {total:>8}  (indexes {indexes})")


def desk_reads(app: Flask, tokens: dict[str, str], runs: int) -> None:
    province = signed_in(app, app.test_client(), "province", "province-bench").client
    supervisor = signed_in(app, app.test_client(), "supervisor", "supervisor-bench").client
    api, kiosk, tablet = app.test_client(), auth(tokens["kiosk-lobby"]), auth(tokens["tablet-counter-1"])
    reads: dict[str, tuple[Callable[[], int], int]] = {"overview": (
        lambda: province.get("/admin/province").status_code, 200)}
    for name, (since, until) in report_periods(first_office_day(app)).items():
        reads[f"reports {name}"] = (summary_read(api, tablet, since, until), 200)
    reads |= {
        "live desk": (lambda: supervisor.get("/admin/live").status_code, 200),
        "take a ticket": (lambda: api.post("/api/v1/tickets", json={"service": "passport-first"},
                                           headers=kiosk).status_code, 201),
        "call next": (lambda: api.post("/api/v1/counters/1/call-next", headers=tablet).status_code, 200),
    }
    print(f"  server time on the year, at the first office ({runs} reads each after a first):")
    for what, (ask, ok) in reads.items():
        first = timed(1, ask, ok)[0]
        samples = timed(runs, ask, ok)
        goal = GOALS_MS.get(what)
        p95 = ranked(samples, 0.95) * 1000
        verdict = "" if goal is None else (f"  (goal ≤ {goal} ms: ok)" if p95 <= goal else f"  OVER the {goal} ms goal")
        print(f"    {what:<14} first {first * 1000:7.0f} ms, then {percentiles(samples)}{verdict}")


def summary_read(api: FlaskClient, headers: dict[str, str], since: date, until: date) -> Callable[[], int]:
    return lambda: api.get(f"/api/v1/reports/summary?from={since}&to={until}&by=service",
                           headers=headers).status_code


def first_office_day(app: Flask) -> date:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions() as session:
        office = session.scalars(select(Office).where(Office.code == rt.config["office"]["code"])).one()
        return service_day(office, rt.clock())


def report_periods(today: date) -> dict[str, tuple[date, date]]:
    """Last Wednesday (a usual day), the last 30 days and the last 365, each up to yesterday."""
    wednesday = today - timedelta(days=(today.weekday() - 2) % 7 or 7)
    return {"day": (wednesday, wednesday), "month": (today - timedelta(days=30), today - timedelta(days=1)),
            "year": (today - timedelta(days=365), today - timedelta(days=1))}
