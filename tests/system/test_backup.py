"""`kiosk backup` and `kiosk restore` on the office's database, SQLite or PostgreSQL: a backup taken mid-day while a
real server takes and calls tickets restores to the queue as it was then; a file that is not a backup is refused
and the live database is left as it was."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from kiosk.cli import cli
from kiosk.data.models import Event, Ticket
from kiosk.runtime import backup
from kiosk.runtime.backup import RESTORED
from tests.support.app import make_token
from tests.support.server import ServerProcess, demo_tokens
from tests.support.sse import EventStream
from tests.support.tickets import take_ticket

Row = tuple[str, str, int | None]  # a ticket as the queue knows it: number, status, counter


def kiosk_command(office_env: dict[str, str], *argv: str) -> Result:
    return CliRunner(env=office_env).invoke(cli, list(argv))


def act(server: ServerProcess, token: str, counter: int, action: str) -> requests.Response:
    answer = requests.post(f"{server.url}/api/v1/counters/{counter}/{action}",
                           headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code in (200, 204), answer.text
    return answer


def queue(session: Session) -> dict[str, Row]:
    """Every ticket by its QR token; the transaction ends after, so a restore never waits for this test."""
    rows = session.execute(select(Ticket.token, Ticket.number, Ticket.status, Ticket.counter_id)).all()
    session.commit()
    return {token: (number, status, counter) for token, number, status, counter in rows}


@contextmanager
def a_busy_office(server: ServerProcess, kiosk: str, tablet: str) -> Iterator[list[str]]:
    """Foreigners take tickets and counter 6 calls them, without a pause, for as long as the block runs."""
    stop, taken = threading.Event(), []

    def work() -> None:
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline and len(taken) < 300:
            taken.append(take_ticket(server.url, kiosk, "foreigners")["token"])
            act(server, tablet, 6, "call-next")

    worker = threading.Thread(target=work)
    worker.start()
    while len(taken) < 3:  # the backup starts in the middle of it
        time.sleep(0.05)
    try:
        yield taken
        started = len(taken)
        while len(taken) < started + 3 and worker.is_alive():
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(60)


def test_a_backup_taken_mid_day_restores_the_queue_as_it_was(
    start_server: Callable[..., ServerProcess], instance: Path, office_env: dict[str, str], session: Session,
    tmp_path: Path,
) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    kiosk, tablet = tokens["kiosk-lobby"], tokens["tablet-counter-1"]
    caller = kiosk_command(office_env, "token", "create", "--role", "staff", "--counter", "6").output.strip()
    for _ in range(5):
        take_ticket(server.url, kiosk)
    act(server, tablet, 1, "call-next")
    act(server, tablet, 1, "complete")
    act(server, tablet, 1, "call-next")  # A001 served, A002 at counter 1, A003-A005 waiting

    with a_busy_office(server, kiosk, caller):
        backed_up = kiosk_command(office_env, "backup", str(tmp_path / "midday.backup"))
    assert backed_up.exit_code == 0, backed_up.output
    backup_tickets = int(re.search(r": (\d+) ticket", backed_up.output).group(1))  # type: ignore[union-attr]

    afternoon = [take_ticket(server.url, kiosk)["token"] for _ in range(3)]
    act(server, tablet, 1, "call-next")
    before = queue(session)
    last_event_before = session.scalar(select(func.max(Event.id)))
    session.commit()

    restored = kiosk_command(office_env, "restore", "--yes", str(tmp_path / "midday.backup"))
    assert restored.exit_code == 0, restored.output
    after = queue(session)
    assert len(after) == backup_tickets and not set(afternoon) & set(after)
    by_number = {number: (status, counter) for number, status, counter in after.values()}
    assert [by_number[f"A00{n}"][0] for n in range(1, 6)] == ["done", "called", "waiting", "waiting", "waiting"]
    foreigners = sorted(number for number in by_number if number.startswith("F"))
    assert foreigners == [f"F{n:03d}" for n in range(1, len(foreigners) + 1)] and len(foreigners) >= 3
    assert all(before[token][0] == number for token, (number, _status, _counter) in after.items())
    assert_events_match_tickets(session, after)

    # The server goes on from the restored queue: the afternoon's tickets are gone, numbering continues from it.
    gone = requests.get(f"{server.url}/api/v1/tickets/{afternoon[0]}", timeout=10)
    assert gone.status_code == 404
    next_ticket = take_ticket(server.url, kiosk)
    assert next_ticket["number"] == "A006"
    numbers = session.scalars(select(Ticket.number)).all()
    session.commit()
    assert len(numbers) == len(set(numbers)) == backup_tickets + 1
    assert_replayable(server, kiosk, last_event_before, next_ticket["number"])


def assert_events_match_tickets(session: Session, tickets: dict[str, Row]) -> None:
    """The backup is one moment: every ticket's last event in the log says the state its row holds."""
    last_state: dict[str, str] = {}
    for kind, payload in session.execute(select(Event.kind, Event.payload).order_by(Event.id)).all():
        if kind.startswith("ticket.") and "number" in payload:
            last_state[payload["number"]] = payload["status"]
    session.commit()
    assert {number: last_state.get(number) for number, _status, _counter in tickets.values()} == {
        number: status for number, status, _counter in tickets.values()
    }


def assert_replayable(server: ServerProcess, kiosk: str, last_event_before: int, next_number: str) -> None:
    """From the first event on: the restored log, the restore numbered after all the screens had seen, then today."""
    stream = EventStream(server.url, kiosk, last_event_id=0)
    try:
        replayed = []
        for message in stream.messages():
            replayed.append(message)
            if message.event == "ticket.issued" and message.data["number"] == next_number:
                break
    finally:
        stream.close()
    ids = [message.id for message in replayed]
    assert ids == sorted(set(ids))
    restore_mark = next(message for message in replayed if message.event == RESTORED)
    assert restore_mark.id > last_event_before
    issued = [m.data["number"] for m in replayed if m.event == "ticket.issued" and m.data["number"].startswith("A")]
    assert issued == ["A001", "A002", "A003", "A004", "A005", "A006"]
    assert replayed[-1].id > restore_mark.id


@pytest.fixture
def queue_with_a_ticket(app: Flask, client: FlaskClient, session: Session) -> dict[str, Row]:
    take_ticket(client, make_token(app, "kiosk"))
    return queue(session)


def newer_backup(office_env: dict[str, str], session: Session, path: Path) -> None:
    """A real backup whose schema is one this code has never seen, as a newer version would leave it."""
    head = session.scalar(text("SELECT version_num FROM alembic_version"))
    session.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    session.commit()
    assert kiosk_command(office_env, "backup", str(path)).exit_code == 0
    session.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    session.commit()


@pytest.mark.parametrize("kind", ["notes", "empty", "newer"])
def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    kind: str, office_env: dict[str, str], session: Session, tmp_path: Path, engine_name: str,
    queue_with_a_ticket: dict[str, Row],
) -> None:
    path = tmp_path / f"{kind}.backup"
    if kind == "notes":
        path.write_text("Sổ giao ca: quầy 3 nghỉ chiều nay.\n")
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        newer_backup(office_env, session, path)
    events = session.scalar(select(func.count()).select_from(Event))
    session.commit()

    refused = kiosk_command(office_env, "restore", "--yes", str(path))
    assert refused.exit_code == 1
    assert refused.output.startswith(f"Nothing was restored: {path} ")
    expected = {
        "notes": "is not an SQLite database" if engine_name == "sqlite" else "is not a PostgreSQL backup",
        "empty": "not a backup of this product" if engine_name == "sqlite" else "is not a PostgreSQL backup",
        "newer": "is at schema 9999_from_the_future, which this version does not know",
    }[kind]
    assert expected in refused.output
    assert queue(session) == queue_with_a_ticket
    assert session.scalar(select(func.count()).select_from(Event)) == events
    session.commit()


def test_without_pg_dump_the_command_to_run_is_printed(
    office_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "POSTGRES_BIN_DIRS", tmp_path)  # no PostgreSQL installed, none on the PATH
    env = dict(office_env, PATH=str(tmp_path), KIOSK_DATABASE_URL="postgresql://kiosk:secret@db-host/office")
    dump = tmp_path / "office.dump"
    result = kiosk_command(env, "backup", str(dump))
    assert result.exit_code == 1
    assert f"pg_dump --format=custom --file={dump} postgresql://kiosk@db-host/office" in result.output
    assert "secret" not in result.output and not dump.exists()
