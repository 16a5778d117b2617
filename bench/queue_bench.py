"""Queue core figures: call → SSE delivery with 100 streams, tickets/s and call-next/s under concurrency,
and call-next time as the ticket table grows to a year of data.

    python bench/queue_bench.py              SQLite in a temp folder
    python bench/queue_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import selectors
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from bench.common import load_demo, percentiles, run_benches, staff_token  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.data.engine import make_engine, session_factory, upgrade  # noqa: E402
from kiosk.data.models import Office, Service, Ticket  # noqa: E402
from kiosk.domain.office.setup import sync_office  # noqa: E402
from kiosk.domain.queue.calls import call_next, get_counter  # noqa: E402
from kiosk.domain.queue.settings import QueueSettings  # noqa: E402
from tests.support.raw_streams import open_streams  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402
from tests.support.tickets import take_ticket  # noqa: E402


def bench_server(env: dict[str, str]) -> None:
    tokens, staff = load_demo(env), staff_token(env)
    server = ServerProcess(env).start()
    http = requests.Session()

    def post(path: str, token: str, body: dict[str, str] | None = None) -> requests.Response:
        return http.post(f"{server.url}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"})

    try:
        streams = open_streams(server.port, tokens["display-hall"], 100)
        for _ in range(40):
            take_ticket(server.url, tokens["kiosk-lobby"], http=http)
        selector = selectors.DefaultSelector()
        for client in streams:
            client.setblocking(False)
            selector.register(client, selectors.EVENT_READ)
        latencies = []
        for n in range(1, 41):
            marker = f'"number": "A{n:03d}", "service": "passport-first", "status": "called"'.encode()
            waiting, seen = set(streams), {c: b"" for c in streams}
            start = time.monotonic()
            post("/counters/1/call-next", staff)
            while waiting:
                for key, _ in selector.select(timeout=5):
                    client = key.fileobj
                    seen[client] += client.recv(65536)  # type: ignore[union-attr]
                    if client in waiting and marker in seen[client]:
                        waiting.discard(client)  # type: ignore[arg-type]
                        latencies.append(time.monotonic() - start)
        print(f"call-next → event at each of 100 streams:     {percentiles(latencies)}")
        for client in streams:
            client.close()

        def take(_i: int) -> float:
            started = time.monotonic()
            take_ticket(server.url, tokens["kiosk-lobby"], http=http)
            return time.monotonic() - started

        with ThreadPoolExecutor(8) as pool:
            started = time.monotonic()
            times = list(pool.map(take, range(400)))
            elapsed = time.monotonic() - started
        print(f"tickets, 8 clients at once:  {400 / elapsed:7.0f} tickets/s   {percentiles(times)}")

        def call(i: int) -> float:
            started = time.monotonic()
            assert post(f"/counters/{i % 20 + 1}/call-next", staff).status_code in (200, 204)
            return time.monotonic() - started

        with ThreadPoolExecutor(8) as pool:
            started = time.monotonic()
            times = list(pool.map(call, range(400)))
            elapsed = time.monotonic() - started
        print(f"call-next, 20 counters by 8 clients: {400 / elapsed:5.0f} calls/s   {percentiles(times)}")
    finally:
        server.stop()


def bench_table_growth(env: dict[str, str]) -> None:
    """call-next with the ticket table holding a year of finished tickets plus today's queue."""
    config = load_config(environ=env)
    url = config["database"]["url"] or f"sqlite:///{env['KIOSK_INSTANCE']}/growth.sqlite3"
    engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    upgrade(engine)
    sessions = session_factory(engine)
    settings = QueueSettings.from_config(config["queue"])
    with sessions.begin() as session:
        office = sync_office(session, config)
        service = session.scalars(select(Service).where(Service.code == "passport-first")).one()
        office_id, service_id = office.id, service.id
    today = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    filled = 0
    for target in (10_000, 100_000):
        rows = []
        for i in range(filled, target):
            day = today - timedelta(days=1 + i // 400)
            rows.append(dict(
                office_id=office_id, service_id=service_id, issued_service_id=service_id,
                service_day=day.date(), seq=i % 400 + 1, number=f"A{i % 400 + 1:03d}", token=f"t{i}",
                status="done", source="kiosk", language="vi", issued_at=day, arrived_at=day, called_at=day,
                finished_at=day + timedelta(minutes=6), priority_approved=False, recall_count=0, requeue_count=0,
            ))
        with sessions.begin() as session:
            session.execute(insert(Ticket), rows)
        filled = target
        times = []
        for n in range(60):
            now = today + timedelta(seconds=n)
            with sessions.begin() as session:
                office = session.get_one(Office, office_id)
                session.execute(insert(Ticket), [dict(
                    office_id=office_id, service_id=service_id, issued_service_id=service_id,
                    service_day=today.date(), seq=n + 1 + target, number=f"A{n + 1 + target}", token=f"w{target}-{n}",
                    status="waiting", source="kiosk", language="vi", issued_at=now, arrived_at=now,
                    priority_approved=False, recall_count=0, requeue_count=0)])
            started = time.monotonic()
            with sessions.begin() as session:
                office = session.get_one(Office, office_id)
                call_next(session, get_counter(session, office, 1 + n % 20, lock=True), now, settings)
            times.append(time.monotonic() - started)
        print(f"call-next with {target:>7,} tickets in the table: {percentiles(times)}")
    engine.dispose()


def main() -> None:
    run_benches(__doc__, "queue bench", bench_server, bench_table_growth)


if __name__ == "__main__":
    main()
