"""The answer to a new ticket is built from what its transaction committed: it is what the ticket's public status
says, for a walk-in, a declaration's and an appointment's check-in, and building it reads nothing (a read there
would begin a second transaction on the request's write session)."""

from __future__ import annotations

import traceback
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from kiosk.data.models import Office
from kiosk.domain.appointments.check_in import book
from tests.support.app import auth, make_token
from tests.support.kiosk_factories import TK01_STEPS
from tests.support.tickets import take_ticket

FIELDS = {key: value for values in TK01_STEPS.values() for key, value in values.items()}


def reads_while_answering(app: Flask) -> list[str]:
    """The statements run while the answer is put together, from now on."""
    read: list[str] = []

    @event.listens_for(app.extensions["kiosk"].engine, "before_cursor_execute")
    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if any(frame.name == "ticket_answer" for frame in traceback.extract_stack()):
            read.append(statement)
    return read


def posted_as_read(client: FlaskClient, body: dict[str, Any], kiosk: str) -> None:
    posted = client.post("/api/v1/tickets", json=body, headers=auth(kiosk))
    assert posted.status_code == 201, posted.get_json()
    answer = posted.get_json()
    assert client.get(f"/api/v1/tickets/{answer['token']}").get_json() == answer


def test_a_walk_in_with_priority(app: Flask, client: FlaskClient) -> None:
    kiosk, read = make_token(app, "kiosk"), reads_while_answering(app)
    take_ticket(client, kiosk)
    posted_as_read(client, {"service": "passport-lost", "priority": "elderly"}, kiosk)
    assert read == []


def test_a_declarations_check_in(app: Flask, client: FlaskClient) -> None:
    kiosk, read = make_token(app, "kiosk"), reads_while_answering(app)
    take_ticket(client, kiosk)
    declared = client.post("/api/v1/declarations", json={"form": "TK01", "fields": FIELDS}, headers=auth(kiosk))
    posted_as_read(client, {"declaration": declared.get_json()["code"]}, kiosk)
    assert read == []


def test_an_appointments_check_in(app: Flask, client: FlaskClient) -> None:
    kiosk, read = make_token(app, "kiosk"), reads_while_answering(app)
    for _ in range(3):
        take_ticket(client, kiosk)
    rt = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = session.scalars(select(Office)).one()
        code = book(session, office, "passport-first", rt.clock() + timedelta(minutes=5), "vi", rt.clock()).code
    posted_as_read(client, {"appointment": code}, kiosk)
    assert read == []
