"""Retention: a declaration past its period is forgotten by the server on its own, whatever issues the day's
tickets, and nothing of it stays readable in the database file or its write-ahead log."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office
from kiosk.domain.queue.settings import QueueSettings
from tests.support.htmx_client import signed_in
from tests.support.kiosk_factories import declared_ticket

TYPED = ("040195000123", "anh@example.vn", "0912345678")  # what the citizen typed, as it would sit in the file


def status_of(session: Session, declaration_id: int) -> str:
    session.rollback()  # a new read transaction: on SQLite an open one keeps reading the snapshot it began with
    return session.get_one(Declaration, declaration_id).status


def test_a_running_server_forgets_old_declarations_by_itself(
        session: Session, office: Office, config: dict[str, Any], settings: QueueSettings, morning,
        start_server: Callable[..., Any], instance: Path, engine_name: str) -> None:
    ticket = declared_ticket(session, office, config, settings, morning - timedelta(days=31))
    assert ticket.declaration_id is not None
    start_server()  # no ticket is taken: the server's own housekeeping does it
    deadline = time.monotonic() + 20
    while status_of(session, ticket.declaration_id) != "purged" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status_of(session, ticket.declaration_id) == "purged"
    session.close()
    if engine_name == "sqlite":  # the log is emptied just after the purge commits

        def still_on_disk() -> list[str]:
            files = [path for path in instance.glob("*.sqlite3*") if path.is_file()]
            return [f"{typed} in {path.name}" for path in files for typed in TYPED
                    if typed.encode() in path.read_bytes()]

        while still_on_disk() and time.monotonic() < deadline + 15:
            time.sleep(0.2)
        assert still_on_disk() == []


def test_the_officer_reads_that_the_declaration_was_deleted_after_its_period(
        app: Flask, client: FlaskClient, config: dict[str, Any], settings: QueueSettings, morning) -> None:
    officer, rt = signed_in(app, client, "officer"), app.extensions["kiosk"]
    with rt.sessions() as session:
        office = session.scalars(select(Office)).one()
        ticket = declared_ticket(session, office, config, settings, morning - timedelta(days=31))
    assert app.extensions["housekeeping"].run_once() == 1
    page = officer.page(f"/staff/tickets/{ticket.id}")
    assert 'id="declaration-purged"' in page and "hết thời hạn lưu giữ" in page
    assert not any(typed in page for typed in TYPED)
